import { bySeverity, type Finding } from './findings.ts';
import type { Severity } from './severity.ts';

/**
 * PR annotations for findings in repository files (Dockerfile and compose
 * misconfigurations, secrets), highest severity first, within what GitHub shows:
 * 10 error, 10 warning and 10 notice annotations per step and 50 per job
 * (actions/toolkit docs/problem-matchers.md "Limitations", actions/toolkit#734).
 * Anything beyond is counted in one notice that points to the summary and SARIF.
 * Image vulnerabilities have no file in the repository: they are summarised instead.
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  readonly level: AnnotationLevel;
  readonly title: string;
  readonly message: string;
  readonly file?: string;
  readonly startLine?: number;
  readonly endLine?: number;
}

export const PER_STEP_LIMIT: Readonly<Record<AnnotationLevel, number>> = {
  error: 10,
  warning: 10,
  notice: 10,
};

export function annotationLevel(severity: Severity): AnnotationLevel {
  if (severity === 'CRITICAL' || severity === 'HIGH') return 'error';
  return severity === 'MEDIUM' ? 'warning' : 'notice';
}

/** Misconfigurations and secrets have a file and line; packages and licenses do not. */
export function isAnnotatable(finding: Finding): boolean {
  return (
    finding.file !== undefined && (finding.kind === 'misconfiguration' || finding.kind === 'secret')
  );
}

export interface AnnotationPlan {
  readonly annotations: Annotation[];
  /** File findings left out because of GitHub's limits. */
  readonly omitted: number;
}

export interface AnnotationOptions {
  /** Notices the step needs for itself (fork PR, offline DB, the "more" notice). */
  readonly reservedNotices: number;
  /** Errors/warnings the step needs for itself (the gate's failure or warning). */
  readonly reservedErrors?: number;
  readonly reservedWarnings?: number;
}

function toAnnotation(finding: Finding): Annotation {
  return {
    level: annotationLevel(finding.severity),
    title: `${finding.severity} ${finding.id}: ${finding.title}`,
    message: `${finding.message}${finding.url ? `\n${finding.url}` : ''}`,
    ...(finding.file !== undefined ? { file: finding.file } : {}),
    ...(finding.startLine !== undefined
      ? { startLine: finding.startLine, endLine: finding.endLine ?? finding.startLine }
      : {}),
  };
}

export function planAnnotations(
  findings: readonly Finding[],
  options: AnnotationOptions,
): AnnotationPlan {
  const budget: Record<AnnotationLevel, number> = {
    error: Math.max(0, PER_STEP_LIMIT.error - (options.reservedErrors ?? 0)),
    warning: Math.max(0, PER_STEP_LIMIT.warning - (options.reservedWarnings ?? 0)),
    notice: Math.max(0, PER_STEP_LIMIT.notice - options.reservedNotices),
  };
  const annotations: Annotation[] = [];
  let omitted = 0;
  for (const finding of bySeverity(findings.filter(isAnnotatable))) {
    const level = annotationLevel(finding.severity);
    if (budget[level] > 0) {
      budget[level]--;
      annotations.push(toAnnotation(finding));
    } else omitted++;
  }
  return { annotations, omitted };
}

export function omittedNotice(omitted: number, imageFindings: number): Annotation | undefined {
  const parts: string[] = [];
  if (omitted > 0) {
    parts.push(
      `${omitted} more finding${omitted === 1 ? '' : 's'} in repository files ${
        omitted === 1 ? 'is' : 'are'
      } not annotated (GitHub shows at most 10 errors, 10 warnings and 10 notices per step)`,
    );
  }
  if (imageFindings > 0) {
    parts.push(
      `${imageFindings} finding${imageFindings === 1 ? '' : 's'} ${
        imageFindings === 1 ? 'has' : 'have'
      } no line in a repository file (image and package vulnerabilities, licenses)`,
    );
  }
  if (parts.length === 0) return undefined;
  return {
    level: 'notice',
    title: 'Trivy: more findings in the job summary and SARIF',
    message: `${parts.join('; ')}. See the job summary, the SARIF and the table reports.`,
  };
}
