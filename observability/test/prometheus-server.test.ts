// A real Prometheus (Debian's 2.42) runs this folder's config and rules against
// the real backend on loopback: the rules load and evaluate, the backend job is
// scraped, and every Backend dashboard query returns data from the backend's
// real metrics (names and labels as prom-client exports them). cAdvisor does
// not exist here, so its target is down, which is also what a test wants to see.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BackendProcess, startBackend } from '../../test/support/backend.ts';
import { freePort, waitForHttp } from '../../test/support/net.ts';
import { type RunningProcess, startProcess, stopAll } from '../../test/support/process.ts';
import { describeWithTools } from '../../test/support/tools.ts';
import { dashboardQueries, loadDashboards } from './dashboards.ts';
import { allRules, PROMETHEUS_CONFIG, PROMETHEUS_DIR, PROMETHEUS_MOUNT } from './support.ts';

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

async function query(base: string, promql: string): Promise<Array<{ metric: object }>> {
  const data = await api<{ result: Array<{ metric: object }> }>(
    base,
    `/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
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

describeWithTools(['prometheus'], 'a real Prometheus running this config', () => {
  let backend: BackendProcess;
  let prometheus: RunningProcess;
  let base = '';
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'observability-prometheus-'));
    backend = await startBackend();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Same file, with Compose's service names swapped for loopback addresses
    // and the rules glob pointed at this checkout instead of the mount.
    const config = readFileSync(PROMETHEUS_CONFIG, 'utf8')
      .replace(`${PROMETHEUS_MOUNT}/rules/`, `${PROMETHEUS_DIR}/rules/`)
      .replace('backend:5000', `127.0.0.1:${backend.port}`)
      .replace('localhost:9090', `127.0.0.1:${port}`);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    prometheus = startProcess('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await waitForHttp(`${base}/-/ready`, 15_000).catch((error: unknown) => {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n${prometheus.output()}`,
      );
    });
  }, 40_000);

  afterAll(async () => {
    await stopAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
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

  it('scrapes the three jobs', async () => {
    const jobs = async (): Promise<string[]> => {
      const data = await api<{ activeTargets: Array<{ labels: { job: string } }> }>(
        base,
        '/api/v1/targets',
      );
      return data.activeTargets.map((target) => target.labels.job).sort();
    };
    // Static targets appear a moment after /-/ready, once discovery has run.
    await eventually(
      async () => (await jobs()).join() === 'backend,cadvisor,prometheus',
      async () => `targets: ${(await jobs()).join(', ')}`,
      10_000,
    );
  });

  it('every Backend dashboard query returns data from the real backend', async () => {
    const backendQueries = dashboardQueries(loadDashboards()).filter((q) =>
      q.key.startsWith('Backend/'),
    );
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

  it('evaluates the rules without errors (BackendDown inactive while the backend is up)', async () => {
    const data = await api<{
      groups: Array<{ rules: Array<{ name: string; health: string; state?: string }> }>;
    }>(base, '/api/v1/rules');
    const rules = data.groups.flatMap((group) => group.rules);
    expect(rules.filter((rule) => rule.health === 'err')).toEqual([]);
    expect(rules.find((rule) => rule.name === 'BackendDown')?.state).toBe('inactive');
  });
});
