/**
 * memory: the limit is lowered below what the process needs (`docker update --memory`),
 * the kernel's OOM killer ends it (State.OOMKilled), and the restart policy restarts it,
 * into the same limit, until the undo puts the old one back.
 *
 * cgroup v2 (GitHub's runners) takes any limit and kills at once. cgroup v1 refuses a limit
 * below the current usage ("unable to set memory limit to … (current usage: N …)"): the
 * driver then sets N + headroom, the tightest it accepts, which kills the process at its
 * next allocations. After each restart it tries the limit asked for again (it holds once a
 * try lands before the new process outgrows it), else the new usage + headroom. Without
 * that, a restarted process fits under the first N + headroom for a while and serves
 * between kills, and what the drill measures is luck.
 */
import type { z } from 'zod';
import type { DockerOps } from '../docker-ops.ts';
import { bytes, duration } from '../schema-parts.ts';
import { defineFault, type FaultTools, faultSchema } from './driver.ts';

const schema = faultSchema('memory', {
  limit: bytes,
  headroom: bytes.default(1024 * 1024),
  /** How long to wait for the first kill, and then for a restart that takes `limit`. */
  'tighten-within': duration.default(10_000),
});
type MemorySpec = z.output<typeof schema>;

const POLL_MS = 100;

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

/** Sets the limit: undefined when it holds, else the usage the engine refused it for. */
export async function trySetLimit(
  docker: DockerOps,
  id: string,
  limit: number,
): Promise<number | undefined> {
  try {
    await docker.update(id, limitFlags(limit, limit));
    return undefined;
  } catch (error) {
    const usage = currentUsage(error instanceof Error ? error.message : String(error));
    if (usage === undefined) throw error;
    return usage;
  }
}

/** Tries in a row, the usage may grow between a refusal and the next try. */
const TRIES = 5;

/**
 * Sets `limit`, or where it is refused the tightest limit above the usage the refusal names
 * (usage + headroom; again if the usage grew past that meanwhile). Returns the limit set.
 */
export async function setLimitOrTightest(
  docker: DockerOps,
  id: string,
  limit: number,
  headroom: number,
): Promise<number> {
  let wanted = limit;
  for (let i = 0; i < TRIES; i += 1) {
    const usage = await trySetLimit(docker, id, wanted);
    if (usage === undefined) return wanted;
    wanted = usage + headroom;
  }
  throw new Error(
    `memory: docker update refused ${TRIES} limits in a row, the last ${wanted} bytes: the usage grows faster than the headroom`,
  );
}

/**
 * After each restart (RestartCount past the last one seen), sets the limit asked for or,
 * where it is refused again, the new process's tightest, so that it too dies at its next
 * allocations, as long as `tighten-within` lasts. Returns the limit in place.
 */
export async function tightenAfterRestarts(
  s: MemorySpec,
  id: string,
  tools: Pick<FaultTools, 'docker' | 'clock'>,
  restartsBefore: number,
  tight: number,
): Promise<number> {
  const deadline = tools.clock.now() + s['tighten-within'];
  let seen = restartsBefore;
  let applied = tight;
  while (applied !== s.limit && tools.clock.now() < deadline) {
    const { restartCount } = await tools.docker.inspect(id);
    if (restartCount > seen) {
      seen = restartCount;
      applied = await setLimitOrTightest(tools.docker, id, s.limit, s.headroom);
    } else await tools.clock.sleep(POLL_MS);
  }
  return applied;
}

export const memory = defineFault<MemorySpec>({
  action: 'memory',
  schema,
  verb: 'OOM-killed',
  noun: 'a memory limit below the working set',
  recoveries: ['restore-limits'],
  ends: false,
  command: (s) =>
    `docker update --memory ${s.limit} --memory-swap ${s.limit} ${s.service} (bytes; where the kernel refuses it, the current usage + headroom until the next restart)`,
  params: (s) => ({ limitBytes: s.limit }),
  inject: async (s, target, tools, save) => {
    const before = await tools.docker.inspect(target.id);
    if (before.memory <= 0)
      throw new Error(
        `memory: ${s.service} has no memory limit to go back to (docker update cannot remove one): give it mem_limit`,
      );
    const state = { memory: before.memory, memorySwap: before.memorySwap, applied: s.limit };
    await save(state);
    const tight = await setLimitOrTightest(tools.docker, target.id, s.limit, s.headroom);
    if (tight === s.limit) return state;
    const applied = await tightenAfterRestarts(s, target.id, tools, before.restartCount, tight);
    return { ...state, applied };
  },
  undo: async (_s, target, state, _recovery, tools) => {
    if (!target || state.memory === undefined) return;
    const swap = Number(state.memorySwap);
    await tools.docker.update(target.id, limitFlags(Number(state.memory), swap === 0 ? -1 : swap));
  },
  undoCommand: (s) => `docker update --memory <as before> ${s.service}`,
});
