import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * Reads what a build needs from Compose files without running Compose: each service's
 * build context, Dockerfile, args and target. Pure: takes file contents, returns values.
 * Interpolation covers what Compose files use in practice (not nested defaults): $$, $VAR, ${VAR},
 * ${VAR:-default}, ${VAR-default}, ${VAR:?message} and ${VAR?message}.
 */

export interface ComposeBuildSpec {
  readonly service: string;
  /** Absolute build context. */
  readonly context: string;
  /** Dockerfile path as given (relative to the context) or absolute. */
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  /** The service's `image:`, when it names one. */
  readonly image?: string;
}

export interface ComposeSource {
  readonly path: string;
  readonly content: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** ${NAME-default}, ${NAME:-default}, ${NAME?message}, ${NAME:?message}: `:` also covers empty. */
function withOperator(
  name: string,
  value: string | undefined,
  op: string,
  operand: string,
  env: Env,
): string {
  const unsetOrEmpty = value === undefined || (op.startsWith(':') && value === '');
  if (op.endsWith('-')) return unsetOrEmpty ? interpolate(operand, env) : (value as string);
  if (unsetOrEmpty) {
    throw new Error(`Compose variable ${name} is required: ${operand || 'it is not set'}`);
  }
  return value as string;
}

export function interpolate(text: string, env: Env): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, dollar, braced, op, operand, bare) => {
      if (dollar) return '$';
      const name = (braced ?? bare) as string;
      return op ? withOperator(name, env[name], op, operand, env) : (env[name] ?? '');
    },
  );
}

function interpolateDeep(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return value;
}

function argsToRecord(args: unknown, env: Env, where: string): Record<string, string> {
  if (args === undefined || args === null) return {};
  if (Array.isArray(args)) {
    const record: Record<string, string> = {};
    for (const item of args) {
      const text = String(item);
      const eq = text.indexOf('=');
      // A bare NAME takes its value from the environment, as Compose does.
      if (eq === -1) {
        const fromEnv = env[text];
        if (fromEnv !== undefined) record[text] = fromEnv;
      } else record[text.slice(0, eq)] = text.slice(eq + 1);
    }
    return record;
  }
  if (typeof args === 'object') {
    return Object.fromEntries(
      Object.entries(args as Record<string, unknown>).map(([k, v]) => [
        k,
        v === null ? (env[k] ?? '') : String(v),
      ]),
    );
  }
  throw new Error(`${where}: build.args must be a map or a list`);
}

interface RawBuild {
  context?: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: unknown;
  target?: string;
}

/** A service as the files so far define it: the merged build, image and args. */
interface MergedService {
  build?: RawBuild;
  image?: string;
  argsMerged: Record<string, string>;
}

/** The `services:` map of one file; undefined when the file has none. */
function servicesOf(source: ComposeSource): Record<string, unknown> | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(source.content, { merge: true });
  } catch (error) {
    throw new Error(
      `${source.path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const services = (doc as { services?: unknown } | null)?.services;
  if (services === undefined || services === null) return undefined;
  if (typeof services !== 'object' || Array.isArray(services)) {
    throw new Error(`${source.path}: "services" must be a map of service name to definition`);
  }
  return services as Record<string, unknown>;
}

/** One file's definition of a service laid over what earlier files said (args are merged). */
function mergeService(
  current: MergedService,
  name: string,
  rawService: unknown,
  source: ComposeSource,
  env: Env,
): MergedService {
  // Only what a build needs is interpolated: a variable another service requires
  // (a password, say) must not stop the images from being built.
  const raw = (rawService ?? {}) as { build?: unknown; image?: unknown };
  const built = interpolateDeep(raw.build, env);
  const image = interpolateDeep(raw.image, env);
  const next: MergedService = {
    ...current,
    ...(typeof image === 'string' ? { image } : {}),
  };
  if (built === undefined || built === null) return next;
  const build: RawBuild = typeof built === 'string' ? { context: built } : (built as RawBuild);
  if (build.dockerfile_inline !== undefined) {
    throw new Error(
      `${source.path}: service "${name}" uses dockerfile_inline, which build-images does not support`,
    );
  }
  return {
    ...next,
    argsMerged: {
      ...current.argsMerged,
      ...argsToRecord(build.args, env, `${source.path}: service "${name}"`),
    },
    build: { ...current.build, ...build },
  };
}

function toBuildSpec(
  service: string,
  s: MergedService,
  projectDirectory: string,
): ComposeBuildSpec {
  const build = s.build as RawBuild;
  return {
    service,
    context: resolve(projectDirectory, build.context ?? '.'),
    dockerfile: build.dockerfile ?? 'Dockerfile',
    args: s.argsMerged,
    ...(build.target ? { target: build.target } : {}),
    ...(s.image ? { image: s.image } : {}),
  };
}

/**
 * Merges the files in order (later files override, args are merged) and returns the
 * services that have a `build:`, sorted by name. Paths are resolved against
 * `projectDirectory` (Compose's default: the first file's directory).
 */
export function readBuildSpecs(
  sources: readonly ComposeSource[],
  projectDirectory: string,
  env: Env = {},
): ComposeBuildSpec[] {
  const merged = new Map<string, MergedService>();
  for (const source of sources) {
    for (const [name, rawService] of Object.entries(servicesOf(source) ?? {}))
      merged.set(
        name,
        mergeService(merged.get(name) ?? { argsMerged: {} }, name, rawService, source, env),
      );
  }
  return [...merged.entries()]
    .filter(([, s]) => s.build !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, s]) => toBuildSpec(service, s, projectDirectory));
}

/** Absolute Dockerfile path of a spec (Compose resolves it against the context). */
export function dockerfilePath(spec: ComposeBuildSpec): string {
  return isAbsolute(spec.dockerfile) ? spec.dockerfile : resolve(spec.context, spec.dockerfile);
}

/**
 * The `.env` file Compose reads from the project directory for interpolation: KEY=VALUE
 * lines, # comments, optional `export `, single or double quotes around the value.
 */
export function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[2] ?? '').trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    values[match[1] as string] = value;
  }
  return values;
}
