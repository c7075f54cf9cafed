import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createPrometheus,
  type PrometheusClient,
  type PrometheusQueryResult,
} from '../actions/shared/src/prometheus.ts';
import { loadDashboards } from '../observability/test/dashboards.ts';
import { RUNNABLE_SERVICES, startStack, type TestStack } from './support/stack.ts';
import { describeWithTools } from './support/tools.ts';

// The real docker-compose.yml, our real images, on the real engine. Grafana is the one
// service left out: no registry is reachable here and there is no stand-in for it (its
// provisioning and dashboards are checked by schema and by promtool in npm test).
/** name label (or '') -> value of an instant vector. */
function vector(result: PrometheusQueryResult): Map<string, number> {
  if (result.resultType !== 'vector')
    throw new Error(`expected a vector, got ${result.resultType}`);
  const samples = result.result as readonly {
    metric: Record<string, string>;
    value?: readonly [number, string];
  }[];
  return new Map(samples.map((s) => [s.metric.name ?? '', Number(s.value?.[1])]));
}

describeWithTools(['docker', 'docker-compose'], 'the Compose stack, end to end', () => {
  let stack: TestStack;
  let prometheus: PrometheusClient;

  beforeAll(async () => {
    process.stdout.write(
      `[stack e2e] starting ${RUNNABLE_SERVICES.join(', ')}; grafana is not started (no image on this machine)\n`,
    );
    stack = await startStack();
    prometheus = createPrometheus(await stack.url('prometheus', 9090));
  });

  afterAll(async () => {
    await stack?.down();
  });

  it('has every started service healthy', async () => {
    const containers = await stack.containers();
    expect(containers.map((c) => c.service).sort()).toEqual([...RUNNABLE_SERVICES].sort());
    for (const c of containers)
      expect({ service: c.service, health: c.health }).toEqual({
        service: c.service,
        health: 'healthy',
      });
  });

  it('lets Prometheus scrape the backend through the Compose network (up == 1)', async () => {
    await prometheus.waitUntil(
      async () => {
        const value = vector(await prometheus.query('up{job="backend"}')).get('');
        return value === 1 || `up{job="backend"} is ${value ?? 'absent'}`;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    const targets = await prometheus.targets();
    expect(targets.find((t) => t.labels.job === 'backend')?.scrapeUrl).toBe(
      'http://backend:5000/metrics',
    );
  });

  it('scrapes the Postgres exporter (target up), which reaches Postgres (pg_up == 1)', async () => {
    await prometheus.waitUntil(
      async () => {
        const target = (await prometheus.targets()).find((t) => t.labels.job === 'postgres');
        const pgUp = vector(await prometheus.query('pg_up{job="postgres"}')).get('');
        return (
          (target?.health === 'up' && pgUp === 1) ||
          `postgres target ${target?.health ?? 'absent'} (${target?.lastError ?? ''}), pg_up ${pgUp ?? 'absent'}`
        );
      },
      { timeoutMs: 60_000, intervalMs: 2000 },
    );
    const targets = await prometheus.targets();
    expect(targets.find((t) => t.labels.job === 'postgres')?.scrapeUrl).toBe(
      'http://postgres-exporter:9187/metrics',
    );
  });

  it('delivers Watchdog from Prometheus to Alertmanager: the alerting path works', async () => {
    const alertmanager = await stack.url('alertmanager', 9093);
    const deadline = Date.now() + 60_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${alertmanager}/api/v2/alerts?filter=alertname%3D%22Watchdog%22`);
      const alerts = (await res.json()) as Array<{
        labels: Record<string, string>;
        receivers: Array<{ name: string }>;
      }>;
      seen = alerts.flatMap((a) => a.receivers.map((r) => `${a.labels.alertname}->${r.name}`));
      if (seen.includes('Watchdog->watchdog')) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(seen).toEqual(['Watchdog->watchdog']);
  });

  it('serves the status API through the frontend proxy', async () => {
    const res = await fetch(`${await stack.url('frontend', 8080)}/api/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      service: string;
      status: string;
      secretConfigured: boolean;
    };
    expect(body).toMatchObject({ service: 'backend', status: 'ok', secretConfigured: true });
  });

  it('sees the backend request counter rise in Prometheus after traffic', async () => {
    const total = async () => {
      const result = await prometheus.query('sum(http_requests_total{job="backend",route="/"})');
      return vector(result).get('') ?? 0;
    };
    const before = await total();
    const backend = await stack.url('backend', 5000);
    for (let i = 0; i < 25; i += 1) expect((await fetch(`${backend}/`)).status).toBe(200);
    await prometheus.waitUntil(
      async () => {
        const now = await total();
        return now >= before + 25 || `counter went from ${before} to ${now}, expected +25`;
      },
      { timeoutMs: 20_000, intervalMs: 1000 },
    );
  });

  it("answers the Containers dashboard's CPU and memory queries for each of our containers", async () => {
    const containers = loadDashboards().find((d) => d.file === 'containers.json')?.dashboard;
    expect(containers).toBeDefined();
    const panels = containers?.panels ?? [];
    const cpu = panels.find((p) => /cpu/i.test(p.title))?.targets[0]?.expr;
    const memory = panels.find((p) => /^memory usage/i.test(p.title))?.targets[0]?.expr;
    expect(cpu).toBeDefined();
    expect(memory).toBeDefined();
    const names = (await stack.containers()).map((c) => c.name);
    for (const expr of [cpu, memory]) {
      const promql = (expr ?? '').replaceAll('$__rate_interval', '1m');
      // rate() needs two cAdvisor samples: wait for them rather than assume.
      await prometheus.waitUntil(
        async () => {
          const seen = vector(await prometheus.query(promql));
          const missing = names.filter((n) => !(Number(seen.get(n)) >= 0));
          return missing.length === 0 || `no value yet for ${missing.join(', ')} in ${promql}`;
        },
        { timeoutMs: 60_000, intervalMs: 2000 },
      );
    }
    const backendName = names.find((n) => /backend/.test(n)) ?? 'backend';
    const backendMemory = vector(await prometheus.query(memory ?? '')).get(backendName);
    // A live Node process: more than 10 MiB, less than its 256 MiB limit.
    expect(backendMemory).toBeGreaterThan(10 * 1024 * 1024);
    expect(backendMemory).toBeLessThan(256 * 1024 * 1024);
  });
});
