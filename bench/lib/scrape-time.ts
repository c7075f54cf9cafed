import { type Counter, type Histogram, Registry } from 'prom-client';
import { createHttpMetrics, createProcessMetrics } from '../../backend/src/metrics.ts';
import { createScrape } from '../../backend/src/scrape.ts';
import { median, percentile } from './stats.ts';

export interface ScrapeTiming {
  readonly series: number;
  readonly bytes: number;
  /** Scrapes that render the process metrics too (the first in 500 ms: each of Prometheus'). */
  readonly coldMs: { p50: number; p99: number };
  /** Scrapes that reuse the process metrics' text (closer together than 500 ms). */
  readonly warmMs: { p50: number; p99: number };
}

/** Route templates × status codes: `series` (method, route, status) series of the HTTP metrics. */
export function syntheticLabels(series: number): Array<Record<string, string>> {
  const statuses = ['200', '201', '204', '400', '404', '405', '413', '415', '422', '503'];
  return Array.from({ length: series }, (_, i) => ({
    method: i % 2 === 0 ? 'GET' : 'POST',
    route: `/api/route${Math.floor(i / statuses.length)}/:id`,
    status_code: statuses[i % statuses.length] ?? '200',
  }));
}

/**
 * The time of one scrape of the backend's registries (createScrape, as GET
 * /metrics renders it) when the HTTP metrics hold `series` series, each with
 * observations in several buckets: the text rendering alone, no HTTP.
 */
export async function timeScrape(series = 200, samples = 200): Promise<ScrapeTiming> {
  const live = new Registry();
  createHttpMetrics(live, { version: 'bench', commit: 'bench' });
  const requests = live.getSingleMetric('http_requests_total') as Counter;
  const duration = live.getSingleMetric('http_request_duration_seconds') as Histogram;
  for (const labels of syntheticLabels(series)) {
    for (const seconds of [0.0004, 0.003, 0.02, 0.3]) {
      requests.inc(labels);
      duration.observe(labels, seconds);
    }
  }
  const processMetrics = createProcessMetrics();
  const cold = createScrape({ live, cached: { registry: processMetrics, maxAgeMs: 0 } });
  const warm = createScrape({ live, cached: { registry: processMetrics, maxAgeMs: 60_000 } });
  const time = async (scrape: typeof cold) => {
    const times: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const start = performance.now();
      await scrape.render();
      times.push(performance.now() - start);
    }
    return { p50: round2(median(times)), p99: round2(percentile(times, 99)) };
  };
  await time(cold); // warm-up: JIT
  const coldMs = await time(cold);
  const warmMs = await time(warm);
  return Object.freeze({ series, bytes: (await warm.render()).length, coldMs, warmMs });
}

const round2 = (n: number) => Number(n.toFixed(2));
