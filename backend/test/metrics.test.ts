import request from 'supertest';
import { describe, expect, it, test } from 'vitest';
import { routeTemplate, UNMATCHED_ROUTE } from '../src/metrics.ts';
import { connectionRefused, fakeDatabase } from './fakes.ts';
import { buildApp } from './helpers.ts';

/** Value of one sample in Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelPart = line.slice(name.length + 1, line.indexOf('}'));
    const have = labelPart.split(',');
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('/metrics', () => {
  it('serves the Prometheus text format', async () => {
    const res = await request(buildApp().app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE http_requests_total counter');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('states the length of its text, and HEAD answers the headers alone', async () => {
    const { app } = buildApp({}, { defaultMetrics: true });
    const res = await request(app).get('/metrics').expect(200);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const head = await request(app).head('/metrics').expect(200);
    expect(head.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(head.text ?? '').toBe('');
  });

  it('counts requests by method, route template and status code', async () => {
    const { app } = buildApp();
    const agent = request.agent(app);
    await agent.get('/').expect(200);
    await agent.get('/').expect(200);
    await agent.get('/healthz').expect(200);
    await agent.delete('/healthz').expect(405);
    await agent.get('/secret-path/12345').expect(404);
    const text = (await agent.get('/metrics')).text;

    const count = (method: string, route: string, status: string) =>
      sample(text, 'http_requests_total', { method, route, status_code: status });
    expect(count('GET', '/', '200')).toBe(2);
    expect(count('GET', '/healthz', '200')).toBe(1);
    expect(count('DELETE', '/healthz', '405')).toBe(1);
    expect(count('GET', UNMATCHED_ROUTE, '404')).toBe(1);
    expect(text).not.toContain('secret-path');
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/',
        status_code: '200',
      }),
    ).toBe(2);
    expect(
      sample(text, 'http_request_duration_seconds_bucket', {
        le: '+Inf',
        method: 'GET',
        route: '/',
        status_code: '200',
      }),
    ).toBe(2);
  });

  it('exports app_info with version and commit', async () => {
    const { app } = buildApp({ APP_VERSION: '3.1.4', GIT_COMMIT: 'deadbee' });
    const text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'app_info', { version: '3.1.4', commit: 'deadbee' })).toBe(1);
  });

  it('exports default process metrics when asked to', async () => {
    const { app } = buildApp({}, { defaultMetrics: true });
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps each app on its own registry', async () => {
    const a = buildApp();
    const b = buildApp();
    await request(a.app).get('/').expect(200);
    const text = (await request(b.app).get('/metrics')).text;
    expect(
      sample(text, 'http_requests_total', { method: 'GET', route: '/', status_code: '200' }),
    ).toBeUndefined();
  });
});

describe('route labels', () => {
  /** Every route the app declares, as a template; plus `unmatched`. */
  const TEMPLATES = [
    '/',
    '/healthz',
    '/readyz',
    '/api/status',
    '/api/notes',
    '/api/notes/:id',
    '/metrics',
    UNMATCHED_ROUTE,
  ];

  /** The (method, route, status) series of http_requests_total. */
  function series(text: string): string[] {
    return text
      .split('\n')
      .filter((line) => line.startsWith('http_requests_total{'))
      .map((line) => line.slice(0, line.lastIndexOf(' ')));
  }
  const routes = (text: string) =>
    new Set(series(text).map((s) => /route="([^"]*)"/.exec(s)?.[1] ?? '?'));

  /** One request of each kind the API answers, success or error, spelled `spell(path)`. */
  async function everyKind(app: Parameters<typeof request>[0], spell: (path: string) => string) {
    const agent = request.agent(app);
    const json = (path: string, body: string) =>
      agent.post(spell(path)).set('Content-Type', 'application/json').send(body);
    for (const path of ['/', '/healthz', '/readyz', '/api/status', '/metrics', '/api/notes']) {
      await agent.get(spell(path));
      await agent.delete(spell(path)); // 405
    }
    await json('/api/notes', '{"text":"a"}'); // 201
    await json('/api/notes', '{"text":""}'); // 400 validation
    await json('/api/notes', '{"text":'); // 400 malformed JSON
    await json('/api/notes', JSON.stringify({ text: 'x'.repeat(200_000) })); // 413
    await agent.post(spell('/api/notes')).set('Content-Type', 'text/plain').send('a'); // 415
    await agent.get(spell('/api/notes?limit=0')); // 400
    await agent.get(spell('/api/notes/1')); // 200
    await agent.get(spell('/api/notes/999')); // 404
    await agent.get(spell('/api/notes/abc')); // 400 invalid id
    await agent.put(spell('/api/notes/1')); // 405
    await agent.get(spell('/api/notes/%ff')); // 400 malformed path
    await agent.get(spell('/api/notes/1/extra')); // 404 unmatched
    await agent.get(spell('/no/such/path')); // 404 unmatched
  }

  it('case variants and error responses add no series beyond the declared route templates', async () => {
    const fake = fakeDatabase();
    const { app } = buildApp({}, { database: fake.database });
    await everyKind(app, (path) => path);
    fake.health.up = false;
    fake.failures.fail = connectionRefused();
    await everyKind(app, (path) => path); // 503s
    fake.health.up = true;
    fake.failures.fail = undefined;
    const before = series((await request(app).get('/metrics')).text);

    const variants: Array<(path: string) => string> = [
      (p) => p.toUpperCase(),
      (p) => p.replace(/[a-z]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c)),
      (p) => (p.includes('?') ? p : `${p}/`.replace('//', '/')),
    ];
    for (const spell of variants) await everyKind(app, spell);
    const text = (await request(app).get('/metrics')).text;

    expect([...routes(text)].sort()).toEqual([...TEMPLATES].sort());
    // /metrics itself is counted between the two reads: no other new series.
    expect(series(text).filter((s) => !before.includes(s))).toEqual([]);
    expect(
      sample(text, 'http_requests_total', {
        method: 'POST',
        route: '/api/notes',
        status_code: '400',
      }),
    ).toBe(5 * 2); // validation and malformed JSON, five rounds (one during the outage)
    expect(
      sample(text, 'http_requests_total', { method: 'GET', route: '/', status_code: '200' }),
    ).toBe(5);
  });

  it('a 503 without a database is counted under the notes templates', async () => {
    const { app } = buildApp();
    await request(app).post('/API/Notes').send({ text: 'a' }).expect(503);
    await request(app).delete('/api/NOTES/7').expect(503);
    const text = (await request(app).get('/metrics')).text;
    expect(
      sample(text, 'http_requests_total', {
        method: 'POST',
        route: '/api/notes',
        status_code: '503',
      }),
    ).toBe(1);
    expect(
      sample(text, 'http_requests_total', {
        method: 'DELETE',
        route: '/api/notes/:id',
        status_code: '503',
      }),
    ).toBe(1);
  });

  test.each([
    [{ route: { path: '/api/status' } }, '/api/status'],
    [{ route: { path: '/' } }, '/'],
    [{ route: undefined }, UNMATCHED_ROUTE],
    [{ route: { path: /regex/ } }, UNMATCHED_ROUTE],
    [{ route: { path: ['/a', '/b'] } }, UNMATCHED_ROUTE],
  ])('routeTemplate(%o) = %s', (req, expected) => {
    expect(routeTemplate(req as never)).toBe(expected);
  });
});
