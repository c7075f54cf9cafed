import { type ContainerStatus, parseInspect } from './docker.ts';
import { nonEmptyLines } from './errors.ts';
import { createExec, type Exec, type ExecResult, execChecked, MissingToolError } from './exec.ts';

/** Which Compose this machine has: the v2 CLI plugin (GitHub runners) or the v1 python tool. */
export interface ComposeFlavor {
  readonly version: 'v1' | 'v2';
  /** `docker` for v2, `docker-compose` for v1. */
  readonly command: string;
  /** Arguments before the global flags: `['compose']` for v2, none for v1. */
  readonly prefix: readonly string[];
  /** The tool's own version string, e.g. `2.29.1` or `1.29.2`. */
  readonly release: string;
}

export const COMPOSE_V2: Omit<ComposeFlavor, 'release'> = Object.freeze({
  version: 'v2',
  command: 'docker',
  prefix: Object.freeze(['compose']),
});
export const COMPOSE_V1: Omit<ComposeFlavor, 'release'> = Object.freeze({
  version: 'v1',
  command: 'docker-compose',
  prefix: Object.freeze([]),
});

async function tryVersion(
  exec: Exec,
  command: string,
  args: string[],
): Promise<string | undefined> {
  try {
    const result = await exec(command, args, { silent: true });
    return result.exitCode === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
  } catch (error) {
    if (error instanceof MissingToolError) return undefined;
    throw error;
  }
}

/** Prefers `docker compose` (v2); falls back to `docker-compose` (v1); fails naming both. */
export async function detectCompose(exec: Exec): Promise<ComposeFlavor> {
  const v2 = await tryVersion(exec, 'docker', ['compose', 'version', '--short']);
  if (v2) return { ...COMPOSE_V2, release: v2 };
  const v1 = await tryVersion(exec, 'docker-compose', ['version', '--short']);
  if (v1) return { ...COMPOSE_V1, release: v1 };
  throw new Error(
    'Docker Compose is not available: neither `docker compose` (v2 plugin) nor `docker-compose` (v1) runs on this machine',
  );
}

export interface ComposeProject {
  /** Compose files, relative to the working directory or absolute. At least one. */
  readonly files: readonly string[];
  readonly projectName: string;
  /** Defaults to the directory of the first file (Compose's own default). */
  readonly projectDirectory?: string;
  readonly profiles?: readonly string[];
  readonly envFile?: string;
  /** Extra environment for every Compose call (interpolation variables). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The global flags every Compose call needs: files, project name, directory, env file, profiles. */
export function composeGlobalArgs(project: ComposeProject): string[] {
  const args: string[] = [];
  for (const file of project.files) args.push('--file', file);
  args.push('--project-name', project.projectName);
  if (project.projectDirectory) args.push('--project-directory', project.projectDirectory);
  if (project.envFile) args.push('--env-file', project.envFile);
  for (const profile of project.profiles ?? []) args.push('--profile', profile);
  return args;
}

export interface UpOptions {
  readonly services?: readonly string[];
  /** v2 only: `--wait` until healthy; on v1 the caller polls instead. */
  readonly wait?: boolean;
  readonly waitTimeoutSeconds?: number;
  /** `--build` to rebuild images; default is to use the images that exist. */
  readonly build?: boolean;
}

export function upArgs(flavor: Pick<ComposeFlavor, 'version'>, options: UpOptions = {}): string[] {
  const args = ['up', '--detach', '--remove-orphans'];
  if (options.build) args.push('--build');
  if (options.wait && flavor.version === 'v2') {
    args.push('--wait');
    if (options.waitTimeoutSeconds !== undefined) {
      args.push('--wait-timeout', String(Math.max(1, Math.ceil(options.waitTimeoutSeconds))));
    }
  }
  args.push(...(options.services ?? []));
  return args;
}

export interface DownOptions {
  readonly volumes?: boolean;
  readonly removeOrphans?: boolean;
  readonly timeoutSeconds?: number;
}

export function downArgs(options: DownOptions = {}): string[] {
  const args = ['down'];
  if (options.volumes) args.push('--volumes');
  if (options.removeOrphans) args.push('--remove-orphans');
  if (options.timeoutSeconds !== undefined) args.push('--timeout', String(options.timeoutSeconds));
  return args;
}

/** `ps` listing every container of the project, stopped ones too; `quiet` prints only ids. */
export function psArgs(options: { quiet?: boolean } = {}): string[] {
  return options.quiet ? ['ps', '--all', '--quiet'] : ['ps', '--all'];
}

export function logsArgs(options: { services?: readonly string[]; tail?: number } = {}): string[] {
  const args = ['logs', '--no-color', '--timestamps'];
  if (options.tail !== undefined) args.push('--tail', String(options.tail));
  args.push(...(options.services ?? []));
  return args;
}

export function buildArgs(services: readonly string[] = []): string[] {
  return ['build', ...services];
}

/** `config --services` lists service names; both versions support it. */
export function configArgs(options: { services?: boolean } = {}): string[] {
  return options.services ? ['config', '--services'] : ['config'];
}

/** Full argv of one Compose call: prefix, global flags, then the subcommand. */
export function composeCommand(
  flavor: ComposeFlavor,
  project: ComposeProject,
  subcommand: readonly string[],
): { command: string; args: string[] } {
  return {
    command: flavor.command,
    args: [...flavor.prefix, ...composeGlobalArgs(project), ...subcommand],
  };
}

export interface Compose {
  readonly flavor: ComposeFlavor;
  readonly project: ComposeProject;
  build(services?: readonly string[]): Promise<ExecResult>;
  up(options?: UpOptions): Promise<ExecResult>;
  /** Human-readable `ps` table. */
  ps(): Promise<string>;
  /** Container ids of the project, stopped ones included. */
  containerIds(): Promise<string[]>;
  logs(options?: { services?: readonly string[]; tail?: number }): Promise<string>;
  down(options?: DownOptions): Promise<ExecResult>;
  /** The resolved configuration (YAML) as Compose prints it. */
  config(): Promise<string>;
  /** Every service defined in the files (active profiles or not, as Compose prints them). */
  services(): Promise<string[]>;
  /** The project's containers with state and health (`ps` ids, then `docker inspect`). */
  containers(): Promise<ContainerStatus[]>;
}

export interface ComposeDeps {
  readonly exec: Exec;
  /** Skip detection (tests, or a caller that detected once already). */
  readonly flavor?: ComposeFlavor;
}

/**
 * The Compose driver: detects v2/v1 once, then every method is one Compose call built by
 * the pure argv functions above. Failing calls that return data throw with Compose's
 * stderr; `up`/`down`/`build` return the result so callers can diagnose.
 */
export async function createCompose(
  project: ComposeProject,
  deps: ComposeDeps = { exec: createExec() },
): Promise<Compose> {
  if (project.files.length === 0) throw new Error('createCompose needs at least one compose file');
  const flavor = deps.flavor ?? (await detectCompose(deps.exec));
  const options = { cwd: project.projectDirectory, env: project.env };
  const run = (sub: readonly string[], silent = false) => {
    const { command, args } = composeCommand(flavor, project, sub);
    return deps.exec(command, args, { ...options, silent });
  };
  const query = async (sub: readonly string[]) => {
    const { command, args } = composeCommand(flavor, project, sub);
    return (await execChecked(deps.exec, command, args, { ...options, silent: true })).stdout;
  };
  return Object.freeze({
    flavor,
    project,
    build: (services?: readonly string[]) => run(buildArgs(services)),
    up: (up?: UpOptions) => run(upArgs(flavor, up)),
    ps: () => query(psArgs()),
    containerIds: async () => nonEmptyLines(await query(psArgs({ quiet: true }))),
    logs: (logs?: { services?: readonly string[]; tail?: number }) => query(logsArgs(logs)),
    down: (down?: DownOptions) => run(downArgs(down)),
    config: () => query(configArgs()),
    services: async () => nonEmptyLines(await query(configArgs({ services: true }))),
    containers: async () => {
      const ids = nonEmptyLines(await query(psArgs({ quiet: true })));
      if (ids.length === 0) return [];
      const inspect = await execChecked(deps.exec, 'docker', ['inspect', ...ids], { silent: true });
      return parseInspect(inspect.stdout);
    },
  });
}
