import type { Clock } from '../../../shared/src/clock.ts';
import type { Compose } from '../../../shared/src/compose.ts';
import type { ServiceAction, ServiceControl } from '../../../shared/src/compose-service.ts';
import type { DockerOps } from '../../src/docker-ops.ts';
import type { Timeline } from './timeline.ts';

/**
 * The containers as Compose and the Docker engine show them, and what each fault does to
 * them: every action and update is logged in `actions` and moves the timeline.
 */
export interface ContainersOptions {
  services?: string[];
  /** The backend never comes back (recovery command fails). */
  recoveryFails?: boolean;
  /** The fault command kills the backend, then exits non-zero. */
  faultThrows?: boolean;
  /** A stopped container exits with this code (0: it drained in time). */
  stopExitCode?: number;
}

interface Container {
  paused: boolean;
  networks: string[];
  restartCount: number;
  oomKilled: boolean;
  exitCode: number;
  finishedAt: number;
}

const serviceOf = (id: string) => id.replace(/^id-/, '');

/** Each service's one container, made on first sight. */
type Registry = (service: string) => Container;

function registry(): Registry {
  const containers: Record<string, Container> = {};
  return (service) => {
    containers[service] ??= {
      paused: false,
      networks: ['drilltest_default'],
      restartCount: 0,
      oomKilled: false,
      exitCode: 0,
      finishedAt: 0,
    };
    return containers[service];
  };
}

/** Compose's view: services, their containers, and what each action does to them. */
function fakeControl(
  clock: Clock,
  line: Timeline,
  actions: string[],
  container: Registry,
  options: ContainersOptions,
): ServiceControl {
  const resume = (service: string, c: Container) => {
    if (options.recoveryFails) throw new Error('`docker-compose up` exited with code 1: boom');
    c.paused = false;
    line.set(service, 'up');
  };
  /** What each Compose action does to the service's history and its container. */
  const effects: Partial<Record<ServiceAction, (service: string, c: Container) => void>> = {
    kill: (service, c) => {
      line.set(service, 'down', clock.now() - 100);
      c.finishedAt = clock.now() - 100;
      c.exitCode = 137;
      if (options.faultThrows)
        throw new Error('`docker-compose kill` exited with code 1: lost the engine');
    },
    stop: (service, c) => {
      line.set(service, 'down', clock.now() - 100);
      c.finishedAt = clock.now() - 100;
      c.exitCode = options.stopExitCode ?? 0;
    },
    restart: (service, c) => {
      line.set(service, 'down', clock.now() - 200);
      line.set(service, 'up', clock.now() + 700);
      c.finishedAt = clock.now() - 200;
    },
    pause: (service, c) => {
      c.paused = true;
      line.set(service, 'down');
    },
    up: resume,
    unpause: resume,
  };
  const stateOf = (service: string) => {
    if (container(service).paused) return 'paused';
    return line.modeAt(service, clock.now()) === 'down' && service !== 'db' ? 'exited' : 'running';
  };
  const compose = {
    flavor: { version: 'v1', command: 'docker-compose', prefix: [], release: '1.29.2' },
    project: { files: ['docker-compose.yml'], projectName: 'drilltest' },
    services: async () =>
      options.services ?? ['backend', 'frontend', 'prometheus', 'db', 'toxiproxy'],
  } as unknown as Compose;
  return {
    compose,
    async act(action, service) {
      actions.push(`${action} ${service}`);
      await clock.sleep(300);
      effects[action]?.(service, container(service));
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    containersOf: async (service) => [
      {
        id: `id-${service}`,
        name: `drilltest_${service}_1`,
        service,
        state: stateOf(service),
        health: 'healthy',
        exitCode: container(service).exitCode,
      },
    ],
    finishedAt: async (id) => new Date(container(serviceOf(id)).finishedAt),
    publishedUrl: async (service) => `http://${service}.test`,
  };
}

/** The engine's view: inspect, and the updates and network moves of the faults. */
function fakeDocker(
  clock: Clock,
  line: Timeline,
  actions: string[],
  container: Registry,
): DockerOps {
  /** A memory limit below what the backend needs: the OOM killer, then the restart policy. */
  const oomLoop = (service: string) => {
    const c = container(service);
    c.oomKilled = true;
    line.set(service, 'down', clock.now() + 500);
    // Back in 2 s, killed again while the limit stays.
    void clock.sleep(2500).then(() => {
      c.restartCount += 1;
    });
  };
  return {
    async inspect(id) {
      const service = serviceOf(id);
      const c = container(service);
      return {
        id,
        name: `drilltest_${service}_1`,
        networks: Object.fromEntries(
          c.networks.map((n) => [n, { aliases: [service, id.slice(0, 12)] }]),
        ),
        cpuQuota: 0,
        cpuPeriod: 0,
        memory: 256 * 1024 * 1024,
        memorySwap: 512 * 1024 * 1024,
        oomKilled: c.oomKilled,
        restartCount: c.restartCount,
        status: c.paused ? 'paused' : 'running',
      };
    },
    async update(id, flags) {
      const service = serviceOf(id);
      actions.push(`update ${service} ${flags.join(' ')}`);
      await clock.sleep(50);
      const value = (flag: string) => Number(flags[flags.indexOf(flag) + 1]);
      if (flags.includes('--cpu-quota'))
        line.set(service, value('--cpu-quota') === -1 ? 'up' : 'slow');
      if (flags.includes('--memory')) {
        if (value('--memory') < 64 * 1024 * 1024) oomLoop(service);
        else line.set(service, 'up', clock.now() + 1000);
      }
    },
    async disconnect(network, id) {
      actions.push(`disconnect ${network} ${serviceOf(id)}`);
      const c = container(serviceOf(id));
      c.networks = c.networks.filter((n) => n !== network);
      line.set(serviceOf(id), 'down');
    },
    async connect(network, id, aliases) {
      actions.push(`connect ${network} ${serviceOf(id)} ${aliases.join(',')}`);
      container(serviceOf(id)).networks.push(network);
      line.set(serviceOf(id), 'up');
    },
  };
}

/** Compose's and the engine's views of the same containers. */
export function fakeContainers(
  clock: Clock,
  line: Timeline,
  actions: string[],
  options: ContainersOptions = {},
): { control: ServiceControl; docker: DockerOps } {
  const container = registry();
  return {
    control: fakeControl(clock, line, actions, container, options),
    docker: fakeDocker(clock, line, actions, container),
  };
}
