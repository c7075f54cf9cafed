import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import type { Journal } from '../src/journal.ts';
import { migrateJournal } from '../src/journal-migrate.ts';
import {
  bucketSeries,
  jobSummary,
  markdownReport,
  postmortem,
  timelineChart,
} from '../src/report.ts';

const RUNS = join(REPO_ROOT, 'observability/drills/runs');
/** Every committed journal, by run folder. */
const journals = readdirSync(RUNS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .map(
    (dir) =>
      [
        dir,
        migrateJournal(JSON.parse(readFileSync(join(RUNS, dir, 'journal.json'), 'utf8'))),
      ] as const,
  );
const killDb = journals.find(([dir]) => dir.startsWith('kill-db-'))?.[1] as Journal;

describe('reports come from the journal alone', () => {
  test('the kill-db post-mortem names PostgresDown, the alert of its expectations, never BackendDown', () => {
    const text = postmortem(killDb);
    expect(text).toMatch(/PostgresDown pending at \d/);
    expect(text).not.toMatch(/BackendDown/);
    expect(text).toMatch(/^# Post-mortem \(draft\): db killed, drill `kill-db`/);
    expect(markdownReport(killDb)).toMatch(/\| PostgresDown firing after \|/);
  });

  test.each(journals)(
    "%s: report, post-mortem and summary render, with the driver's verb",
    (_dir, j) => {
      expect(postmortem(j)).toContain(`${j.experiment.fault.service} ${j.experiment.fault.verb}`);
      expect(markdownReport(j)).toContain(j.experiment.fault.command);
      expect(jobSummary(j)).toMatch(/^### Chaos drill/);
    },
  );

  test('the verb is the driver\'s, not the action plus "ed"', () => {
    const paused = {
      ...killDb,
      experiment: {
        ...killDb.experiment,
        fault: { ...killDb.experiment.fault, action: 'pause', verb: 'paused', noun: 'a freeze' },
      },
    } as Journal;
    expect(postmortem(paused)).toMatch(/db paused, drill/);
    expect(postmortem(paused)).not.toMatch(/pauseed/);
  });
});

describe('the timeline chart', () => {
  const series = Array.from({ length: 10 }, (_, k) => ({
    t: k - 2,
    requests: 10,
    failures: k >= 2 && k < 6 ? 10 : 0,
    slowestMs: k >= 2 && k < 6 ? 40 : 5,
  }));
  const journal = {
    ...killDb,
    series,
    measurements: {
      ...killDb.measurements,
      faultAt: '2026-11-26T12:00:00.000Z',
      detectedAt: '2026-11-26T12:00:01.200Z',
      recoveryStartedAt: '2026-11-26T12:00:04.000Z',
    },
  } as Journal;

  test('an xychart-beta of success rate and slowest response, fault, detect and recovery marked', () => {
    const chart = timelineChart(journal);
    expect(chart).toMatch(/^```mermaid\nxychart-beta\n {2}title "User load: success rate \(%\)"/);
    expect(chart).toContain('["-2", "-1", "0 F", "1 D", "2", "3", "4 R", "5", "6", "7"]');
    expect(chart).toContain('line [100, 100, 0, 0, 0, 0, 100, 100, 100, 100]');
    expect(chart).toContain('bar [5, 5, 40, 40, 40, 40, 5, 5, 5, 5]');
    expect(markdownReport(journal)).toContain('## Timeline chart');
    expect(postmortem(journal)).toContain('xychart-beta');
    expect(jobSummary(journal)).toContain('xychart-beta');
  });

  test('no load, no chart', () => {
    expect(timelineChart({ ...journal, series: [] })).toBe('');
  });

  test.each([
    [1, 10],
    [2, 5],
    [5, 3],
  ])('buckets of %i s: %i points, requests kept', (width, count) => {
    const merged = bucketSeries(series, width);
    expect(merged).toHaveLength(count);
    expect(merged.reduce((n, p) => n + p.requests, 0)).toBe(100);
  });
});
