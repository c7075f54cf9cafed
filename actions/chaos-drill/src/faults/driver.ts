/**
 * A fault is one file: its name, its zod schema, how it is injected and undone, and what
 * the report calls it. Drivers are registered in faults/index.ts; nothing else in the
 * engine knows a fault by name.
 */
import { z } from 'zod';
import type { Clock } from '../../../shared/src/clock.ts';
import type { ServiceControl } from '../../../shared/src/compose-service.ts';
import type { DockerOps } from '../docker-ops.ts';
import { duration, serviceName } from '../schema-parts.ts';
import type { ToxiproxyApi } from '../toxiproxy.ts';

/** What every fault has: the service it hits and how long it may stay. */
export interface FaultSpec {
  readonly action: string;
  readonly service: string;
  /** The longest the fault stays in place while the expectations are watched, ms. */
  readonly 'max-duration': number;
}

/** The engine's hands, passed to inject and undo. */
export interface FaultTools {
  readonly control: ServiceControl;
  readonly docker: DockerOps;
  readonly clock: Clock;
  /** Toxiproxy's API at a URL (the latency fault). */
  readonly toxiproxy: (url: string) => ToxiproxyApi;
}

/** The container a fault hit, as the journal names it. */
export interface Target {
  readonly id: string;
  readonly name: string;
}

/** What undo needs to put things back (previous limits, networks, a toxic's name): JSON, kept in the marker file. */
export type UndoState = Readonly<Record<string, unknown>>;

export type Save = (state: UndoState) => Promise<void>;

export interface FaultDriver<S extends FaultSpec = FaultSpec> {
  /** fault.action in the experiment. */
  readonly action: string;
  /** The fault section, with `action: z.literal(name)` (see faultSchema). */
  readonly schema: z.ZodType<S>;
  /** What the report says happened to the service: "killed", "paused". */
  readonly verb: string;
  /** What the fault is, for the post-mortem: "a SIGKILL", "a network partition". */
  readonly noun: string;
  /** Ways back it accepts (recovery.action); the first is the default. */
  readonly recoveries: readonly string[];
  /** The process ends with the fault: its State.FinishedAt is the fault's instant. */
  readonly ends: boolean;
  /** The command line or call, as the report shows it. */
  command(spec: S): string;
  /** The fault's parameters for the journal (signal, limits, delay). */
  params(spec: S): Readonly<Record<string, string | number>>;
  /**
   * Injects the fault; returns what undo needs. `save` keeps that state (in the marker file)
   * before a step that changes anything, so a half-done inject can be undone too. Throws
   * when it could not inject (the undo still runs).
   */
  inject(spec: S, target: Target, tools: FaultTools, save: Save): Promise<UndoState>;
  /** Puts things back; safe to call twice and after a half-done inject (state may be {}). */
  undo(
    spec: S,
    target: Target | null,
    state: UndoState,
    recovery: string,
    tools: FaultTools,
  ): Promise<void>;
  /** How the undo is described: "compose up -d --no-deps backend". */
  undoCommand(spec: S, recovery: string): string;
}

/** The fields every fault section has, plus its own (strict: unknown keys are errors). */
export function faultSchema<A extends string, T extends z.ZodRawShape>(action: A, shape: T) {
  return z.strictObject({
    action: z.literal(action),
    service: serviceName,
    'max-duration': duration.default(60_000),
    ...shape,
  });
}

/** A driver with its spec type erased, for the registry. */
export function defineFault<S extends FaultSpec>(driver: FaultDriver<S>): FaultDriver {
  return Object.freeze(driver) as unknown as FaultDriver;
}

/** `compose up -d --no-deps <service>`: the way back after a kill or a stop. */
export async function composeUp(service: string, tools: FaultTools): Promise<void> {
  await tools.control.act('up', service);
}
