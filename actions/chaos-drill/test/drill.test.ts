import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { runDrill } from '../src/drill.ts';
import { parseExperiment, withBounds } from '../src/experiment.ts';
import type { Journal } from '../src/journal.ts';
import { junitXml, markdownReport, postmortem } from '../src/report.ts';
import { abortOnSignals } from '../src/setup.ts';
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
