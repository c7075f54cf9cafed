// Grafana provisioning and dashboards. No Grafana server runs here, so:
// - the dashboard JSON is validated with ajv against a small schema of what
//   Grafana needs to load a provisioned dashboard (./dashboards.ts);
// - every panel query is parsed by promtool (one recording rule per query);
// - every panel query is evaluated by promtool against series shaped like
//   cAdvisor's and the backend's, and compared with values computed by hand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { describeWithTools } from '../../test/support/tools.ts';
import {
  DATASOURCE_UID,
  type Dashboard,
  dashboardQueries,
  dashboardSchema,
  loadDashboards,
  recordingRules,
} from './dashboards.ts';
import {
  GRAFANA_DIR,
  PROMETHEUS_CONFIG,
  PROMTOOL,
  readYaml,
  runToolOrThrow,
  withTempDir,
} from './support.ts';

const ajv = new Ajv({ allErrors: true, strict: true });
const dashboards = loadDashboards();
const queries = dashboardQueries(dashboards);

function validationErrors(validate: ReturnType<Ajv['compile']>, data: unknown): string {
  return validate(data) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

describe('dashboards', () => {
  const validate = ajv.compile(dashboardSchema);

  it('are the Containers and Backend dashboards, with stable uids', () => {
    expect(dashboards.map(({ file, dashboard }) => [file, dashboard.uid, dashboard.title])).toEqual(
      [
        ['backend.json', 'devops-backend', 'Backend'],
        ['containers.json', 'devops-containers', 'Containers'],
      ],
    );
  });

  it.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))(
    '%s matches the provisioned-dashboard schema',
    (_file, dashboard) => {
      expect(validationErrors(validate, dashboard)).toBe('');
    },
  );

  it.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))(
    '%s has unique panel ids and refIds, and panels inside the 24-column grid without overlap',
    (_file, dashboard: Dashboard) => {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of dashboard.panels) {
        const refIds = panel.targets.map((target) => target.refId);
        expect(new Set(refIds).size, panel.title).toBe(refIds.length);
        expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      }
      const overlaps = dashboard.panels.flatMap((a, index) =>
        dashboard.panels.slice(index + 1).flatMap((b) => {
          const apart =
            a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
            b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
            a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
            b.gridPos.y + b.gridPos.h <= a.gridPos.y;
          return apart ? [] : [`${a.title} / ${b.title}`];
        }),
      );
      expect(overlaps).toEqual([]);
    },
  );

  it('select containers by name!="" (cgroup v1 and v2), never by a cgroup id path', () => {
    const containerQueries = queries.filter((query) => query.promql.includes('container_'));
    expect(containerQueries.length).toBeGreaterThan(0);
    for (const query of containerQueries) {
      // dockprom's id=~"/docker/.*" matches nothing under cgroup v2.
      expect(query.promql, query.key).not.toMatch(/\bid\s*=~/);
      for (const selector of query.promql.match(/container_\w+\{[^}]*\}/g) ?? []) {
        expect(selector, query.key).toContain('name!=""');
      }
    }
  });
});

describe('provisioning', () => {
  const datasourceSchema = {
    type: 'object',
    required: ['apiVersion', 'datasources'],
    properties: {
      apiVersion: { const: 1 },
      datasources: {
        type: 'array',
        minItems: 1,
        maxItems: 1,
        items: {
          type: 'object',
          required: ['name', 'uid', 'type', 'access', 'url', 'isDefault'],
          properties: {
            name: { type: 'string', minLength: 1 },
            uid: { const: DATASOURCE_UID },
            type: { const: 'prometheus' },
            access: { const: 'proxy' },
            url: { const: 'http://prometheus:9090' },
            isDefault: { const: true },
            editable: { type: 'boolean' },
            jsonData: {
              type: 'object',
              properties: {
                timeInterval: { type: 'string', pattern: '^[0-9]+[smh]$' },
                httpMethod: { enum: ['GET', 'POST'] },
              },
            },
          },
        },
      },
    },
  };
  const providerSchema = {
    type: 'object',
    required: ['apiVersion', 'providers'],
    properties: {
      apiVersion: { const: 1 },
      providers: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name', 'type', 'options'],
          properties: {
            name: { type: 'string', minLength: 1 },
            orgId: { type: 'integer' },
            folder: { type: 'string' },
            type: { const: 'file' },
            disableDeletion: { type: 'boolean' },
            allowUiUpdates: { type: 'boolean' },
            updateIntervalSeconds: { type: 'integer', minimum: 10 },
            options: {
              type: 'object',
              required: ['path'],
              properties: {
                // Where Compose mounts observability/grafana/dashboards.
                path: { const: '/var/lib/grafana/dashboards' },
                foldersFromFilesStructure: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
  };
  const datasources = readYaml(join(GRAFANA_DIR, 'provisioning/datasources/prometheus.yml'));
  const providers = readYaml(join(GRAFANA_DIR, 'provisioning/dashboards/dashboards.yml'));

  it('the datasource is the default Prometheus, with the uid the dashboards use', () => {
    expect(validationErrors(ajv.compile(datasourceSchema), datasources)).toBe('');
  });

  it("the datasource's timeInterval is the backend's scrape interval ($__rate_interval's floor)", () => {
    const config = readYaml(PROMETHEUS_CONFIG) as {
      scrape_configs: Array<{ job_name: string; scrape_interval?: string }>;
    };
    const backend = config.scrape_configs.find((job) => job.job_name === 'backend');
    const [datasource] = (datasources as { datasources: Array<{ jsonData: object }> }).datasources;
    expect(datasource?.jsonData).toMatchObject({ timeInterval: backend?.scrape_interval });
  });

  it('the dashboard provider loads files from the mounted dashboards folder', () => {
    expect(validationErrors(ajv.compile(providerSchema), providers)).toBe('');
  });
});

// --- evaluating the panel queries ---------------------------------------------

interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const CADVISOR = { instance: 'cadvisor:8080', job: 'cadvisor' };
const BACKEND = { instance: 'backend:5000', job: 'backend' };
const POSTGRES_EXPORTER = { instance: 'postgres-exporter:9187', job: 'postgres' };
const BACKEND_CGROUP_V2 = {
  ...CADVISOR,
  id: '/system.slice/docker-3f1c2a7be0d94c6f8e2b5a1d7c9e4f60a8b3d2c1e5f7a9b0c4d6e8f1a2b3c4d5.scope',
  image: 'devops-backend:local',
  name: 'devops-backend-1',
};
const FRONTEND_CGROUP_V1 = {
  ...CADVISOR,
  id: '/docker/9a8b7c6d5e4f30211f0e9d8c7b6a5948372615a4b3c2d1e0f9e8d7c6b5a49382',
  image: 'devops-frontend:local',
  name: 'devops-frontend-1',
};
const ROOT_CGROUP = { ...CADVISOR, id: '/' };
const SYSTEM_SERVICE = { ...CADVISOR, id: '/system.slice/containerd.service' };
// Prometheus 3 stores classic histogram bounds as floats: le="1.0", never le="1".
const LE = [
  '0.001',
  '0.0025',
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.1',
  '0.25',
  '0.5',
  '1.0',
  '2.5',
  '5.0',
  '+Inf',
];
const MiB = 1024 * 1024;

/** One sample every 5 s (the scrape interval) for 500 s; values in promtool's notation. */
const INTERVAL = '5s';
const EVAL_TIME = '5m';
/** A counter growing by `perSecond` each second, sampled every 5 s. */
const counter = (perSecond: number): string => `0+${perSecond * 5}x100`;
const gauge = (value: number | string): string => `${value}x100`;

function series(name: string, labels: Record<string, string>, values: string) {
  const text = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  return { series: `${name}{${text}}`, values };
}

/**
 * Histogram buckets of requests whose durations fall in known buckets:
 * `perSecond` maps the upper bound of the bucket the requests land in to the rate.
 */
function histogram(labels: Record<string, string>, perSecond: Record<string, number>) {
  return LE.map((le) => {
    const cumulative = Object.entries(perSecond)
      .filter(([bound]) => Number(bound) <= Number(le === '+Inf' ? Infinity : le))
      .reduce((sum, [, rate]) => sum + rate, 0);
    return series('http_request_duration_seconds_bucket', { ...labels, le }, counter(cumulative));
  });
}

const REQUEST_200 = { ...BACKEND, method: 'GET', route: '/api/notes', status_code: '200' };
const REQUEST_500 = { ...BACKEND, method: 'POST', route: '/api/notes', status_code: '500' };

const INPUT_SERIES = [
  // cAdvisor: the backend under cgroup v2 uses 0.5 CPU and 100 MiB of a 256 MiB
  // limit; the frontend under cgroup v1 uses 0.125 CPU and 32 MiB, no limit.
  series('container_cpu_usage_seconds_total', { ...BACKEND_CGROUP_V2, cpu: 'total' }, counter(0.5)),
  series(
    'container_cpu_usage_seconds_total',
    { ...FRONTEND_CGROUP_V1, cpu: 'total' },
    counter(0.125),
  ),
  series('container_memory_working_set_bytes', BACKEND_CGROUP_V2, gauge(100 * MiB)),
  series('container_memory_working_set_bytes', FRONTEND_CGROUP_V1, gauge(32 * MiB)),
  series('container_spec_memory_limit_bytes', BACKEND_CGROUP_V2, gauge(256 * MiB)),
  series('container_spec_memory_limit_bytes', FRONTEND_CGROUP_V1, gauge('9223372036854771712')),
  // cgroups that are not containers (no name): a query that keeps them shows
  // an extra, label-less series and fails the expectations below.
  series('container_cpu_usage_seconds_total', { ...ROOT_CGROUP, cpu: 'total' }, counter(2)),
  series('container_cpu_usage_seconds_total', { ...SYSTEM_SERVICE, cpu: 'total' }, counter(0.25)),
  series('container_memory_working_set_bytes', ROOT_CGROUP, gauge(8192 * MiB)),
  series('container_memory_working_set_bytes', SYSTEM_SERVICE, gauge(60 * MiB)),
  series('container_spec_memory_limit_bytes', ROOT_CGROUP, gauge(0)),
  series('container_spec_memory_limit_bytes', SYSTEM_SERVICE, gauge(64 * MiB)),
  // Scrape targets, all up.
  series('up', BACKEND, gauge(1)),
  series('up', CADVISOR, gauge(1)),
  series('up', { instance: 'localhost:9090', job: 'prometheus' }, gauge(1)),
  series('up', POSTGRES_EXPORTER, gauge(1)),
  // The backend: 0.75 req/s of 200 and 0.25 req/s of 500. Of the 200s, 0.5/s
  // take 5-10 ms and 0.25/s take 250-500 ms; every 500 takes 250-500 ms.
  series('app_info', { ...BACKEND, commit: 'abc1234', version: '0.1.0' }, gauge(1)),
  series('http_requests_total', REQUEST_200, counter(0.75)),
  series('http_requests_total', REQUEST_500, counter(0.25)),
  ...histogram(REQUEST_200, { '0.01': 0.5, '0.5': 0.25 }),
  ...histogram(REQUEST_500, { '0.5': 0.25 }),
  series('process_resident_memory_bytes', BACKEND, gauge(50 * MiB)),
  series('nodejs_eventloop_lag_p99_seconds', BACKEND, gauge(0.0125)),
  // The Postgres exporter: connected; 3 connections to the app database, 1 to
  // the maintenance database (not shown), as pg_stat_database reports them.
  series('pg_up', POSTGRES_EXPORTER, gauge(1)),
  series(
    'pg_stat_database_numbackends',
    { ...POSTGRES_EXPORTER, datid: '16384', datname: 'app' },
    gauge(3),
  ),
  series(
    'pg_stat_database_numbackends',
    { ...POSTGRES_EXPORTER, datid: '5', datname: 'postgres' },
    gauge(1),
  ),
];

/**
 * What each panel query must return at 5 m, worked out by hand from the series
 * above (rates over full 1 m windows of a linear counter are exact).
 */
const EXPECTED: Readonly<Record<string, readonly Sample[]>> = {
  'Containers/Running Containers/A': [{ labels: {}, value: 2 }],
  // 0.5 CPU-seconds per second = 50 % of a core; 0.125 = 12.5 %.
  'Containers/CPU Usage/A': [
    { labels: { name: 'devops-backend-1' }, value: 50 },
    { labels: { name: 'devops-frontend-1' }, value: 12.5 },
  ],
  'Containers/Memory Usage/A': [
    { labels: { name: 'devops-backend-1' }, value: 104857600 },
    { labels: { name: 'devops-frontend-1' }, value: 33554432 },
  ],
  // 100 MiB / 256 MiB; the frontend has no limit, so no ratio at all.
  'Containers/Memory Usage of Limit/A': [{ labels: { name: 'devops-backend-1' }, value: 0.390625 }],
  'Backend/Backend Target/A': [{ labels: BACKEND, value: 1 }],
  'Backend/Version/A': [{ labels: { ...BACKEND, commit: 'abc1234', version: '0.1.0' }, value: 1 }],
  'Backend/Scrape Targets/A': [
    { labels: BACKEND, value: 1 },
    { labels: CADVISOR, value: 1 },
    { labels: { instance: 'localhost:9090', job: 'prometheus' }, value: 1 },
    { labels: POSTGRES_EXPORTER, value: 1 },
  ],
  'Backend/Request Rate/A': [
    { labels: { status_code: '200' }, value: 0.75 },
    { labels: { status_code: '500' }, value: 0.25 },
  ],
  // 0.25 / (0.75 + 0.25)
  'Backend/Error Ratio/A': [{ labels: {}, value: 0.25 }],
  // 1 req/s in all: 0.5/s at or under 10 ms, all at or under 500 ms.
  // p50: rank 0.5 falls in (5 ms, 10 ms] whose count is 0.5: 0.005 + 0.005 * 0.5/0.5.
  'Backend/Latency/A': [{ labels: {}, value: 0.01 }],
  // p95: rank 0.95 falls in (250 ms, 500 ms] holding 0.5: 0.25 + 0.25 * (0.95-0.5)/0.5.
  'Backend/Latency/B': [{ labels: {}, value: 0.475 }],
  'Backend/Resident Memory/A': [{ labels: BACKEND, value: 52428800 }],
  'Backend/Event Loop Lag p99/A': [{ labels: BACKEND, value: 0.0125 }],
  'Backend/Postgres/A': [{ labels: POSTGRES_EXPORTER, value: 1 }],
  'Backend/Postgres Connections/A': [{ labels: { datname: 'app' }, value: 3 }],
};

/**
 * promtool compares sample values exactly, and rate() carries float noise
 * (0.1 + 0.2 style), so values are compared in millionths: round(x * 1e6).
 */
const SCALE = 1e6;

function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return `{${pairs.join(',')}}`;
}

function ruleTest(rulesFile: string): object {
  return {
    rule_files: [rulesFile],
    evaluation_interval: INTERVAL,
    tests: [
      {
        name: 'dashboard queries',
        interval: INTERVAL,
        input_series: INPUT_SERIES,
        promql_expr_test: queries.map((query) => ({
          expr: `round(${query.record} * ${SCALE})`,
          eval_time: EVAL_TIME,
          exp_samples: (EXPECTED[query.key] ?? []).map((sample) => ({
            labels: labelText(sample.labels),
            value: Math.round(sample.value * SCALE),
          })),
        })),
      },
    ],
  };
}

describe('dashboard query expectations', () => {
  it('cover every panel query, and only those', () => {
    expect(queries.map((query) => query.key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describeWithTools([PROMTOOL], 'dashboard queries in promtool', () => {
  it('every panel query parses (promtool check rules, one recording rule per query)', () => {
    withTempDir((dir) => {
      const path = join(dir, 'dashboard-queries.yml');
      writeFileSync(path, stringify(recordingRules(queries)));
      const output = runToolOrThrow(PROMTOOL, ['check', 'rules', path]);
      expect(output).toContain(`SUCCESS: ${queries.length} rules found`);
    });
  });

  it('every panel query returns the hand-computed values on cAdvisor- and backend-shaped series', () => {
    withTempDir((dir) => {
      const rulesPath = join(dir, 'dashboard-queries.yml');
      const testPath = join(dir, 'dashboard-queries.test.yml');
      writeFileSync(rulesPath, stringify(recordingRules(queries)));
      writeFileSync(testPath, stringify(ruleTest(rulesPath)));
      const output = runToolOrThrow(PROMTOOL, ['test', 'rules', testPath]);
      expect(output).toContain('SUCCESS');
    });
  });
});
