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

interface Streak {
  readonly ms: number;
  readonly requests: number;
}

/**
 * Each run of consecutive failures (samples in start order): from the start of its first
 * failure to the start of the next success, or to the end of its last failure. Pure.
 */
export function failureStreaks(sorted: readonly LoadSample[]): Streak[] {
  const streaks: Streak[] = [];
  let run: LoadSample[] = [];
  for (const s of sorted) {
    if (!s.ok) run.push(s);
    else if (run.length > 0) {
      streaks.push(streakOf(run, s.startedAt));
      run = [];
    }
  }
  if (run.length > 0)
    streaks.push(
      streakOf(
        run,
        run.reduce((m, s) => Math.max(m, s.endedAt), 0),
      ),
    );
  return streaks;
}

function streakOf(run: readonly LoadSample[], endAt: number): Streak {
  return { ms: endAt - (run[0] as LoadSample).startedAt, requests: run.length };
}

/** The longest streak; of two as long, the one with more requests (the first one on a tie). */
function longest(streaks: readonly Streak[]): Streak {
  return streaks.reduce(
    (best, s) => (s.ms > best.ms || (s.ms === best.ms && s.requests > best.requests) ? s : best),
    { ms: 0, requests: 0 },
  );
}

/** A failure that is the frontend's degraded answer (a 503, with the expected code if any). */
function isDegraded(s: LoadSample, degradedCode: string | undefined): boolean {
  return s.status === 503 && (degradedCode === undefined || s.code === degradedCode);
}

/** Start of the first success after the last failure; undefined while still failing. */
function recoveredAt(sorted: readonly LoadSample[]): number | undefined {
  const last = sorted.findLastIndex((s) => !s.ok);
  return last === -1 ? undefined : sorted[last + 1]?.startedAt;
}

/** The user impact figures of a load run; pure. */
export function summarizeLoad(samples: readonly LoadSample[], degradedCode?: string): Impact {
  const sorted = [...samples].sort((a, b) => a.startedAt - b.startedAt);
  const failed = sorted.filter((s) => !s.ok);
  const best = longest(failureStreaks(sorted));
  const firstFailureAt = failed[0]?.startedAt;
  const lastFailureAt = failed.at(-1)?.startedAt;
  const recovered = recoveredAt(sorted);
  return {
    requests: sorted.length,
    failures: failed.length,
    errorRatio: sorted.length === 0 ? 0 : failed.length / sorted.length,
    timeouts: failed.filter((s) => s.timedOut).length,
    degradedResponses: failed.filter((s) => isDegraded(s, degradedCode)).length,
    longestFailureStreakMs: best.ms,
    longestFailureStreakRequests: best.requests,
    slowestResponseMs: sorted.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0),
    ...(firstFailureAt !== undefined ? { firstFailureAt } : {}),
    ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
    ...(recovered !== undefined ? { recoveredAt: recovered } : {}),
  };
}
