/**
 * From what was observed to what is reported: the figures (time to detect, alert
 * pending/firing, time to recover), one result per expectation with its bound and
 * measured value, and the timeline. Pure: every instant is an argument.
 */
import { humanDuration } from '../../shared/src/summary.ts';
import type { Experiment } from './experiment.ts';
import { type ExpectationResult, iso, type Measurements, type TimelineEvent } from './journal.ts';
import type { Impact } from './load.ts';
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
}

function after(at: number | undefined, from: number | undefined): number | null {
  return at === undefined || from === undefined ? null : Math.max(0, at - from);
}

const fmt = (ms: number | null) => (ms === null ? 'never' : humanDuration(ms));

export function evaluateExpectations(experiment: Experiment, facts: Facts): ExpectationResult[] {
  const results: ExpectationResult[] = experiment.expectations.map((x) => {
    const seen = facts.observed[x.name];
    const window = humanDuration(experiment.fault['max-duration']);
    const within = 'within' in x ? x.within : 0;
    const result = (
      description: string,
      at: number | undefined,
      source: string,
      extraOk = true,
      extraDetail = '',
    ): ExpectationResult => {
      const measuredMs = after(at, facts.faultAt);
      const inBound = measuredMs !== null && measuredMs <= within;
      const detail =
        measuredMs === null
          ? `not observed within ${window} of the fault${seen?.detail ? ` (last: ${seen.detail})` : ''}`
          : `${fmt(measuredMs)} after the fault, bound ${humanDuration(within)}${inBound ? '' : ' — exceeded'}${extraDetail}`;
      return {
        name: x.name,
        type: x.type,
        description,
        boundMs: within,
        measuredMs,
        source: measuredMs === null ? 'none' : source,
        passed: inBound && extraOk,
        detail,
      };
    };
    switch (x.type) {
      case 'target-down': {
        const fromPrometheus = facts.target.downAt;
        return result(
          `${x.query} == 0 (first failed scrape) within ${humanDuration(x.within)}`,
          fromPrometheus ?? seen?.at,
          fromPrometheus !== undefined ? 'prometheus-sample' : 'poll',
        );
      }
      case 'alert': {
        const times = facts.alerts[x.alert] ?? {};
        const sample = x.state === 'pending' ? times.pendingAt : times.firingAt;
        const api = x.state === 'pending' ? times.activeAt : undefined;
        const at = sample ?? api ?? seen?.at;
        const source =
          sample !== undefined ? 'prometheus-sample' : api !== undefined ? 'alerts-api' : 'poll';
        return result(`${x.alert} ${x.state} within ${humanDuration(x.within)}`, at, source);
      }
      case 'no-acknowledged-write-lost':
      case 'no-duplicate-write':
        return writesResult(x.name, x.type, facts.writes);
      case 'not-restarted': {
        const seenRestart = facts.restarts?.[x.service];
        const changes = seenRestart?.changes ?? null;
        return {
          name: x.name,
          type: x.type,
          description: `${x.service} keeps its container, StartedAt and RestartCount through the fault and the recovery`,
          boundMs: null,
          measuredMs: null,
          count: { bound: 0, measured: changes === null ? null : changes.length },
          source: changes === null ? 'none' : 'docker-inspect',
          passed: changes !== null && changes.length === 0,
          detail:
            changes === null
              ? `not checked: ${seenRestart?.detail ?? 'no snapshot'}`
              : changes.length === 0
                ? (seenRestart?.detail ?? 'unchanged')
                : changes.join('; '),
        };
      }
      default: {
        const slowest = Math.max(seen?.slowestMs ?? 0, facts.slowestDuringFaultMs ?? 0);
        const fast = slowest <= x['max-response-time'];
        const want = `${x.status}${x['json-code'] ? ` ${x['json-code']}` : ''}${x.json ? ` ${JSON.stringify(x.json)}` : ''}`;
        return result(
          `${x.url} answers ${want} within ${humanDuration(x.within)}, every response under ${humanDuration(x['max-response-time'])}`,
          seen?.at,
          'http-probe',
          fast,
          `; slowest response ${fmt(slowest)}${fast ? '' : ` — over ${humanDuration(x['max-response-time'])}`}`,
        );
      }
    }
  });
  if (facts.recoveryStartedAt !== undefined) {
    const within = experiment.recovery.within;
    const ttr = after(facts.target.upAgainAt, facts.recoveryStartedAt);
    results.push({
      name: 'time-to-recover',
      type: 'recovery',
      description: `first scrape with up == 1 within ${humanDuration(within)} of the recovery (${experiment.recovery.action})`,
      boundMs: within,
      measuredMs: ttr,
      source: ttr === null ? 'none' : 'prometheus-sample',
      passed: ttr !== null && ttr <= within,
      detail:
        ttr === null
          ? 'Prometheus never scraped the target successfully after the recovery'
          : `${fmt(ttr)} after the recovery started, bound ${humanDuration(within)}${ttr <= within ? '' : ' — exceeded'}`,
    });
    const restoreWithin = experiment.recovery['steady-state-within'];
    const restored = facts.steadyAfter?.held
      ? after(facts.steadyAfter.at, facts.recoveryStartedAt)
      : null;
    results.push({
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
          : `${fmt(restored)} after the recovery started, bound ${humanDuration(restoreWithin)}${restored <= restoreWithin ? '' : ' — exceeded'}`,
    });
  }
  return results;
}

/** no-acknowledged-write-lost / no-duplicate-write from the writer's read-back. */
function writesResult(
  name: string,
  type: 'no-acknowledged-write-lost' | 'no-duplicate-write',
  writes: WritesSummary | undefined,
): ExpectationResult {
  const lost = type === 'no-acknowledged-write-lost';
  const description = lost
    ? 'every acknowledged note (201 + id) is readable with its text after the recovery'
    : 'no note was stored twice (retries reuse their Idempotency-Key)';
  if (!writes) {
    return {
      name,
      type,
      description,
      boundMs: null,
      measuredMs: null,
      count: { bound: 0, measured: null },
      source: 'none',
      passed: false,
      detail: 'not measured: the writer did not run or its notes were not read back',
    };
  }
  const measured = lost ? writes.lost : writes.duplicated;
  const complete = writes.verified || measured > 0;
  const examples = lost
    ? writes.lostWrites.slice(0, 3).map((w) => `${w.key}: ${w.reason}`)
    : writes.duplicatedWrites.slice(0, 3).map((d) => `"${d.text}" stored as ${d.ids.join(', ')}`);
  return {
    name,
    type,
    description,
    boundMs: null,
    measuredMs: null,
    count: { bound: 0, measured },
    source: 'read-back',
    passed: measured === 0 && writes.verified,
    detail: `${measured} ${lost ? 'lost' : 'duplicated'} of ${writes.acknowledged} acknowledged (${writes.attempted} notes, ${writes.requests} requests, ${writes.replayed} acknowledged by a replay)${complete ? '' : `; read-back incomplete: ${writes.problems.join('; ')}`}${examples.length > 0 ? `: ${examples.join('; ')}` : ''}`,
  };
}

/** The headline figures; the first alert expectation's alert is "the" alert. */
export function measurements(
  experiment: Experiment,
  facts: Facts,
  expectations: readonly ExpectationResult[],
): Measurements {
  const firstAlert = experiment.expectations.find((x) => x.type === 'alert');
  const alert = firstAlert?.type === 'alert' ? facts.alerts[firstAlert.alert] : undefined;
  const pendingAt = alert?.pendingAt ?? alert?.activeAt;
  // The frontend's degraded answer when one is expected (kill-db also probes the backend's /readyz).
  const degraded =
    expectations.find(
      (x) => x.type === 'http-degraded' && x.description.startsWith('{frontend}'),
    ) ?? expectations.find((x) => x.type === 'http-degraded');
  const frontendRecovered =
    facts.load?.recoveredAt !== undefined && facts.recoveryStartedAt !== undefined
      ? facts.load.recoveredAt - facts.recoveryStartedAt
      : null;
  return {
    faultAt: iso(facts.faultAt),
    detectedAt: iso(facts.target.downAt),
    timeToDetectMs: after(facts.target.downAt, facts.faultAt),
    alertPendingAt: iso(pendingAt),
    alertPendingAfterMs: after(pendingAt, facts.faultAt),
    alertFiringAt: iso(alert?.firingAt),
    alertFiringAfterMs: after(alert?.firingAt, facts.faultAt),
    frontendDegradedAfterMs: degraded?.measuredMs ?? null,
    recoveryStartedAt: iso(facts.recoveryStartedAt),
    recoveredAt: iso(facts.target.upAgainAt),
    timeToRecoverMs: after(facts.target.upAgainAt, facts.recoveryStartedAt),
    frontendRecoveredAfterMs: frontendRecovered === null ? null : Math.max(0, frontendRecovered),
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
  const upQuery =
    experiment.expectations.find((x) => x.type === 'target-down')?.query ??
    `up{job="${experiment.fault.service}"}`;
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
