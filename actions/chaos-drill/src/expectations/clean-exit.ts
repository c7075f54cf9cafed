/** clean-exit: a stopped service drains and exits 0 within its bound (SIGTERM, not the SIGKILL after the timeout). */
import { z } from 'zod';
import { humanDuration } from '../../../shared/src/summary.ts';
import { duration, name, weight } from '../schema-parts.ts';
import { after, defineExpectation, fmt } from './kind.ts';

const schema = z.strictObject({ name, type: z.literal('clean-exit'), within: duration, weight });

export const cleanExit = defineExpectation<z.output<typeof schema>>({
  type: 'clean-exit',
  schema,
  source: 'docker',
  weight: 1,
  evaluate(x, facts) {
    const exit = facts.exit;
    const measuredMs = after(exit?.at, facts.faultIssuedAt);
    const passed = exit?.exitCode === 0 && measuredMs !== null && measuredMs <= x.within;
    return {
      name: x.name,
      type: x.type,
      description: `the container exits with code 0 within ${humanDuration(x.within)} of the signal`,
      boundMs: x.within,
      measuredMs,
      source: exit ? 'docker-inspect' : 'none',
      passed,
      detail: exit
        ? `exit code ${exit.exitCode} ${fmt(measuredMs)} after the signal, bound ${humanDuration(x.within)}${passed ? '' : ' — not clean or too late'}`
        : 'no exit seen: the container did not stop',
    };
  },
});
