import type { TrivyReport } from './report.ts';

/**
 * Where a finding is, as SARIF wants it: a relative reference (RFC 3986 §4.2) under the
 * ROOTPATH base, which GitHub maps to a repository file. Trivy's own writer passes paths
 * through as they are, and three kinds of them are not relative references (the SARIF
 * multitool's SARIF1004 and GitHub's GH1005 catch each):
 *
 * - `testchart.tar.gz:templates/pod.yaml` (a file inside a Helm chart archive) and
 *   `localhost:5000/alpine` read as a URI with the scheme `testchart.tar.gz` / `localhost`;
 * - `/app/client.js` (a file in an image) and `/home/runner/work/_temp/x.tar` are
 *   absolute paths, which never combine with a base.
 *
 * So: backslashes become slashes, leading `./` and `/` go, and each segment is
 * percent-encoded where RFC 3986 requires it (a colon only in the first segment, where it
 * would start a scheme).
 */
export function relativeUri(path: string): string {
  const clean = path
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/^\/+/, '');
  return clean
    .split('/')
    .map((segment, i) => encodeSegment(segment, i === 0))
    .join('/');
}

/** RFC 3986 pchar keeps sub-delims, ":" and "@" as they are; encodeURIComponent does not. */
const KEPT = /%(?:24|26|2B|2C|3B|3D|40)/g;

function encodeSegment(segment: string, first: boolean): string {
  const encoded = encodeURIComponent(segment).replace(KEPT, (m) => decodeURIComponent(m));
  return first ? encoded : encoded.replace(/%3A/g, ':');
}

const ARCHIVE = /\.(?:tar|tar\.gz|tgz)$/i;

/** `a/b/backend-demo.tar` → `backend-demo.tar`. */
export function baseName(path: string): string {
  const clean = path.replace(/\\/g, '/').replace(/\/+$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1);
}

/** True for an image given as a `docker save` archive or a path, not a reference. */
export function isArchivePath(name: string): boolean {
  return ARCHIVE.test(name) || /^(?:\/|\.\.?\/|[A-Za-z]:[\\/])/.test(name);
}

/**
 * An image reference's repository path, without registry, tag or digest, as Trivy maps an
 * image to a location (pkg/report/sarif.go ToPathUri, less Docker Hub's implied
 * `library/`): `localhost:53869/alpine:3.10` → `alpine`, `ghcr.io/acme/api:1.2` →
 * `acme/api`, `backend-demo:dev` → `backend-demo`.
 */
export function repositoryPath(ref: string): string {
  let path = ref.replace(/@sha256:[0-9a-f]+$/i, '');
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) path = path.slice(0, colon);
  const [first = '', ...rest] = path.split('/');
  // Docker's grammar: a first component with a dot or a port, or localhost, is a registry.
  if (rest.length > 0 && (/[.:]/.test(first) || first === 'localhost')) return rest.join('/');
  return path;
}

/**
 * The name an image report's OS packages are located at: the archive's file name for a
 * `docker save` archive (its path lies under runner.temp, which changes), else the
 * repository path. Undefined for reports that are not of an image.
 */
export function imageName(report: Pick<TrivyReport, 'ArtifactName' | 'ArtifactType'>) {
  if (report.ArtifactType !== 'container_image') return undefined;
  const name = report.ArtifactName;
  return isArchivePath(name) ? baseName(name) : repositoryPath(name);
}
