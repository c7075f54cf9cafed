import {
  isFileSystemReport,
  type Suppressed,
  suppressedFindings,
  type TrivyReport,
  type TrivyResult,
} from './report.ts';
import { type Severity, sortBySeverity } from './severity.ts';

export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret';

/** One finding of any scanner, flattened out of Trivy's Results. */
export interface Finding {
  readonly kind: FindingKind;
  /** CVE id, check id (DS-0002) or secret rule id. */
  readonly id: string;
  /** Other ids the ignore file may use for the same finding (Trivy's AVDID). */
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
  readonly message: string;
  readonly url: string | undefined;
  /** Trivy's Result.Target, e.g. `backend-demo:dev (debian 12.5)` or `Dockerfile`. */
  readonly target: string;
  readonly resultClass: string;
  readonly resultType: string;
  /**
   * Repository-relative file the finding is in, when the report is a scan of the
   * repository (misconfigurations, secrets, lock files). Undefined for image findings.
   */
  readonly file: string | undefined;
  readonly startLine: number | undefined;
  readonly endLine: number | undefined;
  readonly pkgName: string | undefined;
  readonly pkgPath: string | undefined;
  readonly installedVersion: string | undefined;
  readonly fixedVersion: string | undefined;
  readonly status: string | undefined;
  readonly cvssScore: number | undefined;
  /** Set when Trivy itself hid the finding (`--ignorefile` with `--show-suppressed`). */
  readonly suppressed?: { readonly reason: string; readonly source: string };
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

/** Every finding in the report, in report order. Passed misconfiguration checks are skipped. */
export function collectFindings(report: TrivyReport, options: CollectOptions = {}): Finding[] {
  const prefix = options.pathPrefix ?? '';
  const fileScan = isFileSystemReport(report);
  const findings: Finding[] = [];
  type Lists = Pick<TrivyResult, 'Vulnerabilities' | 'Misconfigurations' | 'Secrets'>;
  const add = (
    result: TrivyResult,
    lists: Lists,
    suppressedBy: (item: object) => Finding['suppressed'],
  ) => {
    const target = result.Target;
    const resultClass = result.Class ?? '';
    const resultType = result.Type ?? '';
    const resultFile = fileScan ? joinPath(prefix, result.Target) : undefined;
    for (const v of lists.Vulnerabilities) {
      const source = v.SeveritySource ? v.CVSS?.[v.SeveritySource] : undefined;
      findings.push({
        target,
        resultClass,
        resultType,
        kind: 'vulnerability',
        id: v.VulnerabilityID,
        aliases: [],
        severity: v.Severity,
        title: v.Title ?? v.VulnerabilityID,
        description: v.Description ?? v.Title ?? '',
        message: `${v.PkgName} ${v.InstalledVersion ?? ''}${
          v.FixedVersion ? ` (fixed in ${v.FixedVersion})` : ' (no fix yet)'
        }: ${v.Title ?? v.VulnerabilityID}`,
        url: v.PrimaryURL,
        file: fileScan ? joinPath(prefix, v.PkgPath ?? result.Target) : undefined,
        startLine: undefined,
        endLine: undefined,
        pkgName: v.PkgName,
        pkgPath: v.PkgPath,
        installedVersion: v.InstalledVersion,
        fixedVersion: v.FixedVersion || undefined,
        status: v.Status,
        cvssScore: source?.V3Score,
        suppressed: suppressedBy(v),
      });
    }
    for (const m of lists.Misconfigurations) {
      if (m.Status !== undefined && m.Status !== 'FAIL') continue;
      const startLine = positive(m.CauseMetadata?.StartLine);
      findings.push({
        target,
        resultClass,
        resultType,
        kind: 'misconfiguration',
        id: m.ID,
        aliases: m.AVDID && m.AVDID !== m.ID ? [m.AVDID] : [],
        severity: m.Severity,
        title: m.Title ?? m.ID,
        description: m.Description ?? m.Title ?? '',
        message: m.Message ?? m.Title ?? m.ID,
        url: m.PrimaryURL,
        file: resultFile,
        startLine,
        endLine: positive(m.CauseMetadata?.EndLine) ?? startLine,
        pkgName: undefined,
        pkgPath: undefined,
        installedVersion: undefined,
        fixedVersion: undefined,
        status: m.Status,
        cvssScore: undefined,
        suppressed: suppressedBy(m),
      });
    }
    for (const s of lists.Secrets) {
      const startLine = positive(s.StartLine);
      findings.push({
        target,
        resultClass,
        resultType,
        kind: 'secret',
        id: s.RuleID,
        aliases: [],
        severity: s.Severity,
        title: s.Title ?? s.RuleID,
        description: s.Title ?? s.RuleID,
        // Trivy already masks the secret in Match; never print more than that.
        message: `${s.Title ?? s.RuleID}${s.Match ? `: ${s.Match}` : ''}`,
        url: 'https://github.com/aquasecurity/trivy/blob/main/pkg/fanal/secret/builtin-rules.go',
        file: resultFile,
        startLine,
        endLine: positive(s.EndLine) ?? startLine,
        pkgName: undefined,
        pkgPath: undefined,
        installedVersion: undefined,
        fixedVersion: undefined,
        status: undefined,
        cvssScore: undefined,
        suppressed: suppressedBy(s),
      });
    }
  };
  const none = () => undefined;
  for (const result of report.Results) add(result, result, none);
  for (const result of report.Results) {
    const hidden = suppressedFindings(result);
    const meta = new Map<object, Finding['suppressed']>();
    const track = <T extends object>(h: Suppressed<T>, item: T): T => {
      meta.set(item, { reason: h.statement, source: h.source });
      return item;
    };
    const lists: Lists = {
      Vulnerabilities: hidden.vulnerabilities.map((h) => track(h, h.item)),
      // A suppressed check is a failure Trivy hid, whatever its Status says.
      Misconfigurations: hidden.misconfigurations.map((h) =>
        track(h, { ...h.item, Status: 'FAIL' }),
      ),
      Secrets: hidden.secrets.map((h) => track(h, h.item)),
    };
    if (meta.size > 0) add(result, lists, (item) => meta.get(item));
  }
  return findings;
}

/** Highest severity first; stable within a severity (report order). */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return sortBySeverity(findings, (finding) => finding.severity);
}
