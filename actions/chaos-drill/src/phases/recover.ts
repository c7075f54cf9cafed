/**
 * Recover: the driver's undo, always once a fault was attempted (also after an error or a
 * signal), then the steady state awaited again; the marker is crossed out once undone.
 * Afterwards the not-restarted snapshots are taken again.
 */
import { lifecycleChanges } from '../../../shared/src/container-lifecycle.ts';
import { errorMessage } from '../../../shared/src/errors.ts';
import type { SteadyState } from '../journal.ts';
import type { DrillContext } from './context.ts';
import { waitSteady } from './context.ts';
import type { InjectRecord } from './fault.ts';
import type { PreflightRecord } from './preflight.ts';

export interface RecoveryRecord {
  readonly startedAt: number;
  readonly returnedAt: number;
  readonly error: string | null;
  readonly steadyAfter: SteadyState;
}

export type Restarts = Readonly<
  Record<string, { readonly changes: readonly string[] | null; readonly detail: string }>
>;

export async function recoverPhase(
  ctx: DrillContext,
  fault: InjectRecord,
): Promise<RecoveryRecord> {
  const { experiment, driver, rec, clock, deps } = ctx;
  const startedAt = clock.now();
  const action = experiment.recovery.action;
  rec.note('drill', `recovery: ${driver.undoCommand(experiment.fault, action)}`);
  let error: string | null = null;
  try {
    await driver.undo(experiment.fault, fault.target, fault.undo, action, ctx.tools);
    await deps.markers?.remove(ctx.project, experiment.name);
  } catch (e) {
    error = errorMessage(e);
    rec.note('drill', `recovery command failed: ${error}`);
  }
  const returnedAt = clock.now();
  // Past the bound the drill still waits a while: a slow recovery fails the drill but
  // must not leave the stack half-broken for the next job.
  const steadyAfter = await waitSteady(
    ctx,
    startedAt +
      Math.max(experiment.recovery.within, experiment.recovery['steady-state-within']) +
      30_000,
    false,
  );
  rec.note(
    'drill',
    steadyAfter.held
      ? 'steady state holds again'
      : `steady state NOT restored: ${steadyAfter.probes
          .filter((p) => !p.ok)
          .map((p) => p.detail)
          .join('; ')}`,
  );
  return Object.freeze({ startedAt, returnedAt, error, steadyAfter });
}

/** not-restarted: what changed per watched service since the preflight's snapshot. */
export async function restartsPhase(ctx: DrillContext, pre: PreflightRecord): Promise<Restarts> {
  const out: Record<string, { changes: string[] | null; detail: string }> = {};
  for (const [name, snapshot] of Object.entries(pre.lifecycleBefore)) {
    try {
      const now = await (ctx.deps.lifecycle as NonNullable<typeof ctx.deps.lifecycle>)(name);
      const changes = lifecycleChanges(snapshot, now);
      out[name] = {
        changes,
        detail: now
          .map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`)
          .join(', '),
      };
      ctx.rec.note(
        'docker',
        `${name}: ${changes.length === 0 ? 'same container, not restarted' : changes.join('; ')}`,
      );
    } catch (error) {
      out[name] = { changes: null, detail: errorMessage(error) };
    }
  }
  return Object.freeze(out);
}
