import { type Clock, systemClock } from './clock.ts';
import { errorMessage } from './errors.ts';

export interface PrometheusSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value?: readonly [number, string];
  readonly values?: readonly (readonly [number, string])[];
}

export interface PrometheusQueryResult {
  readonly resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  readonly result: readonly PrometheusSample[] | readonly [number, string];
}

export interface PrometheusTarget {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PrometheusAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'inactive' | 'pending' | 'firing';
  readonly activeAt?: string;
  readonly value?: string;
}

/** A wait's predicate: true when done, or a sentence saying what is still missing. */
export type WaitCheck = () => Promise<true | string>;

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

export interface PrometheusClient {
  readonly baseUrl: string;
  query(expr: string, time?: Date): Promise<PrometheusQueryResult>;
  queryRange(
    expr: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<PrometheusQueryResult>;
  /** Active targets (dropped ones are not interesting to a pipeline). */
  targets(): Promise<PrometheusTarget[]>;
  alerts(): Promise<PrometheusAlert[]>;
  /** The raw JSON of /api/v1/targets, for reports. */
  targetsJson(): Promise<unknown>;
  /**
   * Polls `check` until it returns true; errors (Prometheus not up yet) count as "not yet".
   * Times out with the last reason, so the failure says what never happened.
   */
  waitUntil(check: WaitCheck, options: WaitOptions): Promise<void>;
}

export interface PrometheusDeps {
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Per-request timeout; default 10 s. */
  readonly requestTimeoutMs?: number;
}

interface ApiEnvelope {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
}

function parseEnvelope(text: string): ApiEnvelope | undefined {
  try {
    return JSON.parse(text) as ApiEnvelope;
  } catch {
    return undefined;
  }
}

/**
 * The `data` of an API answer; else an error naming the server (`who`), the path and what
 * went wrong: Prometheus's own error, an HTTP status, or a body that is not the API's.
 */
function apiData(
  who: string,
  path: string,
  response: { readonly ok: boolean; readonly status: number },
  text: string,
): unknown {
  const body = parseEnvelope(text);
  if (body?.status === 'error') {
    throw new Error(
      `${who} returned an error for ${path}: ${body.errorType ?? 'error'}: ${body.error ?? text}`,
    );
  }
  if (!response.ok) {
    throw new Error(`${who} answered HTTP ${response.status} for ${path}: ${text.slice(0, 200)}`);
  }
  if (body?.status !== 'success') {
    throw new Error(`${who} sent an unexpected body for ${path}: ${text.slice(0, 200)}`);
  }
  return body.data;
}

/**
 * A small Prometheus HTTP API client. Every error names the URL and what went wrong:
 * unreachable, an HTTP status, or the error Prometheus itself returned.
 */
export function createPrometheus(baseUrl: string, deps: PrometheusDeps = {}): PrometheusClient {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`Prometheus URL "${baseUrl}" is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Prometheus URL "${baseUrl}" must be http:// or https://`);
  }
  const root = baseUrl.replace(/\/+$/, '');
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const requestTimeoutMs = deps.requestTimeoutMs ?? 10_000;

  async function api(path: string, params: Record<string, string> = {}): Promise<unknown> {
    const query = new URLSearchParams(params).toString();
    const url = `${root}${path}${query ? `?${query}` : ''}`;
    let response: Response;
    try {
      response = await doFetch(url, { signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      const reason = cause ? errorMessage(cause) : errorMessage(error);
      throw new Error(`Prometheus at ${root} is unreachable (${path}): ${reason}`);
    }
    return apiData(`Prometheus at ${root}`, path, response, await response.text());
  }

  const targetsJson = () => api('/api/v1/targets', { state: 'active' });

  return Object.freeze({
    baseUrl: root,
    query: async (expr: string, time?: Date) =>
      (await api('/api/v1/query', {
        query: expr,
        ...(time ? { time: String(time.getTime() / 1000) } : {}),
      })) as PrometheusQueryResult,
    queryRange: async (expr: string, start: Date, end: Date, stepSeconds: number) =>
      (await api('/api/v1/query_range', {
        query: expr,
        start: String(start.getTime() / 1000),
        end: String(end.getTime() / 1000),
        step: String(stepSeconds),
      })) as PrometheusQueryResult,
    targetsJson,
    targets: async () => {
      const data = (await targetsJson()) as { activeTargets?: PrometheusTarget[] };
      return data.activeTargets ?? [];
    },
    alerts: async () => {
      const data = (await api('/api/v1/alerts')) as { alerts?: PrometheusAlert[] };
      return data.alerts ?? [];
    },
    waitUntil: async (check: WaitCheck, options: WaitOptions) => {
      const interval = options.intervalMs ?? 1000;
      const deadline = clock.now() + options.timeoutMs;
      let last = 'not checked yet';
      for (;;) {
        try {
          const outcome = await check();
          if (outcome === true) return;
          last = outcome;
        } catch (error) {
          last = errorMessage(error);
        }
        if (clock.now() + interval > deadline) break;
        await clock.sleep(interval);
      }
      throw new Error(
        `Timed out after ${options.timeoutMs} ms waiting on Prometheus at ${root}: ${last}`,
      );
    },
  });
}

/** The wait check for "every active target is up": names the targets that are not. */
export function allTargetsUp(targets: readonly PrometheusTarget[]): true | string {
  if (targets.length === 0) return 'Prometheus has no active targets yet';
  const down = targets.filter((t) => t.health !== 'up');
  if (down.length === 0) return true;
  return `targets not up: ${down
    .map(
      (t) =>
        `${t.labels.job ?? t.scrapePool} ${t.scrapeUrl} (${t.health}${t.lastError ? `: ${t.lastError}` : ''})`,
    )
    .join('; ')}`;
}
