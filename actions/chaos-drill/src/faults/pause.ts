/**
 * pause: the cgroup freezer stops every thread (`compose pause`): a hung process that keeps
 * its sockets open. Scrapes time out (up == 0) and callers must time out instead of hanging.
 */
import type { z } from 'zod';
import { defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('pause', {});

export const pause = defineFault<z.output<typeof schema>>({
  action: 'pause',
  schema,
  verb: 'paused',
  noun: 'a freeze (docker pause, a hung process)',
  recoveries: ['unpause'],
  ends: false,
  command: (s) => `compose pause ${s.service}`,
  params: () => ({}),
  inject: async (s, _target, tools) => {
    await tools.control.act('pause', s.service);
    return {};
  },
  // Only a paused container can be unpaused: the undo runs after a failed pause too.
  undo: async (s, target, _state, _recovery, tools) => {
    const status = target ? (await tools.docker.inspect(target.id)).status : 'paused';
    if (status === 'paused') await tools.control.act('unpause', s.service);
  },
  undoCommand: (s) => `compose unpause ${s.service}`,
});
