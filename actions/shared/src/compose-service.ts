import { type Compose, composeCommand } from './compose.ts';
import { type ContainerStatus, parseInspect } from './docker.ts';
import { nonEmptyLines } from './errors.ts';
import { type Exec, type ExecResult, execChecked } from './exec.ts';

/**
 * What can be done to one running Compose service: the faults a chaos drill injects
 * (kill, stop, pause, restart) and the ways back (up, unpause, start). Kept apart from
 * compose.ts so the stack driver stays about whole stacks.
 */
export type ServiceAction = 'kill' | 'stop' | 'pause' | 'unpause' | 'restart' | 'start' | 'up';

export interface ServiceActionOptions {
  /** kill only; Compose's default is SIGKILL, the same as `docker kill`. */
  readonly signal?: string;
  /** stop and restart: seconds before Compose escalates to SIGKILL. */
  readonly timeoutSeconds?: number;
}

/**
 * The subcommand for one action on one service; identical for Compose v1 and v2.
 * `up` is `up --detach --no-deps <service>`: start (or recreate) only that service,
 * never touch what it depends on, as the seed's `docker-compose up -d backend` meant.
 */
export function serviceActionArgs(
  action: ServiceAction,
  service: string,
  options: ServiceActionOptions = {},
): string[] {
  const timeout =
    options.timeoutSeconds !== undefined ? ['--timeout', String(options.timeoutSeconds)] : [];
  switch (action) {
    case 'kill':
      return ['kill', '-s', options.signal ?? 'SIGKILL', service];
    case 'stop':
      return ['stop', ...timeout, service];
    case 'restart':
      return ['restart', ...timeout, service];
    case 'pause':
    case 'unpause':
    case 'start':
      return [action, service];
    case 'up':
      return ['up', '--detach', '--no-deps', service];
  }
}

export interface ServiceControl {
  readonly compose: Compose;
  /** Runs one action through Compose; throws with Compose's stderr when it fails. */
  act(action: ServiceAction, service: string, options?: ServiceActionOptions): Promise<ExecResult>;
  /** The service's containers, stopped ones too (a killed container is `exited`). */
  containersOf(service: string): Promise<ContainerStatus[]>;
  /** When the engine saw the container's process end (State.FinishedAt), or undefined. */
  finishedAt(containerId: string): Promise<Date | undefined>;
  /**
   * http://host:port where a service's container port is published now (`compose port`).
   * Asked each time: a restarted container published on a random port gets a new one.
   */
  publishedUrl(service: string, containerPort: number): Promise<string>;
}

/** A ServiceControl over a Compose driver; the same exec, files, project and env. */
export function createServiceControl(compose: Compose, exec: Exec): ServiceControl {
  const options = { cwd: compose.project.projectDirectory, env: compose.project.env };
  return Object.freeze({
    compose,
    act: (action: ServiceAction, service: string, actionOptions?: ServiceActionOptions) => {
      const { command, args } = composeCommand(
        compose.flavor,
        compose.project,
        serviceActionArgs(action, service, actionOptions),
      );
      return execChecked(exec, command, args, { ...options, silent: true });
    },
    containersOf: async (service: string) => {
      const { command, args } = composeCommand(compose.flavor, compose.project, [
        'ps',
        '--all',
        '--quiet',
        service,
      ]);
      const ids = nonEmptyLines(
        (await execChecked(exec, command, args, { ...options, silent: true })).stdout,
      );
      if (ids.length === 0) return [];
      const inspect = await execChecked(exec, 'docker', ['inspect', ...ids], { silent: true });
      return parseInspect(inspect.stdout);
    },
    finishedAt: async (containerId: string) => {
      const result = await exec('docker', ['inspect', '-f', '{{.State.FinishedAt}}', containerId], {
        silent: true,
      });
      return parseFinishedAt(result.exitCode === 0 ? result.stdout : '');
    },
    publishedUrl: async (service: string, containerPort: number) => {
      const { command, args } = composeCommand(compose.flavor, compose.project, [
        'port',
        service,
        String(containerPort),
      ]);
      const result = await execChecked(exec, command, args, { ...options, silent: true });
      const url = publishedUrl(result.stdout);
      if (!url) {
        throw new Error(
          `${service}:${containerPort} is not published (compose port printed "${result.stdout.trim()}")`,
        );
      }
      return url;
    },
  });
}

/** Docker's FinishedAt ("0001-01-01T00:00:00Z" when it never finished) as a Date. */
export function parseFinishedAt(text: string): Date | undefined {
  const value = text.trim();
  if (value === '' || value.startsWith('0001-')) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `compose port` output ("127.0.0.1:49153", "0.0.0.0:5000", "[::]:5000") as a URL. */
export function publishedUrl(output: string): string | undefined {
  const line = output.trim().split(/\r?\n/)[0] ?? '';
  const match = /^(.*):(\d+)$/.exec(line);
  if (!match || match[2] === '0') return undefined;
  const host =
    match[1] === '0.0.0.0' || match[1] === '[::]' || match[1] === '' ? '127.0.0.1' : match[1];
  return `http://${host}:${match[2]}`;
}
