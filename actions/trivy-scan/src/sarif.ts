import { createHash } from 'node:crypto';
import type { Finding } from './findings.ts';
import type { TrivyReport } from './report.ts';
import { type Severity, sarifLevel, securitySeverity, severityRank } from './severity.ts';

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

export function fingerprint(finding: Finding, targetName: string): string {
  const parts = [
    finding.id,
    targetName,
    finding.pkgName ?? locationUri(finding),
    finding.pkgPath ?? '',
    String(finding.startLine ?? 0),
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
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

/** Sorts a copy of the findings highest severity first (stable). */
function sorted(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        severityRank(a.finding.severity) - severityRank(b.finding.severity) || a.index - b.index,
    )
    .map(({ finding }) => finding);
}

export function toSarif(
  report: TrivyReport,
  findings: readonly Finding[],
  options: SarifOptions,
): SarifLog {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const results: SarifResult[] = [];
  for (const finding of sorted(findings)) {
    let index = ruleIndex.get(finding.id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(finding.id, index);
      // Findings are sorted, so the first finding of a rule has its highest severity.
      const properties: Record<string, unknown> = {
        tags: [finding.kind, 'security', finding.severity],
        precision: 'very-high',
        'security-severity': securitySeverity(finding.severity),
      };
      if (finding.cvssScore !== undefined) properties.cvssv3_baseScore = finding.cvssScore;
      rules.push({
        id: finding.id,
        name: RULE_NAMES[finding.resultClass] ?? 'UnknownIssue',
        shortDescription: { text: finding.title },
        fullDescription: { text: finding.description || finding.title },
        ...(finding.url ? { helpUri: finding.url } : {}),
        help: helpFor(finding, finding.severity),
        defaultConfiguration: { level: sarifLevel(finding.severity) },
        properties,
      });
    }
    const uri = locationUri(finding);
    const startLine = finding.startLine ?? 1;
    results.push({
      ruleId: finding.id,
      ruleIndex: index,
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
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding, options.targetName) },
    });
  }
  const run: SarifRun = {
    tool: {
      driver: {
        name: 'Trivy',
        fullName: 'Trivy Vulnerability Scanner',
        informationUri: 'https://github.com/aquasecurity/trivy',
        version: report.Trivy?.Version ?? options.toolVersion ?? 'unknown',
        rules,
      },
    },
    automationDetails: { id: automationId(options.targetName) },
    results,
    columnKind: 'utf16CodeUnits',
  };
  if (report.ArtifactType === 'container_image') {
    run.properties = {
      imageName: report.ArtifactName,
      repoTags: report.Metadata?.RepoTags ?? [],
      repoDigests: report.Metadata?.RepoDigests ?? [],
      ...(report.Metadata?.ImageID ? { imageID: report.Metadata.ImageID } : {}),
    };
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/** `trivy/<target>/`: GitHub takes the part before the last `/` as the upload category. */
export function automationId(targetName: string): string {
  return `trivy/${targetName}/`;
}
