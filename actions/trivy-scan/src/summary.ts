import { markdownTable, thousands } from '../../shared/src/summary.ts';
import type { Finding } from './findings.ts';
import type { Counts, GatePolicy, GateStatus } from './gate.ts';
import { gates } from './gate.ts';
import type { Ignored, IgnoreEntry } from './ignore.ts';
import { mostSevere } from './severity.ts';

/** The job summary (Markdown). Capped so a huge report stays far below GitHub's 1 MiB. */
export const SUMMARY_ROWS = 50;

export interface SummaryTarget {
  readonly name: string;
  readonly counts: Counts;
  readonly findings: readonly Finding[];
  readonly ignored: readonly Ignored[];
  readonly reportFile?: string;
  /** The target's SARIF file as shown, its category and how many results it has. */
  readonly sarif?: { readonly file: string; readonly category: string; readonly results: number };
}

export interface SummaryInput {
  readonly targets: readonly SummaryTarget[];
  readonly total: Counts;
  readonly gate: GateStatus;
  readonly policy: GatePolicy;
  readonly enforced: boolean;
  readonly expired: readonly IgnoreEntry[];
  readonly unused: readonly IgnoreEntry[];
  readonly notes: readonly string[];
  /** GitHub keeps this many results of a run (the most severe). */
  readonly storedResults?: number;
}

function where(f: Finding): string {
  if (f.file !== undefined) {
    return f.startLine !== undefined ? `\`${f.file}:${f.startLine}\`` : `\`${f.file}\``;
  }
  return f.pkgName ? `${f.pkgName} ${f.installedVersion ?? ''}`.trim() : f.resultTarget;
}

function gateText(input: SummaryInput): string {
  const { total, policy } = input;
  const at = policy.severities.join(', ');
  if (input.gate === 'pass') return `✅ gate passed: no finding at ${at}`;
  const failed = input.enforced ? '❌ gate failed' : '⚠️ gate failed (not enforced)';
  return `${failed}: ${total.gating} finding${total.gating === 1 ? '' : 's'} at ${at}`;
}

function countRow(name: string, c: Counts): (string | number)[] {
  return [name, c.CRITICAL, c.HIGH, c.MEDIUM, c.LOW, c.UNKNOWN, c.ignored, c.gating];
}

/** The counts per target (and of all, with more than one), then the gate's rule. */
function countsSection(input: SummaryInput): string[] {
  const { total, policy } = input;
  const countRows = input.targets.map((t) => countRow(t.name, t.counts));
  if (input.targets.length > 1) countRows.push(countRow('all', total));
  return [
    markdownTable(
      ['Target', 'Critical', 'High', 'Medium', 'Low', 'Unknown', 'Ignored', 'Gating'],
      countRows,
    ),
    '',
    `Gate: fails on ${policy.severities.join(', ')}${
      policy.ignoreUnfixed ? ', not counting vulnerabilities without a fix' : ''
    }. Counts, reports and SARIF include every severity.`,
  ];
}

/** The most severe findings of every target, at most SUMMARY_ROWS, without sorting them all. */
function findingsSection(input: SummaryInput): string[] {
  const count = input.targets.reduce((sum, t) => sum + t.findings.length, 0);
  if (count === 0) return [];
  // The most severe of each target's most severe: the same rows as sorting them all.
  const severity = (f: Finding) => f.severity;
  const candidates = input.targets.flatMap((t) =>
    mostSevere(t.findings, severity, SUMMARY_ROWS).map((f) => ({ f, target: t.name })),
  );
  const shown = mostSevere(candidates, (row) => row.f.severity, SUMMARY_ROWS);
  return [
    '',
    `### Findings${count > shown.length ? ` (highest ${shown.length} of ${count}; all in the SARIF and table reports)` : ''}`,
    '',
    markdownTable(
      ['Severity', 'ID', 'Target', 'Where', 'Title', 'Fixed in', 'Gates'],
      shown.map(({ f, target }) => [
        f.severity,
        f.url ? `[${f.id}](${f.url})` : f.id,
        target,
        where(f),
        f.title,
        f.fixedVersion ?? '',
        gates(f, input.policy) ? 'yes' : '',
      ]),
    ),
  ];
}

function ignoredSection(input: SummaryInput): string[] {
  const ignored = input.targets.flatMap((t) => t.ignored);
  if (ignored.length === 0) return [];
  return [
    '',
    `### Ignored (${ignored.length})`,
    '',
    markdownTable(
      ['ID', 'Target', 'Reason', 'Entry'],
      ignored
        .slice(0, SUMMARY_ROWS)
        .map(({ finding, by }) => [finding.id, finding.resultTarget, by.reason, by.where]),
    ),
  ];
}

/** Each SARIF file with its category, and a note when GitHub will not keep every result. */
function codeScanningSection(input: SummaryInput): string[] {
  const uploads = input.targets.filter((t) => t.sarif !== undefined);
  if (uploads.length === 0) return [];
  const out = [
    '',
    '### Code scanning',
    '',
    'Each SARIF file carries its category (`runs[].automationDetails.id`): upload each with `github/codeql-action/upload-sarif`, no `category:` needed.',
    '',
    markdownTable(
      ['Target', 'SARIF file', 'Category', 'Results'],
      uploads.map((t) => [
        t.name,
        `\`${t.sarif?.file}\``,
        t.sarif?.category ?? '',
        t.sarif?.results ?? 0,
      ]),
    ),
  ];
  const stored = input.storedResults;
  if (stored !== undefined && uploads.some((t) => (t.sarif?.results ?? 0) > stored)) {
    out.push(
      '',
      `GitHub keeps the ${thousands(stored)} most severe results of each analysis; the files list them first.`,
    );
  }
  return out;
}

/** The caller's notes, the expired and unused ignore entries, and the report files. */
function notesSection(input: SummaryInput): string[] {
  const notes = [
    ...input.notes,
    ...input.expired.map(
      (e) =>
        `Ignore entry ${e.id} (${e.where}) expired on ${e.expiresAt?.toISOString().slice(0, 10)} and no longer applies.`,
    ),
    ...input.unused.map((e) => `Ignore entry ${e.id} (${e.where}) matched no finding.`),
  ];
  const files = input.targets.flatMap((t) =>
    [t.reportFile, t.sarif?.file].filter((f): f is string => f !== undefined),
  );
  if (files.length > 0) notes.push(`Reports: ${files.map((f) => `\`${f}\``).join(', ')}`);
  if (notes.length === 0) return [];
  return ['', '### Notes', '', ...notes.map((n) => `- ${n}`)];
}

export function toSummary(input: SummaryInput): string {
  return [
    `## Trivy scan: ${gateText(input)}`,
    '',
    ...countsSection(input),
    ...findingsSection(input),
    ...ignoredSection(input),
    ...codeScanningSection(input),
    ...notesSection(input),
    '',
  ].join('\n');
}
