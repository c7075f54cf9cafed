import { describe, expect, test } from 'vitest';
import type { PrometheusAlert, PrometheusQueryResult } from '../../shared/src/prometheus.ts';
import {
  alertTimes,
  medianSpacing,
  rangeSelector,
  rawSamples,
  targetTimes,
} from '../src/samples.ts';
import { recordedData, recordedJournal } from './recorded-drill.ts';

const journal = recordedJournal();
const ms = (iso: string | null | undefined) => Date.parse(iso as string);

describe('figures from recorded Prometheus answers of a real drill', () => {
  const up = rawSamples(recordedData<PrometheusQueryResult>('up-range.json'));
  const alerts = recordedData<PrometheusQueryResult>('alerts-range.json');
  const issued = ms(journal.fault?.issuedAt);
  const faultAt = ms(journal.measurements.faultAt);
  const recovery = ms(journal.recovery?.startedAt);

  test('target down and up again from the raw up samples reproduce the journal', () => {
    const t = targetTimes(up, issued, recovery);
    expect(t.scrapeIntervalMs).toBe(5000);
    expect(new Date(t.downAt as number).toISOString()).toBe(journal.measurements.detectedAt);
    expect((t.downAt as number) - faultAt).toBe(journal.measurements.timeToDetectMs);
    expect((t.upAgainAt as number) - recovery).toBe(journal.measurements.timeToRecoverMs);
    // Physical floor: a dead target is seen at the next scrape, at most one interval later.
    expect((t.downAt as number) - faultAt).toBeLessThanOrEqual(5000);
    expect((t.lastUpAt as number) < faultAt).toBe(true);
  });

  test('pending and firing from the ALERTS samples: firing exactly for: 10s after pending', () => {
    const a = alertTimes(alerts, issued);
    expect(new Date(a.pendingAt as number).toISOString()).toBe(journal.measurements.alertPendingAt);
    expect(new Date(a.firingAt as number).toISOString()).toBe(journal.measurements.alertFiringAt);
    expect((a.firingAt as number) - (a.pendingAt as number)).toBe(10_000);
    expect(a.evaluationIntervalMs).toBe(5000);
    // Resolved one evaluation after the last active sample (17:43:34.198 firing), not 17.5 s
    // later as the recorded journal says: the gaps of earlier drills once skewed the interval.
    expect(new Date(a.resolvedAt as number).toISOString()).toBe('2026-11-26T17:43:39.198Z');
    expect(medianSpacing(rawSamples(alerts, (m) => m.alertstate === 'firing'))).toBe(17_500);
    // Samples of earlier drills (the bench runs five in a row) are before the fault: ignored.
    expect(rawSamples(alerts).some((s) => s.at < issued)).toBe(true);
  });

  // The recorded /api/v1/alerts answer agrees with the ALERTS samples above: the watch
  // phase's activeAt stands for the pending instant.
  test('activeAt of /api/v1/alerts is the pending evaluation', () => {
    const [alert] = recordedData<{ alerts: PrometheusAlert[] }>('alerts-api.json').alerts;
    expect(alert?.state).toBe('firing');
    expect(Math.round(Date.parse(alert?.activeAt as string))).toBe(
      ms(journal.measurements.alertPendingAt),
    );
  });

  test('an instant vector is not raw samples: the error says what to do', () => {
    expect(() => rawSamples({ resultType: 'vector', result: [] })).toThrow(
      /expected a range vector \(matrix\).*plain selector/,
    );
  });
});

test('rangeSelector covers the drill plus a margin', () => {
  expect(rangeSelector('up{job="backend"}', 0, 61_500)).toBe('up{job="backend"}[92s]');
});
