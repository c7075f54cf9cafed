import {
  isFileSystemReport,
  modifiedItem,
  type TrivyLicense,
  type TrivyMisconfiguration,
  type TrivyReport,
  type TrivyResult,
  type TrivySecret,
  type TrivyVulnerability,
} from './report.ts';
import { type Severity, sortBySeverity } from './severity.ts';
import { imageName, relativeUri } from './uri.ts';

export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret' | 'license';
export const FINDING_KINDS: readonly FindingKind[] = [
  'vulnerability',
  'misconfiguration',
  'secret',
  'license',
];

/** Why a finding is hidden, and where that is said (an ignore-file entry, or Trivy's own). */
export interface Suppression {
  readonly reason: string;
  /** `security/.trivyignore.yaml: vulnerabilities[2]`, or what Trivy names (`.trivyignore.yaml`). */
  readonly where: string;
}

/** One finding of any scanner, flattened out of Trivy's Results. */
export interface Finding {
  readonly kind: FindingKind;
  /** CVE id, check id (DS-0002), secret rule id, or license name (what ignore files name). */
  readonly id: string;
  /** Other ids the ignore file may use for the same finding (Trivy's AVDID). */
  readonly aliases: readonly string[];
  readonly severity: Severity;
  /** Never empty: Trivy's title, or the id when Trivy has none. */
  readonly title: string;
  readonly description: string;
  readonly message: string;
  readonly url: string | undefined;
  /** Trivy's Result.Target, e.g. `backend-demo:dev (debian 12.5)`, `Dockerfile`, `OS Packages`. */
  readonly resultTarget: string;
  readonly resultClass: string;
  readonly resultType: string;
  /**
   * Repository-relative file the finding is in, when the report is a scan of the
   * repository (misconfigurations, secrets, lock files). Undefined for image findings.
   */
  readonly file: string | undefined;
  /**
   * Where the finding is, as a relative URI reference (uri.ts): the file, else the
   * package's path, else the image (OS packages) or Trivy's target. Never empty.
   */
  readonly location: string;
  readonly startLine: number | undefined;
  readonly endLine: number | undefined;
  readonly pkgName: string | undefined;
  /** The package's (or license file's) path inside the target, as Trivy gives it. */
  readonly pkgPath: string | undefined;
  readonly installedVersion: string | undefined;
  readonly fixedVersion: string | undefined;
  readonly status: string | undefined;
  readonly cvssScore: number | undefined;
  /** License findings: Trivy's classification (forbidden, restricted, reciprocal, notice...). */
  readonly category: string | undefined;
  /** Set when Trivy itself hid the finding (`--ignorefile` with `--show-suppressed`). */
  readonly suppressed: Suppression | undefined;
}

export interface CollectOptions {
  /**
   * Path of the scanned directory relative to the repository root ('' for the root),
   * so file findings point at repository files.
   */
  readonly pathPrefix?: string;
}

function joinPath(prefix: string, file: string): string {
  const clean = file.replace(/\\/g, '/').replace(/^\.\//, '');
  if (prefix === '' || prefix === '.') return clean;
  return `${prefix.replace(/\/+$/, '')}/${clean}`;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

/** What every finding of one Result shares. */
interface ResultContext {
  readonly result: TrivyResult;
  readonly fileScan: boolean;
  readonly prefix: string;
  /** relativeUri of a path, computed once per path (most findings share a few). */
  readonly uri: (path: string) => string;
  /** Where the Result's own findings are when they have no file or package path. */
  readonly resultLocation: string;
}

/** Empty strings count as missing: Trivy writes `"Title": ""` for rules without a title. */
function text(a: string | undefined, b?: string): string | undefined {
  if (a !== undefined && a !== '') return a;
  return b !== undefined && b !== '' ? b : undefined;
}

/** What varies by kind; the rest of a Finding comes from the Result (see make). */
type Fields = Omit<
  Finding,
  'resultTarget' | 'resultClass' | 'resultType' | 'location' | 'suppressed'
>;

const NO_ALIASES: readonly string[] = Object.freeze([]);

/**
 * Every Finding is made here, one object literal with every field in one order: V8 gives
 * them all one shape (object spreads made 10,000 findings 10x slower to build).
 */
function make(f: Fields, ctx: ResultContext, suppressed: Suppression | undefined): Finding {
  const located = f.file ?? f.pkgPath;
  return {
    kind: f.kind,
    id: f.id,
    aliases: f.aliases,
    severity: f.severity,
    title: f.title,
    description: f.description,
    message: f.message,
    url: f.url,
    resultTarget: ctx.result.Target,
    resultClass: ctx.result.Class ?? '',
    resultType: ctx.result.Type ?? '',
    file: f.file,
    location: located === undefined ? ctx.resultLocation : ctx.uri(located),
    startLine: f.startLine,
    endLine: f.endLine,
    pkgName: f.pkgName,
    pkgPath: f.pkgPath,
    installedVersion: f.installedVersion,
    fixedVersion: f.fixedVersion,
    status: f.status,
    cvssScore: f.cvssScore,
    category: f.category,
    suppressed,
  };
}

function fromVulnerability(
  v: TrivyVulnerability,
  ctx: ResultContext,
  suppressed: Suppression | undefined,
): Finding {
  const source = v.SeveritySource ? v.CVSS?.[v.SeveritySource] : undefined;
  const title = text(v.Title) ?? v.VulnerabilityID;
  const pkgPath = text(v.PkgPath);
  return make(
    {
      kind: 'vulnerability',
      id: v.VulnerabilityID,
      aliases: NO_ALIASES,
      severity: v.Severity,
      title,
      description: text(v.Description, v.Title) ?? v.VulnerabilityID,
      message: `${v.PkgName} ${v.InstalledVersion ?? ''}${
        v.FixedVersion ? ` (fixed in ${v.FixedVersion})` : ' (no fix yet)'
      }: ${title}`,
      url: text(v.PrimaryURL),
      file: ctx.fileScan ? joinPath(ctx.prefix, pkgPath ?? ctx.result.Target) : undefined,
      startLine: undefined,
      endLine: undefined,
      pkgName: v.PkgName,
      pkgPath,
      installedVersion: v.InstalledVersion,
      fixedVersion: text(v.FixedVersion),
      status: v.Status,
      cvssScore: source?.V3Score,
      category: undefined,
    },
    ctx,
    suppressed,
  );
}

function fromMisconfiguration(
  m: TrivyMisconfiguration,
  ctx: ResultContext,
  suppressed: Suppression | undefined,
): Finding {
  const startLine = positive(m.CauseMetadata?.StartLine);
  const title = text(m.Title) ?? m.ID;
  return make(
    {
      kind: 'misconfiguration',
      id: m.ID,
      aliases: m.AVDID && m.AVDID !== m.ID ? [m.AVDID] : NO_ALIASES,
      severity: m.Severity,
      title,
      description: text(m.Description, m.Title) ?? m.ID,
      message: text(m.Message) ?? title,
      url: text(m.PrimaryURL),
      file: ctx.fileScan ? joinPath(ctx.prefix, ctx.result.Target) : undefined,
      startLine,
      endLine: positive(m.CauseMetadata?.EndLine) ?? startLine,
      pkgName: undefined,
      pkgPath: undefined,
      installedVersion: undefined,
      fixedVersion: undefined,
      // A suppressed check is a failure Trivy hid, whatever its Status says.
      status: suppressed ? 'FAIL' : m.Status,
      cvssScore: undefined,
      category: undefined,
    },
    ctx,
    suppressed,
  );
}

const SECRET_RULES_URL =
  'https://github.com/aquasecurity/trivy/blob/main/pkg/fanal/secret/builtin-rules.go';

function fromSecret(
  s: TrivySecret,
  ctx: ResultContext,
  suppressed: Suppression | undefined,
): Finding {
  const startLine = positive(s.StartLine);
  const title = text(s.Title) ?? s.RuleID;
  return make(
    {
      kind: 'secret',
      id: s.RuleID,
      aliases: NO_ALIASES,
      severity: s.Severity,
      title,
      description: title,
      // Trivy already masks the secret in Match; never print more than that.
      message: `${title}${s.Match ? `: ${s.Match}` : ''}`,
      url: SECRET_RULES_URL,
      file: ctx.fileScan ? joinPath(ctx.prefix, ctx.result.Target) : undefined,
      startLine,
      endLine: positive(s.EndLine) ?? startLine,
      pkgName: undefined,
      pkgPath: undefined,
      installedVersion: undefined,
      fixedVersion: undefined,
      status: undefined,
      cvssScore: undefined,
      category: undefined,
    },
    ctx,
    suppressed,
  );
}

function fromLicense(
  l: TrivyLicense,
  ctx: ResultContext,
  suppressed: Suppression | undefined,
): Finding {
  const owner = text(l.PkgName, l.FilePath) ?? ctx.result.Target;
  const category = text(l.Category);
  const classified = category ? ` (${category})` : '';
  // A package's license is in its lock file (FilePath) or in the Result's file; a license
  // file's is its FilePath.
  const path = text(l.FilePath);
  return make(
    {
      kind: 'license',
      id: l.Name,
      aliases: NO_ALIASES,
      severity: l.Severity,
      title: `${l.Name} in ${owner}`,
      description: `${l.Name} in ${owner}${classified}`,
      message: `${owner}: license ${l.Name}${classified}`,
      url: text(l.Link),
      file: ctx.fileScan ? joinPath(ctx.prefix, path ?? ctx.result.Target) : undefined,
      startLine: undefined,
      endLine: undefined,
      pkgName: text(l.PkgName),
      pkgPath: path,
      installedVersion: undefined,
      fixedVersion: undefined,
      status: undefined,
      cvssScore: undefined,
      category,
    },
    ctx,
    suppressed,
  );
}

/**
 * Every finding in the report, each built once, in report order: a Result's reported
 * findings, then the ones Trivy suppressed (`--show-suppressed`), marked with Trivy's
 * statement. Passed misconfiguration checks are skipped.
 */
export function collectFindings(report: TrivyReport, options: CollectOptions = {}): Finding[] {
  const contexts = resultContexts(report, options.pathPrefix ?? '');
  const findings: Finding[] = [];
  for (const ctx of contexts) pushReported(findings, ctx);
  for (const ctx of contexts) pushSuppressed(findings, ctx);
  return findings;
}

/** Each Result with what its findings share: its location URI, built once per path. */
function resultContexts(report: TrivyReport, prefix: string): ResultContext[] {
  const fileScan = isFileSystemReport(report);
  const uris = new Map<string, string>();
  const uri = (path: string) => {
    let cached = uris.get(path);
    if (cached === undefined) {
      cached = relativeUri(path) || report.ArtifactType || 'target';
      uris.set(path, cached);
    }
    return cached;
  };
  const image = imageName(report);
  return report.Results.map(
    (result): ResultContext => ({
      result,
      fileScan,
      prefix,
      uri,
      // OS packages are in the image (Trivy's Target adds the OS: `alpine:3.10 (alpine 3.10.2)`).
      resultLocation: uri(
        result.Class === 'os-pkgs'
          ? (image ?? result.Target.replace(/\s*\(.*\)\s*$/, ''))
          : result.Target,
      ),
    }),
  );
}

/** A Result's reported findings; passed misconfiguration checks are skipped. */
function pushReported(findings: Finding[], ctx: ResultContext): void {
  const result = ctx.result;
  for (const v of result.Vulnerabilities) findings.push(fromVulnerability(v, ctx, undefined));
  for (const m of result.Misconfigurations) {
    if (m.Status !== undefined && m.Status !== 'FAIL') continue;
    findings.push(fromMisconfiguration(m, ctx, undefined));
  }
  for (const s of result.Secrets) findings.push(fromSecret(s, ctx, undefined));
  for (const l of result.Licenses) findings.push(fromLicense(l, ctx, undefined));
}

/** The findings Trivy suppressed (`--show-suppressed`), marked with Trivy's statement. */
function pushSuppressed(findings: Finding[], ctx: ResultContext): void {
  for (const m of ctx.result.ExperimentalModifiedFindings) {
    const hidden = modifiedItem(m);
    if (!hidden) continue;
    const suppressed = {
      reason: text(m.Statement) ?? 'ignored by Trivy',
      where: m.Source ?? 'Trivy',
    };
    findings.push(fromHidden(hidden, ctx, suppressed));
  }
}

function fromHidden(
  hidden: NonNullable<ReturnType<typeof modifiedItem>>,
  ctx: ResultContext,
  suppressed: { reason: string; where: string },
): Finding {
  if (hidden.kind === 'vulnerability') return fromVulnerability(hidden.item, ctx, suppressed);
  if (hidden.kind === 'misconfiguration') return fromMisconfiguration(hidden.item, ctx, suppressed);
  if (hidden.kind === 'secret') return fromSecret(hidden.item, ctx, suppressed);
  return fromLicense(hidden.item, ctx, suppressed);
}

/** Highest severity first; stable within a severity (report order). */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return sortBySeverity(findings, (finding) => finding.severity);
}
