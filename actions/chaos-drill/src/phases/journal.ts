/** Journal: everything the phases recorded, as one frozen, self-describing record. */
import { iso, type Journal, SCHEMA_VERSION } from '../journal.ts';
import { type Facts, loadSeries, measurements, timeline } from '../measure.ts';
import { resolveUrl } from '../probes.ts';
import type { WritesSummary } from '../writer.ts';
import type { DrillContext } from './context.ts';
import type { VerdictRecord } from './facts.ts';
import type { InjectRecord } from './fault.ts';
import type { PreflightRecord } from './preflight.ts';
import type { RecoveryRecord } from './recover.ts';
import type { WorkloadsRecord } from './workloads.ts';

export interface RunRecord {
  readonly urls: Readonly<Record<string, string>>;
  readonly pre?: PreflightRecord;
  readonly work?: WorkloadsRecord;
  readonly fault?: InjectRecord;
  readonly recovery?: RecoveryRecord;
  readonly facts?: Facts;
  readonly errors: readonly string[];
  readonly verdict: VerdictRecord;
}

export async function journalPhase(ctx: DrillContext, run: RunRecord): Promise<Journal> {
  const { experiment, driver, deps, clock, rec } = ctx;
  const { verdict, fault, recovery, facts } = run;
  const finishedAt = clock.now();
  rec.note(
    'drill',
    `verdict: ${verdict.verdict.toUpperCase()}${verdict.reason ? ` (${verdict.reason})` : ''}${verdict.score.percent !== null ? `, resilience score ${verdict.score.percent} %` : ''}`,
    finishedAt,
  );
  const f: Facts = facts ?? { alerts: {}, target: {}, observed: {} };
  const writerSpec = experiment.workload?.writer;
  const journal: Journal = {
    schemaVersion: SCHEMA_VERSION,
    experiment: {
      name: experiment.name,
      file: experiment.file,
      description: experiment.description,
      fault: {
        action: experiment.fault.action,
        service: experiment.fault.service,
        signal: typeof experiment.fault.signal === 'string' ? experiment.fault.signal : null,
        verb: driver.verb,
        noun: driver.noun,
        command: driver.command(experiment.fault),
        params: driver.params(experiment.fault),
      },
      recovery: {
        action: experiment.recovery.action,
        withinMs: experiment.recovery.within,
        command: driver.undoCommand(experiment.fault, experiment.recovery.action),
      },
    },
    target: {
      project: ctx.project,
      composeVersion: deps.control.compose.flavor.version,
      prometheus: run.urls.prometheus ?? '',
      frontend: run.urls.frontend ?? '',
      backend: run.urls.backend ?? '',
    },
    startedAt: iso(ctx.startedAt) as string,
    finishedAt: iso(finishedAt) as string,
    durationMs: finishedAt - ctx.startedAt,
    verdict: verdict.verdict,
    reason: verdict.reason,
    faultInjected: fault?.attempted === true,
    steadyStateBefore: run.pre?.steadyBefore ?? null,
    fault: fault
      ? {
          issuedAt: iso(fault.issuedAt) as string,
          returnedAt: iso(fault.returnedAt) as string,
          containerDiedAt: iso(fault.diedAt),
          container: fault.target?.name ?? null,
        }
      : null,
    recovery: recovery
      ? {
          startedAt: iso(recovery.startedAt) as string,
          returnedAt: iso(recovery.returnedAt) as string,
          ok: recovery.error === null,
          error: recovery.error,
        }
      : null,
    steadyStateAfter: recovery?.steadyAfter ?? null,
    expectations: verdict.expectations,
    measurements: measurements(experiment, f, verdict.expectations),
    impact: await impactOf(ctx, f),
    writes:
      f.writes && writerSpec && run.work?.writer
        ? writesOf(run.work.writer.url, writerSpec.rate, f.writes)
        : null,
    timeline: timeline(experiment, f, rec.events()),
    errors: run.errors,
    score: verdict.score,
    series: loadSeries(f.loadSamples ?? [], f.faultAt),
  };
  return deepFreeze(journal);
}

async function impactOf(ctx: DrillContext, f: Facts): Promise<Journal['impact']> {
  const load = ctx.experiment.load;
  if (!load || !f.load) return null;
  return {
    url: await resolveUrl(load.url, ctx.deps.targets).catch(() => load.url),
    ratePerSecond: load.rate,
    requests: f.load.requests,
    failures: f.load.failures,
    errorRatio: Math.round(f.load.errorRatio * 10_000) / 10_000,
    timeouts: f.load.timeouts,
    degradedResponses: f.load.degradedResponses,
    longestFailureStreakMs: f.load.longestFailureStreakMs,
    longestFailureStreakRequests: f.load.longestFailureStreakRequests,
    slowestResponseMs: f.load.slowestResponseMs,
  };
}

/** The journal's writes: the summary with its lists capped (a broken run could list thousands). */
function writesOf(url: string, rate: number, w: WritesSummary): NonNullable<Journal['writes']> {
  return {
    url,
    ratePerSecond: rate,
    ...w,
    lostWrites: w.lostWrites.slice(0, 50),
    duplicatedWrites: w.duplicatedWrites.slice(0, 50),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
