// .github/scripts/grafana-check.sh checks the pinned Grafana on GitHub (the stack job).
// No Grafana runs here, so this tests our script against documented artifacts: a
// small local server answers with the example responses of Grafana's HTTP API
// documentation (fixtures/grafana/, sources in its README), for our real
// dashboards, and the script must pass on them, send the queries our panels hold,
// and name the panel, dashboard or datasource that fails.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/docker.ts';
import { describeWithTools } from '../../test/support/tools.ts';
import { DATASOURCE_UID, type Dashboard, loadDashboards } from './dashboards.ts';
import { DASHBOARDS_DIR, readJson } from './support.ts';

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, 'fixtures', 'grafana');
const fixture = (name: string): Record<string, unknown> =>
  readJson(join(FIXTURES, name)) as Record<string, unknown>;

interface Query {
  refId: string;
  expr: string;
  datasource: { uid: string };
  intervalMs: number;
}

/** What the fake Grafana does; each test sets what it needs. */
interface Behaviour {
  /** Dashboard uids that answer 404. */
  missingDashboards: string[];
  /** The datasource health answer. */
  datasourceHealth: { status: number; body: unknown };
  /** Exprs whose query answers this instead of the documented frames. */
  emptyExprs: Map<string, { status: number; body: unknown }>;
}

const dashboards = loadDashboards().map(({ dashboard }) => dashboard);
const password = randomBytes(12).toString('hex');

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** What the fake Grafana answers: a status and a JSON body. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
}

const reply = (status: number, body: unknown): Reply => ({ status, body });

function datasourceHealth(uid: string | undefined, behaviour: Behaviour): Reply {
  if (uid !== DATASOURCE_UID) return reply(404, { message: 'Data source not found' });
  return reply(behaviour.datasourceHealth.status, behaviour.datasourceHealth.body);
}

/** The documented answer, carrying our real dashboard of that uid. */
function dashboardByUid(uid: string | undefined, behaviour: Behaviour): Reply {
  const dashboard = dashboards.find((candidate) => candidate.uid === uid);
  if (!dashboard || behaviour.missingDashboards.includes(dashboard.uid))
    return reply(404, { message: 'Dashboard not found' });
  const documented = fixture('dashboard-by-uid.json');
  return reply(200, { ...documented, dashboard: { ...dashboard, id: 1, version: 1 } });
}

/** POST /api/ds/query: the query is recorded; the documented frames, unless told otherwise. */
function dsQuery(text: string, behaviour: Behaviour, queries: Query[]): Reply {
  const request = JSON.parse(text) as { queries: Query[] };
  const [query] = request.queries;
  if (!query) return reply(400, { message: 'no queries' });
  queries.push(query);
  const empty = behaviour.emptyExprs.get(query.expr);
  if (empty) return reply(empty.status, empty.body);
  // The documented response, keyed by the refId asked for.
  const documented = fixture('ds-query.json') as { results: { A: unknown } };
  return reply(200, { results: { [query.refId]: documented.results.A } });
}

function getReply(url: string, behaviour: Behaviour): Reply | undefined {
  if (url === '/api/health') return reply(200, fixture('health.json'));
  const health = url.match(/^\/api\/datasources\/uid\/([^/]+)\/health$/);
  if (health) return datasourceHealth(health[1], behaviour);
  const byUid = url.match(/^\/api\/dashboards\/uid\/([^/]+)$/);
  if (byUid) return dashboardByUid(byUid[1], behaviour);
  return undefined;
}

async function grafanaReply(
  req: IncomingMessage,
  behaviour: Behaviour,
  queries: Query[],
): Promise<Reply> {
  const url = req.url ?? '';
  const answer = req.method === 'GET' ? getReply(url, behaviour) : undefined;
  if (answer) return answer;
  if (req.method === 'POST' && url === '/api/ds/query')
    return dsQuery(await readBody(req), behaviour, queries);
  return reply(404, { message: 'Not found' });
}

describeWithTools(['bash', 'curl', 'jq', 'base64'], '.github/scripts/grafana-check.sh', () => {
  let server: Server;
  let base = '';
  let behaviour: Behaviour;
  const queries: Query[] = [];
  const authorizations = new Set<string>();

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      authorizations.add(req.headers.authorization ?? '');
      const { status, body } = await grafanaReply(req, behaviour, queries);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    queries.length = 0;
    authorizations.clear();
    behaviour = {
      missingDashboards: [],
      datasourceHealth: { status: 200, body: fixture('datasource-health.json') },
      emptyExprs: new Map(),
    };
  });

  const check = (timeoutSeconds = 0) =>
    run(
      'bash',
      ['.github/scripts/grafana-check.sh', base, DASHBOARDS_DIR, String(timeoutSeconds)],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, GRAFANA_ADMIN_PASSWORD: password, GRAFANA_CHECK_INTERVAL: '0.2' },
      },
    ).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  const panelTargets = dashboards.flatMap((dashboard: Dashboard) =>
    dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ dashboard, panel, target })),
    ),
  );

  it('passes on the documented responses, checking every dashboard, the datasource and every panel', async () => {
    const result = await check();
    expect(result.stdout).toContain('ok  Grafana 5.1.3');
    expect(result.code).toBe(0);
    for (const dashboard of dashboards)
      expect(result.stdout).toContain(`ok  ${dashboard.title} (uid ${dashboard.uid}`);
    expect(result.stdout).toContain(`ok  datasource ${DATASOURCE_UID}`);
    for (const { dashboard, panel, target } of panelTargets)
      expect(result.stdout).toContain(
        `ok  ${dashboard.title} / ${panel.title} (${target.refId}): 1 series`,
      );
  });

  it("sends each panel's own query, datasource and refId, as the admin user, and never prints the password", async () => {
    const result = await check();
    expect(queries.map((query) => [query.refId, query.expr, query.datasource.uid])).toEqual(
      panelTargets.map(({ target }) => [target.refId, target.expr, target.datasource.uid]),
    );
    expect(queries.every((query) => query.intervalMs === 15_000)).toBe(true);
    const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    expect([...authorizations]).toEqual([basic]);
    expect(result.stdout).not.toContain(password);
  });

  const latencyA = dashboards
    .find((dashboard) => dashboard.uid === 'devops-backend')
    ?.panels.find((panel) => panel.title === 'Latency')
    ?.targets.find((target) => target.refId === 'A');

  it.each([
    ['no frames', 200, { results: { A: { frames: [] } } }, 'the query returned no series'],
    [
      'a frame without values',
      200,
      {
        results: { A: { frames: [{ schema: { refId: 'A', fields: [] }, data: { values: [] } }] } },
      },
      'the query returned no series',
    ],
    [
      // The documented 400: "one or more data source queries were unsuccessful".
      'an error',
      400,
      { results: { A: { error: 'bad_data: 1:1: parse error', status: 400 } } },
      'the query failed (400): bad_data: 1:1: parse error',
    ],
  ])('fails naming the panel whose query returns %s', async (_name, status, body, reason) => {
    behaviour.emptyExprs.set(latencyA?.expr ?? '', { status, body });
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::Backend / Latency (A): ${reason}`);
    expect(result.stdout.match(/::error::/g)).toHaveLength(1);
    expect(result.stdout).toContain('ok  Backend / Latency (B): 1 series');
  });

  it('fails naming a dashboard that Grafana does not have', async () => {
    behaviour.missingDashboards = ['devops-containers'];
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::Containers (uid devops-containers, containers.json): Grafana answered 404: Dashboard not found',
    );
  });

  it('fails naming the datasource when its health check is not OK', async () => {
    behaviour.datasourceHealth = {
      status: 400,
      body: {
        status: 'ERROR',
        message: 'Post "http://prometheus:9090/api/v1/query": no such host',
      },
    };
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `::error::datasource ${DATASOURCE_UID}: health check answered 400: Post "http://prometheus:9090/api/v1/query": no such host`,
    );
  });

  it('retries until the deadline, so a panel whose data comes late passes', async () => {
    const [first] = panelTargets;
    behaviour.emptyExprs.set(first?.target.expr ?? '', {
      status: 200,
      body: { results: { [first?.target.refId ?? 'A']: { frames: [] } } },
    });
    setTimeout(() => behaviour.emptyExprs.clear(), 600);
    const result = await check(10);
    expect(result.code).toBe(0);
    expect(queries.filter((query) => query.expr === first?.target.expr).length).toBeGreaterThan(1);
  });

  it('needs the password, and says so', async () => {
    const result = await run('bash', ['.github/scripts/grafana-check.sh', base, DASHBOARDS_DIR], {
      cwd: REPO_ROOT,
      env: { ...process.env, GRAFANA_ADMIN_PASSWORD: '' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in result ? result.code : 0).not.toBe(0);
    expect('stderr' in result ? result.stderr : '').toContain('GRAFANA_ADMIN_PASSWORD is not set');
  });
});
