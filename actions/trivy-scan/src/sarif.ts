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
 * 2. A rule has one severity. GitHub shows every result of a rule at the rule's
 *    security-severity, so an advisory Trivy rates MEDIUM in one package and LOW in
 *    another is two rules: `CVE-X` at its highest severity in the run, `CVE-X/LOW` for
 *    the other.
 * 3. `partialFingerprints` hold everything that tells two findings apart (target, kind,
 *    id, location, Result target, package, version, line) and `automationDetails.id`
 *    is the target's category (`trivy-backend-demo/`), both made from what the target
 *    is, not where its files lie (identity.ts).
 * 4. Locations are relative references (uri.ts), and an image archive's OS packages are
 *    located at its file name, not its path under runner.temp.
 * 5. Results are ordered highest severity first, and a run stays within GitHub's limits
 *    (SARIF_LIMITS): past them, the lowest severities are left out, and the caller says so.
 * 6. Empty titles fall back to the id (GitHub requires rule descriptions: GH2012).
 * 7. A rule's `help.text` does not repeat the description (it is in `fullDescription`
 *    and in `help.markdown`, which GitHub shows): a third less SARIF for big reports.
 */
export const FINGERPRINT_KEY = 'trivyFindingHash/v2';
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * GitHub's limits for one upload ("SARIF support for code scanning", "SARIF results
 * exceed limit"): a run with more results or rules is rejected, and so is a file above
 * 10 MB gzipped. GitHub keeps only the 5,000 most severe results of a run.
 */
export const SARIF_LIMITS = Object.freeze({
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  gzippedBytes: 10_000_000,
  storedResults: 5_000,
});
export interface SarifLimits {
  readonly resultsPerRun: number;
  readonly rulesPerRun: number;
}

export interface SarifOptions {
  /** The target's key (identity.ts): part of every fingerprint. */
  readonly key: string;
  /** The target's SARIF category (`trivy-backend-demo`). */
  readonly category: string;
  /** Trivy version when the report does not say (`dev` builds, older reports). */
  readonly toolVersion?: string;
  readonly limits?: SarifLimits;
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
  license: 'License',
  'license-file': 'License',
};

/** One-shot crypto.hash (Node >= 20.12) is ~2x cheaper per result than a Hash object. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;
const sha256Hex = (data: string): string =>
  oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');

/**
 * Stable across runs and distinct per finding: the target's key, the finding's kind, id,
 * location, Trivy's Result target (which manifest: go.mod or submod/go.mod), package,
 * version and line. An image's OS-package Result target is left out: it carries the
 * archive's path under runner.temp, and the location already names the image.
 */
export function fingerprint(finding: Finding, key: string): string {
  const parts = [
    key,
    finding.kind,
    finding.id,
    finding.location,
    finding.resultClass === 'os-pkgs' ? '' : finding.resultTarget,
    finding.pkgName ?? '',
    finding.installedVersion ?? '',
    String(finding.startLine ?? 0),
  ];
  return sha256Hex(parts.join('\u0000')).slice(0, 32);
}

/** Trivy's rule id: the finding's id, and `<package>:<license>` for licenses. */
export function baseRuleId(finding: Finding): string {
  if (finding.kind !== 'license') return finding.id;
  return `${finding.pkgName ?? finding.pkgPath ?? finding.resultTarget}:${finding.id}`;
}

/**
 * How the help and message templates write their text: as it is (the SARIF objects), or
 * as the inside of a JSON string (the SARIF text: each part escaped once, where it goes,
 * instead of escaping the whole text again).
 */
interface Writing {
  readonly e: (text: string) => string;
  readonly nl: string;
}
const PLAIN: Writing = { e: (text) => text, nl: '\n' };

/** What JSON.stringify escapes: quotes, backslashes, control characters, surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** `JSON.stringify(text)` without its quotes; most parts need nothing, and are not copied. */
const escaped = (text: string): string =>
  NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
const JSON_TEXT: Writing = { e: escaped, nl: '\\n' };

interface Help {
  readonly text: string;
  readonly markdown: string;
}
type HelpOf = (finding: Finding, description: string, w: Writing, link: string) => Help;

/** One per kind; `id` and `link` as `w` writes them. */
const HELP: Record<Finding['kind'], HelpOf> = {
  vulnerability: (f, description, { e, nl }, link) => {
    const id = e(f.id);
    const pkg = e(f.pkgName ?? '');
    const fixed = e(f.fixedVersion ?? '');
    return {
      text: `Vulnerability ${id}${nl}Severity: ${f.severity}${nl}Package: ${pkg}${nl}Fixed Version: ${fixed}${nl}Link: ${link}`,
      markdown: `**Vulnerability ${id}**${nl}| Severity | Package | Fixed Version | Link |${nl}| --- | --- | --- | --- |${nl}|${f.severity}|${pkg}|${fixed}|${link}|${nl}${nl}${description}`,
    };
  },
  misconfiguration: (f, description, { e, nl }, link) => {
    const id = e(f.id);
    const title = e(f.title);
    const message = e(f.message);
    return {
      text: `Misconfiguration ${id}${nl}Severity: ${f.severity}${nl}Check: ${title}${nl}Message: ${message}${nl}Link: ${link}`,
      markdown: `**Misconfiguration ${id}**${nl}| Severity | Check | Message | Link |${nl}| --- | --- | --- | --- |${nl}|${f.severity}|${title}|${message}|${link}|${nl}${nl}${description}`,
    };
  },
  license: (f, _, { e, nl }) => {
    const id = e(f.id);
    const category = e(f.category ?? '');
    const pkg = e(f.pkgName ?? '');
    const path = e(f.pkgPath ?? '');
    return {
      text: `License ${id}${nl}Classification: ${category}${nl}PkgName: ${pkg}${nl}Path: ${path}`,
      markdown: `**License ${id}**${nl}| PkgName | Classification | Path |${nl}| --- | --- | --- |${nl}|${pkg}|${category}|${path}|`,
    };
  },
  secret: (f, _, { e, nl }) => {
    const title = e(f.title);
    const message = e(f.message);
    return {
      text: `Secret ${title}${nl}Severity: ${f.severity}${nl}Match: ${message}`,
      markdown: `**Secret ${title}**${nl}| Severity | Match |${nl}| --- | --- |${nl}|${f.severity}|${message}|`,
    };
  },
};

/** `[id](url)`, or the id when there is no URL, as `w` writes them. */
const linkOf = (finding: Finding, { e }: Writing) =>
  finding.url ? `[${e(finding.id)}](${e(finding.url)})` : e(finding.id);

/** The rule's help; the Markdown ends with `description`, as `w` writes it already. */
function helpFor(finding: Finding, description: string, w: Writing): Help {
  return HELP[finding.kind](finding, description, w, linkOf(finding, w));
}

function resultMessage(finding: Finding, w: Writing): string {
  const { e, nl } = w;
  const id = e(finding.id);
  const link = linkOf(finding, w);
  switch (finding.kind) {
    case 'vulnerability':
      return `Package: ${e(finding.pkgName ?? '')}${nl}Installed Version: ${e(finding.installedVersion ?? '')}${nl}Vulnerability ${id}${nl}Severity: ${finding.severity}${nl}Fixed Version: ${e(finding.fixedVersion ?? '')}${nl}Link: ${link}`;
    case 'misconfiguration':
      return `Artifact: ${e(finding.location)}${nl}Type: ${e(finding.resultType)}${nl}Vulnerability ${id}${nl}Severity: ${finding.severity}${nl}Message: ${e(finding.message)}${nl}Link: ${link}`;
    case 'license':
      return `Artifact: ${e(finding.resultTarget)}${nl}License ${id}${nl}PkgName: ${e(finding.pkgName ?? '')}${nl}Classification: ${e(finding.category ?? '')}${nl}Path: ${e(finding.pkgPath ?? '')}`;
    default:
      return `Artifact: ${e(finding.location)}${nl}Type: ${e(finding.resultType)}${nl}Secret ${e(finding.title)}${nl}Severity: ${finding.severity}${nl}Match: ${e(finding.message)}`;
  }
}

function ruleFor(rule: PlannedRule): SarifRule {
  const { finding } = rule;
  const properties: Record<string, unknown> = {
    tags: [finding.kind, 'security', finding.severity],
    precision: 'very-high',
    'security-severity': securitySeverity(finding.severity),
  };
  if (finding.cvssScore !== undefined) properties.cvssv3_baseScore = finding.cvssScore;
  return {
    id: rule.id,
    name: RULE_NAMES[finding.resultClass] ?? 'UnknownIssue',
    shortDescription: { text: finding.title },
    fullDescription: { text: finding.description || finding.title },
    ...(finding.url ? { helpUri: finding.url } : {}),
    help: helpFor(finding, finding.description, PLAIN),
    defaultConfiguration: { level: sarifLevel(finding.severity) },
    properties,
  };
}

function resultFor(finding: Finding, ruleIndex: number, rule: string, key: string): SarifResult {
  const uri = finding.location;
  const startLine = finding.startLine ?? 1;
  return {
    ruleId: rule,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: resultMessage(finding, PLAIN) },
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
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding, key) },
  };
}

/*
 * resultFor and ruleFor as text, for sarifChunks: the same bytes as JSON.stringify of the
 * objects (tests compare them), without making the objects. For 10,000 findings that is
 * 20,000 object trees fewer to make and collect.
 */
const q = JSON.stringify;

function resultText(finding: Finding, ruleIndex: number, rule: string, key: string): string {
  const uri = escaped(finding.location);
  const startLine = finding.startLine ?? 1;
  const endLine = Math.max(finding.endLine ?? startLine, startLine);
  const where =
    finding.kind === 'vulnerability'
      ? `${uri}: ${escaped(finding.pkgName ?? '')}@${escaped(finding.installedVersion ?? '')}`
      : uri;
  return `{"ruleId":"${escaped(rule)}","ruleIndex":${ruleIndex},"level":"${sarifLevel(finding.severity)}","message":{"text":"${resultMessage(finding, JSON_TEXT)}"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"${uri}","uriBaseId":"ROOTPATH"},"region":{"startLine":${startLine},"startColumn":1,"endLine":${endLine},"endColumn":1}},"message":{"text":"${where}"}}],"partialFingerprints":{${q(FINGERPRINT_KEY)}:"${fingerprint(finding, key)}"}}`;
}

function ruleText(rule: PlannedRule): string {
  const { finding } = rule;
  const description = escaped(finding.description);
  const help = helpFor(finding, description, JSON_TEXT);
  const cvss = finding.cvssScore !== undefined ? `,"cvssv3_baseScore":${q(finding.cvssScore)}` : '';
  const level = sarifLevel(finding.severity);
  const title = escaped(finding.title);
  return `{"id":"${escaped(rule.id)}","name":"${RULE_NAMES[finding.resultClass] ?? 'UnknownIssue'}","shortDescription":{"text":"${title}"},"fullDescription":{"text":"${finding.description ? description : title}"},${finding.url ? `"helpUri":"${escaped(finding.url)}",` : ''}"help":{"text":"${help.text}","markdown":"${help.markdown}"},"defaultConfiguration":{"level":"${level}"},"properties":{"tags":["${finding.kind}","security","${finding.severity}"],"precision":"very-high","security-severity":"${securitySeverity(finding.severity)}"${cvss}}}`;
}

interface PlannedRule {
  readonly id: string;
  /** The rule's first finding: it has the rule's severity, title and description. */
  readonly finding: Finding;
}

/**
 * What a run is made of: findings highest severity first, the rules (one per id and
 * severity, in order of first use, so the results of any prefix use a prefix of the
 * rules), each finding's rule index, and how many findings fit GitHub's limits on results
 * and rules. Rules and results are made from it one at a time, so the SARIF text never
 * needs the whole object tree at once.
 */
export interface SarifPlan {
  readonly sorted: readonly Finding[];
  readonly rules: readonly PlannedRule[];
  readonly ruleIndexes: Int32Array;
  /** Findings that fit the results and rules limits (a prefix of `sorted`). */
  readonly fits: number;
  readonly key: string;
  readonly driver: Omit<SarifDriver, 'rules'>;
  readonly automationDetails: { id: string };
  readonly properties: Record<string, unknown> | undefined;
}

export function planSarif(
  report: ReportHeader,
  findings: readonly Finding[],
  options: SarifOptions,
): SarifPlan {
  const limits = options.limits ?? SARIF_LIMITS;
  const sorted = bySeverity(findings);
  const ruleIndex = new Map<string, number>();
  const highest = new Map<string, Severity>();
  const rules: PlannedRule[] = [];
  const ruleIndexes = new Int32Array(sorted.length);
  let fits = Math.min(sorted.length, limits.resultsPerRun);
  for (let i = 0; i < sorted.length; i++) {
    const finding = sorted[i] as Finding;
    const base = baseRuleId(finding);
    const key = `${base}\u0000${finding.severity}`;
    let index = ruleIndex.get(key);
    if (index === undefined) {
      // Sorted: the first severity met for an id is its highest, and keeps the plain id.
      const top = highest.get(base);
      if (top === undefined) highest.set(base, finding.severity);
      index = rules.length;
      ruleIndex.set(key, index);
      rules.push({ id: top === undefined ? base : `${base}/${finding.severity}`, finding });
      if (rules.length > limits.rulesPerRun && i < fits) fits = i;
    }
    ruleIndexes[i] = index;
  }
  return {
    sorted,
    rules,
    ruleIndexes,
    fits,
    key: options.key,
    driver: driverOf(report, options),
    automationDetails: { id: `${options.category}/` },
    properties: imageProperties(report),
  };
}

function driverOf(report: ReportHeader, options: SarifOptions): Omit<SarifDriver, 'rules'> {
  return {
    name: 'Trivy',
    fullName: 'Trivy Vulnerability Scanner',
    informationUri: 'https://github.com/aquasecurity/trivy',
    version: report.Trivy?.Version ?? options.toolVersion ?? 'unknown',
  };
}

/** The run's properties for an image: its name, tags, digests and id. */
function imageProperties(report: ReportHeader): Record<string, unknown> | undefined {
  if (report.ArtifactType !== 'container_image') return undefined;
  return {
    imageName: report.ArtifactName,
    repoTags: report.Metadata?.RepoTags ?? [],
    repoDigests: report.Metadata?.RepoDigests ?? [],
    ...(report.Metadata?.ImageID ? { imageID: report.Metadata.ImageID } : {}),
  };
}

/** How many rules the first `count` results use (rules are numbered in order of first use). */
export function rulesUsed(plan: SarifPlan, count: number): number {
  let max = -1;
  for (let i = 0; i < count; i++) max = Math.max(max, plan.ruleIndexes[i] ?? 0);
  return max + 1;
}

/** The SARIF of the first `count` results (default: all that fit) as one object. */
export function toSarif(plan: SarifPlan, count = plan.fits): SarifLog {
  const ruleCount = rulesUsed(plan, count);
  const run: SarifRun = {
    tool: { driver: { ...plan.driver, rules: plan.rules.slice(0, ruleCount).map(ruleFor) } },
    automationDetails: plan.automationDetails,
    results: plan.sorted.slice(0, count).map((f, i) => {
      const index = plan.ruleIndexes[i] ?? 0;
      return resultFor(f, index, plan.rules[index]?.id ?? f.id, plan.key);
    }),
    columnKind: 'utf16CodeUnits',
  };
  if (plan.properties) run.properties = plan.properties;
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/**
 * `JSON.stringify(toSarif(plan, count))` and a newline, the same bytes, in pieces made one
 * rule and one result at a time: for 10,000 findings this skips a 25 MiB object tree and
 * its GC, and the report writer streams them to the file (64 KiB per write). Compact:
 * SARIF is read by tools; indentation would add a third to its size.
 */
export function* sarifChunks(plan: SarifPlan, count = plan.fits): Generator<string> {
  const ruleCount = rulesUsed(plan, count);
  const driver = JSON.stringify(plan.driver);
  yield `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":"2.1.0","runs":[{"tool":{"driver":${driver.slice(0, -1)},"rules":[`;
  for (let i = 0; i < ruleCount; i++) {
    yield (i === 0 ? '' : ',') + ruleText(plan.rules[i] as PlannedRule);
  }
  yield `]}},"automationDetails":${JSON.stringify(plan.automationDetails)},"results":[`;
  for (let i = 0; i < count; i++) {
    const index = plan.ruleIndexes[i] ?? 0;
    const finding = plan.sorted[i] as Finding;
    yield (i === 0 ? '' : ',') +
      resultText(finding, index, plan.rules[index]?.id ?? finding.id, plan.key);
  }
  yield '],"columnKind":"utf16CodeUnits"';
  if (plan.properties) yield `,"properties":${JSON.stringify(plan.properties)}`;
  yield '}]}\n';
}

/** The whole SARIF text (see sarifChunks). */
export function toSarifText(plan: SarifPlan, count = plan.fits): string {
  return [...sarifChunks(plan, count)].join('');
}
