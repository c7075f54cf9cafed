/**
 * The drill's journal: everything that happened and was measured, as written to
 * journal.json. Its JSON schema is observability/drills/journal.schema.json (a test
 * validates real journals against it). Times are ISO 8601 strings, durations ms.
 */
import type { Impact as LoadImpact } from './load.ts';
import type { WritesSummary } from './writer.ts';

export type Verdict = 'passed' | 'failed' | 'aborted';

export interface ProbeResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface SteadyState {
  readonly held: boolean;
  /** When every probe held (or the last check, when it never did). */
  readonly at: string;
  readonly waitedMs: number;
  readonly probes: readonly ProbeResult[];
}

export interface ExpectationResult {
  readonly name: string;
  /** An expectation type of expectations/, or recovery / steady-state (always checked). */
  readonly type: string;
  /** What was checked, in words: "up{job=\"backend\"} == 0 within 7 s". */
  readonly description: string;
  /** null for a check that counts instead of timing (see count). */
  readonly boundMs: number | null;
  /** null when it never happened within the observation window (or it counts). */
  readonly measuredMs: number | null;
  /** Counting checks (lost or duplicated notes, restarts): at most `bound`, `measured` found (null: not measured). */
  readonly count?: { readonly bound: number; readonly measured: number | null };
  /** SLO checks: the bound and the measured value in `unit` (budget: a share of the error budget). */
  readonly measure?: {
    readonly unit: string;
    readonly bound: number;
    readonly measured: number | null;
  };
  /** Where the measured instant comes from: prometheus-sample, alerts-api, http-probe, poll. */
  readonly source: string;
  readonly passed: boolean;
  readonly detail: string;
  /** The alert an alert expectation is about (what the reports name). */
  readonly alert?: string;
  /** Its weight in the resilience score. */
  readonly weight: number;
}

/**
 * The resilience score: the weighted share of expectations that held, in percent
 * (Litmus' probe success percentage, weighted like krkn's):
 *   score = 100 × Σ weightᵢ · passedᵢ / Σ weightᵢ
 * null when the drill was aborted (nothing was measured).
 */
export interface Score {
  readonly percent: number | null;
  readonly passedWeight: number;
  readonly totalWeight: number;
  readonly formula: string;
}

/** The user load per second from the fault (t in s; negative before it), for the charts. */
export interface SeriesPoint {
  readonly t: number;
  readonly requests: number;
  readonly failures: number;
  /** Slowest response of the second (its p100; p95 of 10 requests is the same), ms. */
  readonly slowestMs: number;
}

export interface TimelineEvent {
  readonly at: string;
  /** Seconds relative to the fault (negative before it). */
  readonly t: number;
  readonly source: 'drill' | 'docker' | 'prometheus' | 'alert' | 'probe';
  readonly event: string;
}

export interface Measurements {
  readonly faultAt: string | null;
  readonly detectedAt: string | null;
  readonly timeToDetectMs: number | null;
  /** What detected it: the target-down query, or the first alert (latency, CPU). */
  readonly detectedBy: string | null;
  /** The first alert expectation's alert: the one the figures below are about. */
  readonly alert: string | null;
  readonly alertPendingAt: string | null;
  readonly alertPendingAfterMs: number | null;
  readonly alertFiringAt: string | null;
  readonly alertFiringAfterMs: number | null;
  readonly frontendDegradedAfterMs: number | null;
  readonly recoveryStartedAt: string | null;
  readonly recoveredAt: string | null;
  readonly timeToRecoverMs: number | null;
  readonly frontendRecoveredAfterMs: number | null;
  /** Median spacing of the raw up samples: the scrape interval Prometheus really kept. */
  readonly scrapeIntervalMs: number | null;
  /** Median spacing of the ALERTS samples: the rule evaluation interval. */
  readonly evaluationIntervalMs: number | null;
}

/** Where the probe load went, and what it measured (load.ts; the instants stay in the timeline). */
export type Impact = Omit<LoadImpact, 'firstFailureAt' | 'lastFailureAt' | 'recoveredAt'> & {
  readonly url: string;
  readonly ratePerSecond: number;
};

/** The writer's figures (workload.writer): what was acknowledged and what the database kept. */
export type Writes = WritesSummary & {
  readonly url: string;
  readonly ratePerSecond: number;
};

export const SCHEMA_VERSION = 2;

export interface Journal {
  readonly schemaVersion: 2;
  readonly experiment: {
    readonly name: string;
    readonly file: string;
    readonly description: string;
    readonly fault: {
      readonly action: string;
      readonly service: string;
      readonly signal: string | null;
      /** From the fault's driver: what happened to the service ("killed"), what it is ("a kill"). */
      readonly verb: string;
      readonly noun: string;
      readonly command: string;
      readonly params: Readonly<Record<string, string | number>>;
    };
    readonly recovery: {
      readonly action: string;
      readonly withinMs: number;
      readonly command: string;
    };
  };
  readonly target: {
    readonly project: string;
    readonly composeVersion: string;
    readonly prometheus: string;
    readonly frontend: string;
    readonly backend: string;
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly verdict: Verdict;
  /** Why it was aborted or failed, in one sentence; null when it passed. */
  readonly reason: string | null;
  readonly faultInjected: boolean;
  readonly steadyStateBefore: SteadyState | null;
  readonly fault: {
    readonly issuedAt: string;
    readonly returnedAt: string;
    /** State.FinishedAt of the killed/stopped container, when Docker recorded one. */
    readonly containerDiedAt: string | null;
    readonly container: string | null;
  } | null;
  readonly recovery: {
    readonly startedAt: string;
    readonly returnedAt: string;
    readonly ok: boolean;
    readonly error: string | null;
  } | null;
  readonly steadyStateAfter: SteadyState | null;
  readonly expectations: readonly ExpectationResult[];
  readonly measurements: Measurements;
  readonly impact: Impact | null;
  /** null when the experiment has no writer (absent in journals written before it existed). */
  readonly writes: Writes | null;
  readonly timeline: readonly TimelineEvent[];
  readonly errors: readonly string[];
  readonly score: Score;
  /** The user load per second, or empty without a load. */
  readonly series: readonly SeriesPoint[];
}

export function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
