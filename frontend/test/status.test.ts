import { describe, expect, it } from 'vitest';
import {
  classify,
  DEFAULT_PORTS,
  dashboardLinks,
  formatDatabase,
  formatUptime,
  type Outcome,
  parsePorts,
} from '../public/status.js';

const healthy = {
  service: 'backend',
  status: 'ok',
  version: '1.4.2',
  commit: 'abc123',
  uptimeSeconds: 12.5,
  requestsServed: 7,
  secretConfigured: true,
};

const unavailable = {
  error: { status: 503, code: 'backend_unavailable', message: 'The backend is not answering' },
};

describe('classify', () => {
  it.each<[string, Outcome, 'up' | 'down' | 'degraded', RegExp]>([
    ['200 and status ok', { ok: true, httpStatus: 200, body: healthy }, 'up', /reports ok/],
    [
      'backend up, database up',
      { ok: true, httpStatus: 200, body: { ...healthy, database: 'up', notes: 3 } },
      'up',
      /reports ok/,
    ],
    [
      'backend up, no database configured',
      { ok: true, httpStatus: 200, body: { ...healthy, database: 'not_configured', notes: null } },
      'up',
      /reports ok/,
    ],
    [
      'degraded when the database is down (backend up, database down)',
      { ok: true, httpStatus: 200, body: { ...healthy, database: 'down', notes: null } },
      'degraded',
      /database is down/,
    ],
    [
      '200 while the backend drains',
      { ok: true, httpStatus: 200, body: { ...healthy, status: 'shutting_down' } },
      'degraded',
      /"shutting_down"/,
    ],
    [
      "the gateway's JSON 503",
      { ok: true, httpStatus: 503, body: unavailable },
      'down',
      /not answering/,
    ],
    [
      'a 503 without a message',
      { ok: true, httpStatus: 503, body: { error: { code: 'backend_unavailable' } } },
      'down',
      /backend unavailable/,
    ],
    ["a proxy's HTML 502 page", { ok: true, httpStatus: 502, body: undefined }, 'down', /HTTP 502/],
    ['a 504 with no body', { ok: true, httpStatus: 504, body: undefined }, 'down', /HTTP 504/],
    ['a network error', { ok: false, error: 'Failed to fetch' }, 'down', /Failed to fetch/],
    ['a timeout', { ok: false, error: 'no answer within 4 s' }, 'down', /within 4 s/],
    ['an error with no text', { ok: false, error: '' }, 'down', /request failed/],
    [
      "the backend's own 500",
      {
        ok: true,
        httpStatus: 500,
        body: { error: { status: 500, code: 'internal', message: 'boom' } },
      },
      'degraded',
      /HTTP 500: boom/,
    ],
    [
      "the backend's own 503 with a status",
      { ok: true, httpStatus: 503, body: { status: 'shutting_down' } },
      'degraded',
      /HTTP 503: status shutting_down/,
    ],
    [
      'a 404 with no body',
      { ok: true, httpStatus: 404, body: undefined },
      'degraded',
      /^HTTP 404$/,
    ],
    [
      '200 with a body that is not JSON',
      { ok: true, httpStatus: 200, body: undefined },
      'degraded',
      /unexpected response/,
    ],
    [
      '200 with an array',
      { ok: true, httpStatus: 200, body: [healthy] },
      'degraded',
      /unexpected response/,
    ],
    [
      '200 without a status field',
      { ok: true, httpStatus: 200, body: { service: 'backend' } },
      'degraded',
      /unexpected response/,
    ],
  ])('%s → %s', (_name, outcome, state, reason) => {
    const result = classify(outcome);
    expect(result.state).toBe(state);
    expect(result.reason).toMatch(reason);
  });

  it('keeps the details the page shows, and only well-typed ones', () => {
    expect(classify({ ok: true, httpStatus: 200, body: healthy }).details).toEqual({
      service: 'backend',
      status: 'ok',
      version: '1.4.2',
      commit: 'abc123',
      uptimeSeconds: 12.5,
      requestsServed: 7,
      database: undefined,
      notes: undefined,
    });
    expect(
      classify({ ok: true, httpStatus: 200, body: { ...healthy, database: 'up', notes: 3 } })
        .details,
    ).toMatchObject({ database: 'up', notes: 3 });
    const odd = { status: 'ok', version: 3, uptimeSeconds: 'long', requestsServed: Number.NaN };
    expect(classify({ ok: true, httpStatus: 200, body: odd }).details).toEqual({
      service: 'unknown',
      status: 'ok',
      version: undefined,
      commit: undefined,
      uptimeSeconds: undefined,
      requestsServed: undefined,
      database: undefined,
      notes: undefined,
    });
    expect(
      classify({ ok: true, httpStatus: 200, body: { ...healthy, database: 'sideways', notes: -1 } })
        .details,
    ).toMatchObject({ database: undefined, notes: -1 });
  });

  it('has no details when the backend is down', () => {
    expect(classify({ ok: true, httpStatus: 503, body: unavailable }).details).toBeUndefined();
    expect(classify({ ok: false, error: 'x' }).details).toBeUndefined();
  });
});

describe('formatUptime', () => {
  it.each<[number | undefined, string]>([
    [0, '0s'],
    [42.7, '42s'],
    [61, '1m 1s'],
    [3600, '1h 0m'],
    [3 * 3600 + 25 * 60 + 9, '3h 25m'],
    [93_784, '1d 2h 3m'],
    [undefined, '–'],
    [-1, '–'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
  });
});

describe('formatDatabase', () => {
  it.each<[Parameters<typeof formatDatabase>[0], string]>([
    ['up', 'Up'],
    ['down', 'Down'],
    ['not_configured', 'Not configured'],
    [undefined, '–'],
  ])('%s → %s', (state, text) => {
    expect(formatDatabase(state)).toBe(text);
  });
});

describe('dashboardLinks', () => {
  it.each([
    [
      { protocol: 'http:', hostname: 'localhost' },
      'http://localhost:3000/',
      'http://localhost:9090/',
    ],
    [
      { protocol: 'https:', hostname: 'status.example.org' },
      'https://status.example.org:3000/',
      'https://status.example.org:9090/',
    ],
    [{ protocol: 'http:', hostname: '::1' }, 'http://[::1]:3000/', 'http://[::1]:9090/'],
  ])('%o', (location, grafana, prometheus) => {
    expect(dashboardLinks(location)).toEqual({ grafana, prometheus });
  });

  it.each([
    [{ grafana: 3300, prometheus: 9190 }, 'http://h:3300/', 'http://h:9190/'],
    [{ grafana: 0, prometheus: 9090 }, undefined, 'http://h:9090/'],
  ])('on the ports it is given: %j', (ports, grafana, prometheus) => {
    expect(dashboardLinks({ protocol: 'http:', hostname: 'h' }, ports)).toEqual({
      grafana,
      prometheus,
    });
  });
});

describe('parsePorts (/links.json)', () => {
  it.each([
    [
      { grafana: '3300', prometheus: '9190' },
      { grafana: 3300, prometheus: 9190 },
    ],
    [
      { grafana: '0', prometheus: 9090 },
      { grafana: 0, prometheus: 9090 },
    ],
    // An unrendered template variable (the image run without its ENV) and a bad port.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text nginx would serve
    [{ grafana: '${GRAFANA_HOST_PORT}', prometheus: '70000' }, DEFAULT_PORTS],
    [{ grafana: '-1', prometheus: '12.5' }, DEFAULT_PORTS],
    [null, DEFAULT_PORTS],
    ['3000', DEFAULT_PORTS],
    [undefined, DEFAULT_PORTS],
  ])('%j → %j', (json, expected) => {
    expect(parsePorts(json)).toEqual(expected);
  });
});
