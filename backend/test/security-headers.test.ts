import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { helmetHeaders } from '../src/security-headers.ts';
import { buildApp } from './helpers.ts';

/** The headers of a response, without those every Express answer has anyway. */
async function securityHeadersOf(app: express.Express): Promise<Record<string, string>> {
  const res = await request(app).get('/');
  const { date, connection, 'content-length': _, 'content-type': __, ...rest } = res.headers;
  void date;
  void connection;
  return rest as Record<string, string>;
}

describe('helmetHeaders', () => {
  it('are exactly what helmet() sets on a request', async () => {
    const withHelmet = express().disable('x-powered-by').disable('etag').use(helmet());
    withHelmet.get('/', (_req, res) => res.json({}));
    const expected = await securityHeadersOf(withHelmet);
    const computed = Object.fromEntries(
      helmetHeaders().map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(computed).toEqual(expected);
  });

  it('follow the options given', () => {
    const headers = new Map(helmetHeaders({ frameguard: { action: 'deny' }, hsts: false }));
    expect(headers.get('X-Frame-Options')).toBe('DENY');
    expect(headers.has('Strict-Transport-Security')).toBe(false);
  });

  it('are on every answer of the backend, errors included', async () => {
    const { app } = buildApp();
    for (const path of ['/', '/metrics', '/no-such-route']) {
      const res = await request(app).get(path);
      for (const [name, value] of helmetHeaders())
        expect(res.headers[name.toLowerCase()]).toBe(value);
    }
  });
});
