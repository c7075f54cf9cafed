import {
  getBoolean,
  getList,
  getString,
  InputError,
  type InputSource,
} from '../../shared/src/inputs.ts';
import { isSeverity, SEVERITIES, type Severity } from './severity.ts';
import { CODE_SCANNING_MODES, type CodeScanningMode } from './upload.ts';

/** An existing report, with the input that named it (`report` or `reports`), for messages. */
export interface ReportInput {
  readonly input: 'report' | 'reports';
  readonly path: string;
}

/** Every input of action.yml, parsed once into a frozen, typed object. */
export interface Inputs {
  /** Images to scan: references in the local Docker engine or registry, or `.tar` archives. */
  readonly images: readonly string[];
  readonly scanConfig: boolean;
  /** Directory the config scan covers, relative to the repository root. */
  readonly configPath: string;
  /** Existing Trivy JSON reports to process instead of scanning. */
  readonly reports: readonly ReportInput[];
  readonly severities: readonly Severity[];
  readonly ignoreUnfixed: boolean;
  /** Ignore file to apply (the default may be absent; then nothing is ignored). */
  readonly ignoreFile: string;
  /** True when the user named the ignore file (then a missing file is an error). */
  readonly ignoreFileExplicit: boolean;
  readonly failOnFindings: boolean;
  readonly reportsDir: string;
  /** Scanners for image scans; undefined = vuln,secret,misconfig (or misconfig,secret offline). */
  readonly scanners: readonly Scanner[] | undefined;
  readonly trivyVersion: string;
  readonly trivySha256: string | undefined;
  readonly trivyPath: string | undefined;
  readonly downloadBase: string;
  readonly skipDbUpdate: boolean;
  readonly dbRepositories: readonly string[];
  readonly javaDbRepositories: readonly string[];
  readonly cacheDb: boolean;
  readonly cacheDir: string | undefined;
  readonly annotate: boolean;
  /** auto: upload unless a fork PR or a private repository without code scanning. */
  readonly codeScanning: CodeScanningMode;
  /** Token for the code-scanning question (private repositories, auto mode only). */
  readonly githubToken: string | undefined;
}

export const SCANNERS = ['vuln', 'misconfig', 'secret', 'license'] as const;
export type Scanner = (typeof SCANNERS)[number];

export const DEFAULTS = Object.freeze({
  severity: 'HIGH,CRITICAL',
  ignoreFile: 'security/.trivyignore.yaml',
  reportsDir: 'security/reports',
  configPath: '.',
  trivyVersion: 'v0.74.0',
  downloadBase: 'https://github.com/aquasecurity/trivy/releases/download',
  // Mirror first: ghcr.io rate-limits anonymous pulls. Trivy takes a comma-separated list
  // in priority order ("OCI repository(ies) to retrieve trivy-db in order of priority",
  // pkg/flag/db_flags.go) and adds the DB schema tag itself when none is given, so an
  // untagged name keeps working when trivy-version moves to a new schema.
  dbRepository: 'mirror.gcr.io/aquasec/trivy-db,ghcr.io/aquasecurity/trivy-db',
  javaDbRepository: 'mirror.gcr.io/aquasec/trivy-java-db,ghcr.io/aquasecurity/trivy-java-db',
});

function severities(source: InputSource): Severity[] {
  const raw = getString(source, 'severity', { default: DEFAULTS.severity });
  const list = raw
    .split(/[\n,]/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  const unknown = list.filter((s) => !isSeverity(s));
  if (list.length === 0 || unknown.length > 0) {
    throw new InputError(
      'severity',
      raw,
      `a comma-separated list of ${SEVERITIES.join(', ')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }
  return SEVERITIES.filter((s) => list.includes(s));
}

function scanners(source: InputSource): Scanner[] | undefined {
  const list = getList(source, 'scanners');
  if (list.length === 0) return undefined;
  const bad = list.filter((s) => !(SCANNERS as readonly string[]).includes(s));
  if (bad.length > 0) {
    throw new InputError('scanners', list.join(','), `a list of ${SCANNERS.join(', ')}`);
  }
  return list as Scanner[];
}

function codeScanning(source: InputSource): CodeScanningMode {
  const value = getString(source, 'code-scanning', { default: 'auto' }).toLowerCase();
  if (!(CODE_SCANNING_MODES as readonly string[]).includes(value)) {
    throw new InputError('code-scanning', value, CODE_SCANNING_MODES.join(', '));
  }
  return value as CodeScanningMode;
}

/** What to scan: images and/or the config, or existing reports; one of the two, not both. */
function scanTargets(source: InputSource): {
  images: string[];
  reports: ReportInput[];
  scanConfig: boolean;
} {
  const images = getList(source, 'images');
  const reports: ReportInput[] = [
    ...getList(source, 'report').map((path) => ({ input: 'report' as const, path })),
    ...getList(source, 'reports').map((path) => ({ input: 'reports' as const, path })),
  ];
  const scanConfig = getBoolean(source, 'scan-config', false);
  if (reports.length > 0 && (images.length > 0 || scanConfig)) {
    throw new InputError(
      reports[0]?.input ?? 'reports',
      reports.map((r) => r.path).join(','),
      'either existing reports or images/scan-config to scan, not both',
    );
  }
  if (reports.length === 0 && images.length === 0 && !scanConfig) {
    throw new InputError(
      'images',
      '',
      'at least one image, scan-config: true, or existing Trivy JSON reports in "reports"',
    );
  }
  return { images, reports, scanConfig };
}

function pinnedTrivyVersion(source: InputSource): string {
  const version = getString(source, 'trivy-version', { default: DEFAULTS.trivyVersion });
  if (!/^v?\d+\.\d+\.\d+$/.test(version)) {
    throw new InputError(
      'trivy-version',
      version,
      'a pinned release such as v0.74.0 (moving tags like "latest" are refused)',
    );
  }
  return version;
}

function trivySha256Of(source: InputSource): string | undefined {
  const sha = getString(source, 'trivy-sha256').toLowerCase() || undefined;
  if (sha !== undefined && !/^[0-9a-f]{64}$/.test(sha)) {
    throw new InputError('trivy-sha256', sha, 'a sha256 of 64 hex digits');
  }
  return sha;
}

export function parseInputs(
  source: InputSource,
  env: Readonly<Record<string, string | undefined>> = {},
): Inputs {
  const { images, reports, scanConfig } = scanTargets(source);
  const trivyVersion = pinnedTrivyVersion(source);
  const trivySha256 = trivySha256Of(source);
  const explicitIgnore = getString(source, 'ignore-file');
  const downloadBase = getString(source, 'download-base', {
    default: env.TRIVY_DOWNLOAD_BASE || DEFAULTS.downloadBase,
  });
  if (!/^https?:\/\//.test(downloadBase)) {
    throw new InputError('download-base', downloadBase, 'an http(s) URL');
  }
  const repositories = (name: string, fallback: string) => {
    const list = getList(source, name);
    return list.length > 0 ? list : fallback.split(',');
  };
  return Object.freeze({
    images: Object.freeze(images),
    scanConfig,
    configPath: getString(source, 'config-path', { default: DEFAULTS.configPath }),
    reports: Object.freeze(reports.map((r) => Object.freeze(r))),
    severities: Object.freeze(severities(source)),
    ignoreUnfixed: getBoolean(source, 'ignore-unfixed', false),
    ignoreFile: explicitIgnore || DEFAULTS.ignoreFile,
    ignoreFileExplicit: explicitIgnore !== '',
    failOnFindings: getBoolean(source, 'fail-on-findings', true),
    reportsDir: getString(source, 'reports-dir', { default: DEFAULTS.reportsDir }),
    scanners: scanners(source),
    trivyVersion: trivyVersion.startsWith('v') ? trivyVersion : `v${trivyVersion}`,
    trivySha256,
    trivyPath: getString(source, 'trivy-path') || undefined,
    downloadBase: downloadBase.replace(/\/+$/, ''),
    skipDbUpdate: getBoolean(source, 'skip-db-update', false),
    dbRepositories: Object.freeze(repositories('db-repository', DEFAULTS.dbRepository)),
    javaDbRepositories: Object.freeze(
      repositories('java-db-repository', DEFAULTS.javaDbRepository),
    ),
    cacheDb: getBoolean(source, 'cache-db', true),
    cacheDir: getString(source, 'cache-dir') || undefined,
    annotate: getBoolean(source, 'annotate', true),
    codeScanning: codeScanning(source),
    githubToken: getString(source, 'github-token') || undefined,
  });
}
