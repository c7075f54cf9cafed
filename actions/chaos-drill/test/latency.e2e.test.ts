/**
 * The latency fault on the real stack: the `toxiproxy` Compose profile's proxy put in the
 * backend → db path (the backend recreated with DATABASE_URL naming toxiproxy:5432), then
 * latency-db.yml adds 400 ms to every database answer through Toxiproxy's API and removes
 * it again. The drill must pass (BackendHighLatencyP95 pending, the user p95 measured) and
 * leave no toxic and no marker behind, also when the CLI is interrupted by SIGINT.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stopAll } from '../../../test/support/process.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import {
  type ProxiedStack,
  routeBackendThroughToxiproxy,
} from '../../../test/support/toxiproxy-route.ts';
import { createMarkerStore } from '../src/markers.ts';
import { createToxiproxy } from '../src/toxiproxy.ts';
import { expectStackWhole, runLibraryDrill, useDrillStack } from './drill-stack.ts';
import { expectInterruptedCleanly, interruptDrill } from './interrupt.ts';
import { expectValidJournal } from './journal-schema.ts';

describeWithTools(
  ['docker', 'docker-compose'],
  'latency through Toxiproxy on the real stack',
  () => {
    const ctx = useDrillStack('db_up{job="backend"}');
    let proxied: ProxiedStack | undefined;

    beforeAll(async () => {
      proxied = await routeBackendThroughToxiproxy(ctx.stack, ctx.urls.prometheus);
    });

    // Runs before the stack's own teardown (afterAll hooks run in reverse order).
    afterAll(async () => {
      await proxied?.down();
    });
    // And this before that: no CLI outlives the proxy.
    afterAll(stopAll);

    test('latency-db passes: the latency alert goes pending, the toxic is removed, the stack is whole', async () => {
      const { journal, files, deps, stateDir } = await runLibraryDrill(
        ctx,
        'latency-db',
        proxied?.env,
      );
      expect(journal.verdict, journal.reason ?? '').toBe('passed');
      expect(journal.measurements.alert).toBe('BackendHighLatencyP95');
      expect(journal.expectations.find((x) => x.name === 'user-p95')?.measuredMs).toBeGreaterThan(
        400,
      );
      expectValidJournal(JSON.parse(await readFile(files.journal, 'utf8')));
      const api = createToxiproxy(await deps.control.publishedUrl('toxiproxy', 8474));
      expect(await api.toxics('db')).toEqual([]);
      expect(await createMarkerStore(stateDir).list(ctx.stack.projectName)).toEqual([]);
      await expectStackWhole(ctx);
    });

    test('latency-db, SIGINT after the fault: the toxic removed, reported aborted, the stack whole', async () => {
      const run = await interruptDrill(ctx, 'latency-db', 'SIGINT', proxied?.env);
      await expectInterruptedCleanly(ctx, run, {
        experiment: 'latency-db',
        signal: 'SIGINT',
        exitCode: 130,
      });
      const api = createToxiproxy(await ctx.stack.url('toxiproxy', 8474));
      expect(await api.toxics('db')).toEqual([]);
    });
  },
);
