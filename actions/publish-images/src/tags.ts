import { parseRef, shortSha } from '../../shared/src/oci.ts';

/**
 * The tags a push of `ref` gets, as docker/metadata-action's `type=sha`, `type=ref,event=branch`
 * and `type=semver` give them: sha-<short> always; the branch name on a branch; X.Y.Z, X.Y and
 * latest on a vX.Y.Z tag (only X.Y.Z-pre on a pre-release, which must never become latest).
 * Any other ref (a pull request's, a tag that is no version) publishes nothing.
 */
export function publishTags(ref: string, sha: string): string[] {
  const sha7 = `sha-${shortSha(sha)}`;
  const parsed = parseRef(ref);
  switch (parsed.kind) {
    case 'branch':
      return [sha7, branchTag(parsed.name)];
    case 'release':
      return parsed.prerelease
        ? [sha7, parsed.version]
        : [sha7, parsed.version, `${parsed.major}.${parsed.minor}`, 'latest'];
    default:
      throw new Error(
        `publish-images pushes from a branch (refs/heads/…) or a vX.Y.Z tag, not from "${ref}"`,
      );
  }
}

/** A branch name as a Docker tag: / and other characters a tag cannot hold become -. */
function branchTag(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
}

/**
 * Where a service's image goes: <registry>/<owner>/<repo>/<service>, lower case, since a
 * repository path may not hold upper case letters while GitHub owners often do.
 */
export function imageRepository(registry: string, repository: string, service: string): string {
  return `${registry}/${repository}/${service}`.toLowerCase();
}
