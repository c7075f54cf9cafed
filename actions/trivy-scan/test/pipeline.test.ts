import { copyFileSync, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { recordingLog } from '../../shared/src/log.ts';
import { fakeExec } from '../../shared/test/helpers.ts';
import type { DbCache } from '../src/db-cache.ts';
import { parseInputs } from '../src/inputs.ts';
import type { ToolCache } from '../src/install.ts';
import { runTrivyScan, type ScanDeps, trivyFailure } from '../src/pipeline.ts';
import { FIXTURES, sarifCollector, validateSarif } from './helpers.ts';

let workspace: string;
const NOW = new Date('2026-11-26T10:00:00Z');
const noToolCache: ToolCache = {
  find: () => {
    throw new Error('tool cache not expected');
  },
  downloadTool: async () => {
    throw new Error('download not expected');
  },
  extractTar: async () => '',
  cacheDir: async () => '',
};

function recordingCache(): DbCache & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    restore: async (_paths, key, restoreKeys) => {
      calls.push(`restore ${key} ${restoreKeys.join(',')}`);
      return undefined;
    },
    save: async (_paths, key) => {
      calls.push(`save ${key}`);
    },
  };
}

/** A Trivy that writes a fixture to --output (or fails like Trivy does for a missing image). */
function fakeTrivy(fixtureFor: (target: string) => string | Error) {
  return fakeExec((_line, call) => {
    if (call.args[0] === '--version') return { stdout: 'Version: 0.74.0\n' };
    const target = call.args.at(-1) as string;
    const fixture = fixtureFor(target);
    if (fixture instanceof Error) {
      return {
        exitCode: 1,
        stderr: `2026-11-26T10:00:00Z\tINFO\tstarting\n2026-11-26T10:00:01Z\tFATAL\t${fixture.message}\n`,
      };
    }
    const output = call.args[call.args.indexOf('--output') + 1] as string;
    return writeFileSyncResult(output, fixture);
  });
}

function writeFileSyncResult(output: string, fixture: string): { stdout: string } {
  // fakeExec responders are synchronous: write with the sync API.
  copyFileSync(resolve(FIXTURES, fixture), output);
  return { stdout: '' };
}

function deps(
  exec: ScanDeps['exec'],
  env: Record<string, string> = {},
  dbCache: DbCache = recordingCache(),
) {
  const log = recordingLog();
  return {
    log,
    deps: {
      env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: join(workspace, '.tmp'), ...env },
      exec,
      toolCache: noToolCache,
      dbCache,
      log,
      now: () => NOW,
    } satisfies ScanDeps,
  };
}

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'trivy-scan-ws-'));
  await mkdir(join(workspace, '.tmp'));
  await mkdir(join(workspace, 'reports'));
  for (const name of ['alpine-310.json.golden', 'secrets.json.golden', 'dockerfile.json.golden']) {
    await copyFile(
      resolve(FIXTURES, name),
      join(workspace, 'reports', name.replace('.golden', '')),
    );
  }
});
const sarifs = sarifCollector();
afterEach(async () => {
  await sarifs.addUnder(workspace);
  await rm(workspace, { recursive: true, force: true });
});
afterAll(async () => {
  expect(await sarifs.check()).toEqual([]);
}, 120_000);

describe('existing reports', () => {
  it('writes table, SARIF, summary and counts for each report and gates on them', async () => {
    const inputs = parseInputs(
      objectInputSource({ reports: 'reports/alpine-310.json\nreports/secrets.json' }),
    );
    const { deps: d } = deps(fakeExec(() => new Error('no exec expected')));
    const result = await runTrivyScan(inputs, d);
    const files = (await readdir(join(workspace, 'security/reports'))).sort();
    expect(files).toEqual([
      'trivy-alpine-310-report.txt',
      'trivy-alpine-310.sarif',
      'trivy-counts.json',
      'trivy-secrets-report.txt',
      'trivy-secrets.sarif',
      'trivy-summary.md',
    ]);
    expect(result.outcome.gate).toBe('fail');
    expect(result.rendered.counts).toMatchObject({ critical: 1, high: 1, medium: 4, gating: 2 });
    for (const sarif of result.rendered.sarifFiles) {
      expect(validateSarif(JSON.parse(await readFile(join(workspace, sarif), 'utf8')))).toEqual([]);
    }
    expect(result.sarifUpload).toBe('upload');
    expect(result.vulnScan).toBe('n/a');
    const counts = JSON.parse(
      await readFile(join(workspace, 'security/reports/trivy-counts.json'), 'utf8'),
    );
    expect(counts).toMatchObject({ gate: 'fail', severities: ['CRITICAL', 'HIGH'] });
  });

  it.each([
    ['truncated', (text: string) => text.slice(0, 200), /reports\/bad\.json: not valid JSON/],
    ['empty', () => '', /reports\/bad\.json: the report is empty/],
    ['not Trivy', () => '{"hello":"world"}', /reports\/bad\.json: not a Trivy JSON report/],
  ])(
    'a %s report fails clearly and leaves no partial output behind',
    async (_label, mangle, message) => {
      const good = await readFile(join(workspace, 'reports/alpine-310.json'), 'utf8');
      await writeFile(join(workspace, 'reports/bad.json'), mangle(good));
      const inputs = parseInputs(
        objectInputSource({ reports: 'reports/alpine-310.json,reports/bad.json' }),
      );
      await expect(runTrivyScan(inputs, deps(fakeExec(() => ({}))).deps)).rejects.toThrow(message);
      expect(existsSync(join(workspace, 'security/reports'))).toBe(false);
    },
  );

  it('names a missing report and a missing explicit ignore file', async () => {
    const missing = parseInputs(objectInputSource({ reports: 'reports/nope.json' }));
    await expect(runTrivyScan(missing, deps(fakeExec(() => ({}))).deps)).rejects.toThrow(
      'Input "reports" has value "reports/nope.json": expected an existing Trivy JSON report file',
    );
    const noIgnore = parseInputs(
      objectInputSource({
        reports: 'reports/secrets.json',
        'ignore-file': 'security/.trivyignore',
      }),
    );
    await expect(runTrivyScan(noIgnore, deps(fakeExec(() => ({}))).deps)).rejects.toThrow(
      'Input "ignore-file" has value "security/.trivyignore"',
    );
  });

  it('applies the ignore file itself to existing reports', async () => {
    await mkdir(join(workspace, 'security'));
    await writeFile(
      join(workspace, 'security/.trivyignore.yaml'),
      'secrets:\n  - id: aws-access-key-id\n    statement: Documentation example key (AKIA...EXAMPLE), not a credential.\n  - id: mysecret\n    statement: Fixture token.\n',
    );
    const inputs = parseInputs(objectInputSource({ reports: 'reports/secrets.json' }));
    const result = await runTrivyScan(inputs, deps(fakeExec(() => ({}))).deps);
    expect(result.outcome.gate).toBe('pass');
    expect(result.rendered.counts).toMatchObject({ total: 0, ignored: 2 });
    expect(result.rendered.annotations).toEqual([]);
  });

  it('on a fork PR: sarif-upload skip, a notice, and annotations and summary still there', async () => {
    const event = join(workspace, 'event.json');
    await writeFile(
      event,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: 'someone/fork', fork: true } },
          base: { repo: { full_name: 'acme/pipeline', fork: false } },
        },
      }),
    );
    const inputs = parseInputs(objectInputSource({ reports: 'reports/secrets.json' }));
    const result = await runTrivyScan(
      inputs,
      deps(
        fakeExec(() => ({})),
        { GITHUB_EVENT_PATH: event },
      ).deps,
    );
    expect(result.sarifUpload).toBe('skip');
    expect(result.notices[0]?.message).toMatch(
      /comes from a fork \(someone\/fork\): its token has no security-events: write/,
    );
    expect(result.sarifUploadReason).toBe(result.notices[0]?.message);
    expect(result.rendered.annotations.filter((a) => a.file)).toHaveLength(2);
    expect(result.rendered.summary).toContain('comes from a fork');
  });
});

describe('whether the SARIF goes to code scanning (issue 12)', () => {
  const runWith = async (event: unknown, extra: Partial<ScanDeps> = {}) => {
    const path = join(workspace, 'event.json');
    await writeFile(path, JSON.stringify(event));
    const inputs = parseInputs(objectInputSource({ reports: 'reports/secrets.json' }));
    const base = deps(
      fakeExec(() => ({})),
      { GITHUB_EVENT_PATH: path },
    );
    return runTrivyScan(inputs, { ...base.deps, ...extra });
  };

  it('uploads from a PR inside a fork of this repository (head.repo.fork is true there)', async () => {
    const inFork = { full_name: 'someone/pipeline', fork: true };
    const result = await runWith({
      pull_request: { head: { repo: inFork }, base: { repo: inFork } },
    });
    expect(result.sarifUpload).toBe('upload');
    expect(result.notices).toEqual([]);
  });

  it('skips a PR whose head repository was deleted, instead of failing with 403', async () => {
    const result = await runWith({
      pull_request: { head: { repo: null }, base: { repo: { full_name: 'acme/pipeline' } } },
    });
    expect(result.sarifUpload).toBe('skip');
    expect(result.sarifUploadReason).toMatch(/head repository is gone/);
  });

  it('skips a private repository without code scanning, green, and says why', async () => {
    const asked: string[] = [];
    const result = await runWith(
      { repository: { full_name: 'acme/secret-app', private: true } },
      {
        codeScanningApi: async (token, baseUrl) => ({
          status: async (owner, repo) => {
            asked.push(`${token} ${baseUrl} ${owner}/${repo}`);
            return {
              state: 'disabled',
              message:
                'Advanced Security must be enabled for this repository to use code scanning.',
            };
          },
        }),
        env: {
          GITHUB_WORKSPACE: workspace,
          GITHUB_EVENT_PATH: join(workspace, 'event.json'),
          GITHUB_TOKEN: 'tok',
          GITHUB_API_URL: 'http://127.0.0.1:1',
        },
      },
    );
    expect(asked).toEqual(['tok http://127.0.0.1:1 acme/secret-app']);
    expect(result.sarifUpload).toBe('skip');
    expect(result.sarifUploadReason).toMatch(
      /acme\/secret-app is private and code scanning is not enabled/,
    );
    expect(result.notices).toEqual([
      expect.objectContaining({ title: 'Trivy: SARIF not uploaded' }),
    ]);
    expect(result.rendered.summary).toContain('is private and code scanning is not enabled');
    // The SARIF is still written, for the report artifact.
    expect(existsSync(result.sarifPaths[0] as string)).toBe(true);
  });
});

describe('scanning (Trivy faked at the exec boundary)', () => {
  it('runs one JSON scan per target with the trivy-path binary and keeps the raw JSON', async () => {
    const exec = fakeTrivy((target) =>
      target === '.' ? 'dockerfile.json.golden' : 'alpine-310.json.golden',
    );
    const cache = recordingCache();
    const inputs = parseInputs(
      objectInputSource({
        images: 'backend-demo:dev',
        'scan-config': 'true',
        'trivy-path': '/opt/trivy',
      }),
    );
    const { deps: d } = deps(
      exec,
      { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://cache' },
      cache,
    );
    const result = await runTrivyScan(inputs, d);
    const scans = exec.calls.filter((c) => c.args[0] !== '--version');
    expect(scans.map((c) => [c.command, c.args[0], c.args.at(-1)])).toEqual([
      ['/opt/trivy', 'image', 'backend-demo:dev'],
      ['/opt/trivy', 'fs', '.'],
    ]);
    expect(scans[0]?.args).toEqual(
      expect.arrayContaining([
        '--format',
        'json',
        '--exit-code',
        '0',
        '--scanners',
        'vuln,secret,misconfig',
      ]),
    );
    expect(scans[0]?.args).not.toContain('--severity');
    expect(scans[1]?.args).toEqual(
      expect.arrayContaining(['--scanners', 'misconfig,secret', '--skip-dirs', 'security/reports']),
    );
    expect(cache.calls).toEqual(['restore trivy-db-2026-11-26 trivy-db-']);
    expect(result.vulnScan).toBe('on');
    expect(await readdir(join(workspace, 'security/reports'))).toEqual(
      expect.arrayContaining([
        'trivy-backend-demo.json',
        'trivy-backend-demo-report.txt',
        'trivy-config.json',
        'trivy-config.sarif',
      ]),
    );
    expect(result.rendered.annotations[0]).toMatchObject({ file: 'Dockerfile', level: 'error' });
  });

  it('offline without a DB: scans images for misconfig and secret only and says so', async () => {
    const exec = fakeTrivy(() => 'dockerfile.json.golden');
    const inputs = parseInputs(
      objectInputSource({
        images: 'backend-demo:dev',
        'skip-db-update': 'true',
        'trivy-path': 'trivy',
        'cache-dir': join(workspace, 'cache'),
      }),
    );
    const result = await runTrivyScan(inputs, deps(exec).deps);
    const scan = exec.calls.find((c) => c.args[0] === 'image');
    expect(scan?.args).toEqual(expect.arrayContaining(['--scanners', 'secret,misconfig']));
    expect(scan?.args).not.toContain('--skip-db-update');
    expect(result.vulnScan).toBe('off');
    expect(result.notices).toEqual([
      expect.objectContaining({ title: 'Trivy: no vulnerability scan' }),
    ]);
    expect(result.rendered.summary).toMatch(
      /No vulnerability database is reachable .*not for vulnerabilities/,
    );
  });

  it('surfaces Trivy’s own error for a missing image and writes nothing', async () => {
    const exec = fakeTrivy(
      () =>
        new Error(
          'Fatal error\trun error: image scan error: unable to find the specified image "nope:1"',
        ),
    );
    const inputs = parseInputs(objectInputSource({ images: 'nope:1', 'trivy-path': 'trivy' }));
    await expect(runTrivyScan(inputs, deps(exec).deps)).rejects.toThrow(
      /Trivy could not scan image "nope:1" \(exit 1\): .*FATAL.*unable to find the specified image "nope:1"/,
    );
    expect(existsSync(join(workspace, 'security/reports'))).toBe(false);
  });
});

it('trivyFailure keeps the FATAL message and its continuation lines', () => {
  expect(
    trivyFailure('a\n2026 ERROR noise\n2026 FATAL boom: 1 error occurred:\n\t* no such file\n\n'),
  ).toBe('2026 FATAL boom: 1 error occurred:\n\t* no such file');
  expect(trivyFailure('a\n2026 ERROR bad\nb\n')).toBe('2026 ERROR bad');
  expect(trivyFailure('one\ntwo\n')).toBe('one\ntwo');
});
