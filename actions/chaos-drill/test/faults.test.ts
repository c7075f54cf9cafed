/**
 * Every fault's experiment file on the simulated stack (world.ts): it passes, the fault is
 * undone, and it is undone on every other path too: a bound too tight, SIGTERM during the
 * fault, and a drill that crashes after injecting (its marker makes the next run undo it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { type DrillDeps, runDrill } from '../src/drill.ts';
import { type Experiment, parseExperiment, withBounds } from '../src/experiment.ts';
import { recoverLeftovers } from '../src/markers.ts';
import { fakeNotes } from './fake-notes.ts';
import { expectValidJournal } from './journal-schema.ts';
import { memoryMarkers } from './world/markers.ts';
import { world } from './world.ts';

const CASES: readonly [file: string, inject: string, undo: string][] = [
  ['kill-backend.yml', 'kill backend', 'up backend'],
  ['stop-backend.yml', 'stop backend', 'up backend'],
  ['restart-backend.yml', 'restart backend', 'up backend'],
  ['pause-backend.yml', 'pause backend', 'unpause backend'],
  ['partition-db.yml', 'disconnect drilltest_default db', 'connect drilltest_default db db'],
  [
    'cpu-backend.yml',
    'update backend --cpu-period 100000 --cpu-quota 1500',
    'update backend --cpu-period 100000 --cpu-quota -1',
  ],
  [
    'memory-backend.yml',
    'update backend --memory 16777216 --memory-swap 16777216',
    'update backend --memory 268435456 --memory-swap 536870912',
  ],
  ['latency-db.yml', 'toxic add db latency 400', 'toxic remove db chaos-drill-latency'],
];

const load = (file: string) => {
  const path = `observability/drills/${file}`;
  return parseExperiment(readFileSync(join(REPO_ROOT, path), 'utf8'), path);
};

/** A world with the notes API and container snapshots the experiment may need. */
function setup() {
  const w = world();
  const markers = memoryMarkers();
  const store = fakeNotes({
    clock: w.clock,
    available: () => w.backendUp() && w.modes().db !== 'down',
  });
  const deps = (extra: Partial<DrillDeps> = {}) =>
    w.deps({
      notes: () => store.api,
      lifecycle: async (service) => [
        { id: `id-${service}`, name: `drilltest_${service}_1`, startedAt: 'T0', restartCount: 0 },
      ],
      markers,
      ...extra,
    });
  return { w, markers, deps };
}

describe.each(CASES)('%s on the simulated stack', (file, inject, undo) => {
  const experiment: Experiment = load(file);

  test('passes; the fault is injected once and undone once; the stack is whole', async () => {
    const { w, markers, deps } = setup();
    const journal = await runDrill(experiment, deps());
    expect(journal.verdict, journal.reason ?? '').toBe('passed');
    expect(w.actions).toEqual([inject, undo]);
    expect(w.modes()).toEqual({ backend: 'up', db: 'up' });
    expect(markers.all()).toEqual([]);
    expect(journal.score.percent).toBe(100);
    expect(journal.experiment.fault.command).toBeTruthy();
    expectValidJournal(journal);
  });

  test('a recovery bound too tight fails, names it, and the fault is still undone', async () => {
    const { w, markers, deps } = setup();
    const journal = await runDrill(withBounds(experiment, { timeToRecoverMs: 1 }), deps());
    expect(journal.verdict).toBe('failed');
    expect(journal.reason).toMatch(/time-to-recover failed: .*bound 1 ms/);
    expect(journal.score.percent).toBeLessThan(100);
    expect(w.actions).toEqual([inject, undo]);
    expect(markers.all()).toEqual([]);
  });

  test('SIGTERM during the fault: the fault is undone, the verdict is aborted', async () => {
    const { w, markers, deps } = setup();
    const controller = new AbortController();
    const journal = await runDrill(
      experiment,
      deps({
        signal: controller.signal,
        log: (line) => {
          if (line.includes('fault command returned')) controller.abort('SIGTERM');
        },
      }),
    );
    expect(journal.verdict).toBe('aborted');
    expect(journal.reason).toMatch(/interrupted by SIGTERM during the fault/);
    expect(w.actions).toEqual([inject, undo]);
    expect(journal.steadyStateAfter?.held).toBe(true);
    expect(markers.all()).toEqual([]);
  });

  test('a drill that crashes after injecting leaves a marker; the next run undoes the fault first', async () => {
    const { w, markers, deps } = setup();
    const crash = new Error('the drill process died');
    await expect(
      runDrill(
        experiment,
        deps({
          log: (line) => {
            if (line.includes('fault command returned')) throw crash;
          },
        }),
      ),
    ).rejects.toBe(crash);
    expect(w.actions).toEqual([inject]);
    expect(markers.all()).toMatchObject([{ project: 'drilltest', experiment: experiment.name }]);
    const next = await runDrill(experiment, deps());
    expect(w.actions).toEqual([inject, undo, inject, undo]);
    expect(next.timeline.map((e) => e.event)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^undid the ${experiment.fault.action} of ${experiment.fault.service} left by drill ${experiment.name}`,
        ),
      ),
    );
    expect(next.verdict, next.reason ?? '').toBe('passed');
    expect(markers.all()).toEqual([]);
  });

  test('drill --recover: the marker alone undoes the fault', async () => {
    const { w, markers, deps } = setup();
    await runDrill(
      experiment,
      deps({
        log: (line) => {
          if (line.includes('fault command returned')) throw new Error('crash');
        },
      }),
    ).catch(() => undefined);
    const d = deps();
    const done = await recoverLeftovers(markers, 'drilltest', {
      control: d.control,
      docker: d.docker,
      clock: d.clock,
      toxiproxy: d.toxiproxy as NonNullable<DrillDeps['toxiproxy']>,
    });
    expect(done).toHaveLength(1);
    expect(w.actions).toEqual([inject, undo]);
    expect(markers.all()).toEqual([]);
  });
});
