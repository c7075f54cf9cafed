/**
 * The drill, as a short sequence of phases (phases/): preflight, workloads, inject, watch,
 * recover, facts, verdict, journal. Each returns a frozen record of what it owns; the
 * recovery and the stop of the workloads always run once a fault was attempted. Every side
 * effect goes through DrillDeps; the result is the journal, whatever happened.
 */
import { errorMessage } from '../../shared/src/errors.ts';
import type { Experiment } from './experiment.ts';
import type { Journal } from './journal.ts';
import {
  type DrillContext,
  type DrillDeps,
  drillContext,
  PreflightError,
} from './phases/context.ts';
import { factsPhase, verdictPhase } from './phases/facts.ts';
import { injectPhase, type WatchRecord, watchPhase } from './phases/fault.ts';
import { journalPhase } from './phases/journal.ts';
import { type PreflightRecord, preflightPhase } from './phases/preflight.ts';
import { recoverPhase, restartsPhase } from './phases/recover.ts';
import { stopWorkloadsPhase, type WorkloadsRecord, workloadsPhase } from './phases/workloads.ts';
import type { TargetName } from './probes.ts';

export type { DrillDeps } from './phases/context.ts';
export { PreflightError } from './phases/context.ts';

const NOT_WATCHED: WatchRecord = Object.freeze({ observed: {}, activeAt: {} });

/** Runs main, then cleanup whatever main did; rethrows main's error after the cleanup. */
async function withCleanup<T, U>(
  main: () => Promise<T>,
  cleanup: () => Promise<U>,
): Promise<{ main: T; cleanup: U }> {
  const outcome = await main().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const after = await cleanup();
  if (!outcome.ok) throw outcome.error;
  return { main: outcome.value, cleanup: after };
}

const TARGET_NAMES: readonly TargetName[] = ['frontend', 'backend', 'prometheus'];

export async function runDrill(experiment: Experiment, deps: DrillDeps): Promise<Journal> {
  const ctx = drillContext(experiment, deps);
  const urls = await resolveTargets(deps);
  ctx.rec.note(
    'drill',
    `experiment ${experiment.name}: ${ctx.driver.command(experiment.fault)} (project ${ctx.project}, Compose ${deps.control.compose.flavor.version})`,
  );
  const begun = await begin(ctx);
  if ('aborted' in begun) return abort(ctx, urls, begun.aborted, begun.pre);
  const { pre, work } = begun;
  if (ctx.interrupted()) {
    await stopWorkloadsPhase(ctx, work);
    return abort(ctx, urls, 'interrupted before the fault, nothing was fault', pre);
  }
  const fault = await injectPhase(ctx);
  // The recovery and the stop of the workloads run whatever the watch does.
  const { main: watch, cleanup } = await withCleanup(
    () => (fault.error === undefined ? watchPhase(ctx, fault) : Promise.resolve(NOT_WATCHED)),
    async () => ({
      recovery: await recoverPhase(ctx, fault),
      stopped: await stopWorkloadsPhase(ctx, work),
    }),
  );
  const { recovery, stopped } = cleanup;
  const restarts = await restartsPhase(ctx, pre);
  const { facts, errors: factErrors } = await factsPhase(
    ctx,
    fault,
    watch,
    recovery,
    stopped,
    restarts,
  );
  const errors = [
    ...(fault.error !== undefined ? [fault.error] : []),
    ...(recovery.error !== null ? [`recovery failed: ${recovery.error}`] : []),
    ...stopped.errors,
    ...factErrors,
  ];
  const interrupted = ctx.interrupted()
    ? `interrupted by ${String(deps.signal?.reason ?? 'a signal')} during the fault`
    : undefined;
  if (interrupted) ctx.rec.note('drill', `error: ${interrupted}`);
  const verdict = verdictPhase(ctx, facts, errors, interrupted);
  return journalPhase(ctx, {
    urls,
    pre,
    work,
    fault: fault,
    recovery: recovery,
    facts,
    errors,
    verdict,
  });
}

/** Preflight and workloads; a PreflightError (or any error before the fault) aborts the drill. */
async function begin(
  ctx: DrillContext,
): Promise<
  { pre: PreflightRecord; work: WorkloadsRecord } | { aborted: string; pre?: PreflightRecord }
> {
  let pre: PreflightRecord | undefined;
  try {
    pre = await preflightPhase(ctx);
    return { pre, work: await workloadsPhase(ctx) };
  } catch (error) {
    const message = error instanceof PreflightError ? error.message : errorMessage(error);
    ctx.rec.note('drill', `aborted: ${message}`);
    return { aborted: message, ...(pre ? { pre } : {}) };
  }
}

function abort(
  ctx: DrillContext,
  urls: Readonly<Record<string, string>>,
  reason: string,
  pre?: PreflightRecord,
): Promise<Journal> {
  return journalPhase(ctx, {
    urls,
    ...(pre ? { pre } : {}),
    errors: [],
    verdict: verdictPhase(ctx, undefined, [], reason),
  });
}

async function resolveTargets(deps: DrillDeps): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const name of TARGET_NAMES)
    urls[name] = await deps.targets(name).catch((e) => `unresolved (${errorMessage(e)})`);
  return urls;
}
