/**
 * stop: SIGTERM (the service's stop_signal), then SIGKILL after the timeout: a graceful
 * shutdown that must drain (requests in flight finish) and exit 0 in time.
 */
import type { z } from 'zod';
import { duration } from '../schema-parts.ts';
import { composeUp, defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('stop', { timeout: duration.default(10_000) });
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export const stop = defineFault<z.output<typeof schema>>({
  action: 'stop',
  schema,
  verb: 'stopped',
  noun: 'a graceful stop (SIGTERM)',
  recoveries: ['up'],
  ends: true,
  command: (s) => `compose stop --timeout ${seconds(s.timeout)} ${s.service}`,
  params: (s) => ({ timeoutMs: s.timeout }),
  inject: async (s, _target, tools) => {
    await tools.control.act('stop', s.service, { timeoutSeconds: seconds(s.timeout) });
    return {};
  },
  undo: (s, _target, _state, _recovery, tools) => composeUp(s.service, tools),
  undoCommand: (s) => `compose up -d --no-deps ${s.service}`,
});
