// A real Prometheus (3.x, as the compose file pins it) runs this folder's config and
// rules against the real backend and the real Postgres exporter (Debian's) in front
// of a real Postgres, all on loopback: the rules load and evaluate, the jobs are
// scraped, every Backend dashboard query returns data from the real metrics (names
// and labels as prom-client and the exporter export them), and pg_up drops when
// Postgres stops. cAdvisor does not exist here, so its target is down, which is also
// what a test wants to see.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BackendProcess, startBackend } from '../../test/support/backend.ts';
import { freePort, waitForHttp } from '../../test/support/net.ts';
import {
  type PostgresCluster,
  postgresBinDir,
  startPostgres,
} from '../../test/support/postgres.ts';
import { type RunningProcess, startProcess, stopAll } from '../../test/support/process.ts';
import { describeWithTools } from '../../test/support/tools.ts';
import { dashboardQueries, loadDashboards } from './dashboards.ts';
import {
  allRules,
  PROMETHEUS,
  PROMETHEUS_CONFIG,
  PROMETHEUS_DIR,
  PROMETHEUS_MOUNT,
} from './support.ts';

interface ApiResponse<T> {
  status: 'success' | 'error';
  error?: string;
  data: T;
}

async function api<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as ApiResponse<T>;
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? response.status}`);
  return body.data;
}

async function query(
  base: string,
  promql: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const data = await api<{
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  }>(base, `/api/v1/query?query=${encodeURIComponent(promql)}`);
  return data.result;
}

/** Polls `check` every 500 ms until it returns true, or fails with `explain()` after `timeoutMs`. */
async function eventually(
  check: () => Promise<boolean>,
  explain: () => Promise<string>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not within ${timeoutMs} ms: ${await explain()}`);
}

/** Starts a process and waits until `url` answers, failing with the process's output. */
async function startAndWait(
  command: string,
  args: string[],
  url: string,
  env?: NodeJS.ProcessEnv,
): Promise<RunningProcess> {
  const proc = startProcess(command, args, env ? { env } : {});
  await waitForHttp(url, 15_000).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${proc.output()}`);
  });
  return proc;
}

const tools = [PROMETHEUS, 'prometheus-postgres-exporter', join(postgresBinDir(), 'initdb')];

describeWithTools(tools, 'a real Prometheus running this config', () => {
  let postgres: PostgresCluster | undefined;
  let backend: BackendProcess;
  let prometheus: RunningProcess;
  let base = '';
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'observability-prometheus-'));
    postgres = await startPostgres();
    // The database is called app, as in the stack (the dashboard selects datname="app").
    const databaseUrl = new URL(await postgres.createDatabase('app'));
    backend = await startBackend({ DATABASE_URL: databaseUrl.href });
    const exporterPort = await freePort();
    await startAndWait(
      'prometheus-postgres-exporter',
      [`--web.listen-address=127.0.0.1:${exporterPort}`],
      `http://127.0.0.1:${exporterPort}/`,
      {
        ...process.env,
        // The compose file's variables, pointed at the test cluster.
        DATA_SOURCE_URI: `127.0.0.1:${postgres.port}/app?sslmode=disable`,
        DATA_SOURCE_USER: decodeURIComponent(databaseUrl.username),
        DATA_SOURCE_PASS: decodeURIComponent(databaseUrl.password),
      },
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Same file, with Compose's service names swapped for loopback addresses
    // and the rules glob pointed at this checkout instead of the mount.
    const config = readFileSync(PROMETHEUS_CONFIG, 'utf8')
      .replace(`${PROMETHEUS_MOUNT}/rules/`, `${PROMETHEUS_DIR}/rules/`)
      .replace('"backend:5000"', `"127.0.0.1:${backend.port}"`)
      .replace('"postgres-exporter:9187"', `"127.0.0.1:${exporterPort}"`)
      .replace('"localhost:9090"', `"127.0.0.1:${port}"`);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    prometheus = await startAndWait(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      `${base}/-/ready`,
    );
  }, 60_000);

  afterAll(async () => {
    await stopAll();
    await postgres?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is Prometheus 3', async () => {
    const info = await api<{ version: string }>(base, '/api/v1/status/buildinfo');
    expect(info.version).toMatch(/^3\./);
  });

  it('loads every alert and recording rule', async () => {
    const data = await api<{ groups: Array<{ rules: Array<{ name: string }> }> }>(
      base,
      '/api/v1/rules',
    );
    const loaded = data.groups.flatMap((group) => group.rules.map((rule) => rule.name)).sort();
    expect(loaded).toEqual(
      allRules()
        .map((rule) => rule.alert ?? rule.record)
        .sort(),
    );
  });

  it('scrapes the four jobs; all but cAdvisor (absent here) are up', async () => {
    type Target = { labels: { job: string }; health: string; lastError: string };
    const targets = async (): Promise<Target[]> =>
      (await api<{ activeTargets: Target[] }>(base, '/api/v1/targets')).activeTargets;
    const health = async () =>
      (await targets()).map((target) => `${target.labels.job}=${target.health}`).sort();
    // Static targets appear a moment after /-/ready; the first scrapes within 15 s.
    await eventually(
      async () => (await health()).join() === 'backend=up,cadvisor=down,postgres=up,prometheus=up',
      async () =>
        (await targets())
          .map((target) => `${target.labels.job}=${target.health} ${target.lastError}`)
          .join('; '),
      30_000,
    );
  }, 40_000);

  it('every Backend dashboard query returns data from the real backend and exporter', async () => {
    const backendQueries = dashboardQueries(loadDashboards()).filter((q) =>
      q.key.startsWith('Backend/'),
    );
    expect(backendQueries.map((q) => q.key)).toContain('Backend/Postgres Connections/A');
    const empty = async (): Promise<string[]> => {
      // Traffic between scrapes, so rates and histograms have something to show.
      await fetch(`${backend.url}/healthz`).then((response) => response.arrayBuffer());
      const results = await Promise.all(
        backendQueries.map(async (q) => [q.key, (await query(base, q.promql)).length] as const),
      );
      return results.filter(([, count]) => count === 0).map(([key]) => key);
    };
    // Rates need two scrapes of the backend: at 5 s intervals, about 10 s.
    await eventually(
      async () => (await empty()).length === 0,
      async () => `still empty: ${(await empty()).join(', ')}\n${prometheus.output().slice(-2000)}`,
      30_000,
    );
  }, 40_000);

  it('evaluates the rules without errors; Watchdog fires, the database alerts do not', async () => {
    const data = await api<{
      groups: Array<{ rules: Array<{ name: string; health: string; state?: string }> }>;
    }>(base, '/api/v1/rules');
    const rules = data.groups.flatMap((group) => group.rules);
    expect(rules.filter((rule) => rule.health === 'err')).toEqual([]);
    const state = (name: string) => rules.find((rule) => rule.name === name)?.state;
    expect(state('BackendDown')).toBe('inactive');
    expect(state('PostgresExporterCannotConnect')).toBe('inactive');
    expect(state('Watchdog')).toBe('firing');
  });

  // Last: it stops Postgres.
  it('reports pg_up 0 once Postgres stops, and PostgresExporterCannotConnect goes pending', async () => {
    await postgres?.stop();
    const alertState = async (): Promise<string> => {
      const [sample] = await query(base, 'ALERTS{alertname="PostgresExporterCannotConnect"}');
      const [up] = await query(base, 'pg_up{job="postgres"}');
      return `pg_up=${up?.value[1] ?? 'absent'} alert=${sample?.metric.alertstate ?? 'none'}`;
    };
    // The exporter is scraped every 15 s and rules run every 5 s.
    await eventually(
      async () => (await alertState()) === 'pg_up=0 alert=pending',
      alertState,
      30_000,
    );
  }, 40_000);
});
