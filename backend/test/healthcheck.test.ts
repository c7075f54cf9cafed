import { execFile } from 'node:child_process';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The container HEALTHCHECK probe, run as Docker runs it (a process of its own, PORT from
 * the environment), against real HTTP servers on free ports.
 */
const PROBE = fileURLToPath(new URL('../src/healthcheck.cts', import.meta.url));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function serve(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function probe(port: number): Promise<{ code: number | null; ms: number }> {
  const start = performance.now();
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', PROBE],
      { env: { ...process.env, PORT: String(port) }, timeout: 10_000 },
      () => done({ code: child.exitCode, ms: performance.now() - start }),
    );
  });
}

describe('healthcheck probe', () => {
  it.each([
    { answer: '200 on /healthz', status: 200, path: '/healthz', healthy: true },
    { answer: '503 on /healthz', status: 503, path: '/healthz', healthy: false },
    { answer: '500 on /healthz', status: 500, path: '/healthz', healthy: false },
    { answer: '200 only on another path', status: 200, path: '/other', healthy: false },
  ])('$answer: healthy $healthy', async ({ status, path, healthy }) => {
    const port = await serve((req, res) => {
      res.statusCode = req.url === path ? status : 404;
      res.end();
    });
    expect((await probe(port)).code).toBe(healthy ? 0 : 1);
  });

  it('exits 1 when nothing listens on PORT', async () => {
    expect((await probe(await closedPort())).code).toBe(1);
  });

  it('exits 1 after 2 s when the server accepts but never answers', async () => {
    const port = await serve(() => {}); // holds every request open
    const { code, ms } = await probe(port);
    expect(code).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(2000);
  });
});
