/** not-restarted: another service keeps its container, StartedAt and RestartCount. */
import { z } from 'zod';
import { name, serviceName, weight } from '../schema-parts.ts';
import { countResult, defineExpectation } from './kind.ts';

const schema = z.strictObject({
  name,
  type: z.literal('not-restarted'),
  service: serviceName,
  weight,
});

export const notRestarted = defineExpectation<z.output<typeof schema>>({
  type: 'not-restarted',
  schema,
  source: 'docker',
  weight: 1,
  needs: ['lifecycle'],
  refine: (x, e) =>
    x.service === e.fault.service
      ? {
          path: 'service',
          message: `the fault's own service (${x.service}) is restarted by its recovery; name another service`,
        }
      : undefined,
  evaluate(x, facts) {
    const seen = facts.restarts?.[x.service];
    const changes = seen?.changes ?? null;
    return countResult(
      x,
      `${x.service} keeps its container, StartedAt and RestartCount through the fault and the recovery`,
      changes === null ? null : changes.length,
      changes === null ? 'none' : 'docker-inspect',
      changes !== null && changes.length === 0,
      changes === null
        ? `not checked: ${seen?.detail ?? 'no snapshot'}`
        : changes.length === 0
          ? (seen?.detail ?? 'unchanged')
          : changes.join('; '),
    );
  },
});
