/**
 * OCI image conventions that the build and the publish share: what a git ref says about an
 * image (its version, its tags) and the labels every image carries. Labels are part of the
 * image's config, so they are set when it is built: publishing pushes that very image and
 * may not change them.
 */

export type GitRef =
  | { readonly kind: 'branch'; readonly name: string }
  | {
      readonly kind: 'release';
      /** X.Y.Z, or X.Y.Z-pre: the tag without its v. */
      readonly version: string;
      readonly major: number;
      readonly minor: number;
      readonly prerelease: boolean;
    }
  | { readonly kind: 'other'; readonly ref: string };

// Semantic versioning 2.0, with a leading v: v1.2.3, v1.2.3-rc.1, v1.2.3+build.5.
const RELEASE_TAG =
  /^refs\/tags\/v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function parseRef(ref: string): GitRef {
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) {
    return { kind: 'branch', name: ref.slice('refs/heads/'.length) };
  }
  const release = RELEASE_TAG.exec(ref);
  if (release) {
    const [, major, minor, patch, pre] = release;
    return {
      kind: 'release',
      version: `${major}.${minor}.${patch}${pre ?? ''}`,
      major: Number(major),
      minor: Number(minor),
      prerelease: pre !== undefined,
    };
  }
  return { kind: 'other', ref };
}

const SHA = /^[0-9a-f]{40}$/;

/** The first 7 characters of a full commit sha, as `git rev-parse --short` and GitHub show it. */
export function shortSha(sha: string): string {
  if (!SHA.test(sha)) throw new Error(`"${sha}" is not a full commit sha (40 hex digits)`);
  return sha.slice(0, 7);
}

/** The image's version: X.Y.Z for a release tag, else sha-<short> (what a branch build is). */
export function imageVersion(ref: string, sha: string): string {
  const parsed = parseRef(ref);
  return parsed.kind === 'release' ? parsed.version : `sha-${shortSha(sha)}`;
}

export const LABEL = {
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  created: 'org.opencontainers.image.created',
  licenses: 'org.opencontainers.image.licenses',
  version: 'org.opencontainers.image.version',
} as const;

export interface LabelContext {
  /** https://github.com */
  readonly serverUrl: string;
  /** owner/repo; empty when not known (a build outside a workflow). */
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
  readonly created: Date;
  /** An SPDX expression (package.json's license); empty when not known. */
  readonly licenses: string;
}

/**
 * The OCI annotations that docker/metadata-action writes as labels, from the same facts.
 * A value that is not known is left out, not written empty.
 */
export function ociLabels(context: LabelContext): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.revision]: context.sha };
  if (context.repository) {
    labels[LABEL.source] = `${context.serverUrl.replace(/\/+$/, '')}/${context.repository}`;
  }
  labels[LABEL.created] = context.created.toISOString();
  if (context.licenses) labels[LABEL.licenses] = context.licenses;
  if (parseRef(context.ref).kind === 'release' || SHA.test(context.sha)) {
    labels[LABEL.version] = imageVersion(context.ref, context.sha);
  }
  return labels;
}
