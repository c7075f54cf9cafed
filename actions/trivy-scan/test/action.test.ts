import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../tools/local-runner.ts';
import { FIXTURES, sarifCollector } from './helpers.ts';

/**
 * The bundled action (dist/index.js) run the way the GitHub runner runs it, on existing
 * Trivy reports: no Trivy needed. Real Trivy runs are in trivy.test.ts.
 */
let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'trivy-action-'));
  await mkdir(join(workspace, 'in'));
  for (const name of [
    'secrets.json.golden',
    'debian-buster.json.golden',
    'dockerfile.json.golden',
  ]) {
    await copyFile(
      resolve(FIXTURES, name),
      join(workspace, 'in', name.replace('.json.golden', '.json')),
    );
  }
});
const sarifs = sarifCollector();
afterAll(async () => {
  await sarifs.addUnder(workspace);
  await rm(workspace, { recursive: true, force: true });
  expect(await sarifs.check()).toEqual([]);
}, 120_000);

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ action: 'trivy-scan', workspace, inputs, env });

describe('trivy-scan as the runner runs it', () => {
  it('fails the step on the gate, with outputs, summary and annotations on files and lines', async () => {
    const result = await run({
      reports: 'in/secrets.json\nin/debian-buster.json\nin/dockerfile.json',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({
      gate: 'fail',
      critical: '2',
      high: '2',
      low: '1',
      total: '5',
      gating: '4',
      'sarif-upload': 'upload',
      'vulnerability-scan': 'n/a',
      'reports-dir': join(workspace, 'security/reports'),
    });
    expect(JSON.parse(result.outputs.counts ?? '')).toEqual({
      critical: 2,
      high: 2,
      medium: 0,
      low: 1,
      unknown: 0,
      total: 5,
      gating: 4,
      ignored: 0,
    });
    const names = ['secrets', 'debian-buster', 'dockerfile'];
    expect(result.outputs.sarif?.split('\n')).toEqual(
      names.map((n) => join(workspace, `security/reports/trivy-${n}.sarif`)),
    );
    // What the workflow needs to upload each file: no category of its own.
    expect(JSON.parse(result.outputs['sarif-targets'] ?? '[]')).toEqual(
      names.map((n) => ({
        name: `in/${n}.json`,
        category: `trivy-${n}`,
        sarif: join(workspace, `security/reports/trivy-${n}.sarif`),
        results: n === 'debian-buster' ? 2 : n === 'secrets' ? 2 : 1,
        findings: n === 'dockerfile' ? 1 : 2,
      })),
    );
    expect(result.outputs['sarif-upload-reason']).toBe('');
    expect(result.stdout).toMatch(
      /^::error title=CRITICAL aws-access-key-id%3A AWS Access Key ID,file=deploy\.sh,line=3,endLine=3::/m,
    );
    expect(result.stdout).toMatch(/^::error title=HIGH DS-0002[^:]*,file=Dockerfile::/m);
    expect(result.stdout).toMatch(
      /^::notice title=Trivy%3A more findings in the job summary and SARIF::2 findings have no line/m,
    );
    expect(result.stdout).toMatch(/^::error::Trivy gate failed: 4 finding\(s\) at CRITICAL, HIGH/m);
    expect(result.summary).toMatch(/## Trivy scan: ❌ gate failed: 4 findings at CRITICAL, HIGH/);
  }, 60_000);

  it('reports without failing when fail-on-findings is false', async () => {
    const result = await run({ reports: 'in/secrets.json', 'fail-on-findings': 'false' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.gate).toBe('fail');
    expect(result.stdout).toMatch(
      /^::warning::Trivy gate failed: .*not failing because fail-on-findings is false/m,
    );
  }, 60_000);

  it('on a fork PR sets sarif-upload=skip and says why', async () => {
    const event = join(workspace, 'event.json');
    await writeFile(
      event,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: 'someone/pipeline' } },
          base: { repo: { full_name: 'acme/pipeline' } },
        },
      }),
    );
    const result = await run(
      { reports: 'in/debian-buster.json', severity: 'CRITICAL', 'ignore-unfixed': 'true' },
      { GITHUB_EVENT_PATH: event },
    );
    expect(result.outputs['sarif-upload']).toBe('skip');
    expect(result.stdout).toMatch(
      /^::notice title=Trivy%3A SARIF not uploaded::This pull request comes from a fork \(someone\/pipeline\)/m,
    );
    expect(result.outputs['sarif-upload-reason']).toMatch(/^This pull request comes from a fork/);
    expect(result.summary).toContain('This pull request comes from a fork (someone/pipeline)');
  }, 60_000);

  it.each([
    [
      { reports: 'in/secrets.json', severity: 'HIGH,URGENT' },
      'Input "severity" has value "HIGH,URGENT": expected a comma-separated list of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN (unknown: URGENT)',
    ],
    [
      { reports: 'in/nope.json' },
      'Input "reports" has value "in/nope.json": expected an existing Trivy JSON report file',
    ],
    [{ images: 'x:1', 'trivy-version': 'latest' }, 'Input "trivy-version" has value "latest"'],
  ])(
    'fails clearly on bad input %j',
    async (inputs, message) => {
      const result = await run(inputs);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain(`::error::${message}`);
    },
    60_000,
  );
});
