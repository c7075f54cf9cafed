import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parseReport, type TrivyReport } from '../src/report.ts';

export const ACTION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(ACTION_DIR, '../..');
/** Real Trivy outputs, copied from Trivy's test data (fixtures/README.md names the sources). */
export const FIXTURES = resolve(ACTION_DIR, 'test/fixtures');

export const JSON_FIXTURES = [
  'alpine-310.json.golden',
  'debian-buster.json.golden',
  'npm.json.golden',
  'dockerfile.json.golden',
  'secrets.json.golden',
] as const;

export function fixtureText(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

export function fixtureReport(name: string): TrivyReport {
  return parseReport(fixtureText(name), name);
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/**
 * The official SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif
 * (sarif-2.1.0-rtm.5.json, the schema of the OASIS 2.1.0 standard, JSON Schema draft-04).
 * `unicodeRegExp: false`: its language-tag pattern is not a valid unicode-mode RegExp.
 */
type Validate = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string }> | null;
};
let validator: Validate | undefined;
export function validateSarif(log: unknown): string[] {
  if (!validator) {
    const schemaPath = resolve(
      REPO_ROOT,
      'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    const Draft04 =
      (AjvDraft04 as unknown as { default?: typeof AjvDraft04 }).default ?? AjvDraft04;
    const ajv = new (
      Draft04 as unknown as new (
        options: object,
      ) => {
        compile(schema: unknown): Validate;
      }
    )({ allErrors: true, strict: false, unicodeRegExp: false });
    (addFormats as unknown as (a: unknown) => void)(ajv);
    validator = ajv.compile(schema);
  }
  const validate = validator;
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Counts findings by walking Trivy's JSON directly, independently of the parser. */
export function walkCounts(json: unknown): Record<string, number> {
  const counts: Record<string, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  const results = (json as { Results?: Array<Record<string, unknown>> }).Results ?? [];
  for (const result of results) {
    for (const key of ['Vulnerabilities', 'Misconfigurations', 'Secrets']) {
      for (const item of (result[key] as Array<{ Severity: string; Status?: string }> | null) ??
        []) {
        if (key === 'Misconfigurations' && item.Status && item.Status !== 'FAIL') continue;
        counts[item.Severity] = (counts[item.Severity] ?? 0) + 1;
      }
    }
  }
  return counts;
}
