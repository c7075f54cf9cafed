// What the Grafana tests need to know about the dashboard JSON files: the
// schema a provisioned dashboard must satisfy for Grafana to load it (a small
// one of ours, not Grafana's full schema, which lives in Grafana's CUE
// sources), and how to turn each panel query into PromQL promtool can run.
import { basename } from 'node:path';
import { DASHBOARDS_DIR, listFiles, readJson } from './support.ts';

/** The datasource uid provisioned in grafana/provisioning/datasources/prometheus.yml. */
export const DATASOURCE_UID = 'prometheus';

/** Units Grafana knows, among those these dashboards are expected to use. */
export const UNITS = ['percent', 'percentunit', 'bytes', 'reqps', 's', 'none'] as const;

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource: { readonly type: string; readonly uid: string };
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: {
    readonly h: number;
    readonly w: number;
    readonly x: number;
    readonly y: number;
  };
  readonly targets: readonly Target[];
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
}

const datasource = {
  type: 'object',
  required: ['type', 'uid'],
  properties: {
    type: { const: 'prometheus' },
    uid: { const: DATASOURCE_UID },
  },
};

export const dashboardSchema = {
  $id: 'provisioned-dashboard',
  type: 'object',
  required: ['uid', 'title', 'schemaVersion', 'panels', 'time'],
  properties: {
    // Grafana rejects uids longer than 40 characters.
    uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
    title: { type: 'string', minLength: 1 },
    // 39 is Grafana 10.4 / 11.0; older numbers trigger migrations on load.
    schemaVersion: { type: 'integer', minimum: 39 },
    // A provisioned dashboard must not carry a database id.
    id: { type: 'null' },
    tags: { type: 'array', items: { type: 'string' } },
    time: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { type: 'string' }, to: { type: 'string' } },
    },
    templating: {
      type: 'object',
      required: ['list'],
      properties: { list: { type: 'array' } },
    },
    panels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'type', 'title', 'gridPos', 'datasource', 'targets', 'fieldConfig'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          type: { enum: ['timeseries', 'stat', 'state-timeline', 'gauge', 'bargauge', 'table'] },
          title: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          datasource,
          gridPos: {
            type: 'object',
            required: ['h', 'w', 'x', 'y'],
            additionalProperties: false,
            properties: {
              h: { type: 'integer', minimum: 1 },
              w: { type: 'integer', minimum: 1, maximum: 24 },
              x: { type: 'integer', minimum: 0, maximum: 23 },
              y: { type: 'integer', minimum: 0 },
            },
          },
          targets: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['refId', 'expr', 'datasource'],
              properties: {
                refId: { type: 'string', pattern: '^[A-Z]$' },
                expr: { type: 'string', minLength: 1 },
                legendFormat: { type: 'string' },
                datasource,
              },
            },
          },
          fieldConfig: {
            type: 'object',
            required: ['defaults', 'overrides'],
            properties: {
              defaults: {
                type: 'object',
                required: ['unit'],
                properties: { unit: { enum: [...UNITS] } },
              },
              overrides: { type: 'array' },
            },
          },
        },
      },
    },
  },
} as const;

export const dashboardFiles = listFiles(DASHBOARDS_DIR, '.json');

export function loadDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return dashboardFiles.map((file) => ({
    file: basename(file),
    dashboard: readJson(file) as Dashboard,
  }));
}

export interface Query {
  /** `<dashboard title>/<panel title>/<refId>`: the key of the expectations table. */
  readonly key: string;
  /** A valid recording rule name for this query. */
  readonly record: string;
  /** The panel's expr with Grafana's variables replaced, ready for promtool. */
  readonly promql: string;
}

/**
 * Grafana's built-in interval variables, as a Prometheus at a 5 s scrape
 * interval would see them over the last 15 minutes. Any other `$variable` left
 * in a query is an error: these dashboards define none.
 */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  $__rate_interval: '1m',
  $__interval: '15s',
  $__range: '15m',
};

export function toPromQL(expr: string): string {
  let promql = expr;
  for (const [variable, value] of Object.entries(GRAFANA_VARIABLES)) {
    promql = promql.replaceAll(variable, value);
  }
  const leftover = promql.match(/\$\{?\w+/);
  if (leftover) throw new Error(`unknown Grafana variable ${leftover[0]} in: ${expr}`);
  return promql;
}

export function dashboardQueries(dashboards: readonly { dashboard: Dashboard }[]): Query[] {
  return dashboards.flatMap(({ dashboard }) =>
    dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({
        key: `${dashboard.title}/${panel.title}/${target.refId}`,
        record: `dashboard:${dashboard.uid.replace(/\W/g, '_')}:panel${panel.id}_${target.refId}`,
        promql: toPromQL(target.expr),
      })),
    ),
  );
}

/** A Prometheus rule file with one recording rule per dashboard query. */
export function recordingRules(queries: readonly Query[]): object {
  return {
    groups: [
      {
        name: 'dashboard-queries',
        rules: queries.map((query) => ({ record: query.record, expr: query.promql })),
      },
    ],
  };
}
