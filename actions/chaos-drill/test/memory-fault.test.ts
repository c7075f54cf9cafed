/**
 * The memory fault where the kernel refuses a limit under the current usage (cgroup v1):
 * a fake engine that refuses as dockerd does ("… (current usage: N …)"), OOM-kills when the
 * usage outgrows the limit, and restarts the container into its limit. The real engine's
 * run is in faults.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../shared/test/helpers.ts';
import type { ContainerFacts, DockerOps } from '../src/docker-ops.ts';
import { currentUsage, memory, trySetLimit } from '../src/faults/memory.ts';

const MiB = 1024 * 1024;

/**
 * `usage(msSinceStart)` is the process's memory. The engine refuses a limit under it; when it
 * passes the limit the process is killed and started again (RestartCount + 1) at once.
 */
function cgroupV1(
  usage: (msSinceStart: number) => number,
  clock: { now(): number },
  /** How much the usage grows after refusal n (allocations between two tries). */
  growsAfterRefusal: (n: number) => number = () => 0,
) {
  let limit = 256 * MiB;
  let grown = 0;
  let refusals = 0;
  let restartCount = 0;
  let startedAt = clock.now() - 60_000; // running for a minute: at its full usage
  const updates: number[] = [];
  const current = () => {
    while (usage(clock.now() - startedAt) > limit) {
      restartCount += 1;
      startedAt = clock.now();
      if (usage(0) > limit) break; // dies at every start: it stays down
    }
    return usage(clock.now() - startedAt) + grown;
  };
  const docker: DockerOps = {
    async inspect(): Promise<ContainerFacts> {
      current();
      return {
        id: 'id',
        name: 'backend-1',
        networks: {},
        cpuQuota: 0,
        cpuPeriod: 0,
        memory: 256 * MiB,
        memorySwap: 512 * MiB,
        oomKilled: restartCount > 0,
        restartCount,
        status: 'running',
      };
    },
    async update(_id, flags) {
      const wanted = Number(flags[flags.indexOf('--memory') + 1]);
      const now = current();
      if (wanted < now) {
        grown += growsAfterRefusal(refusals);
        refusals += 1;
        throw new Error(
          `docker update exited with code 1: Error response from daemon: Cannot update container id: unable to set memory limit to ${wanted} (current usage: ${now}, peak usage: ${now})`,
        );
      }
      updates.push(wanted);
      limit = wanted;
    },
    disconnect: async () => undefined,
    connect: async () => undefined,
  };
  return { docker, updates, restarts: () => restartCount };
}

const spec = (extra: Record<string, unknown> = {}) =>
  memory.schema.parse({
    action: 'memory',
    service: 'backend',
    limit: '16m',
    'max-duration': '60s',
    ...extra,
  });

const inject = async (
  usage: (ms: number) => number,
  extra: Record<string, unknown> = {},
  growsAfterRefusal?: (n: number) => number,
) => {
  const clock = fakeClock();
  const engine = cgroupV1(usage, clock, growsAfterRefusal);
  const tools = { docker: engine.docker, clock, control: {}, toxiproxy: {} } as never;
  const saved: unknown[] = [];
  const state = await memory.inject(
    spec(extra),
    { id: 'id', name: 'backend-1' },
    tools,
    async (s) => {
      saved.push(s);
    },
  );
  return { state, engine, saved };
};

describe('currentUsage', () => {
  it.each([
    [
      'unable to set memory limit to 16777216 (current usage: 59867136, peak usage: 61000000)',
      59867136,
    ],
    ['Cannot update container: something else', undefined],
  ])('%s → %s', (message, usage) => {
    expect(currentUsage(message)).toBe(usage);
  });
});

describe('the memory fault where the kernel refuses a limit under the usage', () => {
  // Node: 8 MiB as it starts, 40 MiB a moment later, 60 MiB after 2 s, and from its first
  // minute on (when the fault comes) 1 MiB more every second.
  const grows = (ms: number) => (ms < 60_000 ? 60 * MiB : 60 * MiB + (ms - 60_000) * 1024);
  const node = (ms: number) => (ms < 50 ? 8 * MiB : ms < 2000 ? 40 * MiB : grows(ms));

  it('sets the usage + headroom, then the limit asked for once a restart starts under it', async () => {
    const { state, engine, saved } = await inject(node);
    expect(engine.updates[0]).toBe(60 * MiB + MiB);
    expect(engine.updates.at(-1)).toBe(16 * MiB);
    expect(state).toEqual({ memory: 256 * MiB, memorySwap: 512 * MiB, applied: 16 * MiB });
    // The state to undo was saved before anything changed.
    expect(saved[0]).toMatchObject({ memory: 256 * MiB, memorySwap: 512 * MiB });
  });

  it('tightens to each new process usage while the limit asked for is refused', async () => {
    // A process that is never under 16 MiB: each restart gets its own usage + headroom.
    const big = (ms: number) => (ms < 2000 ? 40 * MiB : grows(ms));
    const { state, engine } = await inject(big, { 'tighten-within': '10s' });
    expect(engine.updates[0]).toBe(61 * MiB);
    expect(engine.updates.slice(1).every((l) => l === 41 * MiB)).toBe(true);
    expect(engine.restarts()).toBeGreaterThan(1);
    expect(state).toMatchObject({ applied: 41 * MiB });
  });

  it('tries again above the new usage when it grew past the tightest meanwhile', async () => {
    // 3 MiB allocated between the first refusal and the next try: more than the headroom.
    const burst = (n: number) => (n === 0 ? 3 * MiB : 0);
    const { state, engine } = await inject(() => 60 * MiB, { 'tighten-within': '1s' }, burst);
    expect(engine.updates).toEqual([64 * MiB]);
    expect(state).toMatchObject({ applied: 64 * MiB });
  });

  it('gives up after five refusals in a row, naming the last limit tried', async () => {
    await expect(
      inject(
        () => 60 * MiB,
        {},
        () => 2 * MiB,
      ),
    ).rejects.toThrow(
      /memory: docker update refused 5 limits in a row, the last \d+ bytes: the usage grows faster than the headroom/,
    );
  });

  it('takes the limit at once where the kernel does (cgroup v2), without waiting', async () => {
    const { state, engine } = await inject(() => 8 * MiB);
    expect(engine.updates).toEqual([16 * MiB]);
    expect(state).toMatchObject({ applied: 16 * MiB });
  });

  it('passes on a refusal it cannot read', async () => {
    const docker = {
      update: async () => {
        throw new Error('Error response from daemon: No such container: id');
      },
    } as unknown as DockerOps;
    await expect(trySetLimit(docker, 'id', 16 * MiB)).rejects.toThrow('No such container');
  });

  it('refuses a service without a limit to go back to', async () => {
    const clock = fakeClock();
    const engine = cgroupV1(node, clock);
    const docker = {
      ...engine.docker,
      inspect: async () => ({ ...(await engine.docker.inspect('id')), memory: 0 }),
    };
    await expect(
      memory.inject(
        spec(),
        { id: 'id', name: 'backend-1' },
        { docker, clock } as never,
        async () => undefined,
      ),
    ).rejects.toThrow('memory: backend has no memory limit to go back to');
  });
});
