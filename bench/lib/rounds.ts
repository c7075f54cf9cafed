import type { Measurement, Target } from './measurement.ts';
import { median } from './stats.ts';
import { type WrkOptions, wrk } from './wrk.ts';

export interface RoundOptions {
  rounds: number;
  durationS: number;
  /** An unmeasured run before each measured one (JIT, pools, caches). */
  warmupS: number;
  onMeasured?: (round: number, target: Target, result: Measurement) => void;
}

/**
 * Every target once per round, in the same order, `rounds` times (A B C ... A B
 * C ...): a burst of background load on a shared machine hurts every target
 * alike, and the median round of each is what counts.
 */
export async function runRounds(
  targets: readonly Target[],
  options: RoundOptions,
): Promise<Map<string, Measurement[]>> {
  const runs = new Map<string, Measurement[]>(targets.map((t) => [t.id, []]));
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const target of targets) {
      await target.run(options.warmupS);
      const result = await target.run(options.durationS);
      runs.get(target.id)?.push(result);
      options.onMeasured?.(round, target, result);
    }
  }
  return runs;
}

export interface Summary {
  readonly target: string;
  readonly description: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly rounds: readonly Measurement[];
}

/** The median round of each target (throughput and latencies each), and all errors. */
export function summarise(targets: readonly Target[], runs: Map<string, Measurement[]>): Summary[] {
  return targets.map((t) => {
    const results = runs.get(t.id) ?? [];
    return Object.freeze({
      target: t.id,
      description: t.description,
      requestsPerSecond: Math.round(median(results.map((r) => r.requestsPerSecond))),
      p50Ms: round2(median(results.map((r) => r.latencyMs.p50))),
      p99Ms: round2(median(results.map((r) => r.latencyMs.p99))),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      rounds: results,
    });
  });
}

const round2 = (n: number) => Number(n.toFixed(2));

/** A target that wrk drives (GET, or the requests of a Lua script). */
export function wrkTarget(
  id: string,
  description: string,
  url: string,
  options: Omit<WrkOptions, 'durationS'>,
): Target {
  let runs = 0;
  return {
    id,
    description,
    async run(durationS) {
      runs += 1;
      // Script arguments get the run's number: the Lua scripts make keys unique with it.
      const script = options.script && {
        ...options.script,
        args: [...(options.script.args ?? []), `${id.replace(/\W+/g, '')}-${process.pid}-${runs}`],
      };
      const result = await wrk(url, { ...options, ...(script ? { script } : {}), durationS });
      return {
        requestsPerSecond: result.requestsPerSecond,
        latencyMs: { p50: result.latencyMs.p50, p99: result.latencyMs.p99 },
        errors: result.errors,
      };
    },
  };
}
