/**
 * A simulated stack for drill unit tests: a discrete-event clock (sleepers wake in time
 * order, so parallel watchers and the load share one consistent virtual time), a backend
 * that is up or down, Prometheus scraping it every 5 s and evaluating BackendDown
 * (for: 10s) every 5 s, and the frontend's JSON 503 while it is down.
 */
import type { Clock } from '../../shared/src/clock.ts';
import type { Compose } from '../../shared/src/compose.ts';
import type { ServiceControl } from '../../shared/src/compose-service.ts';
import type { PrometheusClient, PrometheusQueryResult } from '../../shared/src/prometheus.ts';
import type { DrillDeps } from '../src/drill.ts';
import type { HttpClient } from '../src/http.ts';
import { staticTargets } from '../src/probes.ts';

export function eventClock(start = Date.parse('2026-11-26T12:00:00.000Z')): Clock {
  let now = start;
  const sleepers: { wake: number; resolve: () => void }[] = [];
  let scheduled = false;
  const tick = () => {
    scheduled = false;
    sleepers.sort((a, b) => a.wake - b.wake);
    const next = sleepers.shift();
    if (!next) return;
    now = Math.max(now, next.wake);
    next.resolve();
    if (sleepers.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(tick);
  };
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ wake: now + ms, resolve });
        schedule();
      }),
  };
}

export interface WorldOptions {
  services?: string[];
  prometheusDown?: boolean;
  /** The backend's up series does not exist (job not scraped). */
  noUpSeries?: boolean;
  /** The backend never comes back (recovery command fails). */
  recoveryFails?: boolean;
  startDown?: boolean;
  /** Throws from the first alerts() call: a probe that throws mid-drill. */
  alertsThrow?: boolean;
  /** /healthz fails although the container runs. */
  healthzDown?: boolean;
  /** The fault command kills the backend, then exits non-zero. */
  faultThrows?: boolean;
}

const SCRAPE = 5000;
const SCRAPE_OFFSET = 1200;
const EVAL_OFFSET = 3200;

export function world(options: WorldOptions = {}) {
  const clock = eventClock();
  const t0 = clock.now();
  const transitions: { at: number; alive: boolean }[] = [
    { at: t0 - 600_000, alive: !options.startDown },
  ];
  const actions: string[] = [];
  const aliveAt = (t: number) => [...transitions].reverse().find((x) => x.at <= t)?.alive ?? true;
  // The backend answers /metrics ~1 s after it starts (Node boot).
  const scrapeOk = (t: number) => aliveAt(t) && aliveAt(t - 1000);
  const scrapes = (from: number, to: number) => {
    const out: [number, string][] = [];
    for (
      let k = Math.ceil((from - SCRAPE_OFFSET) / SCRAPE);
      k * SCRAPE + SCRAPE_OFFSET <= to;
      k += 1
    ) {
      const t = k * SCRAPE + SCRAPE_OFFSET;
      out.push([t / 1000, scrapeOk(t) ? '1' : '0']);
    }
    return out;
  };
  const lastScrape = (t: number) =>
    Math.floor((t - SCRAPE_OFFSET) / SCRAPE) * SCRAPE + SCRAPE_OFFSET;
  /** Alert state at an evaluation instant: pending after the first 0, firing 10 s later. */
  const alertAt = (t: number): { state: 'pending' | 'firing'; activeAt: number } | undefined => {
    let activeAt: number | undefined;
    for (let e = t - 120_000; e <= t; e += SCRAPE) {
      const ev = Math.floor((e - EVAL_OFFSET) / SCRAPE) * SCRAPE + EVAL_OFFSET;
      const down = !scrapeOk(lastScrape(ev));
      activeAt = down ? (activeAt ?? ev) : undefined;
    }
    if (activeAt === undefined) return undefined;
    const ev = Math.floor((t - EVAL_OFFSET) / SCRAPE) * SCRAPE + EVAL_OFFSET;
    return { state: ev - activeAt >= 10_000 ? 'firing' : 'pending', activeAt };
  };
  const vector = (value: number | undefined): PrometheusQueryResult => ({
    resultType: 'vector',
    result: value === undefined ? [] : [{ metric: {}, value: [clock.now() / 1000, String(value)] }],
  });
  let alertsCalls = 0;
  const prometheus: PrometheusClient = {
    baseUrl: 'http://prometheus.test:9090',
    async query(expr) {
      if (options.prometheusDown)
        throw new Error(
          'Prometheus at http://prometheus.test:9090 is unreachable (/api/v1/query): connect ECONNREFUSED',
        );
      const now = clock.now();
      const range = /\[(\d+)(s|m)\]$/.exec(expr);
      if (expr === 'vector(1)') return vector(1);
      if (expr.startsWith('up{') && range) {
        const seconds = Number(range[1]) * (range[2] === 'm' ? 60 : 1);
        return {
          resultType: 'matrix',
          result: options.noUpSeries
            ? []
            : [{ metric: { job: 'backend' }, values: scrapes(now - seconds * 1000, now) }],
        };
      }
      if (expr.startsWith('up{'))
        return vector(options.noUpSeries ? undefined : scrapeOk(lastScrape(now)) ? 1 : 0);
      if (expr.startsWith('ALERTS{') && range) {
        const seconds = Number(range[1]);
        const series: Record<string, [number, string][]> = { pending: [], firing: [] };
        for (
          let e = Math.ceil((now - seconds * 1000 - EVAL_OFFSET) / SCRAPE) * SCRAPE + EVAL_OFFSET;
          e <= now;
          e += SCRAPE
        ) {
          const a = alertAt(e);
          if (a) series[a.state]?.push([e / 1000, '1']);
        }
        return {
          resultType: 'matrix',
          result: Object.entries(series)
            .filter(([, v]) => v.length > 0)
            .map(([state, values]) => ({
              metric: { alertname: 'BackendDown', alertstate: state },
              values,
            })),
        };
      }
      if (expr.startsWith('count(ALERTS')) return vector(alertAt(now) ? 1 : 0);
      throw new Error(`unexpected query ${expr}`);
    },
    queryRange: async () => {
      throw new Error('not used');
    },
    targets: async () => [],
    targetsJson: async () => ({}),
    async alerts() {
      alertsCalls += 1;
      if (options.alertsThrow) throw new Error('alerts API exploded');
      const a = alertAt(clock.now());
      return a
        ? [
            {
              labels: { alertname: 'BackendDown' },
              annotations: {},
              state: a.state,
              activeAt: new Date(a.activeAt).toISOString(),
            },
          ]
        : [];
    },
    waitUntil: async () => undefined,
  };
  const http: HttpClient = {
    async get(url, timeoutMs) {
      const startedAt = clock.now();
      const alive = aliveAt(startedAt) && aliveAt(startedAt - 1000);
      await clock.sleep(alive ? 5 : url.includes('healthz') ? Math.min(timeoutMs, 300) : 40);
      const endedAt = clock.now();
      if (url.includes('healthz'))
        return alive && !options.healthzDown
          ? { url, status: 200, body: '{"status":"ok"}', timedOut: false, startedAt, endedAt }
          : { url, body: '', error: 'ECONNREFUSED', timedOut: false, startedAt, endedAt };
      return alive
        ? {
            url,
            status: 200,
            body: '{"service":"backend","status":"ok"}',
            timedOut: false,
            startedAt,
            endedAt,
          }
        : {
            url,
            status: 503,
            body: '{"error":{"status":503,"code":"backend_unavailable"}}',
            timedOut: false,
            startedAt,
            endedAt,
          };
    },
  };
  const compose = {
    flavor: { version: 'v1', command: 'docker-compose', prefix: [], release: '1.29.2' },
    project: { files: ['docker-compose.yml'], projectName: 'drilltest' },
    services: async () => options.services ?? ['backend', 'frontend', 'prometheus'],
  } as unknown as Compose;
  const control: ServiceControl = {
    compose,
    async act(action, service) {
      actions.push(`${action} ${service}`);
      await clock.sleep(300);
      if (action === 'kill' || action === 'stop')
        transitions.push({ at: clock.now() - 100, alive: false });
      if (action === 'kill' && options.faultThrows)
        throw new Error('`docker-compose kill` exited with code 1: lost the engine');
      if (action === 'up' || action === 'unpause') {
        if (options.recoveryFails) throw new Error('`docker-compose up` exited with code 1: boom');
        transitions.push({ at: clock.now(), alive: true });
      }
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    containersOf: async (service) => [
      {
        id: 'abc123',
        name: `drilltest_${service}_1`,
        service,
        state: aliveAt(clock.now()) ? 'running' : 'exited',
        health: 'healthy',
        exitCode: 0,
      },
    ],
    finishedAt: async () => new Date(transitions.at(-1)?.at ?? 0),
    publishedUrl: async (service) => `http://${service}.test`,
  };
  const deps = (extra: Partial<DrillDeps> = {}): DrillDeps => ({
    prometheus,
    http,
    control,
    clock,
    targets: staticTargets({
      frontend: 'http://frontend.test',
      backend: 'http://backend.test',
      prometheus: prometheus.baseUrl,
    }),
    ...extra,
  });
  return {
    clock,
    actions,
    deps,
    alertsCalls: () => alertsCalls,
    /** Whether the backend answers now (it takes ~1 s to boot). */
    backendUp: () => aliveAt(clock.now()) && aliveAt(clock.now() - 1000),
  };
}
