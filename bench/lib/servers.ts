import { REPO_ROOT } from '../../scripts/repo-root.ts';
import { freePort, waitForHttp } from '../../test/support/net.ts';
import { type RunningProcess, startProcess } from '../../test/support/process.ts';

const SECRET = 'bench-secret-'.padEnd(48, 'x');

/** A server the benchmark starts: how, and at which path it is ready. */
export interface ServerSpec {
  readonly name: string;
  /** Extra node flags (--cpu-prof...) for node servers; ignored by others. */
  start(port: number, nodeFlags?: readonly string[]): RunningProcess;
  readonly readyPath: string;
}

export interface RunningServer {
  readonly spec: ServerSpec;
  readonly port: number;
  readonly proc: RunningProcess;
  url(path: string): string;
}

const nodeEnv = (port: number, extra: Record<string, string>) => ({
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  SECRET_KEY: SECRET,
  HOST: '127.0.0.1',
  PORT: String(port),
  ...extra,
});

/**
 * Our backend (bench/servers/backend-variant.ts) with one switch, on the bench's
 * Postgres: every variant is the same entry point, so that the ratios between
 * them measure that switch and nothing else.
 */
export function backendVariant(name: string, variant: string, databaseUrl: string): ServerSpec {
  return {
    name,
    readyPath: '/readyz', // 200 once the pool reaches the migrated database
    start: (port, nodeFlags = []) =>
      startProcess(
        process.execPath,
        [...nodeFlags, '--import', 'tsx', 'bench/servers/backend-variant.ts'],
        { cwd: REPO_ROOT, env: nodeEnv(port, { VARIANT: variant, DATABASE_URL: databaseUrl }) },
      ),
  };
}

export const flask: ServerSpec = {
  name: 'seed Flask + prometheus_client, gunicorn 1 worker',
  readyPath: '/',
  start: (port) =>
    startProcess(
      'gunicorn',
      [
        ...['--workers', '1', '--bind', `127.0.0.1:${port}`],
        ...['--chdir', 'bench/servers', '--log-level', 'warning'],
        'flask_app:app',
      ],
      { cwd: REPO_ROOT },
    ),
};

export const bareNode: ServerSpec = {
  name: 'bare node:http (ceiling)',
  readyPath: '/',
  start: (port) =>
    startProcess(process.execPath, ['bench/servers/bare-node.mjs'], {
      cwd: REPO_ROOT,
      env: nodeEnv(port, {}),
    }),
};

/** Starts `spec` on a free port and waits until it is ready; stops it if it never is. */
export async function startServer(
  spec: ServerSpec,
  nodeFlags: readonly string[] = [],
): Promise<RunningServer> {
  const port = await freePort();
  const proc = spec.start(port, nodeFlags);
  try {
    await waitForHttp(`http://127.0.0.1:${port}${spec.readyPath}`, 30_000);
  } catch (error) {
    await proc.stop('SIGKILL');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${spec.name} did not start: ${reason}\n${proc.output()}`);
  }
  return { spec, port, proc, url: (path) => `http://127.0.0.1:${port}${path}` };
}
