import { describe, expect, it, test } from 'vitest';
import { originOf, samplesFrom, summariseProfile } from '../lib/cpu-profile.ts';
import { evaluateGoals, IDS } from '../lib/goals.ts';
import type { Summary } from '../lib/rounds.ts';
import type { ScrapeTiming } from '../lib/scrape-time.ts';
import { syntheticLabels } from '../lib/scrape-time.ts';
import { median, percentile } from '../lib/stats.ts';
import { wrkArgs } from '../lib/wrk.ts';

describe('stats', () => {
  test.each<[number[], number]>([
    [[], Number.NaN],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 3],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  test.each<[number, number]>([
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('percentile %d of 1..100 is %d (nearest rank)', (p, expected) => {
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => 100 - i),
        p,
      ),
    ).toBe(expected);
  });
});

describe('wrkArgs', () => {
  test.each<[Parameters<typeof wrkArgs>[1], string]>([
    [{ connections: 32, durationS: 5 }, '-t1 -c32 -d5s --timeout 10s --latency http://h/'],
    [
      { connections: 8, durationS: 2, threads: 2, script: { path: 'p.lua', args: ['run-1'] } },
      '-t2 -c8 -d2s --timeout 10s --latency -s p.lua http://h/ -- run-1',
    ],
    [
      { connections: 1, durationS: 1, script: { path: 'p.lua' } },
      '-t1 -c1 -d1s --timeout 10s --latency -s p.lua http://h/',
    ],
  ])('%j', (options, expected) => {
    expect(wrkArgs('http://h/', options).join(' ')).toBe(expected);
  });
});

describe('cpu profile', () => {
  test.each<[string, string, string]>([
    ['file:///r/node_modules/express/lib/router.js', 'next', 'express'],
    ['file:///r/node_modules/@scope/pkg/index.js', 'f', '@scope/pkg'],
    ['file:///r/node_modules/a/node_modules/b/x.js', 'f', 'b'],
    ['node:internal/histogram', 'get stddev', 'node:internal'],
    ['node:_http_outgoing', 'setHeader', 'node:_http_outgoing'],
    ['file:///work/repo/backend/src/metrics.ts', 'track', 'backend/src/metrics.ts'],
    ['', '(garbage collector)', '(garbage collector)'],
    ['', 'writev', '(native)'],
  ])('%s %s comes from %s', (url, fn, origin) => {
    expect(originOf(url, fn)).toBe(origin);
  });

  it('sums self time by origin and by function, as shares, largest first', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('next', 'file:///r/node_modules/router/index.js') },
        { id: 3, callFrame: frame('handle', 'file:///r/node_modules/router/index.js') },
        { id: 4, callFrame: frame('(idle)', '') },
      ],
      samples: [2, 2, 3, 4, 2, 4, 3, 2],
    });
    expect(summary.samples).toBe(8);
    expect(summary.byOrigin).toEqual([
      ['router', 6 / 8],
      ['(idle)', 2 / 8],
    ]);
    expect(summary.byFunction).toEqual([
      ['next router/index.js:10', 4 / 8],
      ['(idle)', 2 / 8],
      ['handle router/index.js:10', 2 / 8],
    ]);
  });
});

describe('samplesFrom', () => {
  const profile = {
    nodes: [],
    samples: [1, 2, 3, 4],
    startTime: 1000,
    timeDeltas: [10, 10, 10, 10],
  };
  test.each<[number | undefined, number[]]>([
    [undefined, [1, 2, 3, 4]],
    [1000, [1, 2, 3, 4]],
    [1020, [2, 3, 4]],
    [1021, [3, 4]],
    [2000, []],
  ])('from %s µs: %j', (from, expected) => {
    expect(samplesFrom(profile, from)).toEqual(expected);
  });

  it('keeps every sample of a profile without timestamps', () => {
    expect(samplesFrom({ nodes: [], samples: [7, 8] }, 5000)).toEqual([7, 8]);
  });
});

describe('goals', () => {
  const summary = (rps: Record<string, number>, p99: Record<string, number> = {}): Summary[] =>
    Object.entries(rps).map(([target, requestsPerSecond]) => ({
      target,
      description: '',
      requestsPerSecond,
      p50Ms: 1,
      p99Ms: p99[target] ?? 10,
      errors: 0,
      rounds: [],
    }));
  const scrape = (p50: number): ScrapeTiming => ({
    series: 200,
    bytes: 1,
    coldMs: { p50, p99: p50 },
    warmMs: { p50, p99: p50 },
  });
  const all = {
    [IDS.root]: 6000,
    [IDS.flaskRoot]: 3000,
    [IDS.metrics]: 1500,
    [IDS.flaskMetrics]: 1000,
    [IDS.uninstrumented]: 6000,
    [IDS.post]: 700,
    [IDS.pgInsert]: 1000,
    [IDS.pgInsertPool]: 900,
    [IDS.list]: 700,
    [IDS.pgSelect]: 800,
    [IDS.pgSelectPool]: 1000,
  };
  const met = (s: Summary[], t = scrape(5)) => evaluateGoals(s, t).map((g) => g.met);

  it('every goal met exactly at its threshold', () => {
    expect(met(summary(all, { [IDS.metrics]: 5, [IDS.flaskMetrics]: 6 }))).toEqual(
      Array(7).fill(true),
    );
  });

  test.each<[string, Record<string, number>, Record<string, number>, number]>([
    ['/ under 2x Flask', { [IDS.root]: 5999 }, {}, 0],
    ['/metrics under 1.5x Flask', { [IDS.metrics]: 1499 }, {}, 1],
    ['/metrics p99 not below Flask', {}, { [IDS.metrics]: 6, [IDS.flaskMetrics]: 6 }, 2],
    ['POST under 0.7x the better pgbench', { [IDS.pgInsertPool]: 1001 }, {}, 4],
    ['GET under 0.7x the better pgbench', { [IDS.pgSelect]: 1001 }, {}, 5],
    ['instrumented under 0.95x', { [IDS.uninstrumented]: 6316 }, {}, 6],
  ])('%s: that goal, and only it, is missed', (_name, rps, p99, index) => {
    const goals = met(
      summary({ ...all, ...rps }, { [IDS.metrics]: 5, [IDS.flaskMetrics]: 6, ...p99 }),
    );
    expect(goals.map((m, i) => m || i === index)).toEqual(Array(7).fill(true));
    expect(goals[index]).toBe(false);
  });

  it('a scrape of 10 ms or more misses its goal', () => {
    expect(met(summary(all, { [IDS.metrics]: 5, [IDS.flaskMetrics]: 6 }), scrape(10))[3]).toBe(
      false,
    );
  });

  it('a missing target is a missed goal, never a met one', () => {
    // Only the scrape goal (index 3) does not come from the targets.
    expect(met([])).toEqual([false, false, false, true, false, false, false]);
  });
});

describe('syntheticLabels', () => {
  it('makes that many distinct (method, route, status) series', () => {
    const labels = syntheticLabels(200);
    expect(new Set(labels.map((l) => `${l.method} ${l.route} ${l.status_code}`)).size).toBe(200);
  });
});
