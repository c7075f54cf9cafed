import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseDuration } from '../../shared/src/inputs.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { EXPECTATIONS } from '../src/expectations/index.ts';
import { ExperimentError, formatPath, parseExperiment, withBounds } from '../src/experiment.ts';
import { FAULTS } from '../src/faults/index.ts';
import { loadExperiment } from '../src/setup.ts';

const FILE = 'observability/drills/kill-backend.yml';
const TEXT = readFileSync(join(REPO_ROOT, FILE), 'utf8');
/** zod's list of the registered names: 'kill' \| 'stop' ... as a regex. */
const listed = (names: readonly string[]) => names.map((n) => `'${n}'`).join(' \\| ');

describe('the experiment file', () => {
  test('kill-backend.yml parses into a frozen experiment with durations in ms and defaults filled', () => {
    const e = parseExperiment(TEXT, FILE);
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.expectations[0])).toBe(true);
    expect(e.fault).toEqual({
      action: 'kill',
      service: 'backend',
      signal: 'SIGKILL',
      'max-duration': 60_000,
    });
    expect(e.recovery).toEqual({ action: 'up', within: 15_000, 'steady-state-within': 30_000 });
    expect(e.expectations.map((x) => [x.name, 'within' in x ? x.within : null])).toEqual([
      ['target-down', 7000],
      ['alert-pending', 12_000],
      ['alert-firing', 27_000],
      ['frontend-degraded', 3000],
    ]);
    expect(e.load).toEqual({ url: '{frontend}/api/status', rate: 10, timeout: 2000 });
  });

  // Each row: a change to the valid file → the message must name the path, the value and what is expected.
  test.each<[string, string, string, RegExp]>([
    [
      'a wrong fault',
      'action: kill',
      'action: nuke',
      new RegExp(
        `fault\\.action: Invalid discriminator value\\. Expected ${listed(FAULTS.map((d) => d.action))} \\(found "nuke"\\)`,
      ),
    ],
    [
      'a bad duration',
      'within: 7s',
      'within: soon',
      /expectations\[0\]\.within: expected a duration such as 500ms, 7s, 1m or a number of seconds \(found "soon"\)/,
    ],
    ['an unknown field', 'rate: 10', 'rate: 10\n  burst: 5', /load: Unrecognized key: "burst"/],
    [
      'an unknown expectation type',
      'type: target-down',
      'type: target-gone',
      new RegExp(
        `expectations\\[0\\]\\.type: Invalid discriminator value\\. Expected ${listed(EXPECTATIONS.map((k) => k.type))} \\(found "target-gone"\\)`,
      ),
    ],
    [
      'a probe with both kinds',
      'http: { url: "{backend}/healthz", status: 200, timeout: 2s }',
      'http: { url: "{backend}/healthz" }\n      prometheus: { query: up, value: 1 }',
      /steady-state\.probes\[3\]: expected exactly one of "prometheus" or "http"/,
    ],
    [
      'a relative URL',
      'url: "{frontend}/api/status"\n  rate',
      'url: "/api/status"\n  rate',
      /load\.url: expected an http\(s\) URL, or one starting with \{frontend\}, \{backend\} or \{prometheus\} \(found "\/api\/status"\)/,
    ],
    [
      'a recovery Docker will not do',
      'action: up',
      'action: wait-for-restart-policy',
      /recovery\.action: Docker does not apply the restart policy after "kill"/,
    ],
    [
      'unpause after a kill',
      'action: up',
      'action: unpause',
      /recovery\.action: unpause only recovers from fault\.action pause/,
    ],
    [
      'a duplicate name',
      'name: alert-pending',
      'name: target-down',
      /expectations\[1\]\.name: duplicate expectation name "target-down"/,
    ],
    [
      'a missing section',
      'fault:\n',
      'faults:\n',
      /fault: Invalid input: expected object, received undefined \(found nothing\)/,
    ],
  ])('%s fails with the path, the value and the expectation', (_name, from, to, message) => {
    expect(TEXT.includes(from), `fixture text contains ${from}`).toBe(true);
    const broken = TEXT.replace(from, to);
    let error: unknown;
    try {
      parseExperiment(broken, 'broken.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExperimentError);
    expect((error as Error).message).toMatch(/^Experiment file broken\.yml is invalid:/);
    expect((error as Error).message).toMatch(message);
  });

  test('YAML that does not parse says so, where, and quotes none of it', () => {
    expect(() => parseExperiment('name: [unclosed hunter2', 'x.yml')).toThrow(
      /x\.yml is invalid:\n {2}- YAML: [a-z ]+ at line 1, column \d+$/m,
    );
    expect(() => parseExperiment('name: [unclosed hunter2', 'x.yml')).not.toThrow(/hunter2/);
  });

  test.each([
    [['expectations', 2, 'within'], 'expectations[2].within'],
    [['fault'], 'fault'],
    [[], ''],
  ] as const)('formatPath(%j) = %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });

  test('bound overrides: time to detect, time to recover, by name; an unknown name is an error', () => {
    const e = parseExperiment(TEXT, FILE);
    const o = withBounds(e, {
      timeToDetectMs: 1,
      timeToRecoverMs: 20_000,
      byName: { 'alert-firing': 30_000 },
    });
    expect(o.expectations.map((x) => ('within' in x ? x.within : null))).toEqual([
      1, 12_000, 30_000, 3000,
    ]);
    expect(o.recovery.within).toBe(20_000);
    expect(e.expectations[0]).toMatchObject({ within: 7000 });
    expect(() => withBounds(e, { byName: { 'alert-fired': 1 } })).toThrow(
      /Bound override "alert-fired" names no expectation of kill-backend: expected one of target-down, alert-pending, alert-firing, frontend-degraded/,
    );
  });

  test('durations read like the action inputs', () => {
    expect(parseDuration('1ms')).toBe(1);
  });
});

// The experiment input may point anywhere the user means (runner.temp, an absolute path),
// so a file that is no experiment is named with what is wrong, never quoted.
/** The message loadExperiment fails with ('loaded' when it does not fail). */
function failureOf(file: string): Promise<string> {
  return loadExperiment(file, {}).then(
    () => 'loaded',
    (error: Error) => error.message,
  );
}

describe('a file that is not an experiment', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'experiment-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test.each<[string, string | Buffer, RegExp]>([
    [
      'passwd',
      'root:x:0:0:hunter2:/root:/bin/bash\ndaemon:x:1:1::/:/bin/false\n',
      /holds a string/,
    ],
    ['env', 'SECRET_KEY=hunter2\n', /holds a string/],
    ['a list', '- hunter2\n- b\n', /holds a list/],
    ['a number', '12345\n', /holds a number/],
    ['empty', '', /holds null/],
    [
      'other YAML',
      'services:\n  db:\n    password: hunter2\nname: hunter2-app\n',
      /none of these sections/,
    ],
    ['JSON', '{"name": "x", "hunter2": true}', /none of these sections/],
    ['broken YAML', 'a: b: c: hunter2\n"hunter2', /YAML: [a-z ]+ at line \d+, column \d+/],
    [
      'binary',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x3a, 0x20, 0x3a, 0x0a, ...Buffer.from('"hunter2: [')]),
      /YAML: /,
    ],
  ])('%s: named with what is wrong, nothing of it quoted', async (name, content, reason) => {
    const file = join(dir, name.replace(/\W/g, '-'));
    await writeFile(file, content);
    const error = await loadExperiment(file, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExperimentError);
    const message = (error as Error).message;
    expect(message).toContain(`Experiment file ${file} is invalid`);
    expect(message).toMatch(reason);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('root:x');
  });

  test('many YAML errors: the first five and a count', async () => {
    const file = join(dir, 'noise');
    await writeFile(
      file,
      `${Array.from({ length: 20 }, (_, i) => `"unclosed ${i}: [\n`).join('')}]]]]`,
    );
    const message = await failureOf(file);
    expect(message.split('\n').filter((line) => line.startsWith('  - YAML: '))).toHaveLength(6);
    expect(message).toMatch(/YAML: \d+ more errors?$/);
  });

  test.each([
    ['a directory', () => dir, /is not a regular file/],
    ['a device', () => '/dev/zero', /is not a regular file/],
    ['missing', () => join(dir, 'nope.yml'), /ENOENT/],
  ])('%s: cannot be read, and says why', async (_name, path, reason) => {
    const message = await failureOf(path());
    expect(message).toContain(`Experiment file ${path()} cannot be read: `);
    expect(message).toMatch(reason);
  });

  test('a file over 1 MiB is refused before it is read', async () => {
    const file = join(dir, 'huge.yml');
    await writeFile(file, `name: ${'hunter2'.repeat(200_000)}\n`);
    const message = await failureOf(file);
    expect(message).toMatch(
      /cannot be read: it has \d+ bytes; an experiment is a YAML file of at most 1048576/,
    );
    expect(message).not.toContain('hunter2');
  });
});
