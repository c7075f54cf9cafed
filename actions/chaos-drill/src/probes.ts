import type { PrometheusClient } from '../../shared/src/prometheus.ts';
import type { Experiment, Probe } from './experiment.ts';
import { describeHttp, type HttpClient, jsonCode } from './http.ts';
import type { ProbeResult } from './journal.ts';
import { instantValues } from './samples.ts';

export type TargetName = 'frontend' | 'backend' | 'prometheus';

/**
 * Where `{frontend}`, `{backend}` and `{prometheus}` point, asked at each use: fixed URLs
 * (the CLI's flags), or the published port Compose reports now (a container restarted
 * on a random host port moves).
 */
export type Targets = (name: TargetName) => Promise<string>;

export function staticTargets(urls: Readonly<Record<TargetName, string>>): Targets {
  return async (name) => urls[name];
}

/** `{frontend}/api/status` with base `http://127.0.0.1:8080/` → `http://127.0.0.1:8080/api/status`. */
export function fillUrl(template: string, base: string): string {
  return template.replace(/^\{(frontend|backend|prometheus)\}/, base.replace(/\/+$/, ''));
}

export function targetOf(template: string): TargetName | undefined {
  return /^\{(frontend|backend|prometheus)\}/.exec(template)?.[1] as TargetName | undefined;
}

export async function resolveUrl(template: string, targets: Targets): Promise<string> {
  const target = targetOf(template);
  return target ? fillUrl(template, await targets(target)) : template;
}

type Op = NonNullable<Probe['prometheus']>['op'];

/** value `op` expected, with a tolerance that widens the comparison. */
export function compare(value: number, op: Op, expected: number, tolerance = 0): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '==':
      return Math.abs(value - expected) <= tolerance;
    case '!=':
      return Math.abs(value - expected) > tolerance;
    case '<':
      return value < expected + tolerance;
    case '<=':
      return value <= expected + tolerance;
    case '>':
      return value > expected - tolerance;
    case '>=':
      return value >= expected - tolerance;
  }
}

/** Does an HTTP answer match the expected status (and JSON error code, and top-level JSON fields)? */
export function httpMatches(
  result: { status?: number; body: string },
  status: number,
  code?: string,
  json?: Readonly<Record<string, unknown>>,
): boolean {
  return (
    result.status === status &&
    (code === undefined || jsonCode(result.body) === code) &&
    (json === undefined || jsonFieldsMatch(result.body, json))
  );
}

/** Every expected top-level field of a JSON body has exactly the expected value. */
export function jsonFieldsMatch(body: string, fields: Readonly<Record<string, unknown>>): boolean {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return false;
  }
  if (value === null || typeof value !== 'object') return false;
  const object = value as Record<string, unknown>;
  return Object.entries(fields).every(([k, v]) => object[k] === v);
}

/** `200 {"database":"down"}`: what a probe expects, for messages. */
export function describeWant(
  status: number,
  code?: string,
  json?: Readonly<Record<string, unknown>>,
): string {
  return `${status}${code ? ` ${code}` : ''}${json ? ` ${JSON.stringify(json)}` : ''}`;
}

export interface ProbeDeps {
  readonly prometheus: PrometheusClient;
  readonly http: HttpClient;
}

/** One probe, once. Never throws: a Prometheus error is a failed probe that says why. */
export async function checkProbe(
  probe: Probe,
  targets: Targets,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  if (probe.prometheus) {
    const { query, op, value, tolerance } = probe.prometheus;
    const want = `${op} ${value}${tolerance ? ` ± ${tolerance}` : ''}`;
    try {
      const values = instantValues(await deps.prometheus.query(query));
      if (values.length === 0) {
        return {
          name: probe.name,
          ok: false,
          detail: `${query} returned no series (expected ${want})`,
        };
      }
      const ok = values.every((v) => compare(v, op, value, tolerance));
      return { name: probe.name, ok, detail: `${query} = ${values.join(', ')} (expected ${want})` };
    } catch (error) {
      return {
        name: probe.name,
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      };
    }
  }
  const spec = probe.http as NonNullable<Probe['http']>;
  let url: string;
  try {
    url = await resolveUrl(spec.url, targets);
  } catch (error) {
    return {
      name: probe.name,
      ok: false,
      detail: `${spec.url}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const result = await deps.http.get(url, spec.timeout);
  const ok = httpMatches(result, spec.status, spec['json-code'], spec.json);
  const want = describeWant(spec.status, spec['json-code'], spec.json);
  return { name: probe.name, ok, detail: `GET ${url}: ${describeHttp(result)} (expected ${want})` };
}

export async function checkAll(
  experiment: Experiment,
  targets: Targets,
  deps: ProbeDeps,
): Promise<ProbeResult[]> {
  return Promise.all(experiment['steady-state'].probes.map((p) => checkProbe(p, targets, deps)));
}
