import request from 'supertest';
import { describe, expect, it, test } from 'vitest';
import { routeTemplate, UNMATCHED_ROUTE } from '../src/metrics.ts';
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

describe('routeTemplate', () => {
  test.each([
    [{ baseUrl: '', route: { path: '/api/status' } }, '/api/status'],
    [{ baseUrl: '/api', route: { path: '/notes/:id' } }, '/api/notes/:id'],
    [{ baseUrl: '', route: { path: '/' } }, '/'],
    [{ baseUrl: '/api', route: { path: '' } }, '/api'],
    [{ baseUrl: '', route: undefined }, UNMATCHED_ROUTE],
    [{ baseUrl: '', route: { path: /regex/ } }, UNMATCHED_ROUTE],
  ])('%o -> %s', (req, expected) => {
    expect(routeTemplate(req as never)).toBe(expected);
  });
});
