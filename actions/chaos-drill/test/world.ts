/**
 * A simulated stack for drill unit tests: a discrete-event clock (sleepers wake in time
 * order, so parallel watchers and the load share one consistent virtual time), a backend
 * that is up or down, Prometheus scraping it every 5 s and evaluating BackendDown
 * (for: 10s) every 5 s, and the frontend's JSON 503 while it is down.
 */
import type { Clock } from '../../shared/src/clock.ts';
import type { Compose } from '../../shared/src/compose.ts';
import type { ServiceAction, ServiceControl } from '../../shared/src/compose-service.ts';
import type { PrometheusClient, PrometheusQueryResult } from '../../shared/src/prometheus.ts';
import type { DockerOps } from '../src/docker-ops.ts';
import type { DrillDeps } from '../src/drill.ts';
import type { HttpClient } from '../src/http.ts';
import type { FaultMarker, MarkerStore } from '../src/markers.ts';
import { staticTargets } from '../src/probes.ts';
import type { ToxiproxyApi } from '../src/toxiproxy.ts';

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
  /** A stopped container exits with this code (0: it drained in time). */
  stopExitCode?: number;
}

const SCRAPE = 5000;
const SCRAPE_OFFSET = 1200;
const EVAL_OFFSET = 3200;
/** How long a slow backend (CPU starved, slow database) takes to answer, ms. */
const SLOW_MS = 600;

type Mode = 'up' | 'down' | 'slow';

/** The range of a range query (`...[90s]`, `...[1m]`) in seconds; undefined for an instant query. */
function rangeSeconds(expr: string): number | undefined {
  const range = /\[(\d+)(s|m)\]$/.exec(expr);
  return range ? Number(range[1]) * (range[2] === 'm' ? 60 : 1) : undefined;
}

/**
 * Two services, backend and db, each up, down or slow over time. The backend's scrape fails
 * while it is down (killed, stopped, paused, OOM-killed); db_up is 0 while db is down
 * (killed, cut off); a slow backend or database makes every answer take SLOW_MS. Alerts:
 * BackendDown (backend down), PostgresDown (db down), BackendHighLatencyP95 (slow), each
 * pending at the first evaluation that sees it and firing 10 s later.
 */
export function world(options: WorldOptions = {}) {
  const clock = eventClock();
  const t0 = clock.now();
  const history: Record<string, { at: number; mode: Mode }[]> = {
    backend: [{ at: t0 - 600_000, mode: options.startDown ? 'down' : 'up' }],
    db: [{ at: t0 - 600_000, mode: 'up' }],
  };
  const actions: string[] = [];
  const set = (service: string, mode: Mode, at = clock.now()) => {
    const list = history[service === 'toxiproxy' ? 'db' : service];
    if (!list) return;
    list.push({ at, mode });
    list.sort((a, b) => a.at - b.at);
  };
  const modeAt = (service: string, t: number): Mode =>
    [...(history[service] ?? [])].reverse().find((x) => x.at <= t)?.mode ?? 'up';
  const aliveAt = (t: number) => modeAt('backend', t) !== 'down';
  // The backend answers /metrics ~1 s after it starts (Node boot).
  const scrapeOk = (t: number) => aliveAt(t) && aliveAt(t - 1000);
  const dbUp = (t: number) => scrapeOk(t) && modeAt('db', t) !== 'down';
  const slow = (t: number) => modeAt('backend', t) === 'slow' || modeAt('db', t) === 'slow';
  const scrapeTimes = (from: number, to: number) => {
    const out: number[] = [];
    for (
      let k = Math.ceil((from - SCRAPE_OFFSET) / SCRAPE);
      k * SCRAPE + SCRAPE_OFFSET <= to;
      k += 1
    )
      out.push(k * SCRAPE + SCRAPE_OFFSET);
    return out;
  };
  const lastScrape = (t: number) =>
    Math.floor((t - SCRAPE_OFFSET) / SCRAPE) * SCRAPE + SCRAPE_OFFSET;
  const conditions: Record<string, (scrape: number) => boolean> = {
    BackendDown: (s) => !scrapeOk(s),
    PostgresDown: (s) => scrapeOk(s) && !dbUp(s),
    BackendHighLatencyP95: (s) => scrapeOk(s) && slow(s),
  };
  /** Alert state at an instant: pending after the first evaluation that sees it, firing 10 s later. */
  const alertAt = (
    name: string,
    t: number,
  ): { state: 'pending' | 'firing'; activeAt: number } | undefined => {
    const holds = conditions[name];
    if (!holds) return undefined;
    let activeAt: number | undefined;
    for (let e = t - 120_000; e <= t; e += SCRAPE) {
      const ev = Math.floor((e - EVAL_OFFSET) / SCRAPE) * SCRAPE + EVAL_OFFSET;
      activeAt = holds(lastScrape(ev)) ? (activeAt ?? ev) : undefined;
    }
    if (activeAt === undefined) return undefined;
    const ev = Math.floor((t - EVAL_OFFSET) / SCRAPE) * SCRAPE + EVAL_OFFSET;
    return { state: ev - activeAt >= 10_000 ? 'firing' : 'pending', activeAt };
  };
  const vector = (value: number | undefined): PrometheusQueryResult => ({
    resultType: 'vector',
    result: value === undefined ? [] : [{ metric: {}, value: [clock.now() / 1000, String(value)] }],
  });
  const series: Record<string, (t: number) => boolean> = {
    up: scrapeOk,
    db_up: dbUp,
    backend_ready: dbUp,
  };
  /** The backend's up, db_up or backend_ready: raw samples over a range, else the last scrape. */
  const seriesAnswer = (metric: string, seconds: number | undefined): PrometheusQueryResult => {
    const ok = series[metric] as (t: number) => boolean;
    const absent = options.noUpSeries && metric === 'up';
    const now = clock.now();
    if (seconds !== undefined)
      return {
        resultType: 'matrix',
        result: absent
          ? []
          : [
              {
                metric: { job: 'backend' },
                values: scrapeTimes(now - seconds * 1000, now)
                  .filter((t) => metric === 'up' || scrapeOk(t))
                  .map((t) => [t / 1000, ok(t) ? '1' : '0'] as [number, string]),
              },
            ],
      };
    if (metric !== 'up' && !scrapeOk(lastScrape(now))) return vector(undefined);
    return vector(absent ? undefined : ok(lastScrape(now)) ? 1 : 0);
  };
  /** ALERTS{alertname=...}[range]: one series per state, a sample at each evaluation. */
  const alertsMatrix = (alertname: string, seconds: number): PrometheusQueryResult => {
    const now = clock.now();
    const states: Record<string, [number, string][]> = { pending: [], firing: [] };
    for (
      let e = Math.ceil((now - seconds * 1000 - EVAL_OFFSET) / SCRAPE) * SCRAPE + EVAL_OFFSET;
      e <= now;
      e += SCRAPE
    ) {
      const a = alertAt(alertname, e);
      if (a) states[a.state]?.push([e / 1000, '1']);
    }
    return {
      resultType: 'matrix',
      result: Object.entries(states)
        .filter(([, v]) => v.length > 0)
        .map(([state, values]) => ({ metric: { alertname, alertstate: state }, values })),
    };
  };
  const metricOf = (expr: string) => /^(\w+)\{job="backend"\}/.exec(expr)?.[1] ?? '';
  const alertnameOf = (expr: string) => /alertname="(\w+)"/.exec(expr)?.[1] ?? '';
  /** The queries the drill makes, each with its answer; the first that matches answers. */
  const queries: readonly {
    readonly matches: (expr: string) => boolean;
    readonly answer: (expr: string) => PrometheusQueryResult;
  }[] = [
    { matches: (e) => e === 'vector(1)', answer: () => vector(1) },
    {
      matches: (e) => Object.hasOwn(series, metricOf(e)),
      answer: (e) => seriesAnswer(metricOf(e), rangeSeconds(e)),
    },
    {
      // Another job's up: not scraped.
      matches: (e) => e.startsWith('up{'),
      answer: (e) =>
        rangeSeconds(e) !== undefined ? { resultType: 'matrix', result: [] } : vector(undefined),
    },
    {
      matches: (e) => e.startsWith('ALERTS{') && rangeSeconds(e) !== undefined,
      answer: (e) => alertsMatrix(alertnameOf(e), rangeSeconds(e) as number),
    },
    {
      matches: (e) => e.startsWith('count(ALERTS'),
      answer: (e) => vector(alertAt(alertnameOf(e), clock.now()) ? 1 : 0),
    },
  ];
  let alertsCalls = 0;
  const prometheus: PrometheusClient = {
    baseUrl: 'http://prometheus.test:9090',
    async query(expr) {
      if (options.prometheusDown)
        throw new Error(
          'Prometheus at http://prometheus.test:9090 is unreachable (/api/v1/query): connect ECONNREFUSED',
        );
      const known = queries.find((q) => q.matches(expr));
      if (!known) throw new Error(`unexpected query ${expr}`);
      return known.answer(expr);
    },
    queryRange: async () => {
      throw new Error('not used');
    },
    targets: async () => [],
    targetsJson: async () => ({}),
    async alerts() {
      alertsCalls += 1;
      if (options.alertsThrow) throw new Error('alerts API exploded');
      return Object.keys(conditions).flatMap((name) => {
        const a = alertAt(name, clock.now());
        return a
          ? [
              {
                labels: { alertname: name },
                annotations: {},
                state: a.state,
                activeAt: new Date(a.activeAt).toISOString(),
              },
            ]
          : [];
      });
    },
    waitUntil: async () => undefined,
  };
  const answer = (url: string, status: number, body: string, startedAt: number) => ({
    url,
    status,
    body,
    timedOut: false,
    startedAt,
    endedAt: clock.now(),
  });
  /** How long an answer takes: slow while starved, a refused /healthz waits out its probe. */
  const answerDelay = (url: string, alive: boolean, slowNow: boolean, timeoutMs: number) => {
    if (alive) return slowNow ? Math.min(SLOW_MS, timeoutMs) : 5;
    return url.includes('healthz') ? Math.min(timeoutMs, 300) : 40;
  };
  const healthzAnswer = (url: string, alive: boolean, startedAt: number) =>
    alive && !options.healthzDown
      ? answer(url, 200, '{"status":"ok"}', startedAt)
      : { url, body: '', error: 'ECONNREFUSED', timedOut: false, startedAt, endedAt: clock.now() };
  /** What a running backend answers, with the database up or down. */
  const backendAnswer = (url: string, db: boolean, startedAt: number) => {
    if (url.includes('readyz'))
      return db
        ? answer(url, 200, '{"status":"ready"}', startedAt)
        : answer(url, 503, '{"status":"not_ready"}', startedAt);
    if (url.includes('/api/notes') && !db)
      return answer(url, 503, '{"error":{"status":503,"code":"database_unavailable"}}', startedAt);
    return answer(
      url,
      200,
      `{"service":"backend","status":"ok","database":"${db ? 'up' : 'down'}"}`,
      startedAt,
    );
  };
  const http: HttpClient = {
    async get(url, timeoutMs) {
      const startedAt = clock.now();
      // Read before the wait: a fault during it is dated back, and must not change this answer.
      const alive = scrapeOk(startedAt);
      const db = modeAt('db', startedAt) !== 'down';
      await clock.sleep(answerDelay(url, alive, slow(startedAt), timeoutMs));
      if (url.includes('healthz')) return healthzAnswer(url, alive, startedAt);
      if (!alive)
        return answer(url, 503, '{"error":{"status":503,"code":"backend_unavailable"}}', startedAt);
      return backendAnswer(url, db, startedAt);
    },
  };
  const compose = {
    flavor: { version: 'v1', command: 'docker-compose', prefix: [], release: '1.29.2' },
    project: { files: ['docker-compose.yml'], projectName: 'drilltest' },
    services: async () =>
      options.services ?? ['backend', 'frontend', 'prometheus', 'db', 'toxiproxy'],
  } as unknown as Compose;
  const containers: Record<
    string,
    {
      paused: boolean;
      networks: string[];
      restartCount: number;
      oomKilled: boolean;
      exitCode: number;
      finishedAt: number;
    }
  > = {};
  const container = (service: string) => {
    containers[service] ??= {
      paused: false,
      networks: ['drilltest_default'],
      restartCount: 0,
      oomKilled: false,
      exitCode: 0,
      finishedAt: 0,
    };
    return containers[service];
  };
  const serviceOf = (id: string) => id.replace(/^id-/, '');
  type Container = ReturnType<typeof container>;
  /** What each Compose action does to the service's history and its container. */
  const effects: Partial<Record<ServiceAction, (service: string, c: Container) => void>> = {
    kill: (service, c) => {
      set(service, 'down', clock.now() - 100);
      c.finishedAt = clock.now() - 100;
      c.exitCode = 137;
      if (options.faultThrows)
        throw new Error('`docker-compose kill` exited with code 1: lost the engine');
    },
    stop: (service, c) => {
      set(service, 'down', clock.now() - 100);
      c.finishedAt = clock.now() - 100;
      c.exitCode = options.stopExitCode ?? 0;
    },
    restart: (service, c) => {
      set(service, 'down', clock.now() - 200);
      set(service, 'up', clock.now() + 700);
      c.finishedAt = clock.now() - 200;
    },
    pause: (service, c) => {
      c.paused = true;
      set(service, 'down');
    },
    up: (service, c) => resume(service, c),
    unpause: (service, c) => resume(service, c),
  };
  const resume = (service: string, c: Container) => {
    if (options.recoveryFails) throw new Error('`docker-compose up` exited with code 1: boom');
    c.paused = false;
    set(service, 'up');
  };
  const control: ServiceControl = {
    compose,
    async act(action, service) {
      actions.push(`${action} ${service}`);
      await clock.sleep(300);
      effects[action]?.(service, container(service));
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    containersOf: async (service) => [
      {
        id: `id-${service}`,
        name: `drilltest_${service}_1`,
        service,
        state: container(service).paused
          ? 'paused'
          : modeAt(service, clock.now()) === 'down' && service !== 'db'
            ? 'exited'
            : 'running',
        health: 'healthy',
        exitCode: container(service).exitCode,
      },
    ],
    finishedAt: async (id) => new Date(container(serviceOf(id)).finishedAt),
    publishedUrl: async (service) => `http://${service}.test`,
  };
  const docker: DockerOps = {
    async inspect(id) {
      const service = serviceOf(id);
      const c = container(service);
      return {
        id,
        name: `drilltest_${service}_1`,
        networks: Object.fromEntries(
          c.networks.map((n) => [n, { aliases: [service, id.slice(0, 12)] }]),
        ),
        cpuQuota: 0,
        cpuPeriod: 0,
        memory: 256 * 1024 * 1024,
        memorySwap: 512 * 1024 * 1024,
        oomKilled: c.oomKilled,
        restartCount: c.restartCount,
        status: c.paused ? 'paused' : 'running',
      };
    },
    async update(id, flags) {
      const service = serviceOf(id);
      actions.push(`update ${service} ${flags.join(' ')}`);
      await clock.sleep(50);
      const value = (flag: string) => Number(flags[flags.indexOf(flag) + 1]);
      if (flags.includes('--cpu-quota')) set(service, value('--cpu-quota') === -1 ? 'up' : 'slow');
      if (flags.includes('--memory')) {
        const c = container(service);
        if (value('--memory') < 64 * 1024 * 1024) {
          // The OOM killer, then the restart policy: back in 2 s, killed again while the limit stays.
          c.oomKilled = true;
          set(service, 'down', clock.now() + 500);
          const bump = () => {
            c.restartCount += 1;
          };
          void clock.sleep(2500).then(bump);
        } else set(service, 'up', clock.now() + 1000);
      }
    },
    async disconnect(network, id) {
      actions.push(`disconnect ${network} ${serviceOf(id)}`);
      const c = container(serviceOf(id));
      c.networks = c.networks.filter((n) => n !== network);
      set(serviceOf(id), 'down');
    },
    async connect(network, id, aliases) {
      actions.push(`connect ${network} ${serviceOf(id)} ${aliases.join(',')}`);
      container(serviceOf(id)).networks.push(network);
      set(serviceOf(id), 'up');
    },
  };
  const toxics = new Set<string>();
  const toxiproxy = (url: string): ToxiproxyApi => ({
    url,
    toxics: async () => [...toxics],
    async addToxic(proxy, toxic) {
      actions.push(`toxic add ${proxy} ${toxic.type} ${toxic.attributes.latency}`);
      toxics.add(toxic.name);
      set('db', 'slow');
    },
    async removeToxic(proxy, name) {
      actions.push(`toxic remove ${proxy} ${name}`);
      toxics.delete(name);
      set('db', 'up');
    },
  });
  const deps = (extra: Partial<DrillDeps> = {}): DrillDeps => ({
    prometheus,
    http,
    control,
    docker,
    toxiproxy,
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
    docker,
    toxiproxy,
    control,
    alertsCalls: () => alertsCalls,
    /** Whether the backend answers now (it takes ~1 s to boot). */
    backendUp: () => aliveAt(clock.now()) && aliveAt(clock.now() - 1000),
    /** The services' modes now: what a test checks to see that the stack is whole. */
    modes: () => ({ backend: modeAt('backend', clock.now()), db: modeAt('db', clock.now()) }),
  };
}

/** A MarkerStore in memory: what a crashed drill leaves behind, without a file system. */
export function memoryMarkers(): MarkerStore & { all(): FaultMarker[] } {
  const markers = new Map<string, FaultMarker>();
  return {
    put: async (m) => {
      markers.set(`${m.project}--${m.experiment}`, structuredClone(m));
    },
    remove: async (project, experiment) => {
      markers.delete(`${project}--${experiment}`);
    },
    list: async (project) => [...markers.values()].filter((m) => m.project === project),
    all: () => [...markers.values()],
  };
}
