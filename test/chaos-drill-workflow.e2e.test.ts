/**
 * .github/workflows/chaos-drill.yml, end to end under act on the real Docker engine: the
 * images are built, the stack comes up, the smoke test passes, the drill runs, and the
 * journal, report and post-mortem land in act's artifact server. Jobs run on this host
 * (.actrc: -P ubuntu-latest=-self-hosted) on a copy of the working tree that act makes in
 * place of actions/checkout. What differs from GitHub is only what this machine forces:
 * stand-in base images, random published ports, a unique Compose project and a subset of
 * services (no Grafana image here), all passed to act, none written in the workflow.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actPath } from './support/ci-tools.ts';
import { buildStandins, docker, REPO_ROOT, testName } from './support/docker.ts';
import { freePort } from './support/net.ts';
import { RANDOM_PORTS, RUNNABLE_SERVICES, STANDIN_IMAGES } from './support/stack.ts';
import { describeWithTools, inCI } from './support/tools.ts';

const act = actPath();
const ACT_TIMEOUT_MS = 20 * 60_000;

/** Every file under dir, relative paths. */
function walk(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** The file names in a zip archive, from its central directory (no unzip needed). */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Removes every container, network and volume of a Compose project: no compose file needed. */
async function removeProject(project: string): Promise<void> {
  const label = `label=com.docker.compose.project=${project}`;
  const containers = (await docker(['ps', '-aq', '--filter', label])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
  const networks = (await docker(['network', 'ls', '-q', '--filter', label]))
    .split('\n')
    .filter(Boolean);
  if (networks.length > 0) await docker(['network', 'rm', ...networks]);
  const volumes = (await docker(['volume', 'ls', '-q', '--filter', label]))
    .split('\n')
    .filter(Boolean);
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
}

const body = () => {
  const project = testName('drill').replace(/[^a-z0-9-]/g, '');
  let temp = '';
  let artifacts = '';
  let log = '';
  let exitCode: number | null = null;
  let child: ReturnType<typeof spawn> | undefined;
  const tagsBefore = new Set<string>();

  beforeAll(async () => {
    if (!act) throw new Error('act is missing: .ci/install.sh builds it from .ci/go-tools.txt');
    await buildStandins('node', 'nginx', 'prometheus', 'alertmanager', 'cadvisor', 'postgres');
    temp = await mkdtemp(join(tmpdir(), 'act-drill-'));
    artifacts = join(temp, 'artifacts');
    const envFile = join(temp, 'act.env');
    await writeFile(
      envFile,
      Object.entries({
        ...STANDIN_IMAGES,
        ...RANDOM_PORTS,
      })
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    // build-images also tags <service>-demo:<short sha>: untag afterwards what we added.
    for (const image of ['backend-demo', 'frontend-demo'])
      for (const tag of (
        await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', image])
      ).split('\n'))
        if (tag) tagsBefore.add(tag);

    const args = [
      'workflow_dispatch',
      '-W',
      '.github/workflows/chaos-drill.yml',
      '-e',
      '.github/act/workflow_dispatch.json',
      '--env-file',
      envFile,
      '--var',
      `STACK_PROJECT=${project}`,
      '--var',
      `STACK_SERVICES=${RUNNABLE_SERVICES.join(',')}`,
      '--artifact-server-path',
      artifacts,
      '--artifact-server-port',
      String(await freePort()),
      // The copy of the working tree (the job's workspace) and act's caches live here.
      '--action-cache-path',
      join(temp, 'act-cache'),
      '--cache-server-path',
      join(temp, 'cache-server'),
    ];
    const logFile = join(temp, 'act.log');
    const out = createWriteStream(logFile);
    const started = Date.now();
    // Its own process group, so that a timeout kills act and the steps it started.
    child = spawn(act, args, { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Both into one file; the file is ended once act has closed both.
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    const timer = setTimeout(() => {
      if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    }, ACT_TIMEOUT_MS);
    exitCode = await new Promise<number | null>((resolve) => child?.once('close', resolve));
    clearTimeout(timer);
    await new Promise((resolve) => out.end(resolve));
    log = await readFile(logFile, 'utf8');
    const verdict = /set-output:: verdict=(\S+)/.exec(log)?.[1] ?? 'none';
    const ttd = /set-output:: time-to-detect=(\S*)/.exec(log)?.[1] ?? '';
    const ttr = /set-output:: time-to-recover=(\S*)/.exec(log)?.[1] ?? '';
    console.info(
      `act ran the chaos-drill workflow in ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${exitCode}): drill ${verdict}, time to detect ${ttd || '-'} s, to recover ${ttr || '-'} s`,
    );
  }, ACT_TIMEOUT_MS + 600_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    // Always, whatever act did: the stack's post step may not have run.
    await removeProject(project);
    // The commit act saw may not be the HEAD of when the test started: read the log.
    const added = new Set(log.match(/\b(?:backend|frontend)-demo:[0-9a-f]{7,40}\b/g) ?? []);
    for (const tag of added)
      if (!tagsBefore.has(tag)) await docker(['rmi', tag]).catch(() => undefined);
    if (temp) await rm(temp, { recursive: true, force: true });
    const left = await docker([
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${project}`,
    ]);
    expect(left, `containers of ${project} left behind`).toBe('');
  }, 120_000);

  const tail = () => log.split('\n').slice(-80).join('\n');

  it('builds, starts the stack, passes the smoke test and the drill, and tears the stack down', () => {
    for (const step of [
      'Main ./actions/build-images',
      'Main ./actions/stack-up',
      'Main Smoke test',
      'Main ./actions/chaos-drill',
      "Main Save the stack's state",
      'Post ./actions/stack-up',
    ])
      expect(log, `step "${step}" did not succeed; last lines:\n${tail()}`).toContain(
        `Success - ${step}`,
      );
    expect(log).toMatch(/Journal \S+\/journal\.json/);
    expect(log).toMatch(/Post-mortem \S+\/postmortem\.md/);
  });

  it('publishes the journal, the report and the post-mortem draft as the chaos-drill artifact', async () => {
    // Under act, publish-reports uploads without @actions/artifact, which act v0.2.89's
    // artifact server refuses (actions/publish-reports/README.md, "Under act").
    expect(log, `publish-reports did not succeed; last lines:\n${tail()}`).toContain(
      'Success - Main ./actions/publish-reports',
    );
    expect(log).toMatch(/publish-reports: \d+ file\(s\) from \S+ as "chaos-drill"/);
    expect(log).toMatch(/set-output:: artifact-digest=[0-9a-f]{64}/);
    expect(exitCode, `act exited ${exitCode}; last lines:\n${tail()}`).toBe(0);
    expect(log).toMatch(/Job succeeded/);
    // act's artifact server keeps <run id>/<name>/<name>.zip.
    const zip = walk(artifacts).find((f) => f.endsWith('chaos-drill/chaos-drill.zip'));
    expect(
      zip,
      `no chaos-drill.zip under ${artifacts}: ${walk(artifacts).join(', ')}`,
    ).toBeDefined();
    const bytes = await readFile(join(artifacts, zip as string));
    // Exactly the bytes publish-reports uploaded (its digest output), not a truncated copy.
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      /set-output:: artifact-digest=([0-9a-f]{64})/.exec(log)?.[1],
    );
    const entries = zipEntries(bytes);
    for (const file of ['journal.json', 'report.md', 'postmortem.md'])
      expect(
        entries.some((e) => e.startsWith('drills/') && e.endsWith(`/${file}`)),
        file,
      ).toBe(true);
    expect(entries).toContain('stack-run/ps.txt');
  });
};

if (act || inCI) {
  describeWithTools(['docker'], 'the chaos-drill workflow under act', body);
} else {
  describe.skip('the chaos-drill workflow under act [skipped: act is not built; bash .ci/install.sh]', () => {
    it('runs', () => undefined);
  });
}
