import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackendProcess, startBackend } from '../../test/support/backend.ts';
import { stopAll } from '../../test/support/process.ts';
import { describeWithTools } from '../../test/support/tools.ts';
import { type RunningNginx, renderNginxConfig, startNginx } from './nginx-config.ts';

const run = promisify(execFile);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain GET with exactly the headers given (fetch would add Accept-Encoding itself). */
function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(reply: Reply): void {
  const csp = reply.headers['content-security-policy'];
  expect(typeof csp, 'exactly one Content-Security-Policy').toBe('string');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(reply.headers['x-frame-options']).toBe('DENY');
  expect(reply.headers['referrer-policy']).toBe('no-referrer');
  // server_tokens off: the name, never the version.
  expect(reply.headers.server).toBe('nginx');
}

describeWithTools(['nginx'], 'frontend nginx config', () => {
  it('passes nginx -t', async () => {
    const config = await renderNginxConfig({
      port: 18080,
      statusPort: 18081,
      backendHost: '127.0.0.1',
      backendPort: 5000,
    });
    try {
      const { stderr } = await run('nginx', ['-t', '-c', config.confPath]);
      expect(stderr).toContain('syntax is ok');
      expect(stderr).toContain('test is successful');
    } finally {
      await config.remove();
    }
  });

  describe('serving the page and proxying /api/ to a real backend', () => {
    let backend: BackendProcess;
    let nginx: RunningNginx;

    beforeAll(async () => {
      backend = await startBackend();
      nginx = await startNginx({ port: backend.port });
    });

    afterAll(async () => {
      await nginx?.stop();
      await backend?.stop();
      await stopAll();
    });

    it('serves the page, revalidated on every load, with the security headers', async () => {
      const reply = await get(`${nginx.url}/`);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
      expect(reply.headers['cache-control']).toBe('no-cache');
      expect(reply.body.toString()).toContain('<noscript>');
      expectSecurityHeaders(reply);
    });

    it.each([
      ['/app.js', /^application\/javascript/],
      ['/status.js', /^application\/javascript/],
      ['/style.css', /^text\/css/],
    ])('serves %s cached for an hour, gzipped when asked', async (path, type) => {
      const plain = await get(`${nginx.url}${path}`);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toMatch(type);
      expect(plain.headers['cache-control']).toBe('max-age=3600');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expectSecurityHeaders(plain);

      const zipped = await get(`${nginx.url}${path}`, { 'Accept-Encoding': 'gzip' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toContain('Accept-Encoding');
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    });

    it('serves the icon (too small to be worth gzip) cached for an hour', async () => {
      const reply = await get(`${nginx.url}/favicon.svg`, { 'Accept-Encoding': 'gzip' });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('image/svg+xml');
      expect(reply.headers['cache-control']).toBe('max-age=3600');
      expectSecurityHeaders(reply);
    });

    it('proxies /api/status to the backend, with its headers replaced by nginx', async () => {
      const reply = await get(`${nginx.url}/api/status`);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.headers['cache-control']).toBe('no-store');
      const body = JSON.parse(reply.body.toString());
      expect(body).toMatchObject({ service: 'backend', status: 'ok' });
      expectSecurityHeaders(reply);
    });

    it('answers /healthz itself', async () => {
      const reply = await get(`${nginx.url}/healthz`);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body.toString())).toEqual({ status: 'ok' });
      expectSecurityHeaders(reply);
    });

    it.each(['/nope', '/nginx_status', '/index.htm'])('answers 404 for %s', async (path) => {
      const reply = await get(`${nginx.url}${path}`);
      expect(reply.status).toBe(404);
      expect(reply.body.toString()).not.toMatch(/nginx\/\d/);
      expectSecurityHeaders(reply);
    });

    it('serves stub_status on its own port', async () => {
      const reply = await get(`${nginx.statusUrl}/nginx_status`);
      expect(reply.status).toBe(200);
      expect(reply.body.toString()).toMatch(/^Active connections: \d+/);
      expect((await get(`${nginx.statusUrl}/`)).status).toBe(404);
    });

    it('logs each request as one JSON object', async () => {
      const lines = (await nginx.accessLog()).split('\n').filter((line) => line.startsWith('{'));
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries).toContainEqual(
        expect.objectContaining({ method: 'GET', uri: '/api/status', status: 200 }),
      );
      const api = entries.find((entry) => entry.uri === '/api/status');
      expect(api?.upstream_addr).toBe(`127.0.0.1:${backend.port}`);
    });

    // Last: it stops the backend.
    it('answers a JSON 503 within 2 s once the backend is gone', async () => {
      await backend.stop();
      const started = Date.now();
      const reply = await get(`${nginx.url}/api/status`);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(reply.status).toBe(503);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.body.toString())).toEqual({
        error: {
          status: 503,
          code: 'backend_unavailable',
          message: expect.any(String),
        },
      });
      expectSecurityHeaders(reply);
    });
  });
});
