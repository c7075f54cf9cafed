/**
 * Preflight: nothing is touched unless all of it holds. Faults left by a crashed drill are
 * undone first; then the service exists and runs, Prometheus answers, the queries return
 * series, and the steady state holds.
 */
import type { ContainerLifecycle } from '../../../shared/src/container-lifecycle.ts';
import { errorMessage } from '../../../shared/src/errors.ts';
import { expectationKind } from '../expectations/index.ts';
import type { Expectation } from '../experiment.ts';
import type { SteadyState } from '../journal.ts';
import { recoverLeftovers } from '../markers.ts';
import { rawSamples } from '../samples.ts';
import { type DrillContext, PreflightError, waitSteady } from './context.ts';

export interface PreflightRecord {
  readonly steadyBefore: SteadyState;
  /** not-restarted: each watched service's containers before the fault. */
  readonly lifecycleBefore: Readonly<Record<string, readonly ContainerLifecycle[]>>;
  /** Faults of earlier, crashed drills that were undone first. */
  readonly leftovers: readonly string[];
}

export async function preflightPhase(ctx: DrillContext): Promise<PreflightRecord> {
  const { experiment, rec } = ctx;
  const leftovers = await undoLeftovers(ctx);
  await checkInputs(ctx);
  rec.note(
    'drill',
    'preflight ok: service exists and is running, Prometheus answers, queries return series',
  );
  const steadyBefore = await waitSteady(
    ctx,
    ctx.clock.now() + experiment['steady-state'].timeout,
    true,
  );
  if (!steadyBefore.held) {
    const failing = steadyBefore.probes.filter((p) => !p.ok).map((p) => `${p.name}: ${p.detail}`);
    throw new PreflightError(
      `the steady state does not hold before the fault, nothing was injected: ${failing.join('; ')}`,
    );
  }
  rec.note('drill', `steady state holds (${steadyBefore.probes.length} probes)`);
  if (ctx.interrupted())
    throw new PreflightError('interrupted before the fault, nothing was injected');
  return Object.freeze({ steadyBefore, lifecycleBefore: await snapshots(ctx), leftovers });
}

async function undoLeftovers(ctx: DrillContext): Promise<string[]> {
  if (!ctx.deps.markers) return [];
  let done: string[];
  try {
    done = await recoverLeftovers(ctx.deps.markers, ctx.project, ctx.tools);
  } catch (error) {
    throw new PreflightError(`${errorMessage(error)}; nothing was injected`);
  }
  for (const line of done) ctx.rec.note('drill', line);
  return done;
}

async function snapshots(ctx: DrillContext): Promise<Record<string, ContainerLifecycle[]>> {
  const out: Record<string, ContainerLifecycle[]> = {};
  const services = ctx.experiment.expectations.flatMap((x) =>
    x.type === 'not-restarted' && typeof x.service === 'string' ? [x.service] : [],
  );
  for (const name of new Set(services)) {
    const snapshot = await (ctx.deps.lifecycle as NonNullable<typeof ctx.deps.lifecycle>)(name);
    if (snapshot.length === 0)
      throw new PreflightError(`not-restarted: service "${name}" has no container to watch`);
    out[name] = snapshot;
    ctx.rec.note(
      'docker',
      `${name}: ${snapshot.map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`).join(', ')}`,
    );
  }
  return out;
}

/** Checks that need no fault: the service exists and runs, Prometheus answers, queries return series. */
async function checkInputs(ctx: DrillContext): Promise<void> {
  checkDeps(ctx);
  checkServices(ctx, await composeServices(ctx));
  try {
    await ctx.deps.prometheus.query('vector(1)');
  } catch (error) {
    throw new PreflightError(errorMessage(error));
  }
  for (const [index, x] of ctx.experiment.expectations.entries())
    if (x.type === 'target-down') await checkUpSeries(ctx, index, x);
  await checkRunning(ctx);
}

/** The optional clients the experiment needs are there. */
function checkDeps(ctx: DrillContext): void {
  const { experiment, deps } = ctx;
  const needs = new Set(
    experiment.expectations.flatMap((x) => expectationKind(x.type).needs ?? []),
  );
  if (experiment.workload?.writer && !deps.notes)
    throw new PreflightError('workload.writer needs a notes API client (DrillDeps.notes)');
  if (needs.has('lifecycle') && !deps.lifecycle)
    throw new PreflightError('not-restarted needs container snapshots (DrillDeps.lifecycle)');
}

async function composeServices(ctx: DrillContext): Promise<string[]> {
  try {
    return await ctx.deps.control.compose.services();
  } catch (error) {
    throw new PreflightError(
      `cannot read the Compose services of project ${ctx.project}: ${errorMessage(error)}`,
    );
  }
}

/** Every service the experiment names (expectations, then the fault's) is one of the project's. */
function checkServices(ctx: DrillContext, services: readonly string[]): void {
  const { experiment, project } = ctx;
  for (const [index, x] of experiment.expectations.entries()) {
    if (typeof x.service === 'string' && !services.includes(x.service))
      throw new PreflightError(
        `expectations[${index}] (${x.name}): service "${x.service}" is not a service of project ${project}: expected one of ${services.join(', ')}`,
      );
  }
  const service = experiment.fault.service;
  if (!services.includes(service)) {
    throw new PreflightError(
      `fault.service "${service}" is not a service of project ${project}: expected one of ${services.join(', ')} (compose config --services)`,
    );
  }
}

/** A target-down query returns raw samples now: the job is scraped. */
async function checkUpSeries(ctx: DrillContext, index: number, x: Expectation): Promise<void> {
  const { prometheus } = ctx.deps;
  let count: number;
  try {
    count = rawSamples(await prometheus.query(`${x.query}[1m]`)).length;
  } catch (error) {
    throw new PreflightError(
      `expectations[${index}] (${x.name}): query ${x.query} cannot be read as raw samples: ${errorMessage(error)}`,
    );
  }
  if (count === 0) {
    throw new PreflightError(
      `expectations[${index}] (${x.name}): query ${x.query} returns nothing at ${prometheus.baseUrl}: expected the target's up series (is the job scraped?)`,
    );
  }
}

async function checkRunning(ctx: DrillContext): Promise<void> {
  const service = ctx.experiment.fault.service;
  const running = (await ctx.deps.control.containersOf(service)).filter(
    (c) => c.state === 'running',
  );
  if (running.length === 0) {
    throw new PreflightError(
      `service "${service}" of project ${ctx.project} has no running container: start the stack first`,
    );
  }
}
