import type { Clock } from '../../../shared/src/clock.ts';
import type { HttpClient } from '../../src/http.ts';
import type { Timeline } from './timeline.ts';

/**
 * The stack over HTTP: the backend's /healthz, /readyz and API, and the frontend's JSON
 * 503 while the backend is down. An answer takes virtual time: slow while starved.
 */
export interface HttpOptions {
  /** /healthz fails although the container runs. */
  healthzDown?: boolean;
}

/** How long a slow backend (CPU starved, slow database) takes to answer, ms. */
const SLOW_MS = 600;

export function fakeHttp(clock: Clock, line: Timeline, options: HttpOptions = {}): HttpClient {
  const answer = (url: string, status: number, body: string, startedAt: number) => ({
    url,
    status,
    body,
    timedOut: false,
    startedAt,
    endedAt: clock.now(),
  });
  /** How long an answer takes: slow while starved, a refused /healthz waits out its probe. */
  const answerDelay = (url: string, alive: boolean, slowNow: boolean, timeoutMs: number) => {
    if (alive) return slowNow ? Math.min(SLOW_MS, timeoutMs) : 5;
    return url.includes('healthz') ? Math.min(timeoutMs, 300) : 40;
  };
  const healthzAnswer = (url: string, alive: boolean, startedAt: number) =>
    alive && !options.healthzDown
      ? answer(url, 200, '{"status":"ok"}', startedAt)
      : { url, body: '', error: 'ECONNREFUSED', timedOut: false, startedAt, endedAt: clock.now() };
  /** What a running backend answers, with the database up or down. */
  const backendAnswer = (url: string, db: boolean, startedAt: number) => {
    if (url.includes('readyz'))
      return db
        ? answer(url, 200, '{"status":"ready"}', startedAt)
        : answer(url, 503, '{"status":"not_ready"}', startedAt);
    if (url.includes('/api/notes') && !db)
      return answer(url, 503, '{"error":{"status":503,"code":"database_unavailable"}}', startedAt);
    return answer(
      url,
      200,
      `{"service":"backend","status":"ok","database":"${db ? 'up' : 'down'}"}`,
      startedAt,
    );
  };
  return {
    async get(url, timeoutMs) {
      const startedAt = clock.now();
      // Read before the wait: a fault during it is dated back, and must not change this answer.
      const alive = line.scrapeOk(startedAt);
      const db = line.modeAt('db', startedAt) !== 'down';
      await clock.sleep(answerDelay(url, alive, line.slow(startedAt), timeoutMs));
      if (url.includes('healthz')) return healthzAnswer(url, alive, startedAt);
      if (!alive)
        return answer(url, 503, '{"error":{"status":503,"code":"backend_unavailable"}}', startedAt);
      return backendAnswer(url, db, startedAt);
    },
  };
}
