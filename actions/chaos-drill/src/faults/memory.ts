/**
 * memory: the limit is lowered below what the process needs (`docker update --memory`),
 * the kernel's OOM killer ends it (State.OOMKilled), and the restart policy restarts it.
 * The kernel refuses a limit below the current usage ("unable to set memory limit to …
 * (current usage: N …)"); the driver then sets N + headroom, the tightest it accepts, and
 * the next allocations trip the OOM killer.
 */
import type { z } from 'zod';
import { bytes } from '../schema-parts.ts';
import { defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('memory', {
  limit: bytes,
  headroom: bytes.default(1024 * 1024),
});

/** "current usage: 59867136" from the engine's refusal, in bytes. */
export function currentUsage(message: string): number | undefined {
  const m = /current usage: (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

const limitFlags = (memory: number, swap: number) => [
  '--memory',
  String(memory),
  '--memory-swap',
  String(swap),
];

export const memory = defineFault<z.output<typeof schema>>({
  action: 'memory',
  schema,
  verb: 'OOM-killed',
  noun: 'a memory limit below the working set',
  recoveries: ['restore-limits'],
  ends: false,
  command: (s) =>
    `docker update --memory ${s.limit} --memory-swap ${s.limit} ${s.service} (bytes; at least the current usage + headroom)`,
  params: (s) => ({ limitBytes: s.limit }),
  inject: async (s, target, tools, save) => {
    const before = await tools.docker.inspect(target.id);
    if (before.memory <= 0)
      throw new Error(
        `memory: ${s.service} has no memory limit to go back to (docker update cannot remove one): give it mem_limit`,
      );
    const state = { memory: before.memory, memorySwap: before.memorySwap, applied: s.limit };
    await save(state);
    try {
      await tools.docker.update(target.id, limitFlags(s.limit, s.limit));
      return state;
    } catch (error) {
      const usage = currentUsage(error instanceof Error ? error.message : String(error));
      if (usage === undefined) throw error;
      const applied = usage + s.headroom;
      await tools.docker.update(target.id, limitFlags(applied, applied));
      return { ...state, applied };
    }
  },
  undo: async (_s, target, state, _recovery, tools) => {
    if (!target || state.memory === undefined) return;
    const swap = Number(state.memorySwap);
    await tools.docker.update(target.id, limitFlags(Number(state.memory), swap === 0 ? -1 : swap));
  },
  undoCommand: (s) => `docker update --memory <as before> ${s.service}`,
});
