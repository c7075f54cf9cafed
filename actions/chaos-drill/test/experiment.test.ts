import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../shared/src/inputs.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { ExperimentError, formatPath, parseExperiment, withBounds } from '../src/experiment.ts';

const FILE = 'observability/drills/kill-backend.yml';
const TEXT = readFileSync(join(REPO_ROOT, FILE), 'utf8');

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
      /fault\.action: Invalid option: expected one of "kill"\|"stop"\|"pause"\|"restart" \(found "nuke"\)/,
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
      /expectations\[0\]\.type: Invalid discriminator value. Expected 'target-down' \| 'alert' \| 'http-degraded' \| 'no-acknowledged-write-lost' \| 'no-duplicate-write' \| 'not-restarted' \(found "target-gone"\)/,
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

  test('YAML that does not parse says so', () => {
    expect(() => parseExperiment('name: [unclosed', 'x.yml')).toThrow(
      /x\.yml is invalid:\n {2}- YAML: /,
    );
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
