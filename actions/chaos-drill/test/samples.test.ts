import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  parseFinishedAt,
  publishedUrl,
  serviceActionArgs,
} from '../../shared/src/compose-service.ts';
import type { PrometheusAlert, PrometheusQueryResult } from '../../shared/src/prometheus.ts';
import { parseCliArgs } from '../src/cli.ts';
import type { Journal } from '../src/journal.ts';
import { migrateJournal } from '../src/journal-migrate.ts';
import { type LoadSample, summarizeLoad } from '../src/load.ts';
import { compare, fillUrl } from '../src/probes.ts';
import {
  alertTimes,
  medianSpacing,
  rangeSelector,
  rawSamples,
  targetTimes,
} from '../src/samples.ts';
import { composeDefaultProjectName, defaultProjectName } from '../src/setup.ts';
import { expectValidJournal } from './journal-schema.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/kill-backend');
const data = <T>(name: string): T =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')).data as T;
const journal = JSON.parse(readFileSync(join(FIXTURES, 'journal.json'), 'utf8')) as Journal;
const ms = (iso: string | null | undefined) => Date.parse(iso as string);

describe('figures from recorded Prometheus answers of a real drill', () => {
  const up = rawSamples(data<PrometheusQueryResult>('up-range.json'));
  const alerts = data<PrometheusQueryResult>('alerts-range.json');
  const issued = ms(journal.fault?.issuedAt);
  const faultAt = ms(journal.measurements.faultAt);
  const recovery = ms(journal.recovery?.startedAt);

  test('the recorded journal (version 1), migrated, is valid against the schema and keeps its figures', () => {
    expect(journal.schemaVersion as number).toBe(1);
    const migrated = migrateJournal(journal);
    expectValidJournal(migrated);
    expect(migrated.measurements.timeToDetectMs).toBe(journal.measurements.timeToDetectMs);
    expect(migrated.measurements.alert).toBe('BackendDown');
    expect(migrated.experiment.fault).toMatchObject({
      verb: 'killed',
      command: 'compose kill -s SIGKILL backend',
    });
  });

  test('target down and up again from the raw up samples reproduce the journal', () => {
    const t = targetTimes(up, issued, recovery);
    expect(t.scrapeIntervalMs).toBe(5000);
    expect(new Date(t.downAt as number).toISOString()).toBe(journal.measurements.detectedAt);
    expect((t.downAt as number) - faultAt).toBe(journal.measurements.timeToDetectMs);
    expect((t.upAgainAt as number) - recovery).toBe(journal.measurements.timeToRecoverMs);
    // Physical floor: a dead target is seen at the next scrape, at most one interval later.
    expect((t.downAt as number) - faultAt).toBeLessThanOrEqual(5000);
    expect((t.lastUpAt as number) < faultAt).toBe(true);
  });

  test('pending and firing from the ALERTS samples: firing exactly for: 10s after pending', () => {
    const a = alertTimes(alerts, issued);
    expect(new Date(a.pendingAt as number).toISOString()).toBe(journal.measurements.alertPendingAt);
    expect(new Date(a.firingAt as number).toISOString()).toBe(journal.measurements.alertFiringAt);
    expect((a.firingAt as number) - (a.pendingAt as number)).toBe(10_000);
    expect(a.evaluationIntervalMs).toBe(5000);
    // Resolved one evaluation after the last active sample (17:43:34.198 firing), not 17.5 s
    // later as the recorded journal says: the gaps of earlier drills once skewed the interval.
    expect(new Date(a.resolvedAt as number).toISOString()).toBe('2026-11-26T17:43:39.198Z');
    expect(medianSpacing(rawSamples(alerts, (m) => m.alertstate === 'firing'))).toBe(17_500);
    // Samples of earlier drills (the bench runs five in a row) are before the fault: ignored.
    expect(rawSamples(alerts).some((s) => s.at < issued)).toBe(true);
  });

  test('activeAt of /api/v1/alerts is the pending evaluation', () => {
    const [alert] = data<{ alerts: PrometheusAlert[] }>('alerts-api.json').alerts;
    expect(alert?.state).toBe('firing');
    expect(Math.round(Date.parse(alert?.activeAt as string))).toBe(
      ms(journal.measurements.alertPendingAt),
    );
  });

  test('an instant vector is not raw samples: the error says what to do', () => {
    expect(() => rawSamples({ resultType: 'vector', result: [] })).toThrow(
      /expected a range vector \(matrix\).*plain selector/,
    );
  });
});

describe('pure helpers', () => {
  test.each([
    [1, '==', 1, 0, true],
    [0.98, '==', 1, 0.05, true],
    [0.9, '==', 1, 0.05, false],
    [0, '!=', 1, 0, true],
    [5, '<', 5, 0, false],
    [5, '<=', 5, 0, true],
    [6, '>', 5, 0, true],
    [4.99, '>=', 5, 0.01, true],
    [Number.NaN, '==', 1, 0, false],
  ] as const)('compare(%d %s %d ± %d) = %s', (value, op, expected, tolerance, result) => {
    expect(compare(value, op, expected, tolerance)).toBe(result);
  });

  test.each([
    [
      ['kill', 'backend', { signal: 'SIGKILL' }],
      ['kill', '-s', 'SIGKILL', 'backend'],
    ],
    [
      ['kill', 'backend', {}],
      ['kill', '-s', 'SIGKILL', 'backend'],
    ],
    [
      ['stop', 'backend', { timeoutSeconds: 3 }],
      ['stop', '--timeout', '3', 'backend'],
    ],
    [
      ['pause', 'backend', {}],
      ['pause', 'backend'],
    ],
    [
      ['unpause', 'backend', {}],
      ['unpause', 'backend'],
    ],
    [
      ['restart', 'backend', {}],
      ['restart', 'backend'],
    ],
    [
      ['up', 'backend', {}],
      ['up', '--detach', '--no-deps', 'backend'],
    ],
  ] as const)('serviceActionArgs(%j) = %j', ([action, service, options], argv) => {
    expect(serviceActionArgs(action, service, options)).toEqual(argv);
  });

  test.each([
    ['127.0.0.1:49153\n', 'http://127.0.0.1:49153'],
    ['0.0.0.0:5000', 'http://127.0.0.1:5000'],
    ['[::]:8080', 'http://127.0.0.1:8080'],
    [':0', undefined],
    ['', undefined],
  ])('publishedUrl(%j) = %s', (output, url) => {
    expect(publishedUrl(output)).toBe(url);
  });

  test.each([
    ['2026-11-26T17:43:13.937123Z\n', '2026-11-26T17:43:13.937Z'],
    ['0001-01-01T00:00:00Z', undefined],
    ['', undefined],
  ])('parseFinishedAt(%j)', (text, iso) => {
    expect(parseFinishedAt(text)?.toISOString()).toBe(iso);
  });

  test('rangeSelector covers the drill plus a margin; fillUrl fills a placeholder', () => {
    expect(rangeSelector('up{job="backend"}', 0, 61_500)).toBe('up{job="backend"}[92s]');
    expect(fillUrl('{frontend}/api/status', 'http://127.0.0.1:8080/')).toBe(
      'http://127.0.0.1:8080/api/status',
    );
  });

  const sample = (start: number, ok: boolean, extra: Partial<LoadSample> = {}): LoadSample => ({
    startedAt: start,
    endedAt: start + 10,
    ok,
    timedOut: false,
    ...(ok ? { status: 200 } : { status: 503, code: 'backend_unavailable' }),
    ...extra,
  });
  test.each<[string, LoadSample[], Partial<ReturnType<typeof summarizeLoad>>]>([
    ['no requests', [], { requests: 0, failures: 0, errorRatio: 0, longestFailureStreakMs: 0 }],
    ['all fine', [sample(0, true), sample(100, true)], { failures: 0, longestFailureStreakMs: 0 }],
    [
      'one outage: streak from the first failure to the next success',
      [
        sample(0, true),
        sample(100, false),
        sample(200, false),
        sample(300, false),
        sample(400, true),
      ],
      {
        requests: 5,
        failures: 3,
        errorRatio: 0.6,
        degradedResponses: 3,
        longestFailureStreakMs: 300,
        longestFailureStreakRequests: 3,
        firstFailureAt: 100,
        recoveredAt: 400,
      },
    ],
    [
      'two outages: the longer one counts; a timeout is not a degraded answer',
      [
        sample(0, false),
        sample(100, true),
        sample(200, false, { status: undefined, code: undefined, timedOut: true, endedAt: 2200 }),
        sample(300, false),
        sample(900, true),
      ],
      {
        failures: 3,
        timeouts: 1,
        degradedResponses: 2,
        longestFailureStreakMs: 700,
        longestFailureStreakRequests: 2,
        slowestResponseMs: 2000,
        recoveredAt: 900,
      },
    ],
    [
      'still failing at the end: streak to the last failure end, no recovery',
      [sample(0, true), sample(100, false), sample(200, false)],
      { longestFailureStreakMs: 110, lastFailureAt: 200 },
    ],
  ])('summarizeLoad: %s', (_name, samples, expected) => {
    expect(summarizeLoad(samples, 'backend_unavailable')).toMatchObject(expected);
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
    ['/work/main', {}, 'main'],
    ['/x/My Project.v2', {}, 'myprojectv2'],
    ['/x/repo', { COMPOSE_PROJECT_NAME: 'p1' }, 'p1'],
    [
      '/x/repo',
      { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' },
      'stack-42-2',
    ],
  ])('default project name for %s %j = %s', (dir, env, name) => {
    expect(defaultProjectName(env, dir)).toBe(name);
    expect(composeDefaultProjectName('/a/__Repo-1')).toBe('repo-1');
  });
});
