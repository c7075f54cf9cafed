/**
 * `npm run drill` interrupted by a real signal, for each Docker fault type of the menu in
 * turn on one real stack: SIGINT right after the fault command returned (and SIGTERM once,
 * on the kill, for its exit code). The CLI must undo the fault before exiting, and leave no
 * marker and the stack whole (interrupt.ts). The unit tests show the same with a fake
 * process; this shows that Node's real handlers and each real undo do it. The Toxiproxy
 * fault, which needs its Compose profile, is interrupted in latency.e2e.test.ts.
 */
import { afterAll, test } from 'vitest';
import { stopAll } from '../../../test/support/process.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import { useDrillStack } from './drill-stack.ts';
import { expectInterruptedCleanly, interruptDrill } from './interrupt.ts';

// cpu-backend first: the slow requests that the other faults leave in the latency rule's
// 1 m window would hold its steady state back.
const INTERRUPTED = [
  ['cpu-backend', 'SIGINT', 130],
  ['kill-backend', 'SIGINT', 130],
  ['kill-backend', 'SIGTERM', 143],
  ['stop-backend', 'SIGINT', 130],
  ['restart-backend', 'SIGINT', 130],
  ['pause-backend', 'SIGINT', 130],
  ['partition-db', 'SIGINT', 130],
  ['memory-backend', 'SIGINT', 130],
] as const;

describeWithTools(['docker', 'docker-compose'], 'chaos-drill CLI stopped by a real signal', () => {
  const ctx = useDrillStack('db_up{job="backend"}');
  // Registered after useDrillStack, so it runs first: no CLI outlives the stack.
  afterAll(stopAll);

  test.each(INTERRUPTED)(
    '%s, %s after the fault: undone, reported aborted, exit %i, the stack whole',
    async (experiment, signal, exitCode) => {
      const run = await interruptDrill(ctx, experiment, signal);
      await expectInterruptedCleanly(ctx, run, { experiment, signal, exitCode });
    },
  );
});
