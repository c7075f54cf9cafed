import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from '../../../scripts/repo-root.ts';
import { inCI } from '../../../test/support/tools.ts';
import { parseReport, type TrivyReport } from '../src/report.ts';

export const ACTION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export { REPO_ROOT };
/** Real Trivy outputs, copied from Trivy's test data (fixtures/README.md names the sources). */
export const FIXTURES = resolve(ACTION_DIR, 'test/fixtures');

export const JSON_FIXTURES = [
  'alpine-310.json.golden',
  'debian-buster.json.golden',
  'npm.json.golden',
  'dockerfile.json.golden',
  'secrets.json.golden',
] as const;

/** Every SchemaVersion 2 report in fixtures/ (README.md names their sources). */
export const ALL_JSON_FIXTURES = [
  ...JSON_FIXTURES,
  'gomod.json.golden',
  'helm.json.golden',
  'license-cyclonedx.json.golden',
  'centos-7.json.golden',
  'alpine-310-registry.json.golden',
  'license-npm.json.golden',
  'secret-untitled.json.golden',
  'image-archive-secret.json.golden',
  'image-registry-secret.json.golden',
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
    for (const key of ['Vulnerabilities', 'Misconfigurations', 'Secrets', 'Licenses']) {
      for (const item of (result[key] as Array<{ Severity: string; Status?: string }> | null) ??
        []) {
        if (key === 'Misconfigurations' && item.Status && item.Status !== 'FAIL') continue;
        counts[item.Severity] = (counts[item.Severity] ?? 0) + 1;
      }
    }
  }
  return counts;
}

/**
 * Microsoft's SARIF multitool (npm @microsoft/sarif-multitool, the binary of its platform
 * package), or why it is not there: it ships for Linux, macOS and Windows on x64/arm64.
 */
export function multitool(): { path: string } | { missing: string } {
  try {
    const path = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
    return { path };
  } catch (error) {
    return {
      missing: `the SARIF multitool is not installed for ${process.platform}/${process.arch} (npm ci installs @microsoft/sarif-multitool): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
}

const run = promisify(execFile);

/** Past this size a SARIF file is checked by a sample (the multitool takes minutes on 70 MB). */
const SAMPLE_ABOVE_BYTES = 2_000_000;
const SAMPLE_RESULTS = 300;

/**
 * The first results of a large run and the rules they use: every result of a run is made
 * by the same code, so a sample checks their shape; the limits themselves (results, rules,
 * gzipped size) are the tests' own assertions, which the multitool does not check.
 */
function sample(text: string): string {
  const log = JSON.parse(text) as {
    runs: Array<{ results: Array<{ ruleIndex: number }>; tool: { driver: { rules: unknown[] } } }>;
  };
  for (const r of log.runs) {
    r.results = r.results.slice(0, SAMPLE_RESULTS);
    const used = Math.max(-1, ...r.results.map((x) => x.ruleIndex)) + 1;
    r.tool.driver.rules = r.tool.driver.rules.slice(0, used);
  }
  return JSON.stringify(log);
}

/**
 * Collects SARIF files as a test file writes them (copied at once: their temp dirs go
 * after each test), and checks them all with one multitool run (~1 s to start) at the end.
 */
export interface SarifCollector {
  add(files: readonly string[]): Promise<void>;
  /** Every multitool error in the files added, as "file: RULE message". */
  check(): Promise<string[]>;
}

export function sarifCollector(): SarifCollector & {
  /** Adds every *.sarif file under a directory (a test's workspace, before it goes). */
  addUnder(dir: string): Promise<void>;
} {
  const copies: Array<{ file: string; text: string }> = [];
  return {
    async addUnder(dir) {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
      const files = entries
        .filter((e) => e.isFile() && e.name.endsWith('.sarif'))
        .map((e) => join(e.parentPath ?? (e as { path?: string }).path ?? dir, e.name));
      await this.add(files);
    },
    async add(files) {
      for (const file of files) {
        const text = await readFile(file, 'utf8');
        copies.push({ file, text: text.length > SAMPLE_ABOVE_BYTES ? sample(text) : text });
      }
    },
    async check() {
      const dir = await mkdtemp(join(tmpdir(), 'sarif-collected-'));
      try {
        const paths: string[] = [];
        for (const [i, copy] of copies.entries()) {
          const path = join(dir, `${i}-${copy.file.replace(/[^A-Za-z0-9.-]+/g, '_').slice(-80)}`);
          await writeFile(path, copy.text);
          paths.push(path);
        }
        return await multitoolErrors(paths);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

interface MultitoolResult {
  ruleId: string;
  level?: string;
  message: { text?: string; arguments?: string[] };
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }>;
}

/** The multitool's own SARIF log of a validate run. */
interface MultitoolLog {
  runs: Array<{
    results?: MultitoolResult[];
    invocations?: Array<{
      executionSuccessful?: boolean;
      toolExecutionNotifications?: Array<{ level?: string; message: { text: string } }>;
    }>;
  }>;
}

/** The multitool only looks at *.sarif files: each copied under a numbered .sarif name. */
async function copyAsSarif(files: readonly string[], dir: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    const name = `${i}.sarif`;
    names.set(name, file);
    await copyFile(file, join(dir, name));
  }
  return names;
}

function validateArgs(paths: readonly string[], out: string): string[] {
  return [
    'validate',
    ...paths,
    '--rule-kind',
    'Sarif;Gh',
    '--config',
    resolve(ACTION_DIR, 'test/sarif-multitool.xml'),
    '--level',
    'Error;Warning;Note',
    '--output',
    out,
    '--log',
    'ForceOverwrite',
    '--threads',
    '2',
    // Its default (10,000 KB) skips bigger files: they would pass unchecked.
    '--max-file-size-in-kb',
    '1048576',
  ];
}

/** "file: RULE message" for each error result, named by the original file. */
function resultErrors(
  results: readonly MultitoolResult[],
  names: ReadonlyMap<string, string>,
): string[] {
  // SARIF's default level is "warning": only explicit errors count.
  return results
    .filter((result) => result.level === 'error')
    .map((result) => {
      const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const file = names.get(uri.slice(uri.lastIndexOf('/') + 1)) ?? uri;
      return `${file}: ${result.ruleId} ${result.message.text ?? (result.message.arguments ?? []).join(' ')}`;
    });
}

/** A failed run and the tool's own error notifications. */
function invocationErrors(invocations: MultitoolLog['runs'][number]['invocations']): string[] {
  return (invocations ?? []).flatMap((invocation) => [
    ...(invocation.executionSuccessful === false ? ['the multitool run failed'] : []),
    ...(invocation.toolExecutionNotifications ?? [])
      .filter((n) => n.level === 'error')
      .map((n) => `multitool: ${n.message.text}`),
  ]);
}

/**
 * Every error the multitool finds in these SARIF files, with GitHub's ingestion rules
 * (GH1xxx, GH2xxx) and the SARIF rules (SARIF1004 and the rest), as "file: RULE message".
 * One multitool run for all the files (it takes ~0.5 s to start). Without the tool: none
 * locally (the multitool test says it is skipped and why), an error under CI=true.
 */
export async function multitoolErrors(files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const tool = multitool();
  if ('missing' in tool) {
    if (inCI) throw new Error(tool.missing);
    return [];
  }
  const dir = await mkdtemp(join(tmpdir(), 'sarif-multitool-'));
  try {
    const names = await copyAsSarif(files, dir);
    const out = join(dir, 'multitool-output.json');
    const paths = [...names.keys()].map((name) => join(dir, name));
    const { stdout } = await run(tool.path, validateArgs(paths, out), {
      maxBuffer: 256 * 1024 * 1024,
    });
    const scanned = /Done\. (\d+) files? scanned/.exec(stdout)?.[1];
    if (scanned !== undefined && Number(scanned) !== files.length) {
      return [`the multitool scanned ${scanned} of ${files.length} files`];
    }
    const log = JSON.parse(await readFile(out, 'utf8')) as MultitoolLog;
    return log.runs.flatMap((r) => [
      ...resultErrors(r.results ?? [], names),
      ...invocationErrors(r.invocations),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** GitHub's band for a security-severity score (github.blog changelog 2021-07-19). */
export function band(score: unknown): string {
  const n = Number(score);
  if (n >= 9) return 'critical';
  if (n >= 7) return 'high';
  if (n >= 4) return 'medium';
  if (n > 0) return 'low';
  return 'none';
}
