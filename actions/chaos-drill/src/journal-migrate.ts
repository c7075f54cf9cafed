/**
 * Journals of earlier versions, read as the current one: version 1 (before fault drivers)
 * gets its fault's verb, noun and commands from the driver of its action, each expectation
 * its weight and alert name, and the score; it has no series. Reports read journals
 * through this, so every committed journal stays readable.
 */
import { expectationKind } from './expectations/index.ts';
import { faultDriver } from './faults/index.ts';
import type { ExpectationResult, Journal } from './journal.ts';
import { resilienceScore } from './measure.ts';

type V1 = Omit<
  Journal,
  'schemaVersion' | 'experiment' | 'expectations' | 'measurements' | 'score' | 'series'
> & {
  schemaVersion: 1;
  experiment: Omit<Journal['experiment'], 'fault' | 'recovery'> & {
    fault: { action: string; service: string; signal: string | null };
    recovery: { action: string; withinMs: number };
  };
  expectations: Omit<ExpectationResult, 'weight' | 'alert'>[];
  measurements: Omit<Journal['measurements'], 'detectedBy' | 'alert'>;
};

const BUILT_IN_WEIGHTS: Readonly<Record<string, number>> = { recovery: 1, 'steady-state': 3 };

function migrateV1(j: V1): Journal {
  const { action, service, signal } = j.experiment.fault;
  const driver = faultDriver(action);
  const spec = driver.schema.parse({ action, service, ...(signal ? { signal } : {}) });
  const expectations: ExpectationResult[] = j.expectations.map((x) => {
    const alert =
      x.type === 'alert'
        ? /^([A-Za-z_][A-Za-z0-9_]*) (pending|firing)/.exec(x.description)?.[1]
        : undefined;
    return {
      ...x,
      weight: BUILT_IN_WEIGHTS[x.type] ?? expectationKind(x.type).weight,
      ...(alert ? { alert } : {}),
    };
  });
  const query = expectations.find((x) => x.type === 'target-down')?.description.split(' == 0')[0];
  return {
    ...j,
    schemaVersion: 2,
    experiment: {
      ...j.experiment,
      fault: {
        action,
        service,
        signal,
        verb: driver.verb,
        noun: driver.noun,
        command: driver.command(spec),
        params: driver.params(spec),
      },
      recovery: {
        ...j.experiment.recovery,
        command: driver.undoCommand(spec, j.experiment.recovery.action),
      },
    },
    expectations,
    measurements: {
      ...j.measurements,
      detectedBy: j.measurements.timeToDetectMs !== null && query ? `${query} == 0` : null,
      alert: expectations.find((x) => x.alert)?.alert ?? null,
    },
    score: j.verdict === 'aborted' ? resilienceScore([]) : resilienceScore(expectations),
    series: [],
  };
}

/** A parsed journal.json of any version as the current Journal; throws on an unknown version. */
export function migrateJournal(raw: unknown): Journal {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version === 2) return raw as Journal;
  if (version === 1) return migrateV1(raw as V1);
  throw new Error(`journal schemaVersion ${JSON.stringify(version)}: expected 1 or 2`);
}
