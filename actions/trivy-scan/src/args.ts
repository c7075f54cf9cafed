import type { Scanner } from './inputs.ts';

/**
 * Trivy command lines, built as pure data (tested as a table of input → argv).
 * One run per target, JSON only, every severity, exit code 0: every other format and
 * the gate are made from that JSON by the action.
 */
export type ScanTarget =
  | { readonly kind: 'image'; readonly ref: string }
  | { readonly kind: 'archive'; readonly path: string }
  | { readonly kind: 'config'; readonly dir: string };

export interface ScanArgsOptions {
  readonly output: string;
  readonly scanners: readonly Scanner[];
  readonly ignoreFile?: string;
  readonly cacheDir?: string;
  readonly skipDbUpdate: boolean;
  readonly dbRepositories: readonly string[];
  readonly javaDbRepositories: readonly string[];
  /** Directories the config scan skips (dependencies, our own reports). */
  readonly skipDirs?: readonly string[];
}

/** An `images` entry ending in .tar/.tar.gz is a `docker save` archive (`--input`). */
export function toScanTarget(image: string): ScanTarget {
  return /\.tar(\.gz)?$/i.test(image)
    ? { kind: 'archive', path: image }
    : { kind: 'image', ref: image };
}

export function targetName(target: ScanTarget): string {
  switch (target.kind) {
    case 'image':
      return target.ref;
    case 'archive':
      return target.path;
    default:
      return 'config';
  }
}

export function scanArgs(target: ScanTarget, options: ScanArgsOptions): string[] {
  const common = [
    '--format',
    'json',
    '--output',
    options.output,
    '--exit-code',
    '0',
    '--scanners',
    options.scanners.join(','),
    '--no-progress',
  ];
  if (options.cacheDir) common.push('--cache-dir', options.cacheDir);
  // Offline: do not try to fetch the misconfiguration checks bundle (Trivy falls back to
  // its embedded checks after a failed pull) nor the version notice.
  if (options.skipDbUpdate) common.push('--skip-check-update', '--skip-version-check');
  // --show-suppressed: what the ignore file hid stays in the JSON (ExperimentalModifiedFindings),
  // so the summary lists it with its reason and unused entries can be told apart.
  if (options.ignoreFile) common.push('--ignorefile', options.ignoreFile, '--show-suppressed');
  if (target.kind === 'config') {
    const skip = (options.skipDirs ?? []).flatMap((dir) => ['--skip-dirs', dir]);
    return ['fs', ...common, ...skip, target.dir];
  }
  const db = options.scanners.includes('vuln')
    ? options.skipDbUpdate
      ? ['--skip-db-update', '--skip-java-db-update']
      : [
          '--db-repository',
          options.dbRepositories.join(','),
          '--java-db-repository',
          options.javaDbRepositories.join(','),
        ]
    : [];
  return target.kind === 'image'
    ? ['image', ...common, ...db, target.ref]
    : ['image', ...common, ...db, '--input', target.path];
}

/**
 * Scanners for image scans. Without a vulnerability DB (offline, nothing cached) the
 * vuln scanner cannot run; the caller says so in the summary.
 */
export function imageScanners(
  requested: readonly Scanner[] | undefined,
  dbAvailable: boolean,
): { scanners: Scanner[]; vulnSkipped: boolean } {
  const wanted: Scanner[] = requested ? [...requested] : ['vuln', 'secret', 'misconfig'];
  if (dbAvailable || !wanted.includes('vuln')) return { scanners: wanted, vulnSkipped: false };
  return { scanners: wanted.filter((s) => s !== 'vuln'), vulnSkipped: true };
}
