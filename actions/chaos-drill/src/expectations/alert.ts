/** alert: a Prometheus alert is pending or firing; measured from its ALERTS samples. */
import { z } from 'zod';
import { humanDuration } from '../../../shared/src/summary.ts';
import { duration, name, weight } from '../schema-parts.ts';
import { defineExpectation, timedResult } from './kind.ts';

const schema = z.strictObject({
  name,
  type: z.literal('alert'),
  alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an alert name'),
  state: z.enum(['pending', 'firing']),
  within: duration,
  weight,
});

export const alert = defineExpectation<z.output<typeof schema>>({
  type: 'alert',
  schema,
  source: 'alert',
  weight: 1,
  alert: (x) => x.alert,
  async check(x, ctx) {
    const found = (await ctx.prometheus.alerts()).find(
      (a) =>
        a.labels.alertname === x.alert &&
        (a.state === x.state || (x.state === 'pending' && a.state === 'firing')),
    );
    const activeAt = found?.activeAt ? Date.parse(found.activeAt) : undefined;
    return found
      ? {
          at: ctx.now(),
          detail: `${x.alert} is ${found.state} (activeAt ${found.activeAt ?? '?'})`,
          ...(activeAt !== undefined ? { activeAt } : {}),
        }
      : { detail: `${x.alert} not ${x.state} yet` };
  },
  evaluate(x, facts, experiment) {
    const times = facts.alerts[x.alert] ?? {};
    const sample = x.state === 'pending' ? times.pendingAt : times.firingAt;
    const api = x.state === 'pending' ? times.activeAt : undefined;
    const source =
      sample !== undefined ? 'prometheus-sample' : api !== undefined ? 'alerts-api' : 'poll';
    return timedResult(
      x,
      experiment,
      facts,
      `${x.alert} ${x.state} within ${humanDuration(x.within)}`,
      sample ?? api ?? facts.observed[x.name]?.at,
      source,
      { alert: x.alert },
    );
  },
});
