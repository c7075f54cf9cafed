import type { Finding } from './findings.ts';
import { emptyCounts, type Severity, type SeverityCounts } from './severity.ts';

export interface GatePolicy {
  /** Severities that fail the gate (default HIGH, CRITICAL). */
  readonly severities: readonly Severity[];
  /** Vulnerabilities with no fixed version do not fail the gate (they stay in every report). */
  readonly ignoreUnfixed: boolean;
}

export interface Counts extends SeverityCounts {
  readonly total: number;
  /** Findings the gate counts against the policy. */
  readonly gating: number;
  /** Findings hidden by the ignore file. */
  readonly ignored: number;
}

export function isUnfixed(finding: Finding): boolean {
  return finding.kind === 'vulnerability' && finding.fixedVersion === undefined;
}

export function gates(finding: Finding, policy: GatePolicy): boolean {
  if (!policy.severities.includes(finding.severity)) return false;
  return !(policy.ignoreUnfixed && isUnfixed(finding));
}

export function countFindings(
  findings: readonly Finding[],
  policy: GatePolicy,
  ignored = 0,
): Counts {
  const counts = emptyCounts();
  let gating = 0;
  for (const finding of findings) {
    counts[finding.severity]++;
    if (gates(finding, policy)) gating++;
  }
  return { ...counts, total: findings.length, gating, ignored };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    CRITICAL: a.CRITICAL + b.CRITICAL,
    HIGH: a.HIGH + b.HIGH,
    MEDIUM: a.MEDIUM + b.MEDIUM,
    LOW: a.LOW + b.LOW,
    UNKNOWN: a.UNKNOWN + b.UNKNOWN,
    total: a.total + b.total,
    gating: a.gating + b.gating,
    ignored: a.ignored + b.ignored,
  };
}

export function zeroCounts(): Counts {
  return { ...emptyCounts(), total: 0, gating: 0, ignored: 0 };
}

export type GateStatus = 'pass' | 'fail';

export function gateStatus(counts: Counts): GateStatus {
  return counts.gating > 0 ? 'fail' : 'pass';
}

/** The `counts` output: lower-case keys, stable order. */
export function countsJson(counts: Counts): Record<string, number> {
  return {
    critical: counts.CRITICAL,
    high: counts.HIGH,
    medium: counts.MEDIUM,
    low: counts.LOW,
    unknown: counts.UNKNOWN,
    total: counts.total,
    gating: counts.gating,
    ignored: counts.ignored,
  };
}
