/**
 * Typed input readers. Each action's inputs.ts calls these once and freezes the result;
 * every error names the input, the value and what was expected.
 */

/** Where raw input strings come from: the runner's INPUT_* variables, or a plain object in tests. */
export interface InputSource {
  /** The raw value, or undefined/'' when unset. */
  get(name: string): string | undefined;
}

/** INPUT_<NAME> as the runner sets it: upper case, spaces to underscores, dashes kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Reads inputs from the environment exactly as @actions/core's getInput does. */
export function envInputSource(env: NodeJS.ProcessEnv = process.env): InputSource {
  return { get: (name) => env[inputEnvName(name)] };
}

/** An InputSource over a plain object (tests, the local runner). */
export function objectInputSource(values: Readonly<Record<string, string>>): InputSource {
  return { get: (name) => values[name] };
}

export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    expected: string,
  ) {
    super(`Input "${input}" has value "${value}": expected ${expected}`);
    this.name = 'InputError';
  }
}

function raw(source: InputSource, name: string): string {
  return (source.get(name) ?? '').trim();
}

export function getString(
  source: InputSource,
  name: string,
  options: { required?: boolean; default?: string } = {},
): string {
  const value = raw(source, name);
  if (value === '') {
    if (options.required) throw new InputError(name, value, 'a value (this input is required)');
    return options.default ?? '';
  }
  return value;
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts. */
export function getBoolean(source: InputSource, name: string, fallback = false): boolean {
  const value = raw(source, name);
  if (value === '') return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, value, 'true or false');
}

/** Comma- or newline-separated values, trimmed, empty entries dropped. */
export function getList(source: InputSource, name: string): string[] {
  return raw(source, name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** One entry per line (values may contain commas), trimmed, blank lines and # comments dropped. */
export function getLines(source: InputSource, name: string): string[] {
  return raw(source, name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Multiline KEY=VALUE pairs (build args, env); the value may contain `=`. */
export function getKeyValues(source: InputSource, name: string): [string, string][] {
  return getLines(source, name).map((line) => {
    const eq = line.indexOf('=');
    const key = eq === -1 ? '' : line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new InputError(name, line, 'one KEY=VALUE per line (KEY: letters, digits, _ . -)');
    }
    return [key, line.slice(eq + 1)];
  });
}

/** A number input's default and its bounds (inclusive). */
interface Bounded {
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
}

export function getInt(source: InputSource, name: string, options: Bounded): number {
  const value = raw(source, name);
  if (value === '') return options.default;
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range =
    options.min !== undefined && options.max !== undefined
      ? ` from ${min} to ${max}`
      : options.min !== undefined
        ? ` of at least ${min}`
        : options.max !== undefined
          ? ` of at most ${max}`
          : '';
  if (!/^-?\d+$/.test(value)) throw new InputError(name, value, `a whole number${range}`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(name, value, `a whole number${range}`);
  return n;
}

export function getEnum<const T extends string>(
  source: InputSource,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = raw(source, name);
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, value, `one of ${allowed.join(', ')}`);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "90", "90s", "500ms", "5m", "1h30m" into milliseconds; a bare number is seconds. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000);
  }
  return Math.round(total);
}

export function getDuration(source: InputSource, name: string, options: Bounded): number {
  const value = raw(source, name);
  if (value === '') return options.default;
  const ms = parseDuration(value);
  const expected = 'a duration such as 90s, 5m, 1h30m or a number of seconds';
  if (ms === undefined) throw new InputError(name, value, expected);
  if (options.min !== undefined && ms < options.min) {
    throw new InputError(name, value, `${expected}, at least ${options.min / 1000}s`);
  }
  if (options.max !== undefined && ms > options.max) {
    throw new InputError(name, value, `${expected}, at most ${options.max / 1000}s`);
  }
  return ms;
}
