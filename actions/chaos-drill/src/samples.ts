/**
 * Prometheus' own timestamps: raw samples of a range-vector instant query
 * (`up{job="backend"}[120s]` evaluated now) carry the time of each scrape, and ALERTS
 * samples the time of each rule evaluation. All arithmetic here is pure.
 */
import type { PrometheusQueryResult, PrometheusSample } from '../../shared/src/prometheus.ts';

export interface RawSample {
  /** Milliseconds since the epoch (Prometheus' float seconds × 1000, rounded). */
  readonly at: number;
  readonly value: number;
}

/** `expr[Ns]` covering `from` up to `now` plus `marginSeconds`. */
export function rangeSelector(expr: string, from: number, now: number, marginSeconds = 30): string {
  const seconds = Math.max(1, Math.ceil((now - from) / 1000)) + marginSeconds;
  return `${expr}[${seconds}s]`;
}

/** Every sample of a matrix (of the series `match` accepts), merged and sorted by time. */
export function rawSamples(
  result: PrometheusQueryResult,
  match: (metric: Readonly<Record<string, string>>) => boolean = () => true,
): RawSample[] {
  if (result.resultType !== 'matrix') {
    throw new Error(
      `expected a range vector (matrix) of raw samples, got a ${result.resultType}: is the query a plain selector?`,
    );
  }
  const out: RawSample[] = [];
  for (const series of result.result as readonly PrometheusSample[]) {
    if (!match(series.metric)) continue;
    for (const [t, v] of series.values ?? [])
      out.push({ at: Math.round(t * 1000), value: Number(v) });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The values of an instant vector (or a scalar), for probes. */
export function instantValues(result: PrometheusQueryResult): number[] {
  if (result.resultType === 'scalar')
    return [Number((result.result as readonly [number, string])[1])];
  if (result.resultType !== 'vector') return [];
  return (result.result as readonly PrometheusSample[]).map((s) => Number(s.value?.[1]));
}

export function firstAtOrAfter(
  samples: readonly RawSample[],
  from: number,
  predicate: (value: number) => boolean,
): RawSample | undefined {
  return samples.find((s) => s.at >= from && predicate(s.value));
}

export function lastBefore(
  samples: readonly RawSample[],
  before: number,
  predicate: (value: number) => boolean,
): RawSample | undefined {
  return [...samples].reverse().find((s) => s.at < before && predicate(s.value));
}

/** Median distance between consecutive samples: the scrape (or evaluation) interval seen. */
export function medianSpacing(samples: readonly RawSample[]): number | undefined {
  const gaps: number[] = [];
  for (let i = 1; i < samples.length; i += 1) {
    const gap = (samples[i]?.at ?? 0) - (samples[i - 1]?.at ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  return median(gaps);
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface AlertTimes {
  /** First ALERTS{alertstate="pending"} sample at or after the fault (rule evaluation time). */
  readonly pendingAt?: number;
  readonly firingAt?: number;
  /** activeAt from /api/v1/alerts while the fault lasted (same instant as pendingAt). */
  readonly activeAt?: number;
  /** First evaluation after recovery without the alert (the series went stale). */
  readonly resolvedAt?: number;
  /** Median spacing of this drill's ALERTS samples: the rule evaluation interval. */
  readonly evaluationIntervalMs?: number;
}

/** Pending/firing times of one alert from its ALERTS samples (both states in one matrix). */
export function alertTimes(
  result: PrometheusQueryResult,
  faultAt: number,
  activeAt?: number,
): AlertTimes {
  const pending = rawSamples(result, (m) => m.alertstate === 'pending');
  const firing = rawSamples(result, (m) => m.alertstate === 'firing');
  const pendingAt = firstAtOrAfter(pending, faultAt, (v) => v === 1)?.at;
  const firingAt = firstAtOrAfter(firing, faultAt, (v) => v === 1)?.at;
  const all = [...pending, ...firing].filter((s) => s.at >= faultAt).sort((a, b) => a.at - b.at);
  // Only this drill's samples: the series also holds earlier drills, whose gaps are not the interval.
  const evaluation = medianSpacing(all);
  const last = all.at(-1);
  return {
    ...(pendingAt !== undefined ? { pendingAt } : {}),
    ...(firingAt !== undefined ? { firingAt } : {}),
    ...(activeAt !== undefined ? { activeAt } : {}),
    // The last sample plus one evaluation interval: when the rule stopped returning it.
    ...(last && evaluation
      ? { resolvedAt: last.at + evaluation, evaluationIntervalMs: evaluation }
      : {}),
  };
}

/** When the target went down and came back, from the raw `up` samples. */
export function targetTimes(
  up: readonly RawSample[],
  faultAt: number,
  recoveryStartedAt?: number,
): { lastUpAt?: number; downAt?: number; upAgainAt?: number; scrapeIntervalMs?: number } {
  const lastUpAt = lastBefore(up, faultAt, (v) => v === 1)?.at;
  const downAt = firstAtOrAfter(up, faultAt, (v) => v === 0)?.at;
  const upAgainAt =
    recoveryStartedAt !== undefined
      ? firstAtOrAfter(up, Math.max(recoveryStartedAt, downAt ?? 0), (v) => v === 1)?.at
      : undefined;
  const scrapeIntervalMs = medianSpacing(up);
  return {
    ...(lastUpAt !== undefined ? { lastUpAt } : {}),
    ...(downAt !== undefined ? { downAt } : {}),
    ...(upAgainAt !== undefined ? { upAgainAt } : {}),
    ...(scrapeIntervalMs !== undefined ? { scrapeIntervalMs } : {}),
  };
}
