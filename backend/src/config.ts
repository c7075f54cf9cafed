import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A secret value that cannot leak by accident: it prints, logs and serialises
 * as "[redacted]". Only `reveal()` gives the value, and only code that needs it
 * (signing, a database driver) calls that.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Shortest SECRET_KEY accepted in production (bytes of entropy matter, not words). */
export const MIN_SECRET_LENGTH = 32;

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly secretKey: Secret | undefined;
  readonly databaseUrl: Secret | undefined;
  readonly version: string;
  readonly commit: string;
  /** Longest time SIGTERM waits for in-flight requests before closing them. */
  readonly shutdownTimeoutMs: number;
  /** Time between readiness turning 503 and the listener closing (for load balancers). */
  readonly shutdownDrainMs: number;
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(5000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SECRET_KEY: z.string().optional(),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  APP_VERSION: z.string().optional(),
  GIT_COMMIT: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at start. Throws a ConfigError that names
 * every bad variable and what is expected, never the value it had (it may be a
 * secret).
 */
export function loadConfig(env: NodeJS.ProcessEnv, defaults = packageDefaults()): Config {
  // Empty strings count as unset: `FOO=` in a .env file means "no value".
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${describeIssue(issue)}`),
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    if (e.SECRET_KEY === undefined) {
      throw new ConfigError(['SECRET_KEY: required when NODE_ENV=production']);
    }
    if (e.SECRET_KEY.length < MIN_SECRET_LENGTH) {
      throw new ConfigError([
        `SECRET_KEY: must be at least ${MIN_SECRET_LENGTH} characters when NODE_ENV=production (it has ${e.SECRET_KEY.length})`,
      ]);
    }
  }
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    secretKey: e.SECRET_KEY === undefined ? undefined : new Secret(e.SECRET_KEY),
    databaseUrl: e.DATABASE_URL === undefined ? undefined : new Secret(e.DATABASE_URL),
    version: e.APP_VERSION ?? defaults.version,
    commit: e.GIT_COMMIT ?? 'unknown',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
  });
}

// zod's own messages can quote the received value; ours never do.
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** What is safe to log about a config: no secret values, no credentials in URLs. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    nodeEnv: config.nodeEnv,
    port: config.port,
    host: config.host,
    logLevel: config.logLevel,
    version: config.version,
    commit: config.commit,
    secretKeyConfigured: config.secretKey !== undefined,
    database: config.databaseUrl ? redactUrl(config.databaseUrl.reveal()) : null,
  };
}

/**
 * Query parameters of a postgres:// URL whose values are safe to log. Every other
 * parameter's value is masked: node-postgres passes them all on, so `password`,
 * `sslpassword`, `options` (server settings) and anything unknown may carry a secret.
 * `sslkey` is masked too: it names the private key, and a key pasted in by mistake
 * would otherwise be printed whole.
 */
export const SAFE_URL_PARAMETERS: ReadonlySet<string> = new Set([
  'host',
  'port',
  'dbname',
  'sslmode',
  'ssl',
  'sslnegotiation',
  'sslrootcert',
  'sslcert',
  'uselibpqcompat',
  'application_name',
  'fallback_application_name',
  'client_encoding',
  'connect_timeout',
  'keepalives',
  'keepalives_idle',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'query_timeout',
  'target_session_attrs',
]);

export const MASK = '***';

/**
 * The URL with every credential masked: the user and password before the host, and
 * the value of every query parameter not in SAFE_URL_PARAMETERS (`?password=` and
 * `?user=` included). Parameter names stay, so the log shows what is configured; the
 * fragment, which nothing reads, is dropped.
 */
export function redactUrl(value: string): string {
  const url = new URL(value);
  if (url.username) url.username = MASK;
  if (url.password) url.password = MASK;
  url.hash = '';
  const masked = new URLSearchParams();
  for (const [name, v] of url.searchParams) {
    masked.append(name, SAFE_URL_PARAMETERS.has(name) ? v : MASK);
  }
  url.search = masked.toString();
  return url.toString();
}

/**
 * The values redactUrl masks, decoded as node-postgres uses them: the strings no log
 * line may contain (pg's own error messages can quote a bad setting or file name).
 */
export function urlSecrets(value: string): string[] {
  const url = new URL(value);
  const secrets = [url.password, safeDecode(url.password)];
  for (const [name, v] of url.searchParams) {
    if (!SAFE_URL_PARAMETERS.has(name) && name !== 'user') secrets.push(v);
  }
  return [...new Set(secrets)].filter((s) => s !== '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function packageDefaults(): { version: string } {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return { version: pkg.version ?? '0.0.0' };
}
