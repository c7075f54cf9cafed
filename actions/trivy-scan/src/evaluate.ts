import { collectFindings, type Finding } from './findings.ts';
import {
  addCounts,
  type Counts,
  countFindings,
  type GatePolicy,
  type GateStatus,
  gateStatus,
  zeroCounts,
} from './gate.ts';
import type { TargetIdentity } from './identity.ts';
import {
  applyIgnores,
  createIgnoreMatcher,
  type Ignored,
  type IgnoreEntry,
  type IgnoreRules,
} from './ignore.ts';
import { type ReportHeader, reportHeader, type TrivyReport } from './report.ts';

/**
 * From parsed reports to what was found, hidden and counted: pure, one pass over each
 * report. What is written and said about it is render.ts's.
 */
export interface TargetReport {
  /** The target as the user named it (`images/backend-demo.tar`, `config`, a report path). */
  readonly name: string;
  /** Its key, category and file names (identity.ts), decided once for the run. */
  readonly identity: TargetIdentity;
  readonly report: TrivyReport;
  /** Scanned directory relative to the repository root, for file findings. */
  readonly pathPrefix?: string;
}

export interface TargetOutcome {
  readonly name: string;
  readonly identity: TargetIdentity;
  /** The report without its findings: those are in `findings` and `ignored`. */
  readonly report: ReportHeader;
  readonly findings: Finding[];
  readonly ignored: Ignored[];
  readonly counts: Counts;
}

export interface Outcome {
  readonly targets: TargetOutcome[];
  readonly total: Counts;
  readonly gate: GateStatus;
  readonly expired: readonly IgnoreEntry[];
  /** Active entries that matched no finding in any target. */
  readonly unused: readonly IgnoreEntry[];
}

export function evaluate(
  targets: readonly TargetReport[],
  rules: IgnoreRules | undefined,
  policy: GatePolicy,
  now: Date,
): Outcome {
  const matcher = createIgnoreMatcher(rules, now);
  const outcomes = targets.map((target): TargetOutcome => {
    const all = collectFindings(target.report, { pathPrefix: target.pathPrefix ?? '' });
    const { kept, ignored } = applyIgnores(all, matcher);
    return {
      name: target.name,
      identity: target.identity,
      report: reportHeader(target.report),
      findings: kept,
      ignored,
      counts: countFindings(kept, policy, ignored.length),
    };
  });
  const total = outcomes.reduce((sum, t) => addCounts(sum, t.counts), zeroCounts());
  return {
    targets: outcomes,
    total,
    gate: gateStatus(total),
    expired: matcher.expired,
    unused: matcher.unused(),
  };
}
