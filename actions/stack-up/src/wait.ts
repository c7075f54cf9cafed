import type { Clock } from '../../shared/src/clock.ts';
import { type ContainerStatus, describeStatus, isReady } from '../../shared/src/docker.ts';
import { errorMessage } from '../../shared/src/errors.ts';

export interface Readiness {
  readonly ready: boolean;
  readonly statuses: readonly ContainerStatus[];
  /** Containers that are not ready yet (empty when ready). */
  readonly pending: readonly ContainerStatus[];
}

export function readiness(statuses: readonly ContainerStatus[]): Readiness {
  const pending = statuses.filter((s) => !isReady(s));
  return { ready: statuses.length > 0 && pending.length === 0, statuses, pending };
}

/**
 * Polls the project's containers until every one is ready or the deadline passes
 * (Compose v1 has no `up --wait`; v2 uses this to describe what --wait gave up on).
 * A container that exited with an error or turned unhealthy stops the wait early:
 * it will not recover on its own.
 */
export async function waitForServices(options: {
  list: () => Promise<ContainerStatus[]>;
  clock: Clock;
  deadline: number;
  intervalMs?: number;
}): Promise<Readiness> {
  const interval = options.intervalMs ?? 1000;
  let last: Readiness = { ready: false, statuses: [], pending: [] };
  for (;;) {
    try {
      last = readiness(await options.list());
    } catch (error) {
      // The engine hiccuped (a container removed between ps and inspect): try again.
      last = { ...last, ready: false };
      if (options.clock.now() + interval > options.deadline) throw new Error(errorMessage(error));
    }
    if (last.ready) return last;
    const hopeless = last.pending.some(
      (s) =>
        s.health === 'unhealthy' ||
        (s.state === 'exited' && s.exitCode !== 0) ||
        s.state === 'dead',
    );
    if (hopeless || options.clock.now() + interval > options.deadline) return last;
    await options.clock.sleep(interval);
  }
}

/** The failure message: which services are not ready and how, then their last log lines. */
export function notReadyMessage(
  timeoutMs: number,
  pending: readonly ContainerStatus[],
  logs: Readonly<Record<string, string>>,
): string {
  if (pending.length === 0)
    return `No container of the project started within ${timeoutMs / 1000}s`;
  const names = pending.map((s) => `${s.service} (${describeStatus(s)})`).join(', ');
  const sections = pending.map((s) => {
    const text = logs[s.service]?.trimEnd() || '(no log output)';
    return `--- ${s.service}: last log lines ---\n${text}`;
  });
  return [`Services not ready within ${timeoutMs / 1000}s: ${names}`, ...sections].join('\n');
}
