import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../actions/shared/src/clock.ts';
import { type Compose, createCompose } from '../../actions/shared/src/compose.ts';
import type { ContainerStatus } from '../../actions/shared/src/docker.ts';
import { createExec } from '../../actions/shared/src/exec.ts';
import { notReadyMessage, waitForServices } from '../../actions/stack-up/src/wait.ts';
import { buildStandins, docker, publishedPort, REPO_ROOT, testName } from './docker.ts';

/**
 * The real docker-compose.yml on the real engine, for e2e tests. What differs from
 * `docker compose up` on a developer's machine is only what this machine forces:
 * images come from the local stand-ins (no registry), published ports are random
 * (never assume 5000 or 9090 are free), and the secrets are generated per run.
 */
export const STANDIN_IMAGES = {
  NODE_IMAGE: 'local/standin/node:latest',
  NGINX_IMAGE: 'local/standin/nginx:latest',
  PROMETHEUS_IMAGE: 'local/standin/prometheus:latest',
  ALERTMANAGER_IMAGE: 'local/standin/alertmanager:latest',
  CADVISOR_IMAGE: 'local/standin/cadvisor:latest',
  POSTGRES_IMAGE: 'local/standin/postgres:latest',
  POSTGRES_EXPORTER_IMAGE: 'local/standin/postgres-exporter:latest',
} as const;

/** Every published port moved to a random free one (`0`): tests never assume 5000 or 9090 are free. */
export const RANDOM_PORTS = {
  BIND_ADDRESS: '127.0.0.1',
  BACKEND_PORT: '0',
  FRONTEND_PORT: '0',
  PROMETHEUS_PORT: '0',
  CADVISOR_PORT: '0',
  ALERTMANAGER_PORT: '0',
  GRAFANA_PORT: '0',
} as const;

/** Every service we can run here. Grafana has no image on this machine (no registry, no stand-in). */
export const RUNNABLE_SERVICES = [
  'backend',
  'frontend',
  'prometheus',
  'cadvisor',
  'alertmanager',
  'db',
  'postgres-exporter',
] as const;

export interface TestStack {
  readonly compose: Compose;
  readonly projectName: string;
  readonly env: Readonly<Record<string, string>>;
  /** http://127.0.0.1:<published port> of a service's container port. */
  url(service: string, containerPort: number): Promise<string>;
  containers(): Promise<ContainerStatus[]>;
  /** down -v --remove-orphans, then proof that nothing of the project is left. */
  down(): Promise<void>;
}

/** Builds (or reuses) the stand-in base images of every service the stack runs here. */
export const buildStackStandins = (): Promise<void> =>
  buildStandins(
    'node',
    'nginx',
    'prometheus',
    'alertmanager',
    'cadvisor',
    'postgres',
    'postgres-exporter',
  );

export async function startStack(
  options: {
    services?: readonly string[];
    timeoutMs?: number;
    /** Compose files after docker-compose.yml (an override that names other images). */
    overrides?: readonly string[];
    /** false runs the images the engine has (pulled ones) instead of building. */
    build?: boolean;
  } = {},
): Promise<TestStack> {
  const services = options.services ?? RUNNABLE_SERVICES;
  await buildStackStandins();
  const secrets = await mkdtemp(join(tmpdir(), 'stack-env-'));
  const envFile = join(secrets, 'backend.env');
  // The same pair scripts/init-env.sh writes: .env's POSTGRES_PASSWORD and backend/.env's DATABASE_URL.
  const postgresPassword = randomBytes(16).toString('hex');
  await writeFile(
    envFile,
    `SECRET_KEY=${randomBytes(32).toString('hex')}\nLOG_LEVEL=info\nDATABASE_URL=postgres://app:${postgresPassword}@db:5432/app\n`,
    { mode: 0o600 },
  );
  const projectName = testName('stack').replace(/[^a-z0-9-]/g, '');
  const env: Record<string, string> = {
    ...STANDIN_IMAGES,
    BACKEND_ENV_FILE: envFile,
    GRAFANA_ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    POSTGRES_PASSWORD: postgresPassword,
    GIT_COMMIT: 'e2e',
    ...RANDOM_PORTS,
  };
  const compose = await createCompose(
    {
      files: ['docker-compose.yml', ...(options.overrides ?? [])],
      projectName,
      projectDirectory: REPO_ROOT,
      env,
    },
    { exec: createExec() },
  );

  const down = async () => {
    await compose.down({ volumes: true, removeOrphans: true, timeoutSeconds: 10 });
    await rm(secrets, { recursive: true, force: true });
    const label = `label=com.docker.compose.project=${projectName}`;
    const left = [
      await docker(['ps', '-aq', '--filter', label]),
      await docker(['network', 'ls', '-q', '--filter', label]),
      await docker(['volume', 'ls', '-q', '--filter', label]),
    ].filter(Boolean);
    if (left.length > 0)
      throw new Error(`down -v left resources of ${projectName} behind: ${left.join(' ')}`);
  };

  try {
    const up = await compose.up({ services, build: options.build ?? true });
    if (up.exitCode !== 0)
      throw new Error(`compose up failed (exit ${up.exitCode}):\n${up.stderr.slice(-4000)}`);
    const timeoutMs = options.timeoutMs ?? 180_000;
    const result = await waitForServices({
      list: () => compose.containers(),
      clock: systemClock,
      deadline: Date.now() + timeoutMs,
    });
    if (!result.ready) {
      const logs: Record<string, string> = {};
      for (const s of result.pending)
        logs[s.service] = await compose.logs({ services: [s.service], tail: 30 });
      throw new Error(notReadyMessage(timeoutMs, result.pending, logs));
    }
  } catch (error) {
    await down().catch(() => undefined);
    throw error;
  }

  return {
    compose,
    projectName,
    env,
    containers: () => compose.containers(),
    async url(service, containerPort) {
      const container = (await compose.containers()).find((c) => c.service === service);
      if (!container) throw new Error(`no container for service ${service}`);
      return `http://127.0.0.1:${await publishedPort(container.name, containerPort)}`;
    },
    down,
  };
}
