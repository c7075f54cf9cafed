import { parseInspectEntries } from './docker.ts';
import { type Exec, execChecked } from './exec.ts';

/**
 * Which process a container runs now: its full id, when the engine last started it and
 * how often the restart policy restarted it. Two snapshots that differ mean the service
 * was restarted or recreated in between (a chaos drill proves "no restart" with this).
 */
export interface ContainerLifecycle {
  readonly id: string;
  readonly name: string;
  readonly startedAt: string;
  readonly restartCount: number;
}

/** Parses `docker inspect <ids>` JSON into lifecycle snapshots. */
export function parseLifecycle(json: string): ContainerLifecycle[] {
  return parseInspectEntries(json).map((c) => {
    return {
      id: c.Id ?? '',
      name: (c.Name ?? '').replace(/^\//, ''),
      startedAt: c.State?.StartedAt ?? '',
      restartCount: c.RestartCount ?? 0,
    };
  });
}

/** A snapshot of the given containers (ids or names); none for an empty list. */
export async function inspectLifecycle(
  exec: Exec,
  containers: readonly string[],
): Promise<ContainerLifecycle[]> {
  if (containers.length === 0) return [];
  const result = await execChecked(exec, 'docker', ['inspect', ...containers], { silent: true });
  return parseLifecycle(result.stdout);
}

/** What changed between two snapshots of one service, in words; empty when nothing did. */
export function lifecycleChanges(
  before: readonly ContainerLifecycle[],
  after: readonly ContainerLifecycle[],
): string[] {
  const changes: string[] = [];
  const afterById = new Map(after.map((c) => [c.id, c]));
  for (const b of before) {
    const a = afterById.get(b.id);
    if (!a) {
      changes.push(`container ${b.name} (${b.id.slice(0, 12)}) is gone (recreated or removed)`);
      continue;
    }
    if (a.startedAt !== b.startedAt)
      changes.push(`${b.name} was restarted: StartedAt ${b.startedAt} → ${a.startedAt}`);
    if (a.restartCount !== b.restartCount)
      changes.push(`${b.name} RestartCount ${b.restartCount} → ${a.restartCount}`);
  }
  const known = new Set(before.map((c) => c.id));
  for (const a of after)
    if (!known.has(a.id)) changes.push(`new container ${a.name} (${a.id.slice(0, 12)})`);
  return changes;
}
