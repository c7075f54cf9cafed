import type { Summary } from './rounds.ts';
import type { ScrapeTiming } from './scrape-time.ts';

export interface Goal {
  readonly goal: string;
  readonly value: string;
  readonly met: boolean;
}

/** The target ids the goals compare (bench/backend.ts builds targets with these ids). */
export const IDS = Object.freeze({
  root: 'backend /',
  metrics: 'backend /metrics',
  uninstrumented: 'uninstrumented /',
  flaskRoot: 'flask /',
  flaskMetrics: 'flask /metrics',
  post: 'backend POST /api/notes',
  list: 'backend GET /api/notes?limit=20',
  pgInsert: 'pgbench insert',
  pgInsertPool: 'pgbench insert, pool size',
  pgSelect: 'pgbench select',
  pgSelectPool: 'pgbench select, pool size',
});

export const SCRAPE_LIMIT_MS = 10;

/** Side-by-side ratios, as the report lists them (NaN where a target is missing). */
export function ratios(summary: readonly Summary[]) {
  const rps = (id: string) => summary.find((s) => s.target === id)?.requestsPerSecond ?? Number.NaN;
  // pgbench's best of the two concurrencies: the stricter reference.
  const pgInsert = Math.max(rps(IDS.pgInsert), rps(IDS.pgInsertPool));
  const pgSelect = Math.max(rps(IDS.pgSelect), rps(IDS.pgSelectPool));
  return Object.freeze({
    backendVsFlask: rps(IDS.root) / rps(IDS.flaskRoot),
    backendMetricsVsFlaskMetrics: rps(IDS.metrics) / rps(IDS.flaskMetrics),
    postVsPgbenchInsert: rps(IDS.post) / pgInsert,
    listVsPgbenchSelect: rps(IDS.list) / pgSelect,
    instrumentedVsUninstrumented: rps(IDS.root) / rps(IDS.uninstrumented),
  });
}

/** The goals, each with its measured value and whether it is met. */
export function evaluateGoals(summary: readonly Summary[], scrape: ScrapeTiming): Goal[] {
  const r = ratios(summary);
  const p99 = (id: string) => summary.find((s) => s.target === id)?.p99Ms ?? Number.NaN;
  const x = (n: number) => `${n.toFixed(2)}x`;
  const rps = (id: string) => summary.find((s) => s.target === id)?.requestsPerSecond ?? Number.NaN;
  const bySide = (ours: string, wide: string, pool: string) =>
    `${x(rps(ours) / rps(wide))} of \`${wide}\`, ${x(rps(ours) / rps(pool))} of \`${pool}\``;
  return [
    { goal: 'GET / req/s >= 2x Flask', value: x(r.backendVsFlask), met: r.backendVsFlask >= 2 },
    {
      goal: 'GET /metrics req/s >= 1.5x Flask',
      value: x(r.backendMetricsVsFlaskMetrics),
      met: r.backendMetricsVsFlaskMetrics >= 1.5,
    },
    {
      goal: 'GET /metrics p99 under load < Flask',
      value: `${p99(IDS.metrics)} ms vs ${p99(IDS.flaskMetrics)} ms`,
      met: p99(IDS.metrics) < p99(IDS.flaskMetrics),
    },
    {
      goal: `one scrape with ${scrape.series} series < ${SCRAPE_LIMIT_MS} ms (median, process metrics rendered too)`,
      value: `${scrape.coldMs.p50} ms (cached: ${scrape.warmMs.p50} ms)`,
      met: scrape.coldMs.p50 < SCRAPE_LIMIT_MS,
    },
    {
      goal: 'POST /api/notes req/s >= 0.7x pgbench insert (the faster of its two concurrencies)',
      value: `${x(r.postVsPgbenchInsert)} (${bySide(IDS.post, IDS.pgInsert, IDS.pgInsertPool)})`,
      met: r.postVsPgbenchInsert >= 0.7,
    },
    {
      goal: 'GET /api/notes?limit=20 req/s >= 0.7x pgbench select (the faster of its two concurrencies)',
      value: `${x(r.listVsPgbenchSelect)} (${bySide(IDS.list, IDS.pgSelect, IDS.pgSelectPool)})`,
      met: r.listVsPgbenchSelect >= 0.7,
    },
    {
      goal: 'instrumented >= 0.95x uninstrumented',
      value: x(r.instrumentedVsUninstrumented),
      met: r.instrumentedVsUninstrumented >= 0.95,
    },
  ].map((g) => Object.freeze(g));
}
