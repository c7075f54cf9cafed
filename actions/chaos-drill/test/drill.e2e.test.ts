/**
 * The kill-backend drill against the real stack: the real compose file on the real engine
 * (test/support/stack.ts), Prometheus really scraping the backend container. One stack for
 * both cases: the library passing with real figures, then the bundled action (local runner)
 * failing on a bound set too tight, after which the stack must be whole again.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { describeWithTools } from '../../../test/support/tools.ts';
import { runAction } from '../../tools/local-runner.ts';
import type { Journal } from '../src/journal.ts';
import { expectStackWhole, runLibraryDrill, useDrillStack } from './drill-stack.ts';
import { expectValidJournal } from './journal-schema.ts';

describeWithTools(
  ['docker', 'docker-compose'],
  'chaos-drill kill-backend on the real stack',
  () => {
    const ctx = useDrillStack('up{job="backend"}');

    test('the library drill passes: detected within a scrape + 2 s, recovered within 15 s', async () => {
      const { journal, files } = await runLibraryDrill(ctx, 'kill-backend');
      expect(journal.verdict, journal.reason ?? '').toBe('passed');
      expect(journal.measurements.timeToDetectMs).toBeLessThanOrEqual(7000);
      expect(journal.measurements.timeToRecoverMs).toBeLessThan(15_000);
      expect(journal.measurements.alertFiringAfterMs).toBeGreaterThan(
        journal.measurements.alertPendingAfterMs as number,
      );
      expect(journal.fault?.containerDiedAt).not.toBeNull();
      expect(journal.impact?.degradedResponses).toBeGreaterThan(0);
      expect(journal.impact?.timeouts).toBe(0);
      expectValidJournal(JSON.parse(await readFile(files.journal, 'utf8')));
      expect(await readFile(files.postmortem, 'utf8')).toMatch(/## Action items[\s\S]*## Timeline/);
    });

    test('the bundled action fails on max-time-to-detect 1ms, says why, and leaves the stack healthy', async () => {
      const result = await runAction({
        action: 'chaos-drill',
        inputs: {
          'project-name': ctx.stack.projectName,
          'prometheus-url': ctx.urls.prometheus,
          'frontend-url': ctx.urls.frontend,
          'max-time-to-detect': '1ms',
          'reports-dir': ctx.reports,
        },
        env: ctx.stack.env,
      });
      expect(result.exitCode, result.stderr + result.stdout.slice(-3000)).toBe(1);
      expect(result.outputs.verdict).toBe('failed');
      expect(Number(result.outputs['time-to-detect'])).toBeGreaterThan(0);
      expect(Number(result.outputs['time-to-recover'])).toBeLessThan(15);
      expect(result.errors.join('\n')).toMatch(/target-down failed: .*bound 1 ms/);
      const journal = JSON.parse(
        await readFile(result.outputs.journal as string, 'utf8'),
      ) as Journal;
      expect(journal.expectations.filter((x) => !x.passed).map((x) => x.name)).toEqual([
        'target-down',
      ]);
      const report = await readFile(result.outputs.report as string, 'utf8');
      expect(report).toMatch(
        /\| target-down \| .* \| 1 ms \| \d+(\.\d)? (ms|s) \| \*\*FAILED\*\*: .*bound 1 ms — exceeded/,
      );
      expect(await readFile(result.outputs.junit as string, 'utf8')).toMatch(
        /<failure message="[^"]*bound 1 ms — exceeded/,
      );
      expect(result.summary).toMatch(/Chaos drill `kill-backend`: FAILED/);

      // The drill recovered: every service healthy, Prometheus scrapes the backend again.
      await expectStackWhole(ctx);
    });
  },
);
