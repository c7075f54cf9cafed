/**
 * The experiment file (observability/drills/*.yml): parsed with `yaml`, validated with zod,
 * returned frozen with every duration in milliseconds. Every error names the field path,
 * the value found and what is expected; nothing is injected before this succeeds. A file
 * that is no experiment (bad YAML, not a mapping, none of the sections) is described by
 * what is wrong with it and where, never by quoting it.
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../../shared/src/inputs.ts';

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(String(value));
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a duration such as 500ms, 7s, 1m or a number of seconds',
    });
    return z.NEVER;
  }
  return ms;
});

const name = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and -');
const url = z
  .string()
  .regex(
    /^(\{(frontend|backend|prometheus)\}|https?:\/\/[^\s/]+)\S*$/,
    'expected an http(s) URL, or one starting with {frontend}, {backend} or {prometheus}',
  );
const OPS = ['==', '!=', '<', '<=', '>', '>='] as const;

const prometheusCheck = z.strictObject({
  query: z.string().min(1, 'expected a PromQL expression'),
  op: z.enum(OPS).default('=='),
  value: z.number(),
  tolerance: z.number().min(0).default(0),
});

/** Top-level fields a JSON body must have, e.g. { database: down } of /api/status. */
const jsonFields = z
  .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .optional();

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

const expectation = z.discriminatedUnion('type', [
  z.strictObject({
    name,
    type: z.literal('target-down'),
    query: z.string().min(1).default('up{job="backend"}'),
    within: duration,
  }),
  z.strictObject({
    name,
    type: z.literal('alert'),
    alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an alert name'),
    state: z.enum(['pending', 'firing']),
    within: duration,
  }),
  z.strictObject({
    name,
    type: z.literal('http-degraded'),
    url,
    status: z.number().int().min(100).max(599).default(503),
    'json-code': z.string().min(1).optional(),
    json: jsonFields,
    within: duration,
    'max-response-time': duration.default(2000),
  }),
  // Checked after the recovery, from the writer's records and a read-back of the notes.
  z.strictObject({ name, type: z.literal('no-acknowledged-write-lost') }),
  z.strictObject({ name, type: z.literal('no-duplicate-write') }),
  // Checked after the recovery: the same container, StartedAt and RestartCount as before the fault.
  z.strictObject({
    name,
    type: z.literal('not-restarted'),
    service: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'expected a Compose service name'),
  }),
]);

/** Expectation types bounded in time from the fault (the others are checked after the recovery). */
export const TIMED_TYPES = ['target-down', 'alert', 'http-degraded'] as const;
const WRITE_TYPES = ['no-acknowledged-write-lost', 'no-duplicate-write'];

const FAULTS = ['kill', 'stop', 'pause', 'restart'] as const;
const RECOVERIES = ['up', 'unpause', 'wait-for-restart-policy'] as const;

const schema = z
  .strictObject({
    name,
    description: z.string().default(''),
    'steady-state': z.strictObject({
      timeout: duration.default(15_000),
      probes: z.array(probe).min(1, 'expected at least one probe'),
    }),
    fault: z.strictObject({
      action: z.enum(FAULTS),
      service: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'expected a Compose service name'),
      signal: z
        .string()
        .regex(/^SIG[A-Z0-9]+$/, 'expected a signal name such as SIGKILL')
        .optional(),
      /** The longest the fault stays in place while the expectations are watched. */
      'max-duration': duration.default(60_000),
    }),
    expectations: z.array(expectation).min(1, 'expected at least one expectation'),
    recovery: z
      .strictObject({
        action: z.enum(RECOVERIES).optional(),
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
      if (WRITE_TYPES.includes(x.type) && e.workload?.writer === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'type'],
          message: `${x.type} needs a writer: add workload.writer`,
        });
      }
      if (x.type === 'not-restarted' && x.service === e.fault.service) {
        ctx.addIssue({
          code: 'custom',
          path: ['expectations', i, 'service'],
          message: `the fault's own service (${x.service}) is restarted by its recovery; name another service`,
        });
      }
    });
    const recovery = e.recovery.action;
    if (recovery === 'unpause' && e.fault.action !== 'pause') {
      ctx.addIssue({
        code: 'custom',
        path: ['recovery', 'action'],
        message: 'unpause only recovers from fault.action pause',
      });
    }
    if (e.fault.action === 'pause' && recovery !== undefined && recovery !== 'unpause') {
      ctx.addIssue({
        code: 'custom',
        path: ['recovery', 'action'],
        message: 'a paused service is recovered with unpause',
      });
    }
    // Observed on Docker 20.10 (observability/drills/README.md): a container stopped by
    // `docker kill`/`compose kill` or `stop` is NOT restarted by `restart: unless-stopped`;
    // only a process that dies on its own (crash, OOM, a signal from inside) is.
    if (recovery === 'wait-for-restart-policy' && e.fault.action !== 'restart') {
      ctx.addIssue({
        code: 'custom',
        path: ['recovery', 'action'],
        message: `Docker does not apply the restart policy after "${e.fault.action}" (it counts as stopped by hand); use up`,
      });
    }
  });

export type ExperimentFile = z.output<typeof schema>;
export type Probe = ExperimentFile['steady-state']['probes'][number];
export type Expectation = ExperimentFile['expectations'][number];
export type FaultAction = (typeof FAULTS)[number];
export type RecoveryAction = (typeof RECOVERIES)[number];

export interface Experiment extends Omit<ExperimentFile, 'recovery'> {
  readonly recovery: {
    readonly action: RecoveryAction;
    readonly within: number;
    readonly 'steady-state-within': number;
  };
  /** Where it was read from, for the journal. */
  readonly file: string;
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
    recovery: {
      action: e.recovery.action ?? (e.fault.action === 'pause' ? 'unpause' : 'up'),
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
  const timed = new Set(
    experiment.expectations
      .filter((x) => (TIMED_TYPES as readonly string[]).includes(x.type))
      .map((x) => x.name),
  );
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
      if (byName !== undefined && 'within' in x) return { ...x, within: byName };
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
