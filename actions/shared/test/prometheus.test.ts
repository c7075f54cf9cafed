import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, waitForHttp } from '../../../test/support/net.ts';
import { type RunningProcess, startProcess } from '../../../test/support/process.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import { allTargetsUp, createPrometheus, type PrometheusTarget } from '../src/prometheus.ts';
import { fakeClock } from './helpers.ts';

const json = (status: number, body: unknown) =>
  (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe('createPrometheus errors name the URL and the problem', () => {
  test.each([
    [
      'not a URL',
      'prometheus:9090',
      'Prometheus URL "prometheus:9090" must be http:// or https://',
    ],
    ['garbage', '::', 'Prometheus URL "::" is not a valid URL'],
  ])('%s', (_name, url, message) => {
    expect(() => createPrometheus(url)).toThrow(message);
  });

  test.each([
    [
      'unreachable',
      (async () => {
        throw Object.assign(new TypeError('fetch failed'), {
          cause: new Error('connect ECONNREFUSED 127.0.0.1:9'),
        });
      }) as unknown as typeof fetch,
      'Prometheus at http://127.0.0.1:9 is unreachable (/api/v1/query): connect ECONNREFUSED 127.0.0.1:9',
    ],
    [
      'HTTP status',
      (async () => new Response('upstream down', { status: 502 })) as unknown as typeof fetch,
      'Prometheus at http://127.0.0.1:9 answered HTTP 502 for /api/v1/query: upstream down',
    ],
    [
      'Prometheus error body',
      json(400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:4: parse error',
      }),
      'Prometheus at http://127.0.0.1:9 returned an error for /api/v1/query: bad_data: invalid parameter "query": 1:4: parse error',
    ],
    [
      'not the API',
      json(200, { hello: 1 }),
      'Prometheus at http://127.0.0.1:9 sent an unexpected body for /api/v1/query',
    ],
  ])('%s', async (_name, fetchImpl, message) => {
    await expect(
      createPrometheus('http://127.0.0.1:9/', { fetch: fetchImpl }).query('up'),
    ).rejects.toThrow(message);
  });
});

const target = (
  health: PrometheusTarget['health'],
  job: string,
  lastError = '',
): PrometheusTarget => ({
  scrapePool: job,
  scrapeUrl: `http://${job}:80/metrics`,
  health,
  lastError,
  labels: { job },
});

test.each([
  [[], 'Prometheus has no active targets yet'],
  [[target('up', 'a'), target('up', 'b')], true],
  [
    [target('up', 'a'), target('down', 'b', 'connection refused')],
    'targets not up: b http://b:80/metrics (down: connection refused)',
  ],
  [[target('unknown', 'a')], 'targets not up: a http://a:80/metrics (unknown)'],
])('allTargetsUp(%j) = %j', (targets, expected) => {
  expect(allTargetsUp(targets)).toEqual(expected);
});

describe('waitUntil', () => {
  test('polls until the check passes, sleeping the interval', async () => {
    const clock = fakeClock();
    let calls = 0;
    const client = createPrometheus('http://p:9090', { clock, fetch: json(200, {}) });
    await client.waitUntil(async () => (++calls >= 3 ? true : `attempt ${calls}`), {
      timeoutMs: 10_000,
      intervalMs: 500,
    });
    expect(calls).toBe(3);
    expect(clock.slept).toEqual([500, 500]);
  });
  test('times out with the last reason (errors count as "not yet")', async () => {
    const clock = fakeClock();
    const client = createPrometheus('http://p:9090', { clock });
    await expect(
      client.waitUntil(
        async () => {
          throw new Error('still booting');
        },
        { timeoutMs: 3000, intervalMs: 1000 },
      ),
    ).rejects.toThrow(
      'Timed out after 3000 ms waiting on Prometheus at http://p:9090: still booting',
    );
    expect(clock.slept).toEqual([1000, 1000, 1000]);
  });
});

describeWithTools(['prometheus'], 'against a real Prometheus', () => {
  let dir: string;
  let proc: RunningProcess;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prom-client-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await writeFile(
      join(dir, 'prometheus.yml'),
      `global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [rules.yml]
scrape_configs:
  - job_name: self
    static_configs: [{targets: ['127.0.0.1:${port}']}]
  - job_name: nothing-listens
    static_configs: [{targets: ['127.0.0.1:9']}]
`,
    );
    await writeFile(
      join(dir, 'rules.yml'),
      `groups:
  - name: t
    rules:
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: always, description: always firing}
`,
    );
    proc = startProcess('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await waitForHttp(`${url}/-/ready`, 15_000);
  });
  afterAll(async () => {
    await proc?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('targets, waitUntil, query, queryRange, alerts and a PromQL error', async () => {
    const prometheus = createPrometheus(url);
    await prometheus.waitUntil(
      async () => {
        const self = (await prometheus.targets()).find((t) => t.labels.job === 'self');
        return self?.health === 'up' ? true : `self is ${self?.health ?? 'missing'}`;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const targets = await prometheus.targets();
    expect(targets.map((t) => t.labels.job).sort()).toEqual(['nothing-listens', 'self']);
    await prometheus.waitUntil(
      async () =>
        (await prometheus.targets()).some((t) => t.health === 'down') ? true : 'no down target yet',
      {
        timeoutMs: 15_000,
        intervalMs: 250,
      },
    );
    expect(allTargetsUp(await prometheus.targets())).toMatch(
      /^targets not up: nothing-listens http:\/\/127.0.0.1:9\/metrics \(down/,
    );
    const up = await prometheus.query('up{job="self"}');
    expect(up.resultType).toBe('vector');
    const range = await prometheus.queryRange('up', new Date(Date.now() - 10_000), new Date(), 1);
    expect(range.resultType).toBe('matrix');
    await prometheus.waitUntil(
      async () => ((await prometheus.alerts()).length > 0 ? true : 'no alert yet'),
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect((await prometheus.alerts())[0]?.labels.alertname).toBe('AlwaysFiring');
    await expect(prometheus.query('up{')).rejects.toThrow(
      `Prometheus at ${url} returned an error for /api/v1/query: bad_data:`,
    );
  });

  test('an unreachable Prometheus names the URL', async () => {
    const port = await freePort();
    await expect(createPrometheus(`http://127.0.0.1:${port}`).targets()).rejects.toThrow(
      `Prometheus at http://127.0.0.1:${port} is unreachable (/api/v1/targets): connect ECONNREFUSED`,
    );
  });
});
