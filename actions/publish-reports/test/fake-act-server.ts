import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { b64url } from './fake-artifact-service.ts';

/**
 * act v0.2.89's v4 artifact server (pkg/artifacts/artifacts_v4.go), reduced to the checks
 * that decide whether an upload gets through:
 * - CreateArtifact/FinalizeArtifact bodies are decoded strictly: a field act's protobuf does
 *   not have (mime_type) is a 500, as protojson.Unmarshal makes it;
 * - the signed upload URL carries a padded base64url HMAC in `sig`; act decodes it with
 *   the strict base64.URLEncoding, so anything but the exact string it issued is a 401;
 * - comp=block/appendBlock append the body to <run>/<name>/<name>.zip, comp=blocklist is a
 *   no-op, FinalizeArtifact answers an id.
 * `acceptUnknownFields` plays an act with the mime_type half of nektos/act#6115 applied.
 */
export interface FakeActServer {
  readonly url: string;
  readonly token: string;
  /** <run>/<name>/<name>.zip → bytes, as act lays them out on disk. */
  readonly files: Map<string, Buffer>;
  readonly requests: { method: string; path: string; query: string; authorization?: string }[];
  readonly finalized: Record<string, unknown>[];
  /** The signed upload URLs CreateArtifact answered. */
  readonly issued: string[];
  close(): Promise<void>;
}

const BASE = '/twirp/github.actions.results.api.v1.ArtifactService';
const KNOWN = {
  CreateArtifact: [
    'workflow_run_backend_id',
    'workflow_job_run_backend_id',
    'name',
    'expires_at',
    'version',
  ],
  FinalizeArtifact: [
    'workflow_run_backend_id',
    'workflow_job_run_backend_id',
    'name',
    'size',
    'hash',
  ],
} as const;

/** A status and, when there is one, a JSON body. */
interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

/** Go's base64.URLEncoding: URL alphabet, with = padding. */
const paddedBase64Url = (bytes: Buffer) =>
  bytes.toString('base64').replaceAll('+', '-').replaceAll('/', '_');

export async function startFakeActServer(
  options: { acceptUnknownFields?: boolean } = {},
): Promise<FakeActServer> {
  const files = new Map<string, Buffer>();
  const requests: FakeActServer['requests'] = [];
  const finalized: Record<string, unknown>[] = [];
  const issued: string[] = [];
  let host = '';
  const signature = (expires: string, name: string, run: string) =>
    paddedBase64Url(
      createHmac('sha256', Buffer.from([0xba, 0xdb, 0xee, 0xf0]))
        .update(`UploadArtifact${expires}${name}${run}`)
        .digest(),
    );

  const createArtifact = (request: Record<string, unknown>): Reply => {
    const run = String(request.workflow_run_backend_id);
    const name = String(request.name);
    files.set(`${run}/${name}/${name}.zip`, Buffer.alloc(0));
    // Go's time format "2006-01-02 15:04:05.999999999 -0700 MST", query-escaped: + and %2B.
    const expires = `${new Date(Date.now() + 3_600_000).toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC`;
    const query = new URLSearchParams({ expires, artifactName: name, taskID: run });
    const signedUploadUrl = `http://${host}${BASE}/UploadArtifact?sig=${signature(expires, name, run)}&${query}`;
    issued.push(signedUploadUrl);
    return { status: 200, body: { ok: true, signedUploadUrl } };
  };
  /** CreateArtifact and FinalizeArtifact, with act's strict decoding of the body. */
  const twirp = (method: keyof typeof KNOWN, data: Buffer): Reply => {
    const request = JSON.parse(data.toString()) as Record<string, unknown>;
    const known: readonly string[] = KNOWN[method];
    if (!options.acceptUnknownFields && Object.keys(request).some((k) => !known.includes(k)))
      return { status: 500 }; // "Error decode request body: ... unknown field"
    if (method === 'CreateArtifact') return createArtifact(request);
    finalized.push(request);
    return { status: 200, body: { ok: true, artifactId: '1226083698' } };
  };
  /** A PUT to the signed URL: refused unless signed as issued; blocks appended to the zip. */
  const upload = (q: URLSearchParams, data: Buffer): Reply => {
    const name = q.get('artifactName') ?? '';
    const run = q.get('taskID') ?? '';
    if (q.get('sig') !== signature(q.get('expires') ?? '', name, run)) return { status: 401 }; // "Error unauthorized"
    const comp = q.get('comp');
    const key = `${run}/${name}/${name}.zip`;
    const appends = comp === 'block' || comp === 'appendBlock';
    if (appends) files.set(key, Buffer.concat([files.get(key) ?? Buffer.alloc(0), data]));
    return { status: appends || comp === 'blocklist' ? 201 : 200 };
  };
  const route = (httpMethod: string | undefined, url: URL, data: Buffer): Reply => {
    const method = url.pathname.slice(BASE.length + 1);
    if (httpMethod === 'POST' && Object.hasOwn(KNOWN, method))
      return twirp(method as keyof typeof KNOWN, data);
    if (httpMethod === 'PUT' && method === 'UploadArtifact') return upload(url.searchParams, data);
    return { status: 404 };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const data = await buffer(req);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const { status, body } = route(req.method, url, data);
    res.writeHead(status, body ? { 'content-type': 'application/json;charset=utf-8' } : {});
    res.end(body ? JSON.stringify(body) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // As common.CreateAuthorizationToken makes it: run, job and task ids all the run id.
  const token = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ scp: 'Actions.Results:1:1', TaskID: 1, RunID: 1, JobID: 1 })}.sig`;
  return {
    url: `http://${host}/`,
    token,
    files,
    requests,
    finalized,
    issued,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
