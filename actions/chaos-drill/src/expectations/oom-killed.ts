/** oom-killed: the kernel's OOM killer ended the service (State.OOMKilled) and the restart policy restarted it. */
import { z } from 'zod';
import { humanDuration } from '../../../shared/src/summary.ts';
import { duration, name, serviceName, weight } from '../schema-parts.ts';
import { defineExpectation, timedResult } from './kind.ts';

const schema = z.strictObject({
  name,
  type: z.literal('oom-killed'),
  /** Default: the fault's service. */
  service: serviceName.optional(),
  within: duration,
  weight,
});

export const oomKilled = defineExpectation<z.output<typeof schema>>({
  type: 'oom-killed',
  schema,
  source: 'docker',
  weight: 1,
  async check(x, ctx) {
    const service = x.service ?? ctx.faultService;
    const before = ctx.restartCountBefore ?? 0;
    for (const c of await ctx.containersOf(service)) {
      const now = await ctx.docker.inspect(c.id);
      if (now.oomKilled && now.restartCount > before)
        return {
          at: ctx.now(),
          detail: `${now.name} OOMKilled, RestartCount ${before} → ${now.restartCount} (restart policy)`,
        };
      if (now.oomKilled)
        return { detail: `${now.name} OOMKilled, not restarted yet (${now.status})` };
    }
    return { detail: `${service}: not OOM-killed yet` };
  },
  evaluate: (x, facts, experiment) =>
    timedResult(
      x,
      experiment,
      facts,
      `${x.service ?? experiment.fault.service} is OOM-killed and restarted by its restart policy within ${humanDuration(x.within)}`,
      facts.observed[x.name]?.at,
      'docker-inspect',
    ),
});
