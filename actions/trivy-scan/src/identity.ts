import type { ScanTarget } from './args.ts';
import type { TrivyReport } from './report.ts';
import { baseName, isArchivePath, repositoryPath } from './uri.ts';

/**
 * What a target is called wherever the action names it, decided once per run: its file
 * names, its SARIF category (`runs[].automationDetails.id`, which codeql-action uses in
 * place of its own `category:` input) and its fingerprints. Made from what the target
 * is, never from where its files lie: an archive under runner.temp or a report copied
 * elsewhere keeps its name, so code scanning keeps one analysis per target.
 */
export interface TargetIdentity {
  /** `backend-demo`: lower case, `[a-z0-9.-]`. */
  readonly key: string;
  /** `trivy-backend-demo`: the SARIF category. */
  readonly category: string;
  readonly sarifFile: string;
  readonly tableFile: string;
  readonly jsonFile: string;
}

export function identity(key: string): TargetIdentity {
  const category = `trivy-${key}`;
  return {
    key,
    category,
    sarifFile: `${category}.sarif`,
    tableFile: `${category}-report.txt`,
    jsonFile: `${category}.json`,
  };
}

/** `Backend Demo:dev` → `backend-demo-dev`. */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'target'
  );
}

const ARCHIVE_EXT = /\.(?:tar|tar\.gz|tgz)$/i;

/** An image reference's names, shortest first: `ghcr.io/acme/api:1.2` → acme/api, acme/api-1.2, the whole. */
function imageRefNames(ref: string): string[] {
  const repo = repositoryPath(ref);
  const tag = /:([^/:@]+)$/.exec(ref.replace(/@sha256:[0-9a-f]+$/i, ''))?.[1];
  return [repo, ...(tag ? [`${repo}-${tag}`] : []), ref];
}

/**
 * Names for a target the action scans, best first (the next ones tell two targets apart
 * when the first is taken): a `docker save` archive is its file name, an image its
 * repository, the repository's config scan `config`.
 */
export function scanTargetNames(target: ScanTarget): string[] {
  switch (target.kind) {
    case 'archive':
      return [baseName(target.path).replace(ARCHIVE_EXT, '')];
    case 'image':
      return imageRefNames(target.ref);
    default:
      return ['config'];
  }
}

/**
 * Names for an existing report, from what it says it scanned (ArtifactName), not from
 * its path: an image archive's file name, an image's repository, a directory's name; the
 * report's own file name only when the scan was of `.`.
 */
export function reportNames(
  report: Pick<TrivyReport, 'ArtifactName' | 'ArtifactType'>,
  fileName: string,
): string[] {
  const artifact = report.ArtifactName;
  if (report.ArtifactType === 'container_image' && !isArchivePath(artifact)) {
    return imageRefNames(artifact);
  }
  const name = baseName(artifact)
    .replace(ARCHIVE_EXT, '')
    .replace(/\.(?:json|cdx|spdx)$/i, '');
  if (name !== '' && name !== '.' && name !== '..') return [name];
  return [
    baseName(fileName)
      .replace(/\.json$/i, '')
      .replace(/^trivy-/, ''),
  ];
}

export interface Candidate {
  /** The target as the user named it, for messages. */
  readonly name: string;
  readonly names: readonly string[];
}

export class DuplicateTargetError extends Error {
  override name = 'DuplicateTargetError';
}

/**
 * One key per target, unique within the run: each takes its first name; where two collide,
 * each that has a next name moves to it; two that run out of names are the same target
 * twice, which is refused (codeql-action rejects two runs with one category in an upload,
 * and separate uploads would replace each other).
 */
export function assignKeys(candidates: readonly Candidate[]): string[] {
  const depth = candidates.map(() => 0);
  const keyOf = (i: number) => {
    const names = candidates[i]?.names ?? [];
    return slugify(names[Math.min(depth[i] ?? 0, names.length - 1)] ?? '');
  };
  for (;;) {
    const groups = new Map<string, number[]>();
    candidates.forEach((_, i) => {
      const key = keyOf(i);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const clashes = [...groups].filter(([, members]) => members.length > 1);
    if (clashes.length === 0) return candidates.map((_, i) => keyOf(i));
    for (const [key, members] of clashes) {
      const movable = members.filter(
        (i) => (depth[i] ?? 0) < (candidates[i]?.names.length ?? 0) - 1,
      );
      if (movable.length === 0) {
        const [a, b] = members.map((i) => candidates[i]?.name);
        throw new DuplicateTargetError(
          `${a} and ${b} are both ${key} (SARIF category trivy-${key}); code scanning keeps one analysis per category, and codeql-action refuses two in one upload: give one report per target`,
        );
      }
      for (const i of movable) depth[i] = (depth[i] ?? 0) + 1;
    }
  }
}
