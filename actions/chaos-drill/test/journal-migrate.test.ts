import { expect, test } from 'vitest';
import { migrateJournal } from '../src/journal-migrate.ts';
import { expectValidJournal } from './journal-schema.ts';
import { recordedJournal } from './recorded-drill.ts';

test('the recorded journal (version 1), migrated, is valid against the schema and keeps its figures', () => {
  const journal = recordedJournal();
  expect(journal.schemaVersion as number).toBe(1);
  const migrated = migrateJournal(journal);
  expectValidJournal(migrated);
  expect(migrated.measurements.timeToDetectMs).toBe(journal.measurements.timeToDetectMs);
  expect(migrated.measurements.alert).toBe('BackendDown');
  expect(migrated.experiment.fault).toMatchObject({
    verb: 'killed',
    command: 'compose kill -s SIGKILL backend',
  });
});
