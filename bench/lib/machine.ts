import { cpus, loadavg } from 'node:os';

export interface LoadAverage {
  readonly at: string;
  /** 1, 5 and 15 minute load averages. */
  readonly load: readonly [number, number, number];
}

/** The machine's load average now: the benchmark's share of a shared machine. */
export function loadAverage(now = new Date()): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return Object.freeze({
    at: now.toISOString(),
    load: Object.freeze([one, five, fifteen] as const),
  });
}

export function machine() {
  return Object.freeze({ node: process.version, cpus: cpus().length });
}
