/**
 * The few engine calls the faults need beyond Compose: a container's limits, networks and
 * OOM state (`docker inspect`), `docker update`, and `docker network connect/disconnect`.
 * Behind an interface so the fault drivers are tested with plain objects.
 */
import type { Exec } from '../../shared/src/exec.ts';
import { execChecked } from '../../shared/src/exec.ts';

export interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  /** Networks the container is on, with its DNS aliases on each (the service name among them). */
  readonly networks: Readonly<Record<string, { readonly aliases: readonly string[] }>>;
  /** HostConfig.CpuQuota (0 or -1: none) and CpuPeriod (0: the default 100 ms). */
  readonly cpuQuota: number;
  readonly cpuPeriod: number;
  /** HostConfig.Memory and MemorySwap in bytes (0: none). */
  readonly memory: number;
  readonly memorySwap: number;
  readonly oomKilled: boolean;
  readonly restartCount: number;
  readonly status: string;
}

export interface DockerOps {
  inspect(container: string): Promise<ContainerFacts>;
  /** `docker update <flags> <container>`; throws with Docker's message when refused. */
  update(container: string, flags: readonly string[]): Promise<void>;
  disconnect(network: string, container: string): Promise<void>;
  connect(network: string, container: string, aliases: readonly string[]): Promise<void>;
}

interface InspectJson {
  Id?: string;
  Name?: string;
  RestartCount?: number;
  State?: { Status?: string; OOMKilled?: boolean };
  HostConfig?: { CpuQuota?: number; CpuPeriod?: number; Memory?: number; MemorySwap?: number };
  NetworkSettings?: { Networks?: Record<string, { Aliases?: string[] | null }> | null };
}

/** One `docker inspect` entry as ContainerFacts. Pure. */
export function parseContainerFacts(json: string): ContainerFacts {
  const [c] = JSON.parse(json) as InspectJson[];
  if (!c) throw new Error('docker inspect returned no container');
  const networks: Record<string, { aliases: string[] }> = {};
  for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {}))
    networks[name] = { aliases: [...(n.Aliases ?? [])] };
  return {
    id: c.Id ?? '',
    name: (c.Name ?? '').replace(/^\//, ''),
    networks,
    cpuQuota: c.HostConfig?.CpuQuota ?? 0,
    cpuPeriod: c.HostConfig?.CpuPeriod ?? 0,
    memory: c.HostConfig?.Memory ?? 0,
    memorySwap: c.HostConfig?.MemorySwap ?? 0,
    oomKilled: c.State?.OOMKilled === true,
    restartCount: c.RestartCount ?? 0,
    status: c.State?.Status ?? 'unknown',
  };
}

export function createDockerOps(exec: Exec): DockerOps {
  const run = (args: string[]) => execChecked(exec, 'docker', args, { silent: true });
  return Object.freeze({
    inspect: async (container: string) =>
      parseContainerFacts((await run(['inspect', container])).stdout),
    update: async (container: string, flags: readonly string[]) => {
      await run(['update', ...flags, container]);
    },
    disconnect: async (network: string, container: string) => {
      await run(['network', 'disconnect', network, container]);
    },
    connect: async (network: string, container: string, aliases: readonly string[]) => {
      await run([
        'network',
        'connect',
        ...aliases.flatMap((a) => ['--alias', a]),
        network,
        container,
      ]);
    },
  });
}
