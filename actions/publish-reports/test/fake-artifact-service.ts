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

export async function startFakeArtifactService(): Promise<FakeArtifactService> {
  const artifacts: FakeArtifactService['artifacts'] = new Map();
  const blocks = new Map<string, Buffer[]>();
  let base = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const data = await buffer(req);
    const json = (value: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && url.pathname === `${BASE}/CreateArtifact`) {
      const request = JSON.parse(data.toString()) as { name: string };
      artifacts.set(request.name, { bytes: Buffer.alloc(0), finalized: false });
      blocks.set(request.name, []);
      return json({
        ok: true,
        signedUploadUrl: `${base}/upload/${encodeURIComponent(request.name)}?sig=fake`,
      });
    }
    if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
      const name = decodeURIComponent(url.pathname.slice('/upload/'.length));
      const comp = url.searchParams.get('comp');
      if (comp === 'block' || comp === 'appendBlock' || comp === null) blocks.get(name)?.push(data);
      if (comp === 'blocklist' || comp === null) {
        const artifact = artifacts.get(name);
        if (artifact) artifact.bytes = Buffer.concat(blocks.get(name) ?? []);
      }
      res.writeHead(201, { etag: '"fake"', 'last-modified': new Date().toUTCString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === `${BASE}/FinalizeArtifact`) {
      const request = JSON.parse(data.toString()) as { name: string; size?: string; hash?: string };
      const artifact = artifacts.get(request.name);
      if (!artifact) {
        res.writeHead(404);
        return res.end();
      }
      Object.assign(artifact, { finalized: true, size: request.size, hash: request.hash });
      return json({ ok: true, artifactId: '4242' });
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'not_found', msg: `${req.method} ${url.pathname}` }));
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
