import * as crypto from 'node:crypto';
import { bySeverity, type Finding } from './findings.ts';
import type { ReportHeader } from './report.ts';
import { type Severity, sarifLevel, securitySeverity } from './severity.ts';

/**
 * SARIF 2.1.0 for GitHub code scanning, built from the JSON report, with every
 * severity kept (the gate is separate). Close to Trivy's own writer
 * (pkg/report/sarif.go) so alerts look the same, with these deliberate differences:
 *
 * 1. `security-severity` comes from Trivy's severity (CRITICAL 9.5, HIGH 8.0,
 *    MEDIUM 5.5, LOW 2.0), not the CVSS score of the severity source: so the
 *    Security tab's critical/high/medium/low always agrees with the gate and the
 *    summary (Trivy's mix makes a MEDIUM with CVSS 7.8 show as "high": trivy#5215,
 *    #5246). The CVSS score is still in the rule's properties.
 * 2. `partialFingerprints` (stable across runs) and `automationDetails.id`
 *    (`trivy/<target>/`, one category per scanned target) are set, so uploads of
 *    several images do not overwrite each other.
 * 3. Results are ordered highest severity first.
 * 4. A rule's `help.text` does not repeat the description (it is in `fullDescription`
 *    and in `help.markdown`, which GitHub shows): a third less SARIF for big reports.
 */
export const FINGERPRINT_KEY = 'trivyFindingHash/v1';
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** The target as the user named it: `backend-demo:dev`, `config`, a report path. */
  readonly targetName: string;
  /** Trivy version when the report does not say (`dev` builds, older reports). */
  readonly toolVersion?: string;
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: SarifRun[];
}
export interface SarifRun {
  tool: { driver: SarifDriver };
  automationDetails: { id: string };
  results: SarifResult[];
  columnKind: 'utf16CodeUnits';
  originalUriBaseIds?: Record<string, { uri: string }>;
  properties?: Record<string, unknown>;
}
export interface SarifDriver {
  name: 'Trivy';
  fullName: string;
  informationUri: string;
  version: string;
  rules: SarifRule[];
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: 'ROOTPATH' };
      region: { startLine: number; startColumn: 1; endLine: number; endColumn: 1 };
    };
    message: { text: string };
  }>;
  partialFingerprints: Record<string, string>;
}

const RULE_NAMES: Record<string, string> = {
  'os-pkgs': 'OsPackageVulnerability',
  'lang-pkgs': 'LanguageSpecificPackageVulnerability',
  config: 'Misconfiguration',
  secret: 'Secret',
};

/** Trivy's ToPathUri: `alpine:3.10 (alpine 3.10.2)` → `alpine`; files stay as they are. */
export function imageUri(target: string): string {
  let path = target.replace(/\s*\(.*\).*$/, '').replace(/\\/g, '/');
  path = path.replace(/@sha256:[0-9a-f]+$/i, '');
  const lastSlash = path.lastIndexOf('/');
  const colon = path.lastIndexOf(':');
  if (colon > lastSlash) path = path.slice(0, colon);
  return path;
}

export function locationUri(finding: Finding): string {
  if (finding.file !== undefined) return finding.file;
  if (finding.pkgPath) return finding.pkgPath.replace(/\\/g, '/');
  return finding.resultClass === 'os-pkgs' ? imageUri(finding.target) : finding.target;
}

/** One-shot crypto.hash (Node >= 20.12) is ~2x cheaper per result than a Hash object. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;
const sha256Hex = (data: string): string =>
  oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');

export function fingerprint(finding: Finding, targetName: string): string {
  const parts = [
    finding.id,
    targetName,
    finding.pkgName ?? locationUri(finding),
    finding.pkgPath ?? '',
    String(finding.startLine ?? 0),
  ];
  return sha256Hex(parts.join('\u0000')).slice(0, 32);
}

function helpFor(finding: Finding, severity: Severity): { text: string; markdown: string } {
  const link = finding.url ? `[${finding.id}](${finding.url})` : finding.id;
  switch (finding.kind) {
    case 'vulnerability':
      return {
        text: `Vulnerability ${finding.id}\nSeverity: ${severity}\nPackage: ${finding.pkgName}\nFixed Version: ${finding.fixedVersion ?? ''}\nLink: ${link}`,
        markdown: `**Vulnerability ${finding.id}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|${severity}|${finding.pkgName}|${finding.fixedVersion ?? ''}|${link}|\n\n${finding.description}`,
      };
    case 'misconfiguration':
      return {
        text: `Misconfiguration ${finding.id}\nSeverity: ${severity}\nCheck: ${finding.title}\nMessage: ${finding.message}\nLink: ${link}`,
        markdown: `**Misconfiguration ${finding.id}**\n| Severity | Check | Message | Link |\n| --- | --- | --- | --- |\n|${severity}|${finding.title}|${finding.message}|${link}|\n\n${finding.description}`,
      };
    default:
      return {
        text: `Secret ${finding.title}\nSeverity: ${severity}\nMatch: ${finding.message}`,
        markdown: `**Secret ${finding.title}**\n| Severity | Match |\n| --- | --- |\n|${severity}|${finding.message}|`,
      };
  }
}

function resultMessage(finding: Finding): string {
  const link = finding.url ? `[${finding.id}](${finding.url})` : finding.id;
  switch (finding.kind) {
    case 'vulnerability':
      return `Package: ${finding.pkgName}\nInstalled Version: ${finding.installedVersion ?? ''}\nVulnerability ${finding.id}\nSeverity: ${finding.severity}\nFixed Version: ${finding.fixedVersion ?? ''}\nLink: ${link}`;
    case 'misconfiguration':
      return `Artifact: ${locationUri(finding)}\nType: ${finding.resultType}\nVulnerability ${finding.id}\nSeverity: ${finding.severity}\nMessage: ${finding.message}\nLink: ${link}`;
    default:
      return `Artifact: ${locationUri(finding)}\nType: ${finding.resultType}\nSecret ${finding.title}\nSeverity: ${finding.severity}\nMatch: ${finding.message}`;
  }
}

function ruleFor(finding: Finding): SarifRule {
  // Findings are sorted, so the first finding of a rule has its highest severity.
  const properties: Record<string, unknown> = {
    tags: [finding.kind, 'security', finding.severity],
    precision: 'very-high',
    'security-severity': securitySeverity(finding.severity),
  };
  if (finding.cvssScore !== undefined) properties.cvssv3_baseScore = finding.cvssScore;
  return {
    id: finding.id,
    name: RULE_NAMES[finding.resultClass] ?? 'UnknownIssue',
    shortDescription: { text: finding.title },
    fullDescription: { text: finding.description || finding.title },
    ...(finding.url ? { helpUri: finding.url } : {}),
    help: helpFor(finding, finding.severity),
    defaultConfiguration: { level: sarifLevel(finding.severity) },
    properties,
  };
}

function resultFor(finding: Finding, ruleIndex: number, targetName: string): SarifResult {
  const uri = locationUri(finding);
  const startLine = finding.startLine ?? 1;
  return {
    ruleId: finding.id,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: resultMessage(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri, uriBaseId: 'ROOTPATH' },
          region: {
            startLine,
            startColumn: 1,
            endLine: Math.max(finding.endLine ?? startLine, startLine),
            endColumn: 1,
          },
        },
        message: {
          text:
            finding.kind === 'vulnerability'
              ? `${uri}: ${finding.pkgName}@${finding.installedVersion ?? ''}`
              : uri,
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding, targetName) },
  };
}

/**
 * What a run is made of: findings highest severity first, the first finding of each rule
 * (rules are made from it), and each finding's rule index. Rules and results are made from
 * these one at a time, so the SARIF text never needs the whole object tree at once.
 */
interface RunPlan {
  readonly sorted: Finding[];
  readonly ruleFindings: Finding[];
  readonly ruleIndexes: Int32Array;
  readonly driver: Omit<SarifDriver, 'rules'>;
  readonly automationDetails: { id: string };
  readonly properties: Record<string, unknown> | undefined;
}

function planRun(
  report: ReportHeader,
  findings: readonly Finding[],
  options: SarifOptions,
): RunPlan {
  const sorted = bySeverity(findings);
  const ruleIndex = new Map<string, number>();
  const ruleFindings: Finding[] = [];
  const ruleIndexes = new Int32Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const finding = sorted[i] as Finding;
    let index = ruleIndex.get(finding.id);
    if (index === undefined) {
      index = ruleFindings.length;
      ruleIndex.set(finding.id, index);
      ruleFindings.push(finding);
    }
    ruleIndexes[i] = index;
  }
  return {
    sorted,
    ruleFindings,
    ruleIndexes,
    driver: {
      name: 'Trivy',
      fullName: 'Trivy Vulnerability Scanner',
      informationUri: 'https://github.com/aquasecurity/trivy',
      version: report.Trivy?.Version ?? options.toolVersion ?? 'unknown',
    },
    automationDetails: { id: automationId(options.targetName) },
    properties:
      report.ArtifactType === 'container_image'
        ? {
            imageName: report.ArtifactName,
            repoTags: report.Metadata?.RepoTags ?? [],
            repoDigests: report.Metadata?.RepoDigests ?? [],
            ...(report.Metadata?.ImageID ? { imageID: report.Metadata.ImageID } : {}),
          }
        : undefined,
  };
}

export function toSarif(
  report: ReportHeader,
  findings: readonly Finding[],
  options: SarifOptions,
): SarifLog {
  const plan = planRun(report, findings, options);
  const run: SarifRun = {
    tool: { driver: { ...plan.driver, rules: plan.ruleFindings.map(ruleFor) } },
    automationDetails: plan.automationDetails,
    results: plan.sorted.map((f, i) => resultFor(f, plan.ruleIndexes[i] ?? 0, options.targetName)),
    columnKind: 'utf16CodeUnits',
  };
  if (plan.properties) run.properties = plan.properties;
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/**
 * `JSON.stringify(toSarif(...))` and a newline, the same bytes, in pieces made one rule
 * and one result at a time: for 10,000 findings this skips a 25 MiB object tree and its
 * GC, and the report writer streams them to the file (64 KiB per write). Compact: SARIF
 * is read by tools; indentation would add a third to its size.
 */
export function* sarifChunks(
  report: ReportHeader,
  findings: readonly Finding[],
  options: SarifOptions,
): Generator<string> {
  const plan = planRun(report, findings, options);
  const driver = JSON.stringify(plan.driver);
  yield `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":"2.1.0","runs":[{"tool":{"driver":${driver.slice(0, -1)},"rules":[`;
  for (let i = 0; i < plan.ruleFindings.length; i++) {
    yield (i === 0 ? '' : ',') + JSON.stringify(ruleFor(plan.ruleFindings[i] as Finding));
  }
  yield `]}},"automationDetails":${JSON.stringify(plan.automationDetails)},"results":[`;
  for (let i = 0; i < plan.sorted.length; i++) {
    const result = resultFor(
      plan.sorted[i] as Finding,
      plan.ruleIndexes[i] ?? 0,
      options.targetName,
    );
    yield (i === 0 ? '' : ',') + JSON.stringify(result);
  }
  yield '],"columnKind":"utf16CodeUnits"';
  if (plan.properties) yield `,"properties":${JSON.stringify(plan.properties)}`;
  yield '}]}\n';
}

/** The whole SARIF text (see sarifChunks). */
export function toSarifText(
  report: ReportHeader,
  findings: readonly Finding[],
  options: SarifOptions,
): string {
  return [...sarifChunks(report, findings, options)].join('');
}

/** `trivy/<target>/`: GitHub takes the part before the last `/` as the upload category. */
export function automationId(targetName: string): string {
  return `trivy/${targetName}/`;
}
