import type { ProfileSummary } from './cpu-profile.ts';
import { type Goal, IDS } from './goals.ts';
import type { Summary } from './rounds.ts';

/**
 * The report's closing section: what was cut, and for each goal missed, what the
 * profiles show is left and why it stays. The figures are this run's.
 */
export function whatIsLeft(
  summary: readonly Summary[],
  goals: readonly Goal[],
  poolSize: number,
  connections: number,
  profiles: ReadonlyArray<{ target: string; summary: ProfileSummary }> = [],
): string[] {
  /** The share of a profile's samples that these origins take, as a percentage. */
  const share = (target: string, origins: readonly string[]) => {
    const byOrigin = profiles.find((p) => p.target === target)?.summary.byOrigin ?? [];
    const listed = byOrigin.filter(([o]) => origins.includes(o));
    const sum = listed.reduce((a, [, v]) => a + v, 0);
    // The summary lists the top origins only: one not listed is below the last listed.
    const floor = byOrigin.at(-1)?.[1] ?? 0;
    const unlisted = origins.length - listed.length;
    return unlisted === 0
      ? `${(sum * 100).toFixed(1)}%`
      : `under ${((sum + unlisted * floor) * 100).toFixed(1)}%`;
  };
  const rps = (id: string) => summary.find((s) => s.target === id)?.requestsPerSecond ?? Number.NaN;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const missed = (prefix: string) => goals.some((g) => g.goal.startsWith(prefix) && !g.met);
  const pgSelect = Math.max(rps(IDS.pgSelect), rps(IDS.pgSelectPool));
  const notes = [
    "**Cut.** (1) prom-client's default collectors (event-loop histogram stddev and percentiles, `readdir` of /proc/self/fd, /proc reads, `memoryUsage`, `cpuUsage`: compare the two /metrics profiles) are rendered at most every 500 ms on a registry of their own; the HTTP and database metrics stay fresh at every scrape, and Prometheus, 5 s apart, always gets both fresh (`backend /metrics` is " +
      `${x(rps(IDS.metrics), rps('uncached /metrics'))} \`uncached /metrics\`). (2) helmet's headers are computed once, and metrics, headers and the drain check are one middleware, not three router layers. (3) The notes statements run without BEGIN and COMMIT around them (each is complete on its own): one round trip to Postgres per request instead of three.`,
  ];
  if (missed('GET /metrics')) {
    notes.push(
      "**/metrics against Flask.** What is left in the /metrics profile is the text of the service's own metrics, rendered at every scrape (prom-client's `getMetricsAsString`, `formatLabels`, the histogram's buckets), the socket writes of about 12 KB per answer, the garbage those strings make, and Express's routing. Caching the HTTP metrics too would serve request counts up to the cache's age old to every scrape; dropping default series would break the dashboards and runbooks that read `process_resident_memory_bytes`, `process_start_time_seconds`, `nodejs_heap_size_used_bytes` and `nodejs_eventloop_lag_p99_seconds`. The p99 under load is set by when the single Node process gets a core back on a machine whose load average is above its core count, and by V8's scavenges (a `--trace-gc` run while investigating, not this one, showed 20–46 ms scavenges on this loaded machine); gunicorn's sync worker serves one connection at a time and queues the rest in the kernel, a different tail.",
    );
  }
  if (missed('POST /api/notes')) {
    notes.push(
      `**Writes against pgbench.** The backend holds at most ${poolSize} connections, so at most ${poolSize} commits are in flight: against pgbench at that concurrency (\`pgbench insert, pool size\`) POST runs at ${x(rps(IDS.post), rps(IDS.pgInsertPool))}; against pgbench at wrk's ${connections} clients, where Postgres shares each WAL flush among more commits, at ${x(rps(IDS.post), rps(IDS.pgInsert))}. A larger pool would close some of that gap, but the pool is sized for the stack's one Postgres, not for a benchmark's connection count. The rest of the POST profile is the HTTP work pgbench, a C client that only sends statements, never does (socket writes, Express's router, body parsing, zod, the fingerprint, JSON), plus \`(idle)\`: requests waiting for a pooled connection whose reply is in but not yet read, because the one event loop is busy with other requests. What remains cannot be cut safely: the write is one statement already, its commit must be durable and awaited before the 201 (the API promises it), and Express and the validation stay.`,
    );
  }
  if (missed('GET /api/notes')) {
    notes.push(
      `**Reads against pgbench.** \`GET /\`, which does no database work at all, runs at ${x(rps(IDS.root), pgSelect)} pgbench's select rate: Express's own cost per request (bare node:http, without it, runs at ${x(rps('bare /'), pgSelect)}) is already above what 0.7x allows, so no change to the database access can reach it, and Express stays. The read is one statement (one round trip); what is left in its profile is the HTTP answer, Express, turning 21 rows' timestamps into ISO strings and the JSON of 20 notes.`,
    );
  }
  if (missed('instrumented')) {
    notes.push(
      `**Instrumented against uninstrumented.** The middleware times each request and records one counter and one histogram observation through a cached labelled child; in the \`GET /\` profile, \`backend/src/metrics.ts\` and prom-client together take ${share('GET /', ['backend/src/metrics.ts', 'prom-client'])} of the samples, which is the most it can cost. A gap larger than that is the machine's load moving between the two targets' runs (see the load average above), not the middleware; there is nothing left in it to cut without dropping the series the dashboards and alerts read.`,
    );
  }
  return notes;
}
