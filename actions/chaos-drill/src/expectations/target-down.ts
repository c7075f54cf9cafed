/** target-down: a query (up, db_up) reads 0; measured from the first raw sample with 0. */
import { z } from 'zod';
import { humanDuration } from '../../../shared/src/summary.ts';
import { instantValues } from '../samples.ts';
import { duration, name, weight } from '../schema-parts.ts';
import { defineExpectation, timedResult } from './kind.ts';

const schema = z.strictObject({
  name,
  type: z.literal('target-down'),
  query: z.string().min(1).default('up{job="backend"}'),
  within: duration,
  weight,
});

export const targetDown = defineExpectation<z.output<typeof schema>>({
  type: 'target-down',
  schema,
  source: 'prometheus',
  weight: 1,
  async check(x, ctx) {
    const values = instantValues(await ctx.prometheus.query(x.query));
    return values.some((v) => v === 0)
      ? { at: ctx.now(), detail: `${x.query} == 0` }
      : { detail: `${x.query} = ${values.join(', ') || 'no series'}` };
  },
  evaluate: (x, facts, experiment) =>
    timedResult(
      x,
      experiment,
      facts,
      `${x.query} == 0 (first failed scrape) within ${humanDuration(x.within)}`,
      facts.target.downAt ?? facts.observed[x.name]?.at,
      facts.target.downAt !== undefined ? 'prometheus-sample' : 'poll',
    ),
});
