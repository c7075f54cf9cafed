/**
 * An expectation type is one file: its schema, how it is watched while the fault lasts
 * (if it is), and how it is judged from the facts afterwards. Registered in
 * expectations/index.ts, like the faults.
 */
import type { z } from 'zod';
import type { PrometheusClient } from '../../../shared/src/prometheus.ts';
import { humanDuration } from '../../../shared/src/summary.ts';
import type { DockerOps } from '../docker-ops.ts';
import type { Experiment } from '../experiment.ts';
import type { HttpClient } from '../http.ts';
import type { ExpectationResult, TimelineEvent } from '../journal.ts';
import type { Facts } from '../measure.ts';
import type { Targets } from '../probes.ts';

export interface ExpectationSpec {
  readonly name: string;
  readonly type: string;
  readonly weight?: number;
}

/** What a watcher may use while the fault lasts. */
export interface CheckContext {
  readonly prometheus: PrometheusClient;
  readonly http: HttpClient;
  readonly targets: Targets;
  readonly docker: DockerOps;
  readonly containersOf: (service: string) => Promise<readonly { id: string }[]>;
  readonly now: () => number;
  readonly faultService: string;
  /** RestartCount of the fault's container just before the fault. */
  readonly restartCountBefore?: number;
}

/** One look: `at` when it was seen, else why not yet. */
export interface Look {
  readonly at?: number;
  readonly detail: string;
  /** http checks: how long the answer took. */
  readonly responseMs?: number;
  /** alert checks: activeAt from /api/v1/alerts. */
  readonly activeAt?: number;
}

export interface ExpectationKind<X extends ExpectationSpec = ExpectationSpec> {
  readonly type: string;
  /** With `type: z.literal(type)` and `name` (strict). */
  readonly schema: z.ZodType<X>;
  /** The timeline source of what its watcher sees. */
  readonly source: TimelineEvent['source'];
  /** Watched from the fault until seen or fault.max-duration (one look per poll). */
  check?(x: X, ctx: CheckContext): Promise<Look>;
  /** The alert it is about: the ALERTS query, the report and the post-mortem name it. */
  alert?(x: X): string | undefined;
  /** A problem with the rest of the experiment, named by its field under the expectation. */
  refine?(x: X, experiment: ExperimentShape): { path: string; message: string } | undefined;
  /** What the run needs besides Prometheus and HTTP. */
  readonly needs?: readonly ('notes' | 'lifecycle' | 'load')[];
  /** Default weight in the resilience score. */
  readonly weight: number;
  evaluate(x: X, facts: Facts, experiment: Experiment): Omit<ExpectationResult, 'weight'>;
}

/** The parts of a parsed experiment a refinement looks at. */
export interface ExperimentShape {
  readonly fault: { readonly action: string; readonly service: string };
  readonly load?: unknown;
  readonly workload?: { readonly writer?: unknown };
}

export function defineExpectation<X extends ExpectationSpec>(
  kind: ExpectationKind<X>,
): ExpectationKind {
  return Object.freeze(kind) as unknown as ExpectationKind;
}

export function after(at: number | undefined, from: number | undefined): number | null {
  return at === undefined || from === undefined ? null : Math.max(0, at - from);
}

export const fmt = (ms: number | null) => (ms === null ? 'never' : humanDuration(ms));

/** A result bounded by `within` from the fault: measured, in bound, and why. */
export function timedResult(
  x: { name: string; type: string; within: number },
  experiment: Experiment,
  facts: Facts,
  description: string,
  at: number | undefined,
  source: string,
  extra: { ok?: boolean; detail?: string; alert?: string } = {},
): Omit<ExpectationResult, 'weight'> {
  const seen = facts.observed[x.name];
  const window = humanDuration(experiment.fault['max-duration']);
  const measuredMs = after(at, facts.faultAt);
  const inBound = measuredMs !== null && measuredMs <= x.within;
  const detail =
    measuredMs === null
      ? `not observed within ${window} of the fault${seen?.detail ? ` (last: ${seen.detail})` : ''}`
      : `${fmt(measuredMs)} after the fault, bound ${humanDuration(x.within)}${inBound ? '' : ' — exceeded'}${extra.detail ?? ''}`;
  return {
    name: x.name,
    type: x.type,
    description,
    boundMs: x.within,
    measuredMs,
    source: measuredMs === null ? 'none' : source,
    passed: inBound && (extra.ok ?? true),
    detail,
    ...(extra.alert ? { alert: extra.alert } : {}),
  };
}

/** A counting result (at most `bound`), e.g. lost notes. */
export function countResult(
  x: { name: string; type: string },
  description: string,
  measured: number | null,
  source: string,
  passed: boolean,
  detail: string,
  bound = 0,
): Omit<ExpectationResult, 'weight'> {
  return {
    name: x.name,
    type: x.type,
    description,
    boundMs: null,
    measuredMs: null,
    count: { bound, measured },
    source,
    passed,
    detail,
  };
}
