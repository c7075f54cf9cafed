import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { ArtifactUploader } from './artifact-uploader.ts';
import { type ZipEntry, zipArchive } from './zip.ts';

/**
 * The upload used only under act (ACT=true), against act's own v4 artifact server: the same
 * "results" protocol as @actions/artifact (CreateArtifact, block upload to the signed URL,
 * FinalizeArtifact), the same zip, stored by act where upload-artifact@v4's would be
 * (<artifact-server-path>/<run id>/<name>/<name>.zip), so download-artifact works on it.
 *
 * Why not @actions/artifact itself: act v0.2.89 (pkg/artifacts/artifacts_v4.go) refuses it
 * twice. (1) CreateArtifact is decoded with a strict protojson.Unmarshal that rejects the
 * `mime_type` field @actions/artifact >= 6.2 sends (nektos/act#6022). (2) The blob upload
 * goes through @azure/storage-blob, whose @azure/core-client re-serializes the signed URL
 * to add comp=block&blockid=... and splits each query pair with split('=', 2), dropping the
 * trailing '=' of act's padded base64url `sig`; act decodes it with the strict
 * base64.URLEncoding, ignores the error and answers 401 "Error unauthorized"
 * (nektos/act#6021, #6114). Here the request omits mime_type and the signed URL is only
 * ever appended to, never parsed and rebuilt.
 */

const SERVICE = 'twirp/github.actions.results.api.v1.ArtifactService';

export type Fetch = typeof fetch;

/** The run and job ids from the token's `Actions.Results:<run>:<job>` scope, as @actions/artifact reads them. */
export function backendIds(token: string): { run: string; job: string } {
  const payload = token.split('.')[1];
  let scp: unknown;
  try {
    scp = (
      JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { scp?: unknown }
    ).scp;
  } catch {
    throw new Error('ACTIONS_RUNTIME_TOKEN is not a JWT');
  }
  for (const scope of typeof scp === 'string' ? scp.split(' ') : []) {
    const [kind, run, job] = scope.split(':');
    if (kind === 'Actions.Results' && run && job) return { run, job };
  }
  throw new Error('ACTIONS_RUNTIME_TOKEN has no Actions.Results:<run>:<job> scope');
}

/** `url` with `query` added at the end, the rest of it byte for byte (the signature covers it). */
export function appendQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** Zip entries for `files` named relative to `root`, / separated. */
async function entriesOf(files: readonly string[], root: string): Promise<ZipEntry[]> {
  return Promise.all(
    files.map(async (file) => {
      const name = relative(root, file).split(sep).join('/');
      if (name === '' || name.startsWith('../'))
        throw new Error(`${file} is not under the root directory ${root}`);
      const [data, info] = await Promise.all([readFile(file), stat(file)]);
      return { name, data, modified: info.mtime };
    }),
  );
}

export function createActArtifactUploader(
  env: NodeJS.ProcessEnv,
  http: Fetch = fetch,
): ArtifactUploader {
  return {
    async upload(name, files, rootDirectory, options) {
      const base = env.ACTIONS_RESULTS_URL;
      const token = env.ACTIONS_RUNTIME_TOKEN;
      if (!base || !token)
        throw new Error(
          'Under act, ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN come from its artifact server: run act with --artifact-server-path <dir>',
        );
      const ids = backendIds(token);
      const twirp = async (method: string, body: object): Promise<Record<string, unknown>> => {
        const response = await http(`${base.replace(/\/?$/, '/')}${SERVICE}/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            workflow_run_backend_id: ids.run,
            workflow_job_run_backend_id: ids.job,
            name,
            ...body,
          }),
        });
        // act answers errors with an empty body; its own log says why.
        if (!response.ok)
          throw new Error(`${method}: HTTP ${response.status} from act's artifact server`);
        return (await response.json()) as Record<string, unknown>;
      };
      const put = async (url: string, body: Buffer | string, what: string) => {
        const response = await http(url, { method: 'PUT', body });
        if (!response.ok)
          throw new Error(`${what}: HTTP ${response.status} from act's artifact server`);
      };

      const zip = await zipArchive(await entriesOf(files, rootDirectory), options.compressionLevel);
      const digest = createHash('sha256').update(zip).digest('hex');
      // retention-days is not sent: act keeps artifacts until its directory is cleaned.
      const created = await twirp('CreateArtifact', { version: 4 });
      const signed = created.signedUploadUrl ?? created.signed_upload_url;
      if (typeof signed !== 'string' || created.ok === false)
        throw new Error('CreateArtifact: no signed upload URL in the answer');
      // One block, then the block list: the calls @azure/storage-blob makes for a small zip.
      const block = Buffer.from(randomUUID()).toString('base64');
      await put(
        appendQuery(signed, `comp=block&blockid=${encodeURIComponent(block)}`),
        zip,
        'Upload',
      );
      await put(
        appendQuery(signed, 'comp=blocklist'),
        `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${block}</Latest></BlockList>`,
        'Upload (block list)',
      );
      const finalized = await twirp('FinalizeArtifact', {
        size: String(zip.length),
        hash: `sha256:${digest}`,
      });
      const id = Number(finalized.artifactId ?? finalized.artifact_id);
      return { ...(Number.isFinite(id) ? { id } : {}), size: zip.length, digest };
    },
  };
}
