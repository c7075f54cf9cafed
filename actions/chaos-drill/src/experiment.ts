/**
 * The experiment file (observability/drills/*.yml): parsed with `yaml`, validated with zod,
 * returned frozen with every duration in milliseconds. Every error names the field path,
 * the value found and what is expected; nothing is injected before this succeeds. A file
 * that is no experiment (bad YAML, not a mapping, none of the sections) is described by
 * what is wrong with it and where, never by quoting it.
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { z } from 'zod';
import { EXPECTATIONS, type ExpectationSpec, expectationKind } from './expectations/index.ts';
import { FAULTS, type FaultSpec, faultDriver } from './faults/index.ts';
import { duration, jsonFields, name, url } from './schema-parts.ts';

const OPS = ['==', '!=', '<', '<=', '>', '>='] as const;

const prometheusCheck = z.strictObject({
  query: z.string().min(1, 'expected a PromQL expression'),
  op: z.enum(OPS).default('=='),
  value: z.number(),
  tolerance: z.number().min(0).default(0),
});

const httpCheck = z.strictObject({
  url,
  status: z.number().int().min(100).max(599).default(200),
  /** error.code (or code) of a JSON body, e.g. backend_unavailable. */
  'json-code': z.string().min(1).optional(),
  json: jsonFields,
  timeout: duration.default(2000),
});

const probe = z
  .strictObject({
    name: z.string().min(1),
    prometheus: prometheusCheck.optional(),
    http: httpCheck.optional(),
  })
  .refine((p) => (p.prometheus === undefined) !== (p.http === undefined), {
    message: 'expected exactly one of "prometheus" or "http"',
  });

type Union = [z.ZodObject, z.ZodObject, ...z.ZodObject[]];
// One schema per registered fault and expectation type (faults/, expectations/).
const fault = z.discriminatedUnion(
  'action',
  FAULTS.map((d) => d.schema) as unknown as Union,
) as unknown as z.ZodType<Fault>;
const expectation = z.discriminatedUnion(
  'type',
  EXPECTATIONS.map((k) => k.schema) as unknown as Union,
) as unknown as z.ZodType<Expectation>;

const schema = z
  .strictObject({
    name,
    description: z.string().default(''),
    'steady-state': z.strictObject({
      timeout: duration.default(15_000),
      probes: z.array(probe).min(1, 'expected at least one probe'),
    }),
    fault,
    expectations: z.array(expectation).min(1, 'expected at least one expectation'),
    recovery: z
      .strictObject({
        action: z.string().min(1).optional(),
        within: duration.default(15_000),
        /** Every steady-state probe holds again (alerts resolved included) within this. */
        'steady-state-within': duration.default(30_000),
      })
      .default({ within: 15_000, 'steady-state-within': 30_000 }),
    load: z
      .strictObject({
        url,
        rate: z.number().positive().max(100).default(10),
        timeout: duration.default(2000),
      })
      .optional(),
    workload: z
      .strictObject({
        /** Notes POSTed through the whole drill, each retried with its own Idempotency-Key. */
        writer: z
          .strictObject({
            url,
            rate: z.number().positive().max(50).default(5),
            timeout: duration.default(2000),
            backoff: duration.default(250),
            'max-backoff': duration.default(2000),
            'give-up-after': duration.default(60_000),
          })
          .optional(),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    const names = e.expectations.map((x) => x.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'name'],
          message: `duplicate expectation name "${n}"`,
        });
      }
    });
    e.expectations.forEach((x, i) => {
      const problem = expectationKind(x.type).refine?.(x, e);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, problem.path],
          message: problem.message,
        });
    });
    const problem = recoveryProblem(e.fault.action, e.recovery.action);
    if (problem) ctx.addIssue({ code: 'custom', path: ['recovery', 'action'], message: problem });
  });

/** Why a recovery cannot undo a fault, or undefined when it can (or none is given). */
function recoveryProblem(action: string, recovery: string | undefined): string | undefined {
  const driver = faultDriver(action);
  if (recovery === undefined || driver.recoveries.includes(recovery)) return undefined;
  if (recovery === 'unpause') return 'unpause only recovers from fault.action pause';
  // Observed on Docker 20.10 (observability/drills/README.md): a container stopped by
  // `docker kill`/`compose kill` or `stop` is NOT restarted by `restart: unless-stopped`;
  // only a process that dies on its own (crash, OOM, a signal from inside) is.
  if (recovery === 'wait-for-restart-policy' && (action === 'kill' || action === 'stop'))
    return `Docker does not apply the restart policy after "${action}" (it counts as stopped by hand); use up`;
  return `"${recovery}" does not undo ${action}: expected ${driver.recoveries.join(' or ')}`;
}

export type ExperimentFile = z.output<typeof schema>;
export type Probe = ExperimentFile['steady-state']['probes'][number];
/** One expectation as parsed: its type's own fields (expectations/<type>.ts). */
export type Expectation = ExpectationSpec & {
  readonly within?: number;
  readonly [field: string]: unknown;
};
/** The fault section as parsed: its driver's own fields (faults/<action>.ts). */
export type Fault = FaultSpec & { readonly [field: string]: unknown };

export interface Experiment extends Omit<ExperimentFile, 'recovery' | 'fault' | 'expectations'> {
  readonly fault: Fault;
  readonly expectations: readonly Expectation[];
  readonly recovery: {
    readonly action: string;
    readonly within: number;
    readonly 'steady-state-within': number;
  };
  /** Where it was read from, for the journal. */
  readonly file: string;
}

/** Expectations bounded in time from the fault (`within`): the bound overrides apply to them. */
export function isBounded(x: Expectation): x is Expectation & { readonly within: number } {
  return typeof x.within === 'number';
}

export class ExperimentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Experiment file ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ExperimentError';
  }
}

/** `expectations[2].within` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key),
    '',
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The sections that make a YAML mapping an experiment (name alone could be anything's). */
const SECTIONS = ['steady-state', 'fault', 'expectations'] as const;
const MAX_YAML_ERRORS = 5;

/**
 * A YAML syntax error by its kind and place only: yaml's messages quote the text
 * around it, and the file may be anything (a path can point outside the workspace).
 */
function describeYamlError(error: YAMLError, lines: LineCounter): string {
  const { line, col } = lines.linePos(error.pos[0]);
  return `YAML: ${error.code.toLowerCase().replaceAll('_', ' ')} at line ${line}, column ${col}`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/**
 * Problems of a document that is no experiment at all (not a mapping, or one with
 * none of the experiment's sections), named without quoting any of its content.
 * Only an experiment's own fields are quoted in the messages that follow.
 */
function notAnExperiment(raw: unknown): string | undefined {
  const expected = `expected a YAML mapping with ${SECTIONS.join(', ')} (an experiment)`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return `(top level): ${expected}; the file holds ${typeOf(raw)}`;
  if (!SECTIONS.some((section) => section in raw))
    return `(top level): ${expected}; the file has none of these sections`;
  return undefined;
}

/** Parses and validates an experiment's YAML text; throws ExperimentError listing every problem. */
export function parseExperiment(text: string, file: string): Experiment {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const more = doc.errors.length - MAX_YAML_ERRORS;
    throw new ExperimentError(file, [
      ...doc.errors.slice(0, MAX_YAML_ERRORS).map((e) => describeYamlError(e, lines)),
      ...(more > 0 ? [`YAML: ${more} more error${more === 1 ? '' : 's'}`] : []),
    ]);
  }
  const raw: unknown = doc.toJS();
  const foreign = notAnExperiment(raw);
  if (foreign !== undefined) throw new ExperimentError(file, [foreign]);
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ExperimentError(
      file,
      result.error.issues.map((issue) => {
        const where = formatPath(issue.path) || '(top level)';
        const found =
          issue.code === 'unrecognized_keys' ? '' : ` (found ${show(valueAt(raw, issue.path))})`;
        return `${where}: ${issue.message}${found}`;
      }),
    );
  }
  const e = result.data;
  return deepFreeze({
    ...e,
    fault: e.fault as Fault,
    expectations: e.expectations as Expectation[],
    recovery: {
      action: e.recovery.action ?? (faultDriver(e.fault.action).recoveries[0] as string),
      within: e.recovery.within,
      'steady-state-within': e.recovery['steady-state-within'],
    },
    file,
  });
}

/** Bound overrides from inputs/flags: by expectation name, plus the two named ones. */
export interface BoundOverrides {
  readonly timeToDetectMs?: number;
  readonly timeToRecoverMs?: number;
  readonly byName?: Readonly<Record<string, number>>;
  /** Replaces workload.writer.rate (notes per second); an error without a writer. */
  readonly writerRate?: number;
}

/** A copy with the overridden bounds; an override naming no expectation is an error. */
export function withBounds(experiment: Experiment, overrides: BoundOverrides): Experiment {
  const known = new Set(experiment.expectations.map((x) => x.name));
  const timed = new Set(experiment.expectations.filter(isBounded).map((x) => x.name));
  for (const nameKey of Object.keys(overrides.byName ?? {})) {
    if (!known.has(nameKey)) {
      throw new Error(
        `Bound override "${nameKey}" names no expectation of ${experiment.name}: expected one of ${[...known].join(', ')}`,
      );
    }
    if (!timed.has(nameKey)) {
      throw new Error(
        `Bound override "${nameKey}": that expectation has no time bound (expected one of ${[...timed].join(', ')})`,
      );
    }
  }
  const writer = experiment.workload?.writer;
  if (overrides.writerRate !== undefined && writer === undefined)
    throw new Error(`Writer rate override: ${experiment.name} has no workload.writer`);
  return deepFreeze({
    ...experiment,
    ...(writer && overrides.writerRate !== undefined
      ? { workload: { ...experiment.workload, writer: { ...writer, rate: overrides.writerRate } } }
      : {}),
    expectations: experiment.expectations.map((x) => {
      const byName = overrides.byName?.[x.name];
      if (byName !== undefined && isBounded(x)) return { ...x, within: byName };
      if (x.type === 'target-down' && overrides.timeToDetectMs !== undefined) {
        return { ...x, within: overrides.timeToDetectMs };
      }
      return x;
    }),
    recovery: {
      ...experiment.recovery,
      within: overrides.timeToRecoverMs ?? experiment.recovery.within,
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
