import type { ReportContent } from '../../shared/src/reports.ts';
import { thousands } from '../../shared/src/summary.ts';
import { type Annotation, isAnnotatable, omittedNotice, planAnnotations } from './annotations.ts';
import type { Outcome, TargetOutcome } from './evaluate.ts';
import type { Finding } from './findings.ts';
import { countsJson, type GatePolicy } from './gate.ts';
import { SARIF_LIMITS, type SarifPlan } from './sarif.ts';
import type { SarifWritten } from './sarif-file.ts';
import { emptyCounts, SEVERITIES } from './severity.ts';
import { toSummary } from './summary.ts';
import { tableChunks } from './table.ts';

/**
 * From an outcome (and the SARIF files already written) to everything else the action
 * writes and says: table reports, job summary, counts file, annotations, and the notes
 * on what the SARIF left out. Pure: the caller writes the files this returns.
 */
export interface SarifTarget {
  readonly target: TargetOutcome;
  readonly plan: SarifPlan;
  readonly written: SarifWritten;
}

export interface RenderOptions {
  /** Reports directory as shown to users and in the `sarif` paths (repository-relative or absolute). */
  readonly reportsDir: string;
  readonly policy: GatePolicy;
  readonly enforced: boolean;
  readonly notes: readonly string[];
  /** Notices main.ts will add itself (fork PR, offline DB). */
  readonly reservedNotices: number;
  /** Warnings the pipeline logs itself (the upload check); the SARIF notes are counted here. */
  readonly reservedWarnings?: number;
}

export interface OutputFile {
  /** Path relative to the reports directory. */
  readonly name: string;
  /**
   * Makes the content on demand: the table is a generator, made piece by piece as the
   * report writer streams it to disk, so it is never held whole.
   */
  readonly content: () => ReportContent;
}

export interface Rendered {
  /** The job summary and the counts file (the tables are tableFiles'). */
  readonly files: OutputFile[];
  /** SARIF files as shown (reports directory + name), one per target. */
  readonly sarifFiles: string[];
  readonly summary: string;
  readonly annotations: Annotation[];
  readonly counts: Record<string, number>;
  /** What the SARIF files left out and why, for the log (also in the summary's notes). */
  readonly sarifNotes: string[];
}

/** What a SARIF file left out, by severity, and why; undefined when it has everything. */
export function sarifNote(
  file: string,
  plan: SarifPlan,
  written: SarifWritten,
): string | undefined {
  const total = plan.sorted.length;
  if (written.results >= total) return undefined;
  const left = emptyCounts();
  for (let i = written.results; i < total; i++) left[(plan.sorted[i] as Finding).severity]++;
  const bySeverity = SEVERITIES.filter((s) => left[s] > 0)
    .map((s) => `${s} ${thousands(left[s])}`)
    .join(', ');
  const why =
    written.cut === 'size'
      ? `GitHub accepts at most ${SARIF_LIMITS.gzippedBytes / 1_000_000} MB gzipped per SARIF file`
      : `GitHub accepts at most ${thousands(SARIF_LIMITS.resultsPerRun)} results and ${thousands(SARIF_LIMITS.rulesPerRun)} rules per run`;
  return `${thousands(total - written.results)} of ${thousands(total)} findings are not in ${file}: ${why}, so it has the ${thousands(written.results)} most severe (left out: ${bySeverity}). The JSON and table reports have every finding.`;
}

/** Each target's table report: it needs nothing the SARIF files decide. */
export function tableFiles(outcome: Outcome): OutputFile[] {
  return outcome.targets.map((t) => ({
    name: t.identity.tableFile,
    content: () => tableChunks(t.report, t.findings, t.ignored),
  }));
}

export function render(
  outcome: Outcome,
  sarif: readonly SarifTarget[],
  options: RenderOptions,
): Rendered {
  const dir = options.reportsDir.replace(/\/+$/, '');
  const files: OutputFile[] = [];
  const sarifNotes: string[] = [];
  const summaryTargets = outcome.targets.map((t, i) => {
    const { identity } = t;
    const s = sarif[i];
    const sarifFile = `${dir}/${identity.sarifFile}`;
    const note = s ? sarifNote(identity.sarifFile, s.plan, s.written) : undefined;
    if (note) sarifNotes.push(note);
    return {
      name: t.name,
      counts: t.counts,
      findings: t.findings,
      ignored: t.ignored,
      reportFile: `${dir}/${identity.tableFile}`,
      sarif: { file: sarifFile, category: identity.category, results: s?.written.results ?? 0 },
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
    notes: [...options.notes, ...sarifNotes],
    storedResults: SARIF_LIMITS.storedResults,
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
    // The SARIF notes are logged as warnings too (pipeline.ts).
    reservedWarnings:
      (gateFails && !options.enforced ? 1 : 0) +
      sarifNotes.length +
      (options.reservedWarnings ?? 0),
  });
  const more = omittedNotice(plan.omitted, allFindings.filter((f) => !isAnnotatable(f)).length);
  return {
    files,
    sarifFiles: summaryTargets.map((t) => t.sarif.file),
    summary,
    annotations: more ? [...plan.annotations, more] : plan.annotations,
    counts,
    sarifNotes,
  };
}
