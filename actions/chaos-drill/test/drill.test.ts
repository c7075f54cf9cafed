import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { type DrillDeps, runDrill } from '../src/drill.ts';
import { parseExperiment, withBounds } from '../src/experiment.ts';
import type { Journal } from '../src/journal.ts';
import { junitXml, markdownReport, postmortem } from '../src/report.ts';
import { abortOnSignals } from '../src/setup.ts';
import { fakeNotes } from './fake-notes.ts';
import { expectValidJournal } from './journal-schema.ts';
import { type WorldOptions, world } from './world.ts';

const FILE = 'observability/drills/kill-backend.yml';
const experiment = parseExperiment(readFileSync(join(REPO_ROOT, FILE), 'utf8'), FILE);
async function drill(options: WorldOptions = {}, exp = experiment) {
  const w = world(options);
  const journal = await runDrill(exp, w.deps());
  return { journal, actions: w.actions };
}

describe('runDrill on a simulated stack (5 s scrapes and evaluations, for: 10s)', () => {
  test('passes, with the figures from the simulated Prometheus timestamps', async () => {
    const { journal, actions } = await drill();
    expect(journal.verdict, journal.reason ?? '').toBe('passed');
    expect(actions).toEqual(['kill backend', 'up backend']);
    const m = journal.measurements;
    // Scrapes at :01.2, :06.2 ...; the kill lands between two: detected at the next one.
    expect(m.timeToDetectMs).toBeGreaterThan(0);
    expect(m.timeToDetectMs).toBeLessThanOrEqual(5000);
    expect(m.alertPendingAfterMs).toBeGreaterThanOrEqual(m.timeToDetectMs as number);
    expect((m.alertFiringAfterMs as number) - (m.alertPendingAfterMs as number)).toBe(10_000);
    expect(m.scrapeIntervalMs).toBe(5000);
    expect(m.evaluationIntervalMs).toBe(5000);
    expect(m.timeToRecoverMs).toBeLessThanOrEqual(6000);
    expect(journal.impact?.failures).toBeGreaterThan(0);
    expect(journal.impact?.degradedResponses).toBe(journal.impact?.failures);
    expect(journal.expectations.map((x) => [x.name, x.passed])).toEqual([
      ['target-down', true],
      ['alert-pending', true],
      ['alert-firing', true],
      ['frontend-degraded', true],
      ['time-to-recover', true],
      ['steady-state-restored', true],
    ]);
    expectValidJournal(journal);
  });

  test('a bound too tight fails the drill, names the expectation, bound and measured value, and still recovers', async () => {
    const tight = withBounds(experiment, { timeToDetectMs: 1 });
    const { journal, actions } = await drill({}, tight);
    expect(journal.verdict).toBe('failed');
    expect(actions).toEqual(['kill backend', 'up backend']);
    const failed = journal.expectations.filter((x) => !x.passed);
    expect(failed.map((x) => x.name)).toEqual(['target-down']);
    expect(journal.reason).toMatch(/^target-down failed: .*measured \d+(\.\d)? (ms|s), bound 1 ms/);
    expect(markdownReport(journal)).toContain('**FAILED**');
    expect(junitXml(journal)).toMatch(
      /<testcase [^>]*name="target-down"[^>]*>\s*<failure message="[^"]*bound 1 ms — exceeded/,
    );
    expect(postmortem(journal)).toContain('Investigate why target-down missed its bound');
    expectValidJournal(journal);
  });

  test.each<[string, WorldOptions, RegExp]>([
    [
      'an unknown service',
      { services: ['web', 'db'] },
      /fault.service "backend" is not a service of project drilltest: expected one of web, db/,
    ],
    [
      'an unreachable Prometheus',
      { prometheusDown: true },
      /Prometheus at http:\/\/prometheus.test:9090 is unreachable/,
    ],
    [
      'a query that returns nothing',
      { noUpSeries: true },
      /expectations\[0\] \(target-down\): query up\{job="backend"\} returns nothing/,
    ],
    [
      'a stopped service',
      { startDown: true },
      /service "backend" of project drilltest has no running container/,
    ],
    [
      'a steady state that does not hold',
      { healthzDown: true },
      /steady state does not hold before the fault, nothing was injected: backend is healthy: GET http:\/\/backend.test\/healthz: no response/,
    ],
  ])('%s: aborted before any fault, with a clear reason', async (_name, options, reason) => {
    const { journal, actions } = await drill(options);
    expect(journal.verdict).toBe('aborted');
    expect(journal.reason).toMatch(reason);
    expect(journal.faultInjected).toBe(false);
    expect(actions).toEqual([]);
    expect(journal.recovery).toBeNull();
    expectValidJournal(journal);
  });

  test('a probe that throws during the fault: the recovery runs, the figures come from the samples', async () => {
    const { journal, actions } = await drill({ alertsThrow: true });
    expect(actions).toEqual(['kill backend', 'up backend']);
    expect(journal.expectations.find((x) => x.name === 'alert-firing')).toMatchObject({
      passed: true,
      source: 'prometheus-sample',
    });
    expect(journal.steadyStateAfter?.held).toBe(true);
  });

  test('a fault command that fails half-way: the recovery still runs, the drill fails', async () => {
    const { journal, actions } = await drill({ faultThrows: true });
    expect(actions).toEqual(['kill backend', 'up backend']);
    expect(journal.verdict).toBe('failed');
    expect(journal.errors.join('\n')).toMatch(/lost the engine/);
    expect(journal.steadyStateAfter?.held).toBe(true);
    expectValidJournal(journal);
  });

  test('a failing recovery command fails the drill and says so', async () => {
    const { journal, actions } = await drill({ recoveryFails: true });
    expect(actions).toEqual(['kill backend', 'up backend']);
    expect(journal.verdict).toBe('failed');
    expect(journal.recovery).toMatchObject({
      ok: false,
      error: expect.stringMatching(/exited with code 1/),
    });
    expect(journal.errors.join('\n')).toMatch(/recovery failed/);
  }, 30_000);

  test('SIGINT during the fault: stops watching, recovers, verdict aborted', async () => {
    const w = world();
    const controller = new AbortController();
    const handlers = new Map<string, (s: NodeJS.Signals) => void>();
    const fakeProcess = {
      on: (s: string, h: (s: NodeJS.Signals) => void) => handlers.set(s, h),
      off: () => undefined,
    };
    const lines: string[] = [];
    abortOnSignals(controller, (l) => lines.push(l), fakeProcess as never);
    const journal: Journal = await runDrill(experiment, {
      ...w.deps(),
      log: (line) => {
        if (line.includes('fault command returned')) handlers.get('SIGINT')?.('SIGINT');
      },
      signal: controller.signal,
    });
    expect(lines[0]).toMatch(/SIGINT: stopping the drill; the recovery runs before exit/);
    expect(w.actions).toEqual(['kill backend', 'up backend']);
    expect(journal.verdict).toBe('aborted');
    expect(journal.reason).toMatch(/interrupted by SIGINT during the fault/);
    expect(journal.steadyStateAfter?.held).toBe(true);
    expectValidJournal(journal);
  });
});

describe('runDrill with a writer (kill-backend-under-writes)', () => {
  const WRITES = 'observability/drills/kill-backend-under-writes.yml';
  const text = readFileSync(join(REPO_ROOT, WRITES), 'utf8');
  const underWrites = parseExperiment(text, WRITES);

  async function writesDrill(
    notes: Omit<Parameters<typeof fakeNotes>[0], 'clock' | 'available'> = {},
    exp = underWrites,
    lifecycle?: DrillDeps['lifecycle'],
  ) {
    const w = world();
    const store = fakeNotes({ clock: w.clock, available: w.backendUp, ...notes });
    const urls: string[] = [];
    const journal = await runDrill(exp, {
      ...w.deps(),
      notes: (url) => {
        urls.push(url);
        return store.api;
      },
      ...(lifecycle ? { lifecycle } : {}),
    });
    return { journal, store, urls, actions: w.actions };
  }

  test('passes: every acknowledged note read back, 0 lost, 0 duplicated, in the journal and report', async () => {
    const { journal, store, urls } = await writesDrill({ loseAnswerOf: (n) => n % 9 === 0 });
    expect(journal.verdict, journal.reason ?? '').toBe('passed');
    expect(urls[0]).toBe('http://frontend.test/api/notes');
    const w = journal.writes;
    expect(w).toMatchObject({ ratePerSecond: 5, lost: 0, duplicated: 0, verified: true });
    expect(w?.acknowledged).toBe(w?.attempted);
    expect(w?.acknowledgedAfterRetry).toBeGreaterThan(10);
    expect(w?.replayed).toBeGreaterThan(0);
    expect(store.notes).toHaveLength(w?.acknowledged as number);
    expect(journal.expectations.filter((x) => x.count)).toEqual([
      expect.objectContaining({
        name: 'no-acknowledged-write-lost',
        count: { bound: 0, measured: 0 },
        boundMs: null,
        passed: true,
      }),
      expect.objectContaining({ name: 'no-duplicate-write', count: { bound: 0, measured: 0 } }),
    ]);
    const report = markdownReport(journal);
    expect(report).toMatch(/\| acknowledged notes lost \(target 0\) \| 0 \|/);
    expect(report).toMatch(
      /## Writes\n\n\d+ notes at 5\/s .*\*\*\d+ acknowledged, 0 lost, 0 duplicated\*\*/,
    );
    expect(report).toMatch(/\| no-duplicate-write \| .* \| ≤ 0 \| 0 \| passed \|/);
    expectValidJournal(journal);
  });

  test('an acknowledged note that is gone afterwards fails the verdict, named in the reason and JUnit', async () => {
    const { journal } = await writesDrill({ forget: (id) => id === 4 });
    expect(journal.verdict).toBe('failed');
    expect(journal.writes?.lost).toBe(1);
    expect(journal.reason).toMatch(
      /^no-acknowledged-write-lost failed: 1 lost of \d+ acknowledged/,
    );
    expect(junitXml(journal)).toMatch(
      /<testcase [^>]*name="no-acknowledged-write-lost"[^>]*>\s*<failure [^>]*>[^<]*bound ≤ 0, measured 1/,
    );
    expectValidJournal(journal);
  });

  test('duplicates fail the verdict', async () => {
    const { journal } = await writesDrill({ ignoreKeys: true, loseAnswerOf: (n) => n === 3 });
    expect(journal.verdict).toBe('failed');
    expect(journal.expectations.find((x) => x.name === 'no-duplicate-write')).toMatchObject({
      passed: false,
      count: { bound: 0, measured: 1 },
    });
  });

  test('not-restarted: the same container passes; a new StartedAt fails with what changed', async () => {
    const exp = parseExperiment(
      text.replace(
        '  - name: no-duplicate-write\n',
        '  - name: frontend-not-restarted\n    type: not-restarted\n    service: frontend\n  - name: no-duplicate-write\n',
      ),
      WRITES,
    );
    const snapshot = (startedAt: string) => [
      { id: 'f'.repeat(64), name: 'drilltest_frontend_1', startedAt, restartCount: 0 },
    ];
    const same = await writesDrill({}, exp, async () => snapshot('2026-11-26T11:00:00Z'));
    expect(same.journal.verdict, same.journal.reason ?? '').toBe('passed');
    expect(same.journal.expectations.find((x) => x.type === 'not-restarted')).toMatchObject({
      passed: true,
      source: 'docker-inspect',
      count: { bound: 0, measured: 0 },
    });
    let calls = 0;
    const moved = await writesDrill({}, exp, async () =>
      snapshot(calls++ === 0 ? '2026-11-26T11:00:00Z' : '2026-11-26T12:00:30Z'),
    );
    expect(moved.journal.verdict).toBe('failed');
    expect(moved.journal.reason).toMatch(
      /frontend-not-restarted failed: drilltest_frontend_1 was restarted: StartedAt 2026-11-26T11:00:00Z → 2026-11-26T12:00:30Z/,
    );
    expectValidJournal(moved.journal);
  });

  test('writer expectations need a writer; not-restarted cannot name the fault service', () => {
    expect(() => parseExperiment(text.replace(/\nworkload:[\s\S]*$/, '\n'), WRITES)).toThrow(
      /expectations\[4\]\.type: no-acknowledged-write-lost needs a writer: add workload.writer/,
    );
    expect(() =>
      parseExperiment(
        text.replace(
          '  - name: no-duplicate-write\n',
          '  - name: x\n    type: not-restarted\n    service: backend\n  - name: no-duplicate-write\n',
        ),
        WRITES,
      ),
    ).toThrow(/expectations\[5\]\.service: the fault's own service \(backend\) is restarted/);
    expect(() => withBounds(underWrites, { byName: { 'no-duplicate-write': 1 } })).toThrow(
      /"no-duplicate-write": that expectation has no time bound/,
    );
    expect(withBounds(underWrites, { writerRate: 2 }).workload?.writer?.rate).toBe(2);
    expect(() => withBounds(experiment, { writerRate: 2 })).toThrow(/has no workload.writer/);
  });
});
