/**
 * Inject: the driver's fault on the service's running container, written down first (a
 * crash leaves the marker). Watch: every watched expectation polled together until seen
 * or the fault's time is up. Neither throws: a failure is part of the record.
 */
import { errorMessage } from '../../../shared/src/errors.ts';
import { humanDuration } from '../../../shared/src/summary.ts';
import type { ContainerFacts } from '../docker-ops.ts';
import { type CheckContext, expectationKind } from '../expectations/index.ts';
import type { Expectation } from '../experiment.ts';
import type { Target, UndoState } from '../faults/index.ts';
import type { Observation } from '../measure.ts';
import type { DrillContext } from './context.ts';

export interface InjectRecord {
  /** False when nothing was attempted (interrupted first): no recovery runs. */
  readonly attempted: boolean;
  readonly issuedAt: number;
  readonly returnedAt: number;
  /** The container's State.FinishedAt when it belongs to this fault (drivers that end the process). */
  readonly diedAt?: number;
  /** When the fault took effect: diedAt, else when the command returned. */
  readonly faultAt: number;
  readonly target: Target | null;
  readonly before?: ContainerFacts;
  readonly undo: UndoState;
  readonly exit?: { readonly exitCode: number; readonly at: number };
  readonly error?: string;
}

export interface WatchRecord {
  readonly observed: Readonly<Record<string, Observation>>;
  /** activeAt of each alert from /api/v1/alerts while the fault lasted. */
  readonly activeAt: Readonly<Record<string, number>>;
}

export async function injectPhase(ctx: DrillContext): Promise<InjectRecord> {
  const { experiment, deps, driver, rec, clock } = ctx;
  const spec = experiment.fault;
  let target: Target | null = null;
  let before: ContainerFacts | undefined;
  let undo: UndoState = {};
  const save = async (state: UndoState) => {
    undo = state;
    await deps.markers?.put({
      project: ctx.project,
      experiment: experiment.name,
      fault: spec,
      recovery: experiment.recovery.action,
      target,
      undo: state,
      at: new Date(clock.now()).toISOString(),
    });
  };
  const issuedAt = clock.now();
  let error: string | undefined;
  try {
    const [running] = (await deps.control.containersOf(spec.service)).filter(
      (c) => c.state === 'running',
    );
    if (!running) throw new Error(`service ${spec.service} has no running container`);
    target = { id: running.id, name: running.name };
    before = await deps.docker.inspect(target.id).catch(() => undefined);
    await save({});
    rec.note('drill', `fault: ${driver.command(spec)}`);
    await save(await driver.inject(spec, target, ctx.tools, save));
  } catch (e) {
    error = errorMessage(e);
  }
  const returnedAt = clock.now();
  const ended = driver.ends && target ? await endOf(ctx, target.id, issuedAt, returnedAt) : {};
  const hit = target as Target | null;
  const faultAt = ended.diedAt ?? returnedAt;
  rec.faultAt(faultAt);
  rec.note(
    'drill',
    `fault command returned after ${humanDuration(returnedAt - issuedAt)}`,
    returnedAt,
  );
  if (ended.diedAt !== undefined)
    rec.note('docker', `container ${hit?.name} died (State.FinishedAt)`, ended.diedAt);
  if (error !== undefined) rec.note('drill', `error: ${error}`);
  return Object.freeze({
    attempted: true,
    issuedAt,
    returnedAt,
    faultAt,
    target: hit,
    undo,
    ...(before ? { before } : {}),
    ...ended,
    ...(error !== undefined ? { error } : {}),
  });
}

/** FinishedAt and exit code of the container the fault ended, if the engine's record belongs to it. */
async function endOf(
  ctx: DrillContext,
  id: string,
  issuedAt: number,
  returnedAt: number,
): Promise<{ diedAt?: number; exit?: { exitCode: number; at: number } }> {
  const died = await ctx.deps.control.finishedAt(id).catch(() => undefined);
  const at = died?.getTime();
  if (at === undefined || at < issuedAt - 1000 || at > returnedAt + 1000) return {};
  const container = (await ctx.deps.control.containersOf(ctx.experiment.fault.service)).find(
    (c) => c.id === id,
  );
  return { diedAt: at, ...(container ? { exit: { exitCode: container.exitCode, at } } : {}) };
}

export async function watchPhase(ctx: DrillContext, fault: InjectRecord): Promise<WatchRecord> {
  const { experiment, deps, rec } = ctx;
  const observed: Record<string, Observation> = {};
  const activeAt: Record<string, number> = {};
  const deadline = fault.faultAt + experiment.fault['max-duration'];
  const check: CheckContext = {
    prometheus: deps.prometheus,
    http: deps.http,
    targets: deps.targets,
    docker: deps.docker,
    containersOf: (service) => deps.control.containersOf(service),
    now: () => ctx.clock.now(),
    faultService: experiment.fault.service,
    ...(fault.before ? { restartCountBefore: fault.before.restartCount } : {}),
  };
  const watched = experiment.expectations.filter((x) => expectationKind(x.type).check);
  await Promise.all(
    watched.map(async (x) => {
      const o = await watchOne(ctx, x, check, deadline, (at) => {
        const alert = expectationKind(x.type).alert?.(x);
        if (alert) activeAt[alert] ??= at;
      });
      observed[x.name] = o;
      if (o.at !== undefined)
        rec.note(expectationKind(x.type).source, `${x.name}: ${o.detail} (seen by polling)`, o.at);
      else
        rec.note(
          'drill',
          `${x.name}: not seen within ${humanDuration(experiment.fault['max-duration'])} (${o.detail})`,
        );
    }),
  );
  return Object.freeze({ observed, activeAt });
}

/** What one expectation's watch has seen so far: the last detail, the slowest answer. */
interface WatchProgress {
  last: string;
  slowestMs?: number;
}

function observation(at: number | undefined, detail: string, slowestMs?: number): Observation {
  return {
    ...(at !== undefined ? { at } : {}),
    detail,
    ...(slowestMs !== undefined ? { slowestMs } : {}),
  };
}

/** One check of the expectation: its observation once seen, else undefined (progress noted). */
async function pollOnce(
  x: Expectation,
  check: CheckContext,
  progress: WatchProgress,
  onActive: (at: number) => void,
): Promise<Observation | undefined> {
  const kind = expectationKind(x.type);
  try {
    const look = await (kind.check as NonNullable<typeof kind.check>)(x, check);
    if (look.responseMs !== undefined)
      progress.slowestMs = Math.max(progress.slowestMs ?? 0, look.responseMs);
    if (look.activeAt !== undefined) onActive(look.activeAt);
    progress.last = look.detail;
    return look.at !== undefined
      ? observation(look.at, look.detail, progress.slowestMs)
      : undefined;
  } catch (error) {
    progress.last = errorMessage(error);
    return undefined;
  }
}

async function watchOne(
  ctx: DrillContext,
  x: Expectation,
  check: CheckContext,
  deadline: number,
  onActive: (at: number) => void,
): Promise<Observation> {
  const progress: WatchProgress = { last: 'not checked yet' };
  while (!ctx.interrupted()) {
    const seen = await pollOnce(x, check, progress, onActive);
    if (seen) return seen;
    if (ctx.clock.now() + ctx.poll > deadline) break;
    await ctx.clock.sleep(ctx.poll);
  }
  return observation(undefined, progress.last, progress.slowestMs);
}
