/**
 * The kill-backend drill against the real stack: the real compose file on the real engine
 * (test/support/stack.ts), Prometheus really scraping the backend container. One stack for
 * both cases: the library passing with real figures, then the bundled action (local runner)
 * failing on a bound set too tight, after which the stack must be whole again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startStack, type TestStack } from '../../../test/support/stack.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import { systemClock } from '../../shared/src/clock.ts';
import { createExec } from '../../shared/src/exec.ts';
import { createPrometheus } from '../../shared/src/prometheus.ts';
import { REPO_ROOT, runAction } from '../../tools/local-runner.ts';
import { runDrill } from '../src/drill.ts';
import type { Journal } from '../src/journal.ts';
import { writeDrillFiles } from '../src/output.ts';
import { prepareDrill } from '../src/setup.ts';
import { expectValidJournal } from './journal-schema.ts';

describeWithTools(
  ['docker', 'docker-compose'],
  'chaos-drill kill-backend on the real stack',
  () => {
    let stack: TestStack;
    let reports: string;
    let urls: { frontend: string; prometheus: string };

    beforeAll(async () => {
      stack = await startStack();
      reports = await mkdtemp(join(tmpdir(), 'drill-e2e-'));
      // The frontend and Prometheus are not restarted by the drill: fixed URLs. The backend's
      // published port is asked of Compose at each use (it moves when the container restarts).
      urls = {
        frontend: await stack.url('frontend', 8080),
        prometheus: await stack.url('prometheus', 9090),
      };
      const prometheus = createPrometheus(urls.prometheus);
      await prometheus.waitUntil(
        async () => {
          const r = await prometheus.query('up{job="backend"}[1m]');
          return (r.result as unknown[]).length > 0 || 'no up samples yet';
        },
        { timeoutMs: 30_000 },
      );
    });

    afterAll(async () => {
      await stack?.down();
      if (reports) await rm(reports, { recursive: true, force: true });
    });

    test('the library drill passes: detected within a scrape + 2 s, recovered within 15 s', async () => {
      const lines: string[] = [];
      const { experiment, deps } = await prepareDrill(
        {
          experimentFile: join(REPO_ROOT, 'observability/drills/kill-backend.yml'),
          composeFiles: [join(REPO_ROOT, 'docker-compose.yml')],
          projectName: stack.projectName,
          urls,
          overrides: {},
        },
        {
          exec: createExec(),
          clock: systemClock,
          composeEnv: stack.env,
          log: (l) => lines.push(l),
        },
      );
      const journal = await runDrill(experiment, deps);
      const files = await writeDrillFiles(reports, journal, { junit: true });
      process.stdout.write(`[drill e2e] ${lines.join('\n[drill e2e] ')}\n`);
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
          'project-name': stack.projectName,
          'prometheus-url': urls.prometheus,
          'frontend-url': urls.frontend,
          'max-time-to-detect': '1ms',
          'reports-dir': reports,
        },
        env: stack.env,
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
      const deadline = Date.now() + 60_000;
      let containers = await stack.containers();
      while (containers.some((c) => c.health !== 'healthy') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        containers = await stack.containers();
      }
      expect(
        containers
          .filter((c) => c.health !== 'healthy')
          .map((c) => `${c.service}: ${c.state} ${c.health}`),
      ).toEqual([]);
      const up = await createPrometheus(urls.prometheus).query('up{job="backend"}');
      expect(
        (up.result as unknown as { value: [number, string] }[]).map((s) => s.value[1]),
      ).toEqual(['1']);
    });
  },
);
