/** restart: a planned `compose restart` (stop, then start); it comes back by itself. */
import type { z } from 'zod';
import { duration } from '../schema-parts.ts';
import { composeUp, defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('restart', { timeout: duration.default(10_000) });
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export const restart = defineFault<z.output<typeof schema>>({
  action: 'restart',
  schema,
  verb: 'restarted',
  noun: 'a planned restart',
  recoveries: ['up', 'wait-for-restart-policy'],
  ends: true,
  command: (s) => `compose restart --timeout ${seconds(s.timeout)} ${s.service}`,
  params: (s) => ({ timeoutMs: s.timeout }),
  inject: async (s, _target, tools) => {
    await tools.control.act('restart', s.service, { timeoutSeconds: seconds(s.timeout) });
    return {};
  },
  // `up` is a no-op for a running container and starts one a failed restart left stopped.
  undo: async (s, _target, _state, recovery, tools) => {
    if (recovery === 'up') await composeUp(s.service, tools);
  },
  undoCommand: (s, recovery) =>
    recovery === 'up' ? `compose up -d --no-deps ${s.service}` : 'wait for the restart policy',
});
