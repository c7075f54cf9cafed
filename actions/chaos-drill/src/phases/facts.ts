/**
 * Facts: Prometheus' own samples read once the drill is over (the up series, ALERTS of
 * every alert the expectations name), merged with what the watchers, the workloads and
 * Docker saw. Verdict: each expectation judged from these facts, and the score.
 */
import { errorMessage } from '../../../shared/src/errors.ts';
import { humanDuration } from '../../../shared/src/summary.ts';
import type { ExpectationResult, Score, Verdict } from '../journal.ts';
import { summarizeLoad } from '../load.ts';
import {
  alertNames,
  evaluateExpectations,
  type Facts,
  type Observation,
  resilienceScore,
  upQueryOf,
} from '../measure.ts';
import { type AlertTimes, alertTimes, rangeSelector, rawSamples, targetTimes } from '../samples.ts';
import type { DrillContext } from './context.ts';
import type { InjectRecord, WatchRecord } from './fault.ts';
import type { RecoveryRecord, Restarts } from './recover.ts';
import type { StoppedWorkloads } from './workloads.ts';

export interface FactsRecord {
  readonly facts: Facts;
  readonly errors: readonly string[];
}

export async function factsPhase(
  ctx: DrillContext,
  fault: InjectRecord,
  watch: WatchRecord,
  recovery: RecoveryRecord,
  stopped: StoppedWorkloads,
  restarts: Restarts,
): Promise<FactsRecord> {
  const { experiment, deps, clock } = ctx;
  const errors: string[] = [];
  const now = clock.now();
  const from = fault.issuedAt - 30_000;
  const { query: upQuery } = upQueryOf(experiment);
  let target: Facts['target'] = {};
  try {
    target = targetTimes(
      rawSamples(await deps.prometheus.query(rangeSelector(upQuery, from, now))),
      fault.issuedAt,
      recovery.startedAt,
    );
  } catch (error) {
    errors.push(`could not read the raw samples of ${upQuery}: ${errorMessage(error)}`);
  }
  const alerts: Record<string, AlertTimes> = {};
  let evaluationIntervalMs: number | undefined;
  for (const name of alertNames(experiment)) {
    const activeAt = watch.activeAt[name];
    try {
      const result = await deps.prometheus.query(
        rangeSelector(`ALERTS{alertname="${name}"}`, from, now),
      );
      alerts[name] = alertTimes(result, fault.issuedAt, activeAt);
      evaluationIntervalMs ??= alerts[name]?.evaluationIntervalMs;
    } catch (error) {
      errors.push(`could not read ALERTS for ${name}: ${errorMessage(error)}`);
      alerts[name] = activeAt !== undefined ? { activeAt } : {};
    }
  }
  const samples = stopped.loadSamples;
  const duringFault = samples.filter(
    (s) => s.startedAt >= fault.faultAt && s.startedAt < recovery.startedAt,
  );
  const degraded = experiment.expectations.find((x) => x.type === 'http-degraded');
  const summary = experiment.load
    ? summarizeLoad(
        samples,
        typeof degraded?.['json-code'] === 'string' ? degraded['json-code'] : undefined,
      )
    : undefined;
  return Object.freeze({
    facts: {
      faultAt: fault.faultAt,
      faultIssuedAt: fault.issuedAt,
      target,
      alerts,
      observed: loadObservations(ctx, watch.observed, samples, fault.issuedAt),
      ...(evaluationIntervalMs !== undefined ? { evaluationIntervalMs } : {}),
      recoveryStartedAt: recovery.startedAt,
      steadyAfter: { held: recovery.steadyAfter.held, at: Date.parse(recovery.steadyAfter.at) },
      ...(summary ? { load: summary } : {}),
      ...(stopped.writes ? { writes: stopped.writes } : {}),
      ...(fault.exit ? { exit: fault.exit } : {}),
      restarts,
      duringFault,
      loadSamples: samples,
      slowestDuringFaultMs: duringFault.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0),
    },
    errors,
  });
}

/** The user load sees the degraded answer too, often before the watcher's own probe. */
function loadObservations(
  ctx: DrillContext,
  observed: Readonly<Record<string, Observation>>,
  samples: StoppedWorkloads['loadSamples'],
  issuedAt: number,
): Record<string, Observation> {
  const out = { ...observed };
  for (const x of ctx.experiment.expectations) {
    if (x.type !== 'http-degraded' || ctx.experiment.load?.url !== x.url || x.json !== undefined)
      continue;
    const first = samples.find(
      (s) =>
        s.startedAt >= issuedAt &&
        s.status === x.status &&
        (x['json-code'] === undefined || s.code === x['json-code']),
    );
    const seen = out[x.name];
    if (first && (seen?.at === undefined || first.endedAt < seen.at))
      out[x.name] = {
        ...seen,
        at: first.endedAt,
        detail: `user load got HTTP ${first.status}${first.code ? ` ${first.code}` : ''} in ${first.endedAt - first.startedAt} ms`,
      };
  }
  return out;
}

export interface VerdictRecord {
  readonly verdict: Verdict;
  readonly reason: string | null;
  readonly expectations: readonly ExpectationResult[];
  readonly score: Score;
}

/** Aborted when given a reason; else passed when every expectation held and nothing went wrong. */
export function verdictPhase(
  ctx: DrillContext,
  facts: Facts | undefined,
  errors: readonly string[],
  aborted: string | undefined,
): VerdictRecord {
  const expectations =
    facts && aborted === undefined ? evaluateExpectations(ctx.experiment, facts) : [];
  const score = aborted === undefined ? resilienceScore(expectations) : resilienceScore([]);
  if (aborted !== undefined)
    return Object.freeze({ verdict: 'aborted', reason: aborted, expectations, score });
  const failed = expectations.filter((x) => !x.passed);
  if (failed.length === 0 && errors.length === 0)
    return Object.freeze({ verdict: 'passed', reason: null, expectations, score });
  const reason = [
    ...failed.map((x) =>
      x.boundMs === null
        ? `${x.name} failed: ${x.detail}`
        : `${x.name} failed: ${x.description}; measured ${x.measuredMs === null ? 'never' : humanDuration(x.measuredMs)}, bound ${humanDuration(x.boundMs)}`,
    ),
    ...errors,
  ].join('; ');
  return Object.freeze({ verdict: 'failed', reason, expectations, score });
}
