import type { Clock } from '../../shared/src/clock.ts';
import { type HttpClient, jsonCode } from './http.ts';

/** One request of the light user-like load, reduced to what the impact figures need. */
export interface LoadSample {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly ok: boolean;
  readonly status?: number;
  readonly code?: string;
  readonly timedOut: boolean;
}

export interface LoadRun {
  /** Stops sending, waits for the requests in flight and returns every sample, in start order. */
  stop(): Promise<LoadSample[]>;
  /** The samples that have completed so far (live checks). */
  completed(): readonly LoadSample[];
}

/**
 * `rate` GETs per second to `url`, each with its own timeout, fired on a fixed schedule
 * whether or not the previous one answered (an open model: a hung backend does not slow
 * the probe down, it piles up failures as real users would).
 */
export function startLoad(options: {
  http: HttpClient;
  clock: Clock;
  url: string;
  rate: number;
  timeoutMs: number;
}): LoadRun {
  const { http, clock, url, rate, timeoutMs } = options;
  const interval = 1000 / rate;
  const inFlight: Promise<LoadSample>[] = [];
  const done: LoadSample[] = [];
  let running = true;
  const loop = (async () => {
    let next = clock.now();
    while (running) {
      inFlight.push(
        http.get(url, timeoutMs).then((r) => {
          const sample: LoadSample = {
            startedAt: r.startedAt,
            endedAt: r.endedAt,
            ok: r.status !== undefined && r.status >= 200 && r.status < 400,
            ...(r.status !== undefined ? { status: r.status } : {}),
            ...(jsonCode(r.body) ? { code: jsonCode(r.body) } : {}),
            timedOut: r.timedOut,
          };
          done.push(sample);
          return sample;
        }),
      );
      next += interval;
      const wait = next - clock.now();
      if (wait > 0) await clock.sleep(wait);
      else next = clock.now(); // behind schedule: do not burst to catch up
    }
  })();
  return {
    completed: () => done,
    stop: async () => {
      running = false;
      await loop;
      const samples = await Promise.all(inFlight);
      return samples.sort((a, b) => a.startedAt - b.startedAt);
    },
  };
}

export interface Impact {
  readonly requests: number;
  readonly failures: number;
  /** failures / requests, 0 without requests. */
  readonly errorRatio: number;
  readonly timeouts: number;
  /** Failures that were the frontend's degraded answer (a fast 503), not a hang or refusal. */
  readonly degradedResponses: number;
  /**
   * The longest run of consecutive failed requests, in ms: from the start of its first
   * failure to the start of the next success (or the end of its last failure).
   */
  readonly longestFailureStreakMs: number;
  readonly longestFailureStreakRequests: number;
  readonly slowestResponseMs: number;
  readonly firstFailureAt?: number;
  readonly lastFailureAt?: number;
  /** Start of the first success after the last failure. */
  readonly recoveredAt?: number;
}

/** The user impact figures of a load run; pure. */
export function summarizeLoad(samples: readonly LoadSample[], degradedCode?: string): Impact {
  const sorted = [...samples].sort((a, b) => a.startedAt - b.startedAt);
  let failures = 0;
  let timeouts = 0;
  let degraded = 0;
  let slowest = 0;
  let best = { ms: 0, count: 0 };
  let streakStart: number | undefined;
  let streakCount = 0;
  let streakLastEnd = 0;
  let firstFailureAt: number | undefined;
  let lastFailureAt: number | undefined;
  let recoveredAt: number | undefined;
  const closeStreak = (endAt: number) => {
    if (streakStart === undefined) return;
    const ms = endAt - streakStart;
    if (ms > best.ms || (ms === best.ms && streakCount > best.count))
      best = { ms, count: streakCount };
    streakStart = undefined;
    streakCount = 0;
    streakLastEnd = 0;
  };
  for (const s of sorted) {
    slowest = Math.max(slowest, s.endedAt - s.startedAt);
    if (s.ok) {
      if (streakStart !== undefined) {
        closeStreak(s.startedAt);
        recoveredAt = s.startedAt;
      }
      continue;
    }
    failures += 1;
    if (s.timedOut) timeouts += 1;
    if (s.status === 503 && (degradedCode === undefined || s.code === degradedCode)) degraded += 1;
    firstFailureAt ??= s.startedAt;
    lastFailureAt = s.startedAt;
    recoveredAt = undefined;
    streakStart ??= s.startedAt;
    streakCount += 1;
    streakLastEnd = Math.max(streakLastEnd, s.endedAt);
  }
  closeStreak(streakLastEnd);
  return {
    requests: sorted.length,
    failures,
    errorRatio: sorted.length === 0 ? 0 : failures / sorted.length,
    timeouts,
    degradedResponses: degraded,
    longestFailureStreakMs: best.ms,
    longestFailureStreakRequests: best.count,
    slowestResponseMs: slowest,
    ...(firstFailureAt !== undefined ? { firstFailureAt } : {}),
    ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
    ...(recoveredAt !== undefined ? { recoveredAt } : {}),
  };
}
