import type { Clock } from '../../../shared/src/clock.ts';
import type { PrometheusClient, PrometheusQueryResult } from '../../../shared/src/prometheus.ts';
import type { Timeline } from './timeline.ts';

/** Prometheus as the drill queries it, answering from the timeline's scrapes and alerts. */
export interface PrometheusOptions {
  /** Every query fails as an unreachable server does. */
  prometheusDown?: boolean;
  /** The backend's up series does not exist (job not scraped). */
  noUpSeries?: boolean;
  /** Throws from the first alerts() call: a probe that throws mid-drill. */
  alertsThrow?: boolean;
}

const PROMETHEUS_URL = 'http://prometheus.test:9090';

/** The range of a range query (`...[90s]`, `...[1m]`) in seconds; undefined for an instant query. */
function rangeSeconds(expr: string): number | undefined {
  const range = /\[(\d+)(s|m)\]$/.exec(expr);
  return range ? Number(range[1]) * (range[2] === 'm' ? 60 : 1) : undefined;
}

const metricOf = (expr: string) => /^(\w+)\{job="backend"\}/.exec(expr)?.[1] ?? '';
const alertnameOf = (expr: string) => /alertname="(\w+)"/.exec(expr)?.[1] ?? '';

export function fakePrometheus(
  clock: Clock,
  line: Timeline,
  options: PrometheusOptions = {},
): { prometheus: PrometheusClient; alertsCalls: () => number } {
  const vector = (value: number | undefined): PrometheusQueryResult => ({
    resultType: 'vector',
    result: value === undefined ? [] : [{ metric: {}, value: [clock.now() / 1000, String(value)] }],
  });
  const series: Record<string, (t: number) => boolean> = {
    up: line.scrapeOk,
    db_up: line.dbUp,
    backend_ready: line.dbUp,
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
                values: line
                  .scrapeTimes(now - seconds * 1000, now)
                  .filter((t) => metric === 'up' || line.scrapeOk(t))
                  .map((t) => [t / 1000, ok(t) ? '1' : '0'] as [number, string]),
              },
            ],
      };
    if (metric !== 'up' && !line.scrapeOk(line.lastScrape(now))) return vector(undefined);
    return vector(absent ? undefined : ok(line.lastScrape(now)) ? 1 : 0);
  };
  /** ALERTS{alertname=...}[range]: one series per state, a sample at each evaluation. */
  const alertsMatrix = (alertname: string, seconds: number): PrometheusQueryResult => {
    const now = clock.now();
    const states: Record<string, [number, string][]> = { pending: [], firing: [] };
    for (const e of line.evaluationTimes(now - seconds * 1000, now)) {
      const a = line.alertAt(alertname, e);
      if (a) states[a.state]?.push([e / 1000, '1']);
    }
    return {
      resultType: 'matrix',
      result: Object.entries(states)
        .filter(([, v]) => v.length > 0)
        .map(([state, values]) => ({ metric: { alertname, alertstate: state }, values })),
    };
  };
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
      answer: (e) => vector(line.alertAt(alertnameOf(e), clock.now()) ? 1 : 0),
    },
  ];
  let alertsCalls = 0;
  const prometheus: PrometheusClient = {
    baseUrl: PROMETHEUS_URL,
    async query(expr) {
      if (options.prometheusDown)
        throw new Error(
          `Prometheus at ${PROMETHEUS_URL} is unreachable (/api/v1/query): connect ECONNREFUSED`,
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
      return line.alertNames.flatMap((name) => {
        const a = line.alertAt(name, clock.now());
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
  return { prometheus, alertsCalls: () => alertsCalls };
}
