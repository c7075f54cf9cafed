import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';

const schema = JSON.parse(
  readFileSync(join(REPO_ROOT, 'observability/drills/journal.schema.json'), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: true });
(formats as unknown as { default: (a: Ajv) => void }).default(ajv);
const validate = ajv.compile(schema);

/** Asserts a journal matches observability/drills/journal.schema.json, listing every error. */
export function expectValidJournal(journal: unknown): void {
  const ok = validate(journal);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}
