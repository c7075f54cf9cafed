/**
 * Every Docker-level fault of the menu against one real stack (the real compose file on
 * the real engine), one after another: stop, restart, pause, partition, CPU starvation,
 * memory limit. Each drill must pass with figures from the real Prometheus, leave no marker
 * behind, and leave the stack whole for the next. (Latency needs the toxiproxy profile:
 * latency.e2e.test.ts.)
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { describeWithTools } from '../../../test/support/tools.ts';
import { createMarkerStore } from '../src/markers.ts';
import { expectStackWhole, runLibraryDrill, useDrillStack } from './drill-stack.ts';
import { expectValidJournal } from './journal-schema.ts';

const FAULTS = [
  'stop-backend',
  'restart-backend',
  'pause-backend',
  'partition-db',
  'cpu-backend',
  'memory-backend',
] as const;

describeWithTools(['docker', 'docker-compose'], 'every Docker fault on the real stack', () => {
  const ctx = useDrillStack('db_up{job="backend"}');

  test.each(FAULTS)('%s passes on the real engine and leaves the stack whole', async (name) => {
    const { journal, files, stateDir } = await runLibraryDrill(ctx, name);
    expect(journal.verdict, journal.reason ?? '').toBe('passed');
    expect(journal.score.percent).toBe(100);
    expect(journal.measurements.timeToRecoverMs).not.toBeNull();
    expectValidJournal(JSON.parse(await readFile(files.journal, 'utf8')));
    expect(await createMarkerStore(stateDir).list(ctx.stack.projectName)).toEqual([]);
    await expectStackWhole(ctx);
  });
});
