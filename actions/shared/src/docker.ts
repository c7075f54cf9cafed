import { lastLines } from './errors.ts';
import type { Exec } from './exec.ts';

/**
 * Fails with "Cannot reach the Docker engine: ..." when the client is missing or the
 * engine does not answer (DOCKER_HOST wrong, daemon stopped), instead of a stack trace
 * from the first real command. Resolves with the engine's version.
 */
export async function checkDockerEngine(exec: Exec): Promise<string> {
  let result: Awaited<ReturnType<Exec>>;
  try {
    result = await exec('docker', ['version', '--format', '{{.Server.Version}}'], { silent: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot reach the Docker engine: ${reason}`);
  }
  const version = result.stdout.trim();
  if (result.exitCode !== 0 || version === '') {
    const detail =
      lastLines(result.stderr, 2).join(' ') || `docker version exited ${result.exitCode}`;
    throw new Error(`Cannot reach the Docker engine: ${detail}`);
  }
  return version;
}

/** True when `docker buildx` is installed (GitHub runners have it; this machine may not). */
export async function hasBuildx(exec: Exec): Promise<boolean> {
  try {
    const result = await exec('docker', ['buildx', 'version'], { silent: true });
    return result.exitCode === 0;
  } catch {
    return false;
  }
}

/** The driver of the current buildx builder (`docker`, `docker-container`...), or undefined. */
export async function buildxDriver(exec: Exec): Promise<string | undefined> {
  try {
    const result = await exec('docker', ['buildx', 'inspect'], { silent: true });
    if (result.exitCode !== 0) return undefined;
    return /^Driver:\s*(\S+)/m.exec(result.stdout)?.[1];
  } catch {
    return undefined;
  }
}

export interface ContainerStatus {
  readonly id: string;
  readonly name: string;
  /** The compose service, from the com.docker.compose.service label. */
  readonly service: string;
  /** created | running | restarting | exited | paused | dead */
  readonly state: string;
  /** healthy | unhealthy | starting, or undefined without a healthcheck. */
  readonly health: string | undefined;
  readonly exitCode: number;
}

/** The fields of one `docker inspect` entry that this library reads. */
export interface InspectEntry {
  readonly Id?: string;
  readonly Name?: string;
  readonly RestartCount?: number;
  readonly State?: {
    Status?: string;
    ExitCode?: number;
    StartedAt?: string;
    Health?: { Status?: string };
  };
  readonly Config?: { Labels?: Record<string, string> | null };
}

/** `docker inspect <ids>` output as entries; throws when it is not the JSON array Docker prints. */
export function parseInspectEntries(json: string): InspectEntry[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error('docker inspect did not return a JSON array');
  return data as InspectEntry[];
}

/** Parses `docker inspect <ids>` JSON into the few fields readiness checks need. */
export function parseInspect(json: string): ContainerStatus[] {
  return parseInspectEntries(json).map((c) => {
    return {
      id: (c.Id ?? '').slice(0, 12),
      name: (c.Name ?? '').replace(/^\//, ''),
      service:
        c.Config?.Labels?.['com.docker.compose.service'] ?? (c.Name ?? '').replace(/^\//, ''),
      state: c.State?.Status ?? 'unknown',
      health: c.State?.Health?.Status,
      exitCode: c.State?.ExitCode ?? 0,
    };
  });
}

/**
 * A container is ready when it is healthy (it has a healthcheck), running (it has none),
 * or exited with code 0 (a one-shot job such as a migration).
 */
export function isReady(container: ContainerStatus): boolean {
  if (container.health !== undefined) return container.health === 'healthy';
  if (container.state === 'exited') return container.exitCode === 0;
  return container.state === 'running';
}

/** One-line description of a container's state for messages: "running (starting)". */
export function describeStatus(container: ContainerStatus): string {
  const health = container.health ? ` (${container.health})` : '';
  const exit = container.state === 'exited' ? ` (exit code ${container.exitCode})` : '';
  return `${container.state}${health}${exit}`;
}
