/**
 * Trivy's severities and how GitHub shows them.
 *
 * SARIF `level` follows Trivy's own writer (CRITICAL/HIGH → error, MEDIUM → warning,
 * LOW/UNKNOWN → note). `security-severity` is the middle of GitHub's band for the
 * severity (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9; see
 * https://github.blog/changelog/2021-07-19-codeql-code-scanning-new-severity-levels-for-security-alerts/),
 * the same numbers Trivy uses when a finding has no CVSS score.
 */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Readonly<Record<string, number>> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Lower rank = more severe; used to sort findings highest first (-1: not a severity). */
export function severityRank(severity: Severity): number {
  return RANK[severity] ?? -1;
}

/**
 * Highest severity first, stable (input order within a severity): one pass into five
 * buckets instead of a comparison sort, for lists of 10,000 findings sorted per output.
 */
export function sortBySeverity<T>(items: readonly T[], severityOf: (item: T) => Severity): T[] {
  const unranked: T[] = [];
  const buckets: T[][] = SEVERITIES.map(() => []);
  for (const item of items) {
    const bucket = buckets[severityRank(severityOf(item))];
    if (bucket) bucket.push(item);
    else unranked.push(item);
  }
  return unranked.concat(...buckets);
}

/**
 * `sortBySeverity(items, severityOf).slice(0, n)`, without keeping the rest: the job
 * summary shows 50 of 10,000 findings.
 */
export function mostSevere<T>(
  items: readonly T[],
  severityOf: (item: T) => Severity,
  n: number,
): T[] {
  const unranked: T[] = [];
  const buckets: T[][] = SEVERITIES.map(() => []);
  for (const item of items) {
    const bucket = buckets[severityRank(severityOf(item))] ?? unranked;
    if (bucket.length < n) bucket.push(item);
  }
  return unranked.concat(...buckets).slice(0, n);
}

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  switch (severity) {
    case 'CRITICAL':
    case 'HIGH':
      return 'error';
    case 'MEDIUM':
      return 'warning';
    default:
      return 'note';
  }
}

/**
 * UNKNOWN gets 0.0 like Trivy: GitHub shows it as "none"/note rather than inventing a
 * severity the scanner did not give.
 */
export function securitySeverity(severity: Severity): string {
  switch (severity) {
    case 'CRITICAL':
      return '9.5';
    case 'HIGH':
      return '8.0';
    case 'MEDIUM':
      return '5.5';
    case 'LOW':
      return '2.0';
    default:
      return '0.0';
  }
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}
