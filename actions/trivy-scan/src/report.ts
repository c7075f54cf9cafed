import { z } from 'zod';
import { isSeverity, type Severity } from './severity.ts';

/**
 * The parts of Trivy's JSON report (SchemaVersion 2) that the action reads. Unknown
 * fields are dropped; a missing optional field is fine; a missing required one is an
 * error that names where it is.
 */
const severity = z.string().transform((value): Severity => (isSeverity(value) ? value : 'UNKNOWN'));
const line = z.number().int().nonnegative().optional();
/** Trivy writes `null` for empty lists in some versions and omits them in others. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

const cvss = z.record(z.string(), z.object({ V3Score: z.number().optional() }).loose());

const vulnerability = z.object({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string(),
  PkgPath: z.string().optional(),
  PkgIdentifier: z.object({ PURL: z.string().optional() }).optional(),
  InstalledVersion: z.string().optional(),
  FixedVersion: z.string().optional(),
  Status: z.string().optional(),
  Severity: severity,
  SeveritySource: z.string().optional(),
  Title: z.string().optional(),
  Description: z.string().optional(),
  PrimaryURL: z.string().optional(),
  CVSS: cvss.optional(),
});

const misconfiguration = z.object({
  ID: z.string().min(1),
  AVDID: z.string().optional(),
  Type: z.string().optional(),
  Title: z.string().optional(),
  Description: z.string().optional(),
  Message: z.string().optional(),
  Resolution: z.string().optional(),
  Severity: severity,
  PrimaryURL: z.string().optional(),
  Status: z.string().optional(),
  CauseMetadata: z
    .object({ StartLine: line, EndLine: line, Resource: z.string().optional() })
    .optional(),
});

const secret = z.object({
  RuleID: z.string().min(1),
  Category: z.string().optional(),
  Severity: severity,
  Title: z.string().optional(),
  StartLine: line,
  EndLine: line,
  Match: z.string().optional(),
});

/** What `--show-suppressed` adds: findings the ignore file hid, with its statement. */
const modifiedFinding = z.object({
  Type: z.string(),
  Status: z.string().optional(),
  Statement: z.string().optional(),
  Source: z.string().optional(),
  Finding: z.unknown(),
});

const result = z.object({
  Target: z.string(),
  Class: z.string().optional(),
  Type: z.string().optional(),
  Vulnerabilities: list(vulnerability),
  Misconfigurations: list(misconfiguration),
  Secrets: list(secret),
  ExperimentalModifiedFindings: list(modifiedFinding),
});

export interface Suppressed<T> {
  readonly item: T;
  readonly statement: string;
  readonly source: string;
}

/** The findings Trivy suppressed in a result, each parsed like a reported one (others skipped). */
export function suppressedFindings(r: TrivyResult): {
  vulnerabilities: Suppressed<TrivyVulnerability>[];
  misconfigurations: Suppressed<TrivyMisconfiguration>[];
  secrets: Suppressed<TrivySecret>[];
} {
  const out = {
    vulnerabilities: [] as Suppressed<TrivyVulnerability>[],
    misconfigurations: [] as Suppressed<TrivyMisconfiguration>[],
    secrets: [] as Suppressed<TrivySecret>[],
  };
  for (const m of r.ExperimentalModifiedFindings) {
    if (m.Status !== undefined && m.Status !== 'ignored') continue;
    const meta = { statement: m.Statement ?? '', source: m.Source ?? 'Trivy' };
    if (m.Type === 'vulnerability') {
      const parsed = vulnerability.safeParse(m.Finding);
      if (parsed.success) out.vulnerabilities.push({ item: parsed.data, ...meta });
    } else if (m.Type === 'misconfiguration') {
      const parsed = misconfiguration.safeParse(m.Finding);
      if (parsed.success) out.misconfigurations.push({ item: parsed.data, ...meta });
    } else if (m.Type === 'secret') {
      const parsed = secret.safeParse(m.Finding);
      if (parsed.success) out.secrets.push({ item: parsed.data, ...meta });
    }
  }
  return out;
}

const reportSchema = z.object({
  SchemaVersion: z.literal(2),
  Trivy: z.object({ Version: z.string().optional() }).optional(),
  CreatedAt: z.string().optional(),
  ArtifactName: z.string(),
  ArtifactType: z.string().optional(),
  Metadata: z
    .object({
      ImageID: z.string().optional(),
      RepoTags: list(z.string()),
      RepoDigests: list(z.string()),
      OS: z.object({ Family: z.string().optional(), Name: z.string().optional() }).optional(),
    })
    .optional(),
  Results: list(result),
});

export type TrivyReport = z.infer<typeof reportSchema>;
export type TrivyResult = z.infer<typeof result>;
export type TrivyVulnerability = z.infer<typeof vulnerability>;
export type TrivyMisconfiguration = z.infer<typeof misconfiguration>;
export type TrivySecret = z.infer<typeof secret>;

export class ReportError extends Error {
  override name = 'ReportError';
}

function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * Parses the text of a Trivy JSON report. `source` names the file in every error so a
 * user with several reports knows which one is wrong.
 */
export function parseReport(text: string, source: string): TrivyReport {
  if (text.trim() === '') {
    throw new ReportError(`${source}: the report is empty (0 bytes of JSON); did Trivy fail?`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReportError(
      `${source}: not valid JSON (${reason}); the file is corrupt or was cut short`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ReportError(`${source}: expected a Trivy JSON report (an object), got ${kind(data)}`);
  }
  if (!('SchemaVersion' in data)) {
    const hint =
      'runs' in data && 'version' in data
        ? ' (this looks like SARIF: give the JSON report from `trivy --format json`)'
        : '';
    throw new ReportError(`${source}: not a Trivy JSON report: no "SchemaVersion" field${hint}`);
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? describePath(issue.path) || '(root)' : '(root)';
    const count = parsed.error.issues.length;
    throw new ReportError(
      `${source}: not a valid Trivy report (SchemaVersion 2): ${where}: ${issue?.message ?? 'invalid'}${
        count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : ''
      }`,
    );
  }
  return parsed.data;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** True when the report's targets are files of the scanned directory (not of an image). */
export function isFileSystemReport(report: TrivyReport): boolean {
  return report.ArtifactType === 'repository' || report.ArtifactType === 'filesystem';
}
