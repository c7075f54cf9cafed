import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../actions/chaos-drill/src/journal.ts';
import { REPO_ROOT } from '../../scripts/repo-root.ts';
import { drillMarkdown, faultFigures, stat } from '../lib/drill-figures.ts';
import { fixtureName } from '../lib/recording-fetch.ts';

const RUNS = join(REPO_ROOT, 'observability/drills/runs');
/** The committed journal of one experiment's run (the folder is `<experiment>-<time>`). */
const journal = async (experiment: string): Promise<Journal> => {
  const folder = (await readdir(RUNS)).find((d) => d.startsWith(`${experiment}-2`));
  if (!folder) throw new Error(`no committed run of ${experiment} in ${RUNS}`);
  return JSON.parse(await readFile(join(RUNS, folder, 'journal.json'), 'utf8')) as Journal;
};

describe('stat', () => {
  it.each([
    [[4000, 1000, 2000], { median: 2000, worst: 4000, missing: 0 }],
    [[4000, null, 2000, 1000], { median: 2000, worst: 4000, missing: 1 }],
    [[1000, 3000], { median: 2000, worst: 3000, missing: 0 }],
    [[null, null], { median: null, worst: null, missing: 2 }],
    [[], { median: null, worst: null, missing: 0 }],
  ])('%j → %j', (values, expected) => {
    expect(stat(values)).toEqual(expected);
  });
});

describe('faultFigures, from the committed journals of a real run', () => {
  it('takes the median and the worst of each figure, and keeps every run', async () => {
    const kill = await journal('kill-backend');
    const slower = {
      ...kill,
      verdict: 'failed',
      durationMs: kill.durationMs + 10_000,
      measurements: { ...kill.measurements, timeToDetectMs: 4900, alertFiringAfterMs: null },
    } as Journal;
    const f = faultFigures([kill, slower, kill]);
    expect(f.experiment).toBe('kill-backend');
    expect(f.fault).toBe('kill backend');
    expect(f.verdicts).toEqual(['passed', 'failed', 'passed']);
    expect(f.alert).toBe('BackendDown');
    expect(f.figures.timeToDetectMs).toEqual({
      median: kill.measurements.timeToDetectMs,
      worst: 4900,
      missing: 0,
    });
    expect(f.figures.alertFiringAfterMs.missing).toBe(1);
    expect(f.figures.durationMs.worst).toBe(kill.durationMs + 10_000);
    expect(f.perRun.map((r) => r.timeToDetectMs)).toEqual([
      kill.measurements.timeToDetectMs,
      4900,
      kill.measurements.timeToDetectMs,
    ]);
  });

  it('refuses an experiment with no runs', () => {
    expect(() => faultFigures([])).toThrow('no journal');
  });

  it('renders one row per fault, a dash where a drill measures nothing', async () => {
    const restart = faultFigures([await journal('restart-backend')]);
    const pause = faultFigures([await journal('pause-backend')]);
    const md = drillMarkdown([pause, restart], {
      date: '2026-12-02T00:00:00.000Z',
      runs: 1,
      loadAverage: { start: 1.25, end: 3.5 },
      node: 'v24.0.0',
    });
    expect(md).toContain('load average\n1.3 at the start, 3.5 at the end');
    expect(md).toMatch(
      /\| pause-backend \| pause backend \| 1\/1 \| [^|]+ \| \d+\.\d s \(\d+\.\d s\) \| BackendDown \|/,
    );
    // A planned restart pages nobody: no alert, no pending, no firing.
    expect(md).toMatch(
      /\| restart-backend \| restart backend \| 1\/1 \| [^|]+ \| [^|]+ \| — \| — \| — \|/,
    );
  });
});

describe('fixtureName (BENCH_RECORD)', () => {
  const url = (path: string, query?: string) =>
    new URL(`http://127.0.0.1:9090${path}${query ? `?query=${encodeURIComponent(query)}` : ''}`);
  it.each([
    [url('/api/v1/query', 'up{job="backend"}[90s]'), 'up-range.json'],
    [url('/api/v1/query', 'ALERTS{alertname="BackendDown"}[90s]'), 'alerts-range.json'],
    [url('/api/v1/query', 'db_up{job="backend"}[1m]'), undefined],
    [url('/api/v1/query', 'up{job="backend"}'), undefined],
    [url('/api/v1/alerts'), 'alerts-api.json'],
  ])('%s → %s', (u, name) => {
    expect(fixtureName(u)).toBe(name);
  });
});
