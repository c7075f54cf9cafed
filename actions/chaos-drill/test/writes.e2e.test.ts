/**
 * The writes drills against the real stack, one stack for both: kill-backend-under-writes
 * (a writer POSTs notes through the frontend while the backend is SIGKILLed) and kill-db
 * (the same writer while Postgres is SIGKILLed; the backend must come back without a
 * restart). Both must pass: every acknowledged note readable, none stored twice.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { describeWithTools } from '../../../test/support/tools.ts';
import type { Journal } from '../src/journal.ts';
import { runLibraryDrill, useDrillStack } from './drill-stack.ts';
import { expectValidJournal } from './journal-schema.ts';

describeWithTools(
  ['docker', 'docker-compose'],
  'chaos-drill writes drills on the real stack',
  () => {
    const ctx = useDrillStack('db_up{job="backend"}');

    async function drill(file: string): Promise<Journal> {
      const name = file.replace(/\.yml$/, '');
      const { journal, files } = await runLibraryDrill(ctx, name);
      const w = journal.writes;
      const m = journal.measurements;
      process.stdout.write(
        `[${name}] FIGURES verdict=${journal.verdict} detect=${m.timeToDetectMs}ms recover=${m.timeToRecoverMs}ms alertPending=${m.alertPendingAfterMs}ms alertFiring=${m.alertFiringAfterMs}ms acknowledged=${w?.acknowledged} lost=${w?.lost} duplicated=${w?.duplicated} attempted=${w?.attempted} requests=${w?.requests} afterRetry=${w?.acknowledgedAfterRetry} replayed=${w?.replayed} unacknowledged=${w?.unacknowledged} slowestAck=${w?.slowestAcknowledgementMs}ms duration=${journal.durationMs}ms\n`,
      );
      expectValidJournal(JSON.parse(await readFile(files.journal, 'utf8')));
      expect(await readFile(files.report, 'utf8')).toMatch(
        /## Writes\n\n\d+ notes at 5\/s .*\*\*\d+ acknowledged, 0 lost, 0 duplicated\*\*/,
      );
      return journal;
    }

    test('kill-backend-under-writes passes: 0 acknowledged notes lost, 0 duplicated', async () => {
      const journal = await drill('kill-backend-under-writes.yml');
      expect(journal.verdict, journal.reason ?? '').toBe('passed');
      const w = journal.writes;
      expect(w?.acknowledged).toBeGreaterThan(50);
      expect(w).toMatchObject({ lost: 0, duplicated: 0, verified: true });
      // The outage is real: some notes needed a retry with the same key.
      expect(w?.acknowledgedAfterRetry).toBeGreaterThan(0);
      expect(journal.measurements.timeToDetectMs).toBeLessThanOrEqual(7000);
      expect(journal.measurements.timeToRecoverMs).toBeLessThan(15_000);
    });

    test('kill-db passes: 503 not a hang, degraded status, backend ready again without a restart', async () => {
      const journal = await drill('kill-db.yml');
      expect(journal.verdict, journal.reason ?? '').toBe('passed');
      const byName = Object.fromEntries(journal.expectations.map((x) => [x.name, x]));
      expect(byName['backend-not-restarted']).toMatchObject({
        passed: true,
        count: { bound: 0, measured: 0 },
      });
      expect(byName['frontend-degraded']?.passed).toBe(true);
      expect(byName['notes-unavailable']?.passed).toBe(true);
      expect(journal.writes).toMatchObject({ lost: 0, duplicated: 0, verified: true });
      expect(journal.writes?.acknowledgedAfterRetry).toBeGreaterThan(0);
      expect(
        journal.steadyStateAfter?.probes.find((p) => p.name === 'the backend is ready'),
      ).toMatchObject({ ok: true });
    });
  },
);
