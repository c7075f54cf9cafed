/**
 * SLO expectations on the user load. Availability: the success ratio while the fault lasts,
 * and the share of the error budget the whole drill burns:
 *   budget (requests) = (1 − objective) × rate × window
 *   burn = failed requests of the drill / budget
 * e.g. 99.9 % over 30 days at 10 req/s allows 25 920 failures; 130 failed requests burn 0.5 %.
 * Latency: a percentile of the load's response times while the fault lasts.
 */
import { z } from 'zod';
import { humanDuration } from '../../../shared/src/summary.ts';
import type { LoadSample } from '../load.ts';
import { duration, name, weight } from '../schema-parts.ts';
import { defineExpectation, type ExperimentShape } from './kind.ts';

const needsLoad = (x: { type: string }, e: ExperimentShape) =>
  e.load === undefined
    ? { path: 'type', message: `${x.type} needs a user load: add load` }
    : undefined;

const availabilitySchema = z.strictObject({
  name,
  type: z.literal('slo-availability'),
  /** The SLO: the share of requests that must succeed over the window. */
  objective: z.number().gt(0).lt(1),
  window: duration.default(30 * 24 * 3600 * 1000),
  /** While the fault lasts, at least this share of the load must succeed. */
  'min-success-ratio': z.number().min(0).max(1).default(0),
  /** The drill may burn at most this share of the window's error budget. */
  'max-budget-burn': z.number().gt(0).max(1),
  weight,
});

const latencySchema = z.strictObject({
  name,
  type: z.literal('slo-latency'),
  percentile: z.number().gt(0).max(100).default(95),
  /** The percentile of the load's response times while the fault lasts must stay under this. */
  max: duration,
  weight,
});

const pct = (r: number) => `${(r * 100).toFixed(r < 0.01 ? 3 : 1)} %`;

/** The p-th percentile (nearest rank) of response times, ms; null without samples. */
export function percentileMs(samples: readonly LoadSample[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = samples.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function budgetBurn(
  failures: number,
  objective: number,
  rate: number,
  windowMs: number,
): number {
  return failures / ((1 - objective) * rate * (windowMs / 1000));
}

export const sloAvailability = defineExpectation<z.output<typeof availabilitySchema>>({
  type: 'slo-availability',
  schema: availabilitySchema,
  source: 'probe',
  weight: 2,
  needs: ['load'],
  refine: needsLoad,
  evaluate(x, facts, experiment) {
    const during = facts.duringFault ?? [];
    const all = facts.loadSamples ?? [];
    const rate = experiment.load?.rate ?? 0;
    const failures = all.filter((s) => !s.ok).length;
    const ratio = during.length === 0 ? null : during.filter((s) => s.ok).length / during.length;
    const burn = rate > 0 ? budgetBurn(failures, x.objective, rate, x.window) : null;
    const passed =
      ratio !== null &&
      burn !== null &&
      ratio >= x['min-success-ratio'] &&
      burn <= x['max-budget-burn'];
    return {
      name: x.name,
      type: x.type,
      description: `user load: at least ${pct(x['min-success-ratio'])} success during the fault; at most ${pct(x['max-budget-burn'])} of the error budget of ${pct(x.objective)} over ${humanDuration(x.window)} burnt`,
      boundMs: null,
      measuredMs: null,
      measure: { unit: 'budget', bound: x['max-budget-burn'], measured: burn },
      source: ratio === null ? 'none' : 'user-load',
      passed,
      detail:
        ratio === null || burn === null
          ? 'no user request during the fault'
          : `${pct(ratio)} of ${during.length} requests succeeded during the fault; ${failures} failed in the drill: ${pct(burn)} of the budget (${Math.round((1 - x.objective) * rate * (x.window / 1000))} requests)${passed ? '' : ' — exceeded'}`,
    };
  },
});

export const sloLatency = defineExpectation<z.output<typeof latencySchema>>({
  type: 'slo-latency',
  schema: latencySchema,
  source: 'probe',
  weight: 2,
  needs: ['load'],
  refine: needsLoad,
  evaluate(x, facts) {
    const p = percentileMs(facts.duringFault ?? [], x.percentile);
    const passed = p !== null && p <= x.max;
    return {
      name: x.name,
      type: x.type,
      description: `user load p${x.percentile} under ${humanDuration(x.max)} during the fault`,
      boundMs: x.max,
      measuredMs: p,
      source: p === null ? 'none' : 'user-load',
      passed,
      detail:
        p === null
          ? 'no user request during the fault'
          : `p${x.percentile} ${humanDuration(p)} of ${(facts.duringFault ?? []).length} requests, bound ${humanDuration(x.max)}${passed ? '' : ' — exceeded'}`,
    };
  },
});
