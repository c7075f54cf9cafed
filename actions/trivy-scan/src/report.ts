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

/** Trivy's license scanner: one per package license (PkgName) or license file (FilePath). */
const license = z.object({
  Name: z.string().min(1),
  Severity: severity,
  Category: z.string().optional(),
  PkgName: z.string().optional(),
  FilePath: z.string().optional(),
  Confidence: z.number().optional(),
  Link: z.string().optional(),
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
  Licenses: list(license),
  ExperimentalModifiedFindings: list(modifiedFinding),
});

/** A finding Trivy suppressed, parsed like a reported one; undefined for other statuses or shapes. */
export type ModifiedItem =
  | { readonly kind: 'vulnerability'; readonly item: TrivyVulnerability }
  | { readonly kind: 'misconfiguration'; readonly item: TrivyMisconfiguration }
  | { readonly kind: 'secret'; readonly item: TrivySecret }
  | { readonly kind: 'license'; readonly item: TrivyLicense };

export function modifiedItem(m: TrivyModifiedFinding): ModifiedItem | undefined {
  if (m.Status !== undefined && m.Status !== 'ignored') return undefined;
  switch (m.Type) {
    case 'vulnerability': {
      const item = fastVulnerability(m.Finding);
      return item ? { kind: 'vulnerability', item } : undefined;
    }
    case 'misconfiguration': {
      const item = fastMisconfiguration(m.Finding);
      return item ? { kind: 'misconfiguration', item } : undefined;
    }
    case 'secret': {
      const item = fastSecret(m.Finding);
      return item ? { kind: 'secret', item } : undefined;
    }
    case 'license': {
      const item = fastLicense(m.Finding);
      return item ? { kind: 'license', item } : undefined;
    }
    default:
      return undefined;
  }
}

const metadata = z
  .object({
    ImageID: z.string().optional(),
    RepoTags: list(z.string()),
    RepoDigests: list(z.string()),
    OS: z.object({ Family: z.string().optional(), Name: z.string().optional() }).optional(),
  })
  .optional();

const reportSchema = z.object({
  SchemaVersion: z.literal(2),
  Trivy: z.object({ Version: z.string().optional() }).optional(),
  CreatedAt: z.string().optional(),
  ArtifactName: z.string(),
  ArtifactType: z.string().optional(),
  Metadata: metadata,
  Results: list(result),
});

/**
 * The report without its finding lists: zod checks this small part, and the lists (10,000
 * findings and more) go through the hand-written checks below, which are ~10x cheaper.
 */
const envelopeSchema = reportSchema.extend({
  Results: list(
    result.omit({ Vulnerabilities: true, Misconfigurations: true, Secrets: true, Licenses: true }),
  ),
});

/** The full zod schema: the reference the fast path must agree with, and its error messages. */
export const trivyReportSchema = reportSchema;

export type TrivyReport = z.infer<typeof reportSchema>;
export type TrivyResult = z.infer<typeof result>;
export type TrivyVulnerability = z.infer<typeof vulnerability>;
export type TrivyMisconfiguration = z.infer<typeof misconfiguration>;
export type TrivySecret = z.infer<typeof secret>;
export type TrivyLicense = z.infer<typeof license>;
export type TrivyModifiedFinding = z.infer<typeof modifiedFinding>;

/**
 * A report without its findings: all the SARIF and the table need once the findings are
 * collected, so the parsed lists (and what they reference) can be collected.
 */
export type ReportHeader = Omit<TrivyReport, 'Results'> & {
  readonly Results: ReadonlyArray<Pick<TrivyResult, 'Target' | 'Class' | 'Type'>>;
};

export function reportHeader(report: TrivyReport): ReportHeader {
  const { Results, ...rest } = report;
  return { ...rest, Results: Results.map(({ Target, Class, Type }) => ({ Target, Class, Type })) };
}

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

/** The byte order mark some editors and PowerShell's redirection put before UTF-8 JSON. */
const BOM = '\uFEFF';

/** Where JSON.parse stopped (V8 says "at position N" for most errors), as line and column. */
function jsonErrorPlace(
  error: unknown,
  text: string,
): { line: number; column: number } | undefined {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return undefined;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return { line, column: Number(position) - before.lastIndexOf('\n') };
}

/**
 * Why a text is not JSON, in words that never quote it (V8's messages do: a report input
 * pointing at /etc/passwd must not print its first line).
 */
function notJson(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') {
    return 'not JSON (it does not start with { or [): not a Trivy JSON report';
  }
  const place = jsonErrorPlace(error, text);
  const position = Number(/at position (\d+)/.exec(message)?.[1] ?? -1);
  if (/Unexpected end of JSON input/.test(message) || position >= text.trimEnd().length) {
    return 'not valid JSON: it ends in the middle of a value, so the file is corrupt or was cut short';
  }
  return `not valid JSON${place ? ` at line ${place.line}, column ${place.column}` : ''}: the file is corrupt or was cut short`;
}

/** Trivy before 0.20 wrote a JSON array of results (no SchemaVersion, no ArtifactName). */
function isOldFormat(data: unknown[]): boolean {
  return data.length > 0 && data.every((r) => typeof r === 'object' && r !== null && 'Target' in r);
}

/**
 * Parses the text of a Trivy JSON report. `source` names the file in every error so a
 * user with several reports knows which one is wrong; no error quotes the text.
 */
export function parseReport(raw: string, source: string): TrivyReport {
  const data = reportObject(parseJson(raw, source), source);
  // Something wrong (or unusual) fails the fast path: zod then decides, and names the first problem.
  return fastParse(data) ?? zodReport(data, source);
}

function parseJson(raw: string, source: string): unknown {
  const text = raw.startsWith(BOM) ? raw.slice(1) : raw;
  if (text.trim() === '') {
    throw new ReportError(`${source}: the report is empty (0 bytes of JSON); did Trivy fail?`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportError(`${source}: ${notJson(error, text)}`);
  }
}

/** The parsed JSON as a report object with a SchemaVersion; old formats and SARIF are named. */
function reportObject(data: unknown, source: string): object {
  if (Array.isArray(data) && isOldFormat(data)) {
    throw new ReportError(
      `${source}: an old-format Trivy report (a JSON array of results, written by Trivy before 0.20): scan again with Trivy 0.20 or later, whose \`--format json\` writes SchemaVersion 2`,
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
  return data;
}

function zodReport(data: object, source: string): TrivyReport {
  const parsed = reportSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? describePath(issue.path) || '(root)' : '(root)';
  const count = parsed.error.issues.length;
  throw new ReportError(
    `${source}: not a valid Trivy report (SchemaVersion 2): ${where}: ${issue?.message ?? 'invalid'}${
      count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : ''
    }`,
  );
}

/*
 * The fast path: the same checks as the zod schemas above for the finding lists, by hand.
 * Each returns undefined where zod might not accept the value, and parseReport then asks
 * zod, so errors keep zod's messages and paths; a test checks both agree on the fixtures.
 * The copies hold only the fields we read, so the parsed JSON can be collected.
 */
type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
const optLine = (v: unknown): v is number | undefined =>
  v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const id = (v: unknown): v is string => typeof v === 'string' && v !== '';
const toSeverity = (v: string): Severity => (isSeverity(v) ? v : 'UNKNOWN');

function fastList<T>(value: unknown, item: (raw: unknown) => T | undefined): T[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const out: T[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const parsed = item(value[i]);
    if (parsed === undefined) return undefined;
    out[i] = parsed;
  }
  return out;
}

function fastCvss(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  for (const key in v) {
    const entry = v[key];
    if (!isObject(entry) || !(entry.V3Score === undefined || typeof entry.V3Score === 'number'))
      return false;
  }
  return true;
}

function fastVulnerability(v: unknown): TrivyVulnerability | undefined {
  if (!isObject(v)) return undefined;
  const { PkgIdentifier: pkgId, CVSS } = v;
  if (
    !id(v.VulnerabilityID) ||
    typeof v.PkgName !== 'string' ||
    typeof v.Severity !== 'string' ||
    !optString(v.PkgPath) ||
    !optString(v.InstalledVersion) ||
    !optString(v.FixedVersion) ||
    !optString(v.Status) ||
    !optString(v.SeveritySource) ||
    !optString(v.Title) ||
    !optString(v.Description) ||
    !optString(v.PrimaryURL) ||
    !(pkgId === undefined || (isObject(pkgId) && optString(pkgId.PURL))) ||
    !fastCvss(CVSS)
  )
    return undefined;
  return {
    VulnerabilityID: v.VulnerabilityID,
    PkgName: v.PkgName,
    PkgPath: v.PkgPath,
    PkgIdentifier: pkgId === undefined ? undefined : { PURL: pkgId.PURL as string | undefined },
    InstalledVersion: v.InstalledVersion,
    FixedVersion: v.FixedVersion,
    Status: v.Status,
    Severity: toSeverity(v.Severity),
    SeveritySource: v.SeveritySource,
    Title: v.Title,
    Description: v.Description,
    PrimaryURL: v.PrimaryURL,
    CVSS: CVSS as TrivyVulnerability['CVSS'],
  };
}

function fastMisconfiguration(m: unknown): TrivyMisconfiguration | undefined {
  if (!isObject(m)) return undefined;
  const cause = m.CauseMetadata;
  if (
    !id(m.ID) ||
    typeof m.Severity !== 'string' ||
    !optString(m.AVDID) ||
    !optString(m.Type) ||
    !optString(m.Title) ||
    !optString(m.Description) ||
    !optString(m.Message) ||
    !optString(m.Resolution) ||
    !optString(m.PrimaryURL) ||
    !optString(m.Status) ||
    !(
      cause === undefined ||
      (isObject(cause) &&
        optLine(cause.StartLine) &&
        optLine(cause.EndLine) &&
        optString(cause.Resource))
    )
  )
    return undefined;
  return {
    ID: m.ID,
    AVDID: m.AVDID,
    Type: m.Type,
    Title: m.Title,
    Description: m.Description,
    Message: m.Message,
    Resolution: m.Resolution,
    Severity: toSeverity(m.Severity),
    PrimaryURL: m.PrimaryURL,
    Status: m.Status,
    CauseMetadata:
      cause === undefined
        ? undefined
        : {
            StartLine: cause.StartLine as number | undefined,
            EndLine: cause.EndLine as number | undefined,
            Resource: cause.Resource as string | undefined,
          },
  };
}

function fastSecret(s: unknown): TrivySecret | undefined {
  if (!isObject(s)) return undefined;
  if (
    !id(s.RuleID) ||
    typeof s.Severity !== 'string' ||
    !optString(s.Category) ||
    !optString(s.Title) ||
    !optLine(s.StartLine) ||
    !optLine(s.EndLine) ||
    !optString(s.Match)
  )
    return undefined;
  return {
    RuleID: s.RuleID,
    Category: s.Category,
    Severity: toSeverity(s.Severity),
    Title: s.Title,
    StartLine: s.StartLine,
    EndLine: s.EndLine,
    Match: s.Match,
  };
}

function fastLicense(l: unknown): TrivyLicense | undefined {
  if (!isObject(l)) return undefined;
  if (
    !id(l.Name) ||
    typeof l.Severity !== 'string' ||
    !optString(l.Category) ||
    !optString(l.PkgName) ||
    !optString(l.FilePath) ||
    !optString(l.Link) ||
    !(l.Confidence === undefined || typeof l.Confidence === 'number')
  )
    return undefined;
  return {
    Name: l.Name,
    Severity: toSeverity(l.Severity),
    Category: l.Category,
    PkgName: l.PkgName,
    FilePath: l.FilePath,
    Confidence: l.Confidence as number | undefined,
    Link: l.Link,
  };
}

function fastParse(data: unknown): TrivyReport | undefined {
  const envelope = envelopeSchema.safeParse(data);
  if (!envelope.success) return undefined;
  const raw = (data as Raw).Results;
  const rawResults = Array.isArray(raw) ? raw : [];
  const results: TrivyResult[] = [];
  for (const [i, header] of envelope.data.Results.entries()) {
    const r = rawResults[i] as Raw;
    const vulnerabilities = fastList(r.Vulnerabilities, fastVulnerability);
    const misconfigurations = fastList(r.Misconfigurations, fastMisconfiguration);
    const secrets = fastList(r.Secrets, fastSecret);
    const licenses = fastList(r.Licenses, fastLicense);
    if (!vulnerabilities || !misconfigurations || !secrets || !licenses) return undefined;
    results.push({
      ...header,
      Vulnerabilities: vulnerabilities,
      Misconfigurations: misconfigurations,
      Secrets: secrets,
      Licenses: licenses,
    });
  }
  return { ...envelope.data, Results: results };
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
