import type { Clock } from '../../../shared/src/clock.ts';

/**
 * A discrete-event clock: sleepers wake in time order, so parallel watchers and the load
 * share one consistent virtual time, and a drill of minutes runs in milliseconds.
 */
export function eventClock(start = Date.parse('2026-11-26T12:00:00.000Z')): Clock {
  let now = start;
  const sleepers: { wake: number; resolve: () => void }[] = [];
  let scheduled = false;
  const tick = () => {
    scheduled = false;
    sleepers.sort((a, b) => a.wake - b.wake);
    const next = sleepers.shift();
    if (!next) return;
    now = Math.max(now, next.wake);
    next.resolve();
    if (sleepers.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(tick);
  };
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ wake: now + ms, resolve });
        schedule();
      }),
  };
}
