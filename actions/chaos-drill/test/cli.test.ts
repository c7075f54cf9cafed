import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { HELP, main, parseCliArgs, USAGE, wantsHelp } from '../src/cli.ts';

/** main() with console output captured; no stack is involved in any of these. */
async function run(argv: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    out.push(String(line));
  });
  const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
    err.push(String(line));
  });
  try {
    const code = await main(argv, {}, REPO_ROOT);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('the drill CLI without a stack', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drill-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test.each([
    ['--help'],
    ['-h'],
    ['observability/drills/kill-backend.yml', '--help'],
    ['--nope', '-h'],
  ])('%s prints the help and exits 0', async (...argv) => {
    const { code, stdout } = await run(argv);
    expect(code).toBe(0);
    expect(stdout).toBe(HELP);
    expect(stdout).toContain(USAGE);
    expect(stdout).toMatch(/--validate +read and check the experiment/);
  });

  test.each([
    'observability/drills/kill-backend.yml',
    'observability/drills/kill-backend-under-writes.yml',
    'observability/drills/kill-db.yml',
  ])('--validate %s: valid, exit 0, a one-line summary', async (file) => {
    const { code, stdout, stderr } = await run([file, '--validate']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^valid: \/.+\.yml: [a-z0-9-]+, \w+ \w+, \d+ expectations \(.+\), recovery \S+$/,
    );
  });

  test('--validate checks the bound overrides too', async () => {
    const { code, stderr } = await run([
      'observability/drills/kill-backend.yml',
      '--validate',
      '--bound',
      'no-such-expectation=5s',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Bound override "no-such-expectation" names no expectation/);
  });

  test('--validate of a broken experiment: exit 2 with the field, the value and what is expected', async () => {
    const file = join(dir, 'broken.yml');
    const text = await readFile(join(REPO_ROOT, 'observability/drills/kill-backend.yml'), 'utf8');
    await writeFile(file, text.replace('action: kill', 'action: nuke'));
    const { code, stdout, stderr } = await run([file, '--validate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`error: Experiment file ${file} is invalid:`);
    expect(stderr).toMatch(/fault\.action: .* \(found "nuke"\)/);
  });

  test('--validate of a file that is no experiment: exit 2, the file named, nothing of it quoted', async () => {
    const file = join(dir, 'passwd');
    await writeFile(file, 'root:x:0:0:hunter2:/root:/bin/bash\n');
    const { code, stderr } = await run([file, '--validate']);
    expect(code).toBe(2);
    expect(stderr).toContain(file);
    expect(stderr).toContain('the file holds a string');
    expect(stderr).not.toContain('hunter2');
  });

  test('--validate without an experiment is a usage error', async () => {
    const { code, stderr } = await run(['--validate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: which experiment\?/);
  });
});

describe('parseCliArgs', () => {
  test.each([
    [['x.yml'], false],
    [['x.yml', '--validate'], true],
    [['--validate', 'x.yml', '--no-junit'], true],
  ])('%j → validateOnly %s', (argv, validateOnly) => {
    expect(parseCliArgs(argv, {}, '/work').validateOnly).toBe(validateOnly);
  });

  test.each<[string[], string, string]>([
    [['x.yml'], 'drill', '/work/x.yml'],
    [['--suite', 'observability/drills/'], 'suite', '/work/observability/drills'],
    [['--recover', '--project', 'p'], 'recover', '/work'],
    [['--render', 'runs/a/journal.json'], 'render', '/work'],
  ])('%j → mode %s on %s; markers under the reports dir', (argv, mode, file) => {
    const o = parseCliArgs(argv, {}, '/work');
    expect([o.mode, o.experimentFile]).toEqual([mode, file]);
    expect(o.stateDir).toBe('/work/reports/drills/.in-flight');
  });

  test.each<[string[], string]>([
    [['x.yml', '--prometheus'], '--prometheus needs a value'],
    [['x.yml', '--project', '--no-junit'], '--project needs a value'],
    [['x.yml', '--backend', 'localhost:5000'], '--backend "localhost:5000": expected an http://'],
    [['x.yml', '--max-time-to-detect', 'soon'], '--max-time-to-detect "soon": expected a duration'],
    [['x.yml', '--max-time-to-recover', '0ms'], '--max-time-to-recover "0ms": expected a duration'],
    [['x.yml', '--bound', '=5s'], '--bound "=5s": expected NAME=DURATION'],
    [['x.yml', '--bound', 'alert-firing=later'], '--bound "later": expected a duration'],
    [['x.yml', '--nope'], 'unknown option --nope'],
    [['x.yml', 'y.yml'], 'unexpected argument y.yml'],
    [['--suite', 'd', 'x.yml'], 'unexpected argument x.yml'],
    [[], 'which experiment?'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCliArgs(argv, {}, '/work')).toThrow(message);
  });

  test.each<[string[], Record<string, unknown>]>([
    [
      ['x.yml'],
      {
        urls: {
          prometheus: 'http://localhost:9090',
          frontend: 'http://localhost:8080',
          backend: 'http://localhost:5000',
        },
        composeFiles: ['/work/docker-compose.yml'],
        reportsDir: '/work/reports/drills',
        junit: true,
        overrides: { byName: {} },
      },
    ],
    [
      ['x.yml', '--frontend', 'compose', '--prometheus', 'https://prom.test:9', '--no-junit'],
      {
        urls: { prometheus: 'https://prom.test:9', backend: 'http://localhost:5000' },
        junit: false,
      },
    ],
    [
      ['x.yml', '--compose-file', 'a.yml', '--compose-file', '/b.yml', '--project', 'p'],
      { composeFiles: ['/work/a.yml', '/b.yml'], projectName: 'p' },
    ],
    [
      ['x.yml', '--max-time-to-detect', '7s', '--bound', 'alert-firing=30s', '--bound', 'x=1m'],
      { overrides: { timeToDetectMs: 7000, byName: { 'alert-firing': 30_000, x: 60_000 } } },
    ],
    [
      ['x.yml', '--max-time-to-recover', '500ms', '--reports-dir', 'out'],
      {
        overrides: { timeToRecoverMs: 500, byName: {} },
        reportsDir: '/work/out',
        stateDir: '/work/out/.in-flight',
      },
    ],
    [['--render', 'runs/a/journal.json'], { journalFile: '/work/runs/a/journal.json' }],
  ])('%j → %j', (argv, expected) => {
    expect(parseCliArgs(argv, {}, '/work')).toMatchObject(expected);
  });

  test('CLI arguments: README defaults, flags, and clear usage errors', () => {
    const o = parseCliArgs(['observability/drills/kill-backend.yml'], {}, '/work/repo');
    expect(o).toMatchObject({
      experimentFile: '/work/repo/observability/drills/kill-backend.yml',
      composeFiles: ['/work/repo/docker-compose.yml'],
      projectName: 'repo',
      urls: {
        prometheus: 'http://localhost:9090',
        frontend: 'http://localhost:8080',
        backend: 'http://localhost:5000',
      },
      reportsDir: '/work/repo/reports/drills',
      junit: true,
    });
    const p = parseCliArgs(
      [
        'x.yml',
        '--project',
        'demo',
        '--prometheus',
        'http://127.0.0.1:19090',
        '--max-time-to-detect',
        '1ms',
        '--bound',
        'alert-firing=30s',
        '--no-junit',
      ],
      { COMPOSE_PROJECT_NAME: 'ignored' },
      '/r',
    );
    expect(p).toMatchObject({
      projectName: 'demo',
      overrides: { timeToDetectMs: 1, byName: { 'alert-firing': 30_000 } },
      junit: false,
    });
    expect(parseCliArgs(['x.yml'], { COMPOSE_PROJECT_NAME: 'fromenv' }, '/r').projectName).toBe(
      'fromenv',
    );
    expect(parseCliArgs(['x.yml', '--backend', 'compose'], {}, '/r').urls).toEqual({
      prometheus: 'http://localhost:9090',
      frontend: 'http://localhost:8080',
    });
    expect(() => parseCliArgs([], {}, '/r')).toThrow(/which experiment\?/);
    expect(() => parseCliArgs(['x.yml', '--max-time-to-detect', 'soon'], {}, '/r')).toThrow(
      /--max-time-to-detect "soon": expected a duration/,
    );
    expect(() => parseCliArgs(['x.yml', '--frontend', 'localhost:8080'], {}, '/r')).toThrow(
      /--frontend "localhost:8080": expected an http/,
    );
    expect(() => parseCliArgs(['x.yml', '--kill'], {}, '/r')).toThrow(/unknown option --kill/);
  });

  test.each([
    [['--help'], true],
    [['x.yml', '-h'], true],
    [['x.yml'], false],
    [['--reports-dir', 'help'], false],
  ])('wantsHelp(%j) = %s', (argv, expected) => {
    expect(wantsHelp(argv)).toBe(expected);
  });
});
