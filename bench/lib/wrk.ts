import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number };
  requests: number;
  errors: number;
}

export interface WrkOptions {
  connections: number;
  durationS: number;
  threads?: number;
  /** A Lua script that builds the requests (bench/lib/post-notes.lua), and its arguments. */
  script?: { path: string; args?: readonly string[] };
}

/** wrk's argv for `url` (pure, for the tests). */
export function wrkArgs(url: string, options: WrkOptions): string[] {
  const script = options.script ? ['-s', options.script.path] : [];
  const scriptArgs = options.script?.args?.length ? ['--', ...options.script.args] : [];
  return [
    `-t${options.threads ?? 1}`,
    `-c${options.connections}`,
    `-d${options.durationS}s`,
    '--timeout',
    '10s',
    '--latency',
    ...script,
    url,
    ...scriptArgs,
  ];
}

/** Runs wrk against `url` and parses its --latency report. */
export async function wrk(url: string, options: WrkOptions): Promise<WrkResult> {
  const { stdout } = await run('wrk', wrkArgs(url, options));
  return parseWrk(stdout);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value: string, unit: string): number {
  const factor = UNIT_MS[unit];
  if (factor === undefined) throw new Error(`unknown wrk latency unit "${unit}"`);
  return Number(value) * factor;
}

export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  if (!rps || !total) throw new Error(`cannot parse wrk output:\n${output}`);
  const percentile = (p: number) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    if (!m?.[1] || !m[2]) throw new Error(`wrk output has no ${p}% latency:\n${output}`);
    return toMs(m[1], m[2]);
  };
  const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  return {
    requestsPerSecond: Number(rps[1]),
    latencyMs: { p50: percentile(50), p90: percentile(90), p99: percentile(99) },
    requests: Number(total[1]),
    errors:
      Number(errors?.[1] ?? 0) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}
