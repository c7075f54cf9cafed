/**
 * Every expectation type. Adding one is a new file beside these and one line here; the
 * experiment schema, the watch loop and the verdict take it from this list.
 */
import { alert } from './alert.ts';
import { cleanExit } from './clean-exit.ts';
import { httpDegraded } from './http-degraded.ts';
import type { ExpectationKind } from './kind.ts';
import { notRestarted } from './not-restarted.ts';
import { oomKilled } from './oom-killed.ts';
import { sloAvailability, sloLatency } from './slo.ts';
import { targetDown } from './target-down.ts';
import { noDuplicateWrite, noWriteLost } from './writes.ts';

export const EXPECTATIONS: readonly ExpectationKind[] = Object.freeze([
  targetDown,
  alert,
  httpDegraded,
  noWriteLost,
  noDuplicateWrite,
  notRestarted,
  oomKilled,
  cleanExit,
  sloAvailability,
  sloLatency,
]);

export function expectationKind(type: string): ExpectationKind {
  const kind = EXPECTATIONS.find((k) => k.type === type);
  if (!kind) throw new Error(`unknown expectation type "${type}"`);
  return kind;
}

export type { CheckContext, ExpectationKind, ExpectationSpec, Look } from './kind.ts';
