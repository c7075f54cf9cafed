/** The recorded kill-backend drill (fixtures/kill-backend): its journal and Prometheus answers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../src/journal.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/kill-backend');

/** The `data` of a recorded Prometheus API answer. */
export const recordedData = <T>(name: string): T =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')).data as T;

/** The drill's journal as it was written then (schema version 1). */
export const recordedJournal = (): Journal =>
  JSON.parse(readFileSync(join(FIXTURES, 'journal.json'), 'utf8')) as Journal;
