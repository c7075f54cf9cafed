import { type Clock, systemClock } from '../../shared/src/clock.ts';
import { errorMessage } from '../../shared/src/errors.ts';

/** One HTTP request as a drill sees it: never a throw, always a timed result. */
export interface HttpResult {
  readonly url: string;
  /** Absent when no response came (refused, timed out, reset). */
  readonly status?: number;
  readonly body: string;
  readonly error?: string;
  readonly timedOut: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface HttpClient {
  get(url: string, timeoutMs: number): Promise<HttpResult>;
}

/** GETs with fetch and a per-request timeout; bodies are kept up to 2 kB. */
export function createHttpClient(deps: { fetch?: typeof fetch; clock?: Clock } = {}): HttpClient {
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  return {
    async get(url, timeoutMs) {
      const startedAt = clock.now();
      try {
        const response = await doFetch(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: { 'user-agent': 'chaos-drill' },
        });
        const body = (await response.text()).slice(0, 2048);
        return {
          url,
          status: response.status,
          body,
          timedOut: false,
          startedAt,
          endedAt: clock.now(),
        };
      } catch (error) {
        const name = (error as { name?: string }).name;
        const cause = (error as { cause?: unknown }).cause;
        return {
          url,
          body: '',
          error: cause ? errorMessage(cause) : errorMessage(error),
          timedOut: name === 'TimeoutError' || name === 'AbortError',
          startedAt,
          endedAt: clock.now(),
        };
      }
    },
  };
}

/** `error.code` (nginx's and the backend's JSON errors) or a top-level `code`, if any. */
export function jsonCode(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as { error?: { code?: unknown }; code?: unknown };
    const code = value?.error?.code ?? value?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function describeHttp(result: HttpResult): string {
  const took = `${result.endedAt - result.startedAt} ms`;
  if (result.status === undefined)
    return `no response after ${took} (${result.error ?? 'unknown error'})`;
  const code = jsonCode(result.body);
  return `HTTP ${result.status}${code ? ` ${code}` : ''} in ${took}`;
}
