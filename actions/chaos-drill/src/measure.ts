/**
 * From what was observed to what is reported: the figures (time to detect, alert
 * pending/firing, time to recover), one result per expectation with its bound and
 * measured value, and the timeline. Pure: every instant is an argument.
 */
import { humanDuration } from '../../shared/src/summary.ts';
import { expectationKind } from './expectations/index.ts';
import { after } from './expectations/kind.ts';
import type { Experiment } from './experiment.ts';
import {
  type ExpectationResult,
  iso,
  type Measurements,
  type Score,
  type SeriesPoint,
  type TimelineEvent,
} from './journal.ts';
import type { Impact, LoadSample } from './load.ts';
import type { AlertTimes } from './samples.ts';
import type { WritesSummary } from './writer.ts';

/** What a watcher saw while the fault lasted (poll times: the fallback when Prometheus has no sample). */
export interface Observation {
  readonly at?: number;
  readonly detail: string;
  /** http-degraded: the slowest of its own probes, ms. */
  readonly slowestMs?: number;
}

export interface Facts {
  /** When the fault took effect: the container's FinishedAt, else when the command returned. */
  readonly faultAt?: number;
  readonly target: {
    readonly lastUpAt?: number;
    readonly downAt?: number;
    readonly upAgainAt?: number;
    readonly scrapeIntervalMs?: number;
  };
  readonly alerts: Readonly<Record<string, AlertTimes>>;
  /** Median spacing of the ALERTS samples: the rule evaluation interval seen. */
  readonly evaluationIntervalMs?: number;
  readonly observed: Readonly<Record<string, Observation>>;
  readonly recoveryStartedAt?: number;
  readonly steadyAfter?: { readonly held: boolean; readonly at: number };
  readonly load?: Impact;
  /** The writer's read-back (workload.writer), once verified. */
  readonly writes?: WritesSummary;
  /** not-restarted: what changed per service between before the fault and after the recovery. */
  readonly restarts?: Readonly<
    Record<string, { readonly changes: readonly string[] | null; readonly detail: string }>
  >;
  /** The slowest load response between the fault and the recovery start. */
  readonly slowestDuringFaultMs?: number;
  /** When the fault command was issued. */
  readonly faultIssuedAt?: number;
  /** How the fault's container ended, when its driver ends it (stop, kill). */
  readonly exit?: { readonly exitCode: number; readonly at: number };
  /** The user load's requests started between the fault and the recovery start, and all of them. */
  readonly duringFault?: readonly LoadSample[];
  readonly loadSamples?: readonly LoadSample[];
}

const fmt = (ms: number | null) => (ms === null ? 'never' : humanDuration(ms));

/** Each expectation judged by its type (expectations/), then the two the drill always checks. */
export function evaluateExpectations(experiment: Experiment, facts: Facts): ExpectationResult[] {
  const results: ExpectationResult[] = experiment.expectations.map((x) => {
    const kind = expectationKind(x.type);
    return { ...kind.evaluate(x, facts, experiment), weight: x.weight ?? kind.weight };
  });
  if (facts.recoveryStartedAt !== undefined) results.push(...recoveryResults(experiment, facts));
  return results;
}

/** The alerts the expectations are about, in their order (the ALERTS queries, the reports). */
export function alertNames(experiment: Experiment): string[] {
  return [
    ...new Set(experiment.expectations.flatMap((x) => expectationKind(x.type).alert?.(x) ?? [])),
  ];
}

/** The query whose return to 1 is the recovery: the first target-down's, else up of the service. */
export function upQueryOf(experiment: Experiment): { query: string; fromExpectation: boolean } {
  const x = experiment.expectations.find((e) => e.type === 'target-down');
  return x && typeof x.query === 'string'
    ? { query: x.query, fromExpectation: true }
    : { query: `up{job="${experiment.fault.service}"}`, fromExpectation: false };
}

function recoveryResults(experiment: Experiment, facts: Facts): ExpectationResult[] {
  const start = facts.recoveryStartedAt;
  const restored = facts.steadyAfter?.held ? after(facts.steadyAfter.at, start) : null;
  return [timeToRecover(experiment, facts, restored), steadyStateRestored(experiment, restored)];
}

/** "1.2 s after the recovery started, bound 15 s", with " — exceeded" past the bound. */
function afterRecoveryDetail(ms: number, boundMs: number): string {
  return `${fmt(ms)} after the recovery started, bound ${humanDuration(boundMs)}${ms <= boundMs ? '' : ' — exceeded'}`;
}

function timeToRecover(
  experiment: Experiment,
  facts: Facts,
  restored: number | null,
): ExpectationResult {
  const within = experiment.recovery.within;
  // Without a target-down expectation (latency, CPU) nothing goes to 0: recovered is when
  // the steady state holds again.
  const up = upQueryOf(experiment);
  const byQuery = up.fromExpectation;
  const ttr = byQuery ? after(facts.target.upAgainAt, facts.recoveryStartedAt) : restored;
  const never = byQuery
    ? 'Prometheus never scraped the target successfully after the recovery'
    : 'the steady state did not hold again';
  return {
    name: 'time-to-recover',
    type: 'recovery',
    description: byQuery
      ? `first scrape with ${up.query} == 1 within ${humanDuration(within)} of the recovery (${experiment.recovery.action})`
      : `the steady state holds again within ${humanDuration(within)} of the recovery (${experiment.recovery.action})`,
    boundMs: within,
    measuredMs: ttr,
    source: ttr === null ? 'none' : byQuery ? 'prometheus-sample' : 'poll',
    passed: ttr !== null && ttr <= within,
    detail: ttr === null ? never : afterRecoveryDetail(ttr, within),
    weight: 1,
  };
}

function steadyStateRestored(experiment: Experiment, restored: number | null): ExpectationResult {
  const restoreWithin = experiment.recovery['steady-state-within'];
  return {
    name: 'steady-state-restored',
    type: 'steady-state',
    description: `every steady-state probe holds again within ${humanDuration(restoreWithin)} of the recovery`,
    boundMs: restoreWithin,
    measuredMs: restored,
    source: restored === null ? 'none' : 'poll',
    passed: restored !== null && restored <= restoreWithin,
    detail:
      restored === null
        ? 'the steady state did not hold again'
        : afterRecoveryDetail(restored, restoreWithin),
    // A stack left broken for the next job weighs most.
    weight: 3,
  };
}

export const SCORE_FORMULA = 'score = 100 × Σ weightᵢ · passedᵢ / Σ weightᵢ';

/** The resilience score of a run's results; null percent when nothing was evaluated. */
export function resilienceScore(results: readonly ExpectationResult[]): Score {
  const totalWeight = results.reduce((n, x) => n + x.weight, 0);
  const passedWeight = results.reduce((n, x) => n + (x.passed ? x.weight : 0), 0);
  return {
    percent: totalWeight === 0 ? null : Math.round((1000 * passedWeight) / totalWeight) / 10,
    passedWeight,
    totalWeight,
    formula: SCORE_FORMULA,
  };
}

/** The load per second from the fault (or the first request when there was none). Pure. */
export function loadSeries(
  samples: readonly LoadSample[],
  zero: number | undefined,
): SeriesPoint[] {
  if (samples.length === 0) return [];
  const origin = zero ?? (samples[0] as LoadSample).startedAt;
  const buckets = new Map<number, LoadSample[]>();
  for (const s of samples) {
    const t = Math.floor((s.startedAt - origin) / 1000);
    buckets.set(t, [...(buckets.get(t) ?? []), s]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, list]) => ({
      t,
      requests: list.length,
      failures: list.filter((s) => !s.ok).length,
      slowestMs: list.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0),
    }));
}

/** The frontend's degraded answer when one is expected (kill-db also probes the backend's /readyz). */
function degradedResult(expectations: readonly ExpectationResult[]): ExpectationResult | undefined {
  return (
    expectations.find(
      (x) => x.type === 'http-degraded' && x.description.startsWith('{frontend}'),
    ) ?? expectations.find((x) => x.type === 'http-degraded')
  );
}

/** How the fault was detected: the up query at 0, else the alert pending, else not at all. */
function detectedBy(
  facts: Facts,
  upQuery: string,
  alertName: string | undefined,
  pendingAt: number | undefined,
): string | null {
  if (facts.target.downAt !== undefined) return `${upQuery} == 0`;
  return pendingAt !== undefined ? `${alertName} pending` : null;
}

/** The up query's return to 1, else the recovery start plus the measured time to recover. */
function recoveredAt(
  facts: Facts,
  fromExpectation: boolean,
  recovery: ExpectationResult | undefined,
): string | null {
  if (fromExpectation) return iso(facts.target.upAgainAt);
  return recovery?.measuredMs != null && facts.recoveryStartedAt !== undefined
    ? iso(facts.recoveryStartedAt + recovery.measuredMs)
    : null;
}

/** When user requests succeeded again, after the recovery start (never before it). */
function frontendRecoveredAfterMs(facts: Facts): number | null {
  if (facts.load?.recoveredAt === undefined || facts.recoveryStartedAt === undefined) return null;
  return Math.max(0, facts.load.recoveredAt - facts.recoveryStartedAt);
}

/** The headline figures; the first alert expectation's alert is "the" alert. */
export function measurements(
  experiment: Experiment,
  facts: Facts,
  expectations: readonly ExpectationResult[],
): Measurements {
  const [alertName] = alertNames(experiment);
  const alert = alertName !== undefined ? facts.alerts[alertName] : undefined;
  const pendingAt = alert?.pendingAt ?? alert?.activeAt;
  const up = upQueryOf(experiment);
  const recovery = expectations.find((x) => x.type === 'recovery');
  const detectedAt = facts.target.downAt ?? pendingAt;
  return {
    faultAt: iso(facts.faultAt),
    detectedAt: iso(detectedAt),
    timeToDetectMs: after(detectedAt, facts.faultAt),
    detectedBy: detectedBy(facts, up.query, alertName, pendingAt),
    alert: alertName ?? null,
    alertPendingAt: iso(pendingAt),
    alertPendingAfterMs: after(pendingAt, facts.faultAt),
    alertFiringAt: iso(alert?.firingAt),
    alertFiringAfterMs: after(alert?.firingAt, facts.faultAt),
    frontendDegradedAfterMs: degradedResult(expectations)?.measuredMs ?? null,
    recoveryStartedAt: iso(facts.recoveryStartedAt),
    recoveredAt: recoveredAt(facts, up.fromExpectation, recovery),
    timeToRecoverMs: recovery?.measuredMs ?? null,
    frontendRecoveredAfterMs: frontendRecoveredAfterMs(facts),
    scrapeIntervalMs: facts.target.scrapeIntervalMs ?? null,
    evaluationIntervalMs: facts.evaluationIntervalMs ?? null,
  };
}

export interface DrillEvent {
  readonly at: number;
  readonly source: TimelineEvent['source'];
  readonly event: string;
}

/** Drill events plus the instants Prometheus, Docker and the probes recorded, sorted. */
export function timeline(
  experiment: Experiment,
  facts: Facts,
  events: readonly DrillEvent[],
): TimelineEvent[] {
  const all: DrillEvent[] = [...events];
  const upQuery = upQueryOf(experiment).query;
  if (facts.target.lastUpAt !== undefined)
    all.push({
      at: facts.target.lastUpAt,
      source: 'prometheus',
      event: `last scrape with ${upQuery} == 1`,
    });
  if (facts.target.downAt !== undefined)
    all.push({
      at: facts.target.downAt,
      source: 'prometheus',
      event: `first scrape with ${upQuery} == 0: target DOWN`,
    });
  for (const [name, times] of Object.entries(facts.alerts)) {
    if (times.pendingAt !== undefined)
      all.push({ at: times.pendingAt, source: 'alert', event: `${name} pending` });
    if (times.firingAt !== undefined)
      all.push({ at: times.firingAt, source: 'alert', event: `${name} firing` });
    if (
      times.resolvedAt !== undefined &&
      facts.recoveryStartedAt !== undefined &&
      times.resolvedAt > facts.recoveryStartedAt
    )
      all.push({
        at: times.resolvedAt,
        source: 'alert',
        event: `${name} no longer active (resolved)`,
      });
  }
  if (facts.load?.firstFailureAt !== undefined)
    all.push({
      at: facts.load.firstFailureAt,
      source: 'probe',
      event: 'first failed user request',
    });
  if (facts.target.upAgainAt !== undefined)
    all.push({
      at: facts.target.upAgainAt,
      source: 'prometheus',
      event: `first scrape with ${upQuery} == 1 again: target UP`,
    });
  if (facts.load?.recoveredAt !== undefined)
    all.push({ at: facts.load.recoveredAt, source: 'probe', event: 'user requests succeed again' });
  const zero =
    facts.faultAt ?? all.reduce((min, e) => Math.min(min, e.at), Number.POSITIVE_INFINITY);
  return all
    .sort((a, b) => a.at - b.at)
    .map((e) => ({
      at: new Date(e.at).toISOString(),
      t: Math.round(e.at - zero) / 1000,
      source: e.source,
      event: e.event,
    }));
}
