import type { ReportContent } from '../../shared/src/reports.ts';
import { type Annotation, isAnnotatable, omittedNotice, planAnnotations } from './annotations.ts';
import { collectFindings, type Finding } from './findings.ts';
import {
  addCounts,
  type Counts,
  countFindings,
  countsJson,
  type GatePolicy,
  type GateStatus,
  gateStatus,
  zeroCounts,
} from './gate.ts';
import { applyIgnores, type IgnoreEntry, type IgnoreOutcome, type IgnoreRules } from './ignore.ts';
import { type ReportHeader, reportHeader, type TrivyReport } from './report.ts';
import { sarifChunks } from './sarif.ts';
import { toSummary } from './summary.ts';
import { tableChunks } from './table.ts';

/**
 * From parsed reports to everything the action writes and says. Pure: the caller
 * reads the reports, and writes the files this returns.
 */
export interface TargetReport {
  /** The target as the user named it (`backend-demo:dev`, `config`, a report path). */
  readonly name: string;
  readonly report: TrivyReport;
  /** Scanned directory relative to the repository root, for file findings. */
  readonly pathPrefix?: string;
  /** What the file names are made from, when not the name (a report's base name). */
  readonly slugHint?: string;
}

export interface TargetOutcome {
  readonly name: string;
  readonly slug: string;
  /** The report without its findings: those are in `findings` and `ignored`. */
  readonly report: ReportHeader;
  readonly findings: Finding[];
  readonly ignored: IgnoreOutcome['ignored'];
  readonly counts: Counts;
}

export interface Outcome {
  readonly targets: TargetOutcome[];
  readonly total: Counts;
  readonly gate: GateStatus;
  readonly expired: IgnoreEntry[];
  readonly unused: IgnoreEntry[];
}

/** `backend-demo:dev` → `backend-demo-dev`; unique within the run. */
export function slugify(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .toLowerCase()
      .replace(/\.json$/, '')
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'target';
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export function evaluate(
  targets: readonly TargetReport[],
  rules: IgnoreRules | undefined,
  policy: GatePolicy,
  now: Date,
): Outcome {
  const slugs = new Set<string>();
  const usedEverywhere = new Map<IgnoreEntry, boolean>();
  let expired: IgnoreEntry[] = [];
  const outcomes = targets.map((target): TargetOutcome => {
    const all = collectFindings(target.report, { pathPrefix: target.pathPrefix ?? '' });
    const applied = applyIgnores(all, rules, now);
    expired = applied.expired;
    for (const entry of rules?.entries ?? []) {
      const used = !applied.unused.includes(entry);
      usedEverywhere.set(entry, (usedEverywhere.get(entry) ?? false) || used);
    }
    const slug = slugify(target.slugHint ?? target.name, slugs);
    slugs.add(slug);
    return {
      name: target.name,
      slug,
      report: reportHeader(target.report),
      findings: applied.kept,
      ignored: applied.ignored,
      counts: countFindings(applied.kept, policy, applied.ignored.length),
    };
  });
  const total = outcomes.reduce((sum, t) => addCounts(sum, t.counts), zeroCounts());
  const unused = (rules?.entries ?? []).filter(
    (e) => !expired.includes(e) && usedEverywhere.get(e) === false,
  );
  return { targets: outcomes, total, gate: gateStatus(total), expired, unused };
}

export interface RenderOptions {
  /** Reports directory as shown to users and in the `sarif` paths (repository-relative or absolute). */
  readonly reportsDir: string;
  readonly policy: GatePolicy;
  readonly enforced: boolean;
  readonly notes: readonly string[];
  /** Notices main.ts will add itself (fork PR, offline DB). */
  readonly reservedNotices: number;
  readonly toolVersion?: string;
}

export interface OutputFile {
  /** Path relative to the reports directory. */
  readonly name: string;
  /**
   * Makes the content on demand: the SARIF and the table are generators, made piece by
   * piece as the report writer streams them to disk, so neither is ever held whole.
   */
  readonly content: () => ReportContent;
}

export interface Rendered {
  readonly files: OutputFile[];
  readonly sarifFiles: string[];
  readonly summary: string;
  readonly annotations: Annotation[];
  readonly counts: Record<string, number>;
}

export function render(outcome: Outcome, options: RenderOptions): Rendered {
  const files: OutputFile[] = [];
  const sarifFiles: string[] = [];
  const dir = options.reportsDir.replace(/\/+$/, '');
  const summaryTargets = outcome.targets.map((t) => {
    const reportFile = `trivy-${t.slug}-report.txt`;
    const sarifFile = `trivy-${t.slug}.sarif`;
    files.push({ name: reportFile, content: () => tableChunks(t.report, t.findings, t.ignored) });
    files.push({
      name: sarifFile,
      content: () =>
        sarifChunks(t.report, t.findings, {
          targetName: t.name,
          ...(options.toolVersion ? { toolVersion: options.toolVersion } : {}),
        }),
    });
    sarifFiles.push(`${dir}/${sarifFile}`);
    return {
      name: t.name,
      counts: t.counts,
      findings: t.findings,
      ignored: t.ignored,
      reportFile: `${dir}/${reportFile}`,
      sarifFile: `${dir}/${sarifFile}`,
    };
  });
  const counts = countsJson(outcome.total);
  const summary = toSummary({
    targets: summaryTargets,
    total: outcome.total,
    gate: outcome.gate,
    policy: options.policy,
    enforced: options.enforced,
    expired: outcome.expired,
    unused: outcome.unused,
    notes: options.notes,
  });
  files.push({ name: 'trivy-summary.md', content: () => summary });
  files.push({
    name: 'trivy-counts.json',
    content: () =>
      `${JSON.stringify(
        {
          gate: outcome.gate,
          severities: options.policy.severities,
          counts,
          targets: Object.fromEntries(outcome.targets.map((t) => [t.name, countsJson(t.counts)])),
        },
        null,
        2,
      )}\n`,
  });
  const allFindings = outcome.targets.flatMap((t) => t.findings);
  // The gate's own message is an annotation too: ::error when enforced, else ::warning.
  const gateFails = outcome.gate === 'fail';
  const plan = planAnnotations(allFindings, {
    reservedNotices: options.reservedNotices + 1,
    reservedErrors: gateFails && options.enforced ? 1 : 0,
    reservedWarnings: gateFails && !options.enforced ? 1 : 0,
  });
  const more = omittedNotice(plan.omitted, allFindings.filter((f) => !isAnnotatable(f)).length);
  return {
    files,
    sarifFiles,
    summary,
    annotations: more ? [...plan.annotations, more] : plan.annotations,
    counts,
  };
}
