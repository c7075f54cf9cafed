import { createServer, type Server } from 'node:http';
import { buffer } from 'node:stream/consumers';

/**
 * A minimal stand-in for GitHub's artifact "results" service (the twirp protocol that
 * @actions/artifact v2+ speaks, as act's v4 artifact server implements it):
 * CreateArtifact → a signed upload URL → Azure-style block upload → FinalizeArtifact.
 * It keeps what it received, so a test can check the artifact really arrived.
 */
export interface FakeArtifactService {
  readonly url: string;
  /** A JWT whose scope carries the run and job ids, as the runner's token does (unsigned). */
  readonly token: string;
  readonly artifacts: Map<
    string,
    { bytes: Buffer; finalized: boolean; size?: string; hash?: string }
  >;
  close(): Promise<void>;
}

const BASE = '/twirp/github.actions.results.api.v1.ArtifactService';

export const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

type Artifacts = FakeArtifactService['artifacts'];

/** A status, headers and, when there is one, a JSON body. */
interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

const json = (body: unknown): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body,
});

/** The artifact service's three calls over one store of artifacts and their blocks. */
function artifactRoutes(artifacts: Artifacts, base: () => string) {
  const blocks = new Map<string, Buffer[]>();
  return {
    create(data: Buffer): Reply {
      const request = JSON.parse(data.toString()) as { name: string };
      artifacts.set(request.name, { bytes: Buffer.alloc(0), finalized: false });
      blocks.set(request.name, []);
      return json({
        ok: true,
        signedUploadUrl: `${base()}/upload/${encodeURIComponent(request.name)}?sig=fake`,
      });
    },
    /** A block is kept; a block list (or a single-shot put) makes the artifact's bytes. */
    upload(url: URL, data: Buffer): Reply {
      const name = decodeURIComponent(url.pathname.slice('/upload/'.length));
      const comp = url.searchParams.get('comp');
      if (comp === 'block' || comp === 'appendBlock' || comp === null) blocks.get(name)?.push(data);
      const artifact = artifacts.get(name);
      if ((comp === 'blocklist' || comp === null) && artifact)
        artifact.bytes = Buffer.concat(blocks.get(name) ?? []);
      return {
        status: 201,
        headers: { etag: '"fake"', 'last-modified': new Date().toUTCString() },
      };
    },
    finalize(data: Buffer): Reply {
      const request = JSON.parse(data.toString()) as { name: string; size?: string; hash?: string };
      const artifact = artifacts.get(request.name);
      if (!artifact) return { status: 404 };
      Object.assign(artifact, { finalized: true, size: request.size, hash: request.hash });
      return json({ ok: true, artifactId: '4242' });
    },
  };
}

export async function startFakeArtifactService(): Promise<FakeArtifactService> {
  const artifacts: Artifacts = new Map();
  let base = '';
  const routes = artifactRoutes(artifacts, () => base);
  const route = (method: string | undefined, url: URL, data: Buffer): Reply => {
    if (method === 'POST' && url.pathname === `${BASE}/CreateArtifact`) return routes.create(data);
    if (method === 'PUT' && url.pathname.startsWith('/upload/')) return routes.upload(url, data);
    if (method === 'POST' && url.pathname === `${BASE}/FinalizeArtifact`)
      return routes.finalize(data);
    return {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: { code: 'not_found', msg: `${method} ${url.pathname}` },
    };
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const reply = route(req.method, url, await buffer(req));
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
  const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ scp: 'Actions.Results:run-backend-1:job-backend-1' })}.sig`;
  return {
    url: `${base}/`,
    token,
    artifacts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
