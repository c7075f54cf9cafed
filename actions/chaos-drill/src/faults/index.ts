/**
 * Every fault the drill knows. Adding one is a new file beside these and one line here;
 * the experiment schema, the journal and the reports take it from this list.
 */
import { cpu } from './cpu.ts';
import type { FaultDriver } from './driver.ts';
import { kill } from './kill.ts';
import { latency } from './latency.ts';
import { memory } from './memory.ts';
import { partition } from './partition.ts';
import { pause } from './pause.ts';
import { restart } from './restart.ts';
import { stop } from './stop.ts';

export const FAULTS: readonly FaultDriver[] = Object.freeze([
  kill,
  stop,
  pause,
  restart,
  partition,
  cpu,
  memory,
  latency,
]);

export function faultDriver(action: string): FaultDriver {
  const driver = FAULTS.find((d) => d.action === action);
  if (!driver)
    throw new Error(
      `fault.action "${action}": expected one of ${FAULTS.map((d) => d.action).join(', ')}`,
    );
  return driver;
}

export type { FaultDriver, FaultSpec, FaultTools, Target, UndoState } from './driver.ts';
