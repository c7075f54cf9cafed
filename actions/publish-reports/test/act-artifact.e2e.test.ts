/**
 * publish-reports for real under act (the build in .ci/go-tools.txt, v0.2.89): a one-job
 * workflow writes two reports and publishes them; act's own artifact server must end up
 * with <run>/<name>/<name>.zip holding both, byte for byte what the step's digest says.
 * Seconds, no Docker: the job runs on this host (.actrc: -P ubuntu-latest=-self-hosted).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { actMissing, actPath } from '../../../test/support/ci-tools.ts';
import { freePort } from '../../../test/support/net.ts';
import { describeNeeding } from '../../../test/support/tools.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';

const act = actPath();

const WORKFLOW = `name: publish-reports under act
on: workflow_dispatch
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Write reports
        run: |
          mkdir -p "$RUNNER_TEMP/r/drills"
          printf '{"events":[]}\\n' > "$RUNNER_TEMP/r/drills/journal.json"
          printf 'NAME STATUS\\n' > "$RUNNER_TEMP/r/ps.txt"
      - uses: ./actions/publish-reports
        with:
          name: act-check
          path: \${{ runner.temp }}/r
          if-no-files-found: error
`;

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describeNeeding(actMissing(), "publish-reports under act, to act's artifact server", () => {
  test('the zip lands where act keeps v4 artifacts', async () => {
    if (!act) throw new Error('act is missing: .ci/install.sh builds it from .ci/go-tools.txt');
    const temp = await mkdtemp(join(tmpdir(), 'publish-act-'));
    temps.push(temp);
    await writeFile(join(temp, 'publish.yml'), WORKFLOW);
    const artifacts = join(temp, 'artifacts');
    const { stdout, stderr } = await promisify(execFile)(
      act,
      [
        'workflow_dispatch',
        '-W',
        join(temp, 'publish.yml'),
        '--artifact-server-path',
        artifacts,
        '--artifact-server-port',
        String(await freePort()),
        '--action-cache-path',
        join(temp, 'act-cache'),
      ],
      { cwd: REPO_ROOT, timeout: 120_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`act failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const log = `${stdout}\n${stderr}`;
    expect(log).toContain('Success - Main ./actions/publish-reports');
    expect(log).not.toMatch(/Error unauthorized|unknown field/);
    const zip = await readFile(join(artifacts, '1/act-check/act-check.zip'));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(
      /set-output:: artifact-digest=([0-9a-f]{64})/.exec(log)?.[1],
    );
    expect(zip.includes(Buffer.from('drills/journal.json'))).toBe(true);
    expect(zip.includes(Buffer.from('ps.txt'))).toBe(true);
  }, 180_000);
});
