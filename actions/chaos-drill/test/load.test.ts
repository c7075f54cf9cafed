import { expect, test } from 'vitest';
import { failureStreaks, type LoadSample, summarizeLoad } from '../src/load.ts';

const sample = (start: number, ok: boolean, extra: Partial<LoadSample> = {}): LoadSample => ({
  startedAt: start,
  endedAt: start + 10,
  ok,
  timedOut: false,
  ...(ok ? { status: 200 } : { status: 503, code: 'backend_unavailable' }),
  ...extra,
});

test.each<[string, LoadSample[], Partial<ReturnType<typeof summarizeLoad>>]>([
  ['no requests', [], { requests: 0, failures: 0, errorRatio: 0, longestFailureStreakMs: 0 }],
  ['all fine', [sample(0, true), sample(100, true)], { failures: 0, longestFailureStreakMs: 0 }],
  [
    'one outage: streak from the first failure to the next success',
    [
      sample(0, true),
      sample(100, false),
      sample(200, false),
      sample(300, false),
      sample(400, true),
    ],
    {
      requests: 5,
      failures: 3,
      errorRatio: 0.6,
      degradedResponses: 3,
      longestFailureStreakMs: 300,
      longestFailureStreakRequests: 3,
      firstFailureAt: 100,
      recoveredAt: 400,
    },
  ],
  [
    'two outages: the longer one counts; a timeout is not a degraded answer',
    [
      sample(0, false),
      sample(100, true),
      sample(200, false, { status: undefined, code: undefined, timedOut: true, endedAt: 2200 }),
      sample(300, false),
      sample(900, true),
    ],
    {
      failures: 3,
      timeouts: 1,
      degradedResponses: 2,
      longestFailureStreakMs: 700,
      longestFailureStreakRequests: 2,
      slowestResponseMs: 2000,
      recoveredAt: 900,
    },
  ],
  [
    'still failing at the end: streak to the last failure end, no recovery',
    [sample(0, true), sample(100, false), sample(200, false)],
    { longestFailureStreakMs: 110, lastFailureAt: 200 },
  ],
])('summarizeLoad: %s', (_name, samples, expected) => {
  expect(summarizeLoad(samples, 'backend_unavailable')).toMatchObject(expected);
});

test.each<[string, LoadSample[], { ms: number; requests: number }[]]>([
  ['none without failures', [sample(0, true), sample(100, true)], []],
  [
    'each run ends at the next success',
    [sample(0, false), sample(50, false), sample(100, true), sample(200, false), sample(300, true)],
    [
      { ms: 100, requests: 2 },
      { ms: 100, requests: 1 },
    ],
  ],
  [
    'a run at the end ends with its latest response',
    [sample(0, true), sample(100, false, { endedAt: 900 }), sample(200, false)],
    [{ ms: 800, requests: 2 }],
  ],
])('failureStreaks: %s', (_name, samples, streaks) => {
  expect(failureStreaks(samples)).toEqual(streaks);
});
