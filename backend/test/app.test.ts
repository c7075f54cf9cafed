import request from 'supertest';
import { describe, expect, it, test } from 'vitest';
import { fakeDatabase } from './fakes.ts';
import { buildApp } from './helpers.ts';

describe('routes', () => {
  it('GET / says hello with the service name, version and status', async () => {
    const { app } = buildApp({ APP_VERSION: '1.2.3' });
    const res = await request(app).get('/').expect(200).expect('Content-Type', /json/);
    expect(res.body).toEqual({
      service: 'backend',
      version: '1.2.3',
      status: 'ok',
      message: 'Hello from the backend',
    });
  });

  it('GET /healthz is live', async () => {
    await request(buildApp().app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('GET /readyz is ready until shutdown begins, then 503 while liveness stays 200', async () => {
    const { app, lifecycle } = buildApp();
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    lifecycle.beginShutdown();
    await request(app).get('/readyz').expect(503, { status: 'shutting_down' });
    await request(app).get('/healthz').expect(200);
  });

  it('GET /api/status reports version, uptime and request count, and whether a secret is set but never its value', async () => {
    let clock = 1_000_000;
    const { app } = buildApp(
      { APP_VERSION: '1.2.3', GIT_COMMIT: 'abc1234', SECRET_KEY: 'hunter2-hunter2' },
      { now: () => clock },
    );
    await request(app).get('/').expect(200);
    await request(app).get('/nope').expect(404);
    clock += 4_500;
    const res = await request(app)
      .get('/api/status')
      .expect(200)
      .expect('Cache-Control', 'no-store');
    expect(res.body).toEqual({
      service: 'backend',
      status: 'ok',
      version: '1.2.3',
      commit: 'abc1234',
      uptimeSeconds: 4.5,
      requestsServed: 2,
      secretConfigured: true,
      database: 'not_configured',
      notes: null,
    });
    expect(res.text).not.toContain('hunter2');
  });

  it('GET /api/status says when no secret is configured', async () => {
    const res = await request(buildApp().app).get('/api/status').expect(200);
    expect(res.body.secretConfigured).toBe(false);
  });

  it('HEAD works where GET does', async () => {
    await request(buildApp().app).head('/healthz').expect(200);
  });
});

describe('bad input gets a JSON 4xx without a stack trace', () => {
  test.each([
    ['unknown route', (r: request.Agent) => r.get('/does/not/exist'), 404, 'not_found'],
    ['method not allowed', (r: request.Agent) => r.delete('/healthz'), 405, 'method_not_allowed'],
    [
      'malformed JSON',
      (r: request.Agent) =>
        r.post('/api/notes').set('Content-Type', 'application/json').send('{"text": '),
      400,
      'malformed_json',
    ],
    [
      'body over the limit',
      (r: request.Agent) =>
        r
          .post('/api/notes')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ text: 'x'.repeat(200_000) })),
      413,
      'payload_too_large',
    ],
    [
      'wrong content type',
      (r: request.Agent) => r.post('/api/notes').set('Content-Type', 'text/plain').send('hello'),
      415,
      'unsupported_media_type',
    ],
    [
      'unsupported charset',
      (r: request.Agent) =>
        r.post('/api/notes').set('Content-Type', 'application/json; charset=latin9').send('{}'),
      415,
      'unsupported_charset',
    ],
    [
      'bad percent-encoding in a path parameter',
      (r: request.Agent) => r.get('/api/notes/%ff'),
      400,
      'malformed_path',
    ],
    ['a lone percent sign', (r: request.Agent) => r.delete('/api/notes/%'), 400, 'malformed_path'],
    [
      'an overlong UTF-8 escape',
      (r: request.Agent) => r.get('/api/notes/%C0%AF'),
      400,
      'malformed_path',
    ],
  ])('%s', async (_name, send, status, code) => {
    const res = await send(request.agent(buildApp({}, { database: fakeDatabase().database }).app))
      .expect(status)
      .expect('Content-Type', /json/);
    expect(res.body).toEqual({ error: { status, code, message: expect.any(String) } });
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('405 names the allowed methods', async () => {
    const res = await request(buildApp().app).put('/metrics').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('a body-less POST to a GET route is a 405, not a 415', async () => {
    await request(buildApp().app).post('/').expect(405);
  });
});

describe('headers', () => {
  it('sets security headers and hides the framework', async () => {
    const res = await request(buildApp().app).get('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('does not compute ETags for live data', async () => {
    const res = await request(buildApp().app).get('/api/status');
    expect(res.headers.etag).toBeUndefined();
  });

  it('asks keep-alive clients to reconnect while shutting down', async () => {
    const { app, lifecycle } = buildApp();
    lifecycle.beginShutdown();
    const res = await request(app).get('/healthz');
    expect(res.headers.connection).toBe('close');
  });
});
