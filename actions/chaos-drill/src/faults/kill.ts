/** kill: the process dies at once (SIGKILL by default), as in a crash; back with `compose up`. */
import { z } from 'zod';
import { composeUp, defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('kill', {
  signal: z
    .string()
    .regex(/^SIG[A-Z0-9]+$/, 'expected a signal name such as SIGKILL')
    .default('SIGKILL'),
});

export const kill = defineFault<z.output<typeof schema>>({
  action: 'kill',
  schema,
  verb: 'killed',
  noun: 'a kill',
  recoveries: ['up'],
  ends: true,
  command: (s) => `compose kill -s ${s.signal} ${s.service}`,
  params: (s) => ({ signal: s.signal }),
  inject: async (s, _target, tools) => {
    await tools.control.act('kill', s.service, { signal: s.signal });
    return {};
  },
  undo: (s, _target, _state, _recovery, tools) => composeUp(s.service, tools),
  undoCommand: (s) => `compose up -d --no-deps ${s.service}`,
});
