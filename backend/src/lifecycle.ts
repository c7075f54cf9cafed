/** What readiness depends on. Shutdown flips it; later, dependencies (the database) add to it. */
export interface Lifecycle {
  readonly startedAt: number;
  isShuttingDown(): boolean;
  beginShutdown(): void;
}

export function createLifecycle(now: () => number = Date.now): Lifecycle {
  const startedAt = now();
  let shuttingDown = false;
  return {
    startedAt,
    isShuttingDown: () => shuttingDown,
    beginShutdown() {
      shuttingDown = true;
    },
  };
}
