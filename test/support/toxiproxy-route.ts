import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCompose } from '../../actions/shared/src/compose.ts';
import { createExec } from '../../actions/shared/src/exec.ts';
import { createPrometheus } from '../../actions/shared/src/prometheus.ts';
import { buildStandins, REPO_ROOT } from './docker.ts';
import type { TestStack } from './stack.ts';

/** A test stack whose backend reaches its database through Toxiproxy. */
export interface ProxiedStack {
  /** The stack's Compose environment with the profile on: what a drill of latency-db needs. */
  env: Record<string, string>;
  /** The project down with the profile on, so that the proxy goes too (the stack's own down,
   * which does not know the profile, would leave it): call it before that. Never throws. */
  down(): Promise<void>;
}

/**
 * Puts the `toxiproxy` Compose profile's proxy in the backend → db path of a running test
 * stack: the backend is recreated with DATABASE_URL naming toxiproxy:5432, and this returns
 * once Prometheus has scraped db_up 1 from it (the database answers through the proxy).
 * Used by the latency e2e test and by `npm run bench:drill`.
 */
export async function routeBackendThroughToxiproxy(
  stack: TestStack,
  prometheusUrl: string,
): Promise<ProxiedStack> {
  await buildStandins('toxiproxy');
  const dir = await mkdtemp(join(tmpdir(), 'toxiproxy-route-'));
  const backendEnv = join(dir, 'backend.env');
  const original = await readFile(stack.env.BACKEND_ENV_FILE as string, 'utf8');
  await writeFile(backendEnv, original.replace('@db:5432/', '@toxiproxy:5432/'), { mode: 0o600 });
  const env = {
    ...stack.env,
    COMPOSE_PROFILES: 'toxiproxy',
    TOXIPROXY_IMAGE: 'local/standin/toxiproxy:latest',
    TOXIPROXY_PORT: '0',
    BACKEND_ENV_FILE: backendEnv,
  };
  const compose = await createCompose(
    {
      files: ['docker-compose.yml'],
      projectName: stack.projectName,
      projectDirectory: REPO_ROOT,
      env,
    },
    { exec: createExec() },
  );
  const down = async () => {
    await compose
      .down({ volumes: false, removeOrphans: false, timeoutSeconds: 5 })
      .catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const up = await compose.up({ services: ['toxiproxy', 'backend'] });
    if (up.exitCode !== 0)
      throw new Error(`compose up toxiproxy backend failed: ${up.stderr.slice(-2000)}`);
    const proxy = (await compose.containers()).find((c) => c.service === 'toxiproxy');
    if (proxy?.state !== 'running')
      throw new Error(`the toxiproxy container is ${proxy?.state ?? 'missing'}, not running`);
    await waitForDbThroughProxy(prometheusUrl);
    return { env, down };
  } catch (error) {
    await down();
    throw error;
  }
}

/** db_up 1 in a sample younger than one scrape: the recreated backend reaches db through the proxy. */
async function waitForDbThroughProxy(prometheusUrl: string): Promise<void> {
  const prometheus = createPrometheus(prometheusUrl);
  await prometheus.waitUntil(
    async () => {
      const r = await prometheus.query(
        'db_up{job="backend"} == 1 and on() (time() - timestamp(db_up{job="backend"})) < 6',
      );
      return (r.result as unknown[]).length > 0 || 'db_up not 1 through the proxy yet';
    },
    { timeoutMs: 60_000 },
  );
}
