/**
 * What every phase of a drill shares: the experiment, the deps, its fault driver and tools,
 * the clock, and the recorder that keeps the events (the only state they have in common).
 */
import type { Clock } from '../../../shared/src/clock.ts';
import type { ServiceControl } from '../../../shared/src/compose-service.ts';
import type { ContainerLifecycle } from '../../../shared/src/container-lifecycle.ts';
import type { PrometheusClient } from '../../../shared/src/prometheus.ts';
import type { DockerOps } from '../docker-ops.ts';
import type { Experiment } from '../experiment.ts';
import { type FaultDriver, type FaultTools, faultDriver } from '../faults/index.ts';
import type { HttpClient } from '../http.ts';
import type { SteadyState } from '../journal.ts';
import type { MarkerStore } from '../markers.ts';
import type { DrillEvent } from '../measure.ts';
import type { NotesApi } from '../notes-api.ts';
import { checkAll, type Targets } from '../probes.ts';
import { createToxiproxy, type ToxiproxyApi } from '../toxiproxy.ts';

export interface DrillDeps {
  readonly prometheus: PrometheusClient;
  readonly http: HttpClient;
  readonly control: ServiceControl;
  readonly docker: DockerOps;
  readonly clock: Clock;
  readonly targets: Targets;
  /** The notes API at a URL (workload.writer); required when the experiment has a writer. */
  readonly notes?: (url: string) => NotesApi;
  /** The service's containers now (not-restarted); required when an expectation asks. */
  readonly lifecycle?: (service: string) => Promise<ContainerLifecycle[]>;
  /** Toxiproxy's API (the latency fault); fetch by default. */
  readonly toxiproxy?: (url: string) => ToxiproxyApi;
  /** Where a fault in place is written down (a crashed drill leaves it for the next). */
  readonly markers?: MarkerStore;
  /** Live timeline, one line per event. */
  readonly log?: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: the drill stops waiting, recovers, and reports. */
  readonly signal?: AbortSignal;
  readonly pollIntervalMs?: number;
}

/** A problem found before any fault: the drill stops with verdict aborted. */
export class PreflightError extends Error {
  override name = 'PreflightError';
}

export interface Recorder {
  note(source: DrillEvent['source'], event: string, at?: number): void;
  /** From now on the log shows times relative to the fault. */
  faultAt(at: number): void;
  events(): readonly DrillEvent[];
}

export interface DrillContext {
  readonly experiment: Experiment;
  readonly deps: DrillDeps;
  readonly driver: FaultDriver;
  readonly tools: FaultTools;
  readonly clock: Clock;
  readonly startedAt: number;
  readonly poll: number;
  readonly rec: Recorder;
  readonly project: string;
  interrupted(): boolean;
}

function fmtSeconds(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(1)}s`;
}

export function createRecorder(
  startedAt: number,
  clock: Clock,
  log?: (line: string) => void,
): Recorder {
  const events: DrillEvent[] = [];
  let zero: number | undefined;
  return {
    note(source, event, at = clock.now()) {
      events.push({ at, source, event });
      const rel =
        zero === undefined ? `T${fmtSeconds(at - startedAt)}` : `F${fmtSeconds(at - zero)}`;
      log?.(
        `${new Date(at).toISOString().slice(11, 23)} ${rel.padStart(8)}  ${source.padEnd(10)} ${event}`,
      );
    },
    faultAt(at) {
      zero = at;
    },
    events: () => events,
  };
}

export function drillContext(experiment: Experiment, deps: DrillDeps): DrillContext {
  const startedAt = deps.clock.now();
  return Object.freeze({
    experiment,
    deps,
    driver: faultDriver(experiment.fault.action),
    tools: Object.freeze({
      control: deps.control,
      docker: deps.docker,
      clock: deps.clock,
      toxiproxy: deps.toxiproxy ?? ((url: string) => createToxiproxy(url)),
    }),
    clock: deps.clock,
    startedAt,
    poll: deps.pollIntervalMs ?? 500,
    rec: createRecorder(startedAt, deps.clock, deps.log),
    project: deps.control.compose.project.projectName,
    interrupted: () => deps.signal?.aborted === true,
  });
}

/** Polls the steady-state probes until they all hold or the deadline passes. */
export async function waitSteady(
  ctx: DrillContext,
  deadline: number,
  stopOnInterrupt: boolean,
): Promise<SteadyState> {
  const { clock, deps } = ctx;
  const began = clock.now();
  for (;;) {
    const probes = await checkAll(ctx.experiment, deps.targets, deps);
    const held = probes.every((p) => p.ok);
    const now = clock.now();
    if (held || now + 1000 > deadline || (stopOnInterrupt && ctx.interrupted()))
      return { held, at: new Date(now).toISOString(), waitedMs: now - began, probes };
    await clock.sleep(1000);
  }
}
