import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { errorMessage, lastLines } from '../../shared/src/errors.ts';
import type { Exec } from '../../shared/src/exec.ts';
import { InputError } from '../../shared/src/inputs.ts';
import type { Log } from '../../shared/src/log.ts';
import { createReportWriter, type ReportWriter } from '../../shared/src/reports.ts';
import type { Annotation } from './annotations.ts';
import { imageScanners, type ScanTarget, scanArgs, targetName, toScanTarget } from './args.ts';
import { cacheAvailable, DB_KEY_PREFIX, type DbCache, dbCacheKey } from './db-cache.ts';
import { evaluate, type Outcome, type TargetReport } from './evaluate.ts';
import { assignKeys, identity, reportNames, scanTargetNames } from './identity.ts';
import { type IgnoreRules, parseIgnoreFile } from './ignore.ts';
import type { Inputs, ReportInput } from './inputs.ts';
import { installTrivy, type ToolCache } from './install.ts';
import { type Rendered, render, type SarifTarget, tableFiles } from './render.ts';
import { parseReport, type TrivyReport } from './report.ts';
import { planSarif } from './sarif.ts';
import { writeSarif } from './sarif-file.ts';
import { readText } from './text-file.ts';
import { type CodeScanningApi, decideUpload, type UploadDecision } from './upload.ts';

/** Everything the scan touches, passed in (main.ts builds the real ones). */
export interface ScanDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly exec: Exec;
  readonly toolCache: ToolCache;
  readonly dbCache: DbCache;
  readonly log: Log;
  readonly now: () => Date;
  /** The code-scanning API client; asked only for private repositories in auto mode. */
  readonly codeScanningApi?: (token: string, baseUrl: string) => Promise<CodeScanningApi>;
}

/** One target's SARIF, as the outputs and the summary name it. */
export interface SarifTargetInfo {
  /** The target as the user named it. */
  readonly name: string;
  /** The SARIF category (`trivy-backend-demo`), also the file's automationDetails.id. */
  readonly category: string;
  /** Absolute path of the SARIF file. */
  readonly sarif: string;
  /** Results in the file, and findings of the target (more when GitHub's limits cut). */
  readonly results: number;
  readonly findings: number;
}

export interface ScanResult {
  readonly outcome: Outcome;
  readonly rendered: Rendered;
  /** Absolute paths of the files written to the reports directory. */
  readonly written: string[];
  readonly reportsDir: string;
  /** Absolute paths of the SARIF files, one per target. */
  readonly sarifPaths: string[];
  readonly targets: SarifTargetInfo[];
  /** Notices main.ts shows besides the finding annotations. */
  readonly notices: Annotation[];
  readonly vulnScan: 'on' | 'off' | 'n/a';
  readonly sarifUpload: UploadDecision['upload'];
  readonly sarifUploadReason: string;
}

export class ScanError extends Error {
  override name = 'ScanError';
}

async function readEventPayload(path: string | undefined): Promise<unknown> {
  if (!path || !existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The text of a file an input names, or an InputError that names the input, the value
 * and what is wrong (missing, a directory, unreadable): never the file's contents.
 */
async function readInputFile(
  input: string,
  value: string,
  path: string,
  expected: string,
): Promise<string | undefined> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(
      input,
      value,
      `${expected} that can be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
  if (info.isDirectory()) throw new InputError(input, value, `${expected}, not a directory`);
  try {
    return await readText(path);
  } catch (error) {
    throw new InputError(
      input,
      value,
      `${expected} that can be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
}

/**
 * Why Trivy failed: its FATAL message with the lines that continue it (Trivy lists causes
 * on the following lines), else its ERROR lines, else the last lines of its log.
 */
export function trivyFailure(stderr: string): string {
  const lines = stderr.split(/\r?\n/);
  const fatal = lines.findIndex((l) => /\bFATAL\b/.test(l));
  if (fatal !== -1) {
    return lines
      .slice(fatal, fatal + 12)
      .map((l) => l.trimEnd())
      .filter((l) => l !== '')
      .join('\n');
  }
  const errors = lines.filter((l) => /\bERROR\b/.test(l));
  return (errors.length > 0 ? errors.slice(-3) : lastLines(stderr, 5)).join('\n').trim();
}

async function loadIgnore(inputs: Inputs, root: string): Promise<IgnoreRules | undefined> {
  const expected = 'a .trivyignore or .trivyignore.yaml file';
  const text = await readInputFile(
    'ignore-file',
    inputs.ignoreFile,
    resolve(root, inputs.ignoreFile),
    expected,
  );
  if (text === undefined) {
    if (inputs.ignoreFileExplicit) {
      throw new InputError('ignore-file', inputs.ignoreFile, `an existing ${expected.slice(2)}`);
    }
    return undefined;
  }
  return parseIgnoreFile(text, inputs.ignoreFile);
}

/** A target read or scanned, before the run decides what it is called. */
interface Unnamed {
  readonly name: string;
  readonly names: readonly string[];
  readonly report: TrivyReport;
  readonly pathPrefix?: string;
  /** Trivy's JSON as it wrote it (scans only), kept in the reports directory. */
  readonly text?: string;
}

async function readReport(entry: ReportInput, root: string): Promise<Unnamed> {
  const text = await readInputFile(
    entry.input,
    entry.path,
    resolve(root, entry.path),
    'a Trivy JSON report file',
  );
  if (text === undefined) {
    throw new InputError(entry.input, entry.path, 'an existing Trivy JSON report file');
  }
  const report = parseReport(text, entry.path);
  return { name: entry.path, names: reportNames(report, entry.path), report };
}

/** In order, so the first bad report is the one named. */
async function readReports(entries: readonly ReportInput[], root: string): Promise<Unnamed[]> {
  const out: Unnamed[] = [];
  for (const entry of entries) out.push(await readReport(entry, root));
  return out;
}

/** The one place targets get their key, category and file names (identity.ts). */
function identify(targets: readonly Unnamed[]): Array<TargetReport & { text?: string }> {
  const keys = assignKeys(targets);
  return targets.map((t, i) => ({
    name: t.name,
    identity: identity(keys[i] as string),
    report: t.report,
    ...(t.pathPrefix !== undefined ? { pathPrefix: t.pathPrefix } : {}),
    ...(t.text !== undefined ? { text: t.text } : {}),
  }));
}

interface Scanned {
  readonly targets: Unnamed[];
  readonly vulnScan: 'on' | 'off' | 'n/a';
  readonly notes: string[];
}

/** The Trivy to run (the given path, else installed), checked by running its --version. */
async function trivyBinary(inputs: Inputs, deps: ScanDeps): Promise<string> {
  const { exec, log } = deps;
  const trivy =
    inputs.trivyPath ??
    (await log.group(`Install Trivy ${inputs.trivyVersion}`, () =>
      installTrivy(deps.toolCache, {
        version: inputs.trivyVersion,
        downloadBase: inputs.downloadBase,
        ...(inputs.trivySha256 ? { sha256: inputs.trivySha256 } : {}),
      }),
    ));
  const version = await exec(trivy, ['--version'], { silent: true });
  if (version.exitCode !== 0) {
    throw new ScanError(
      `${trivy} --version failed (exit ${version.exitCode}): ${trivyFailure(version.stderr)}`,
    );
  }
  log.info(version.stdout.split('\n')[0] ?? '');
  return trivy;
}

/** Where Trivy keeps its vulnerability DB, and whether and under which key it is cached. */
interface DbCachePlan {
  readonly cacheDir: string;
  readonly use: boolean;
  readonly key: string;
  readonly paths: string[];
}

function dbCachePlan(inputs: Inputs, deps: ScanDeps, images: readonly ScanTarget[]): DbCachePlan {
  const cacheDir = inputs.cacheDir ?? join(homedir(), '.cache', 'trivy');
  const wantsVuln = images.length > 0 && (inputs.scanners ?? ['vuln']).includes('vuln');
  return {
    cacheDir,
    use: inputs.cacheDb && wantsVuln && cacheAvailable(deps.env),
    key: dbCacheKey(deps.now()),
    paths: [join(cacheDir, 'db'), join(cacheDir, 'java-db')],
  };
}

/** The key of the cached DB restored, if any; a failure to restore is only a warning. */
async function restoreDb(deps: ScanDeps, plan: DbCachePlan): Promise<string | undefined> {
  if (!plan.use) return undefined;
  try {
    const restored = await deps.dbCache.restore(plan.paths, plan.key, [DB_KEY_PREFIX]);
    deps.log.info(
      restored ? `Vulnerability DB restored from cache ${restored}` : 'No cached vulnerability DB',
    );
    return restored;
  } catch (error) {
    deps.log.warning(`Could not restore the vulnerability DB cache: ${errorMessage(error)}`);
    return undefined;
  }
}

/** A DB this run downloaded, saved under today's key; a failure to save is only a warning. */
async function saveDb(
  inputs: Inputs,
  deps: ScanDeps,
  plan: DbCachePlan,
  restored: string | undefined,
): Promise<void> {
  if (!plan.use || inputs.skipDbUpdate || restored === plan.key) return;
  if (!existsSync(join(plan.cacheDir, 'db', 'trivy.db'))) return;
  try {
    await deps.dbCache.save(plan.paths, plan.key);
    deps.log.info(`Vulnerability DB saved to cache ${plan.key}`);
  } catch (error) {
    deps.log.warning(`Could not save the vulnerability DB cache: ${errorMessage(error)}`);
  }
}

type ChosenScanners = ReturnType<typeof imageScanners>;

/** The image scanners that can run; an InputError when none can. */
function chooseScanners(
  inputs: Inputs,
  images: readonly ScanTarget[],
  cacheDir: string,
): ChosenScanners {
  const dbAvailable = !inputs.skipDbUpdate || existsSync(join(cacheDir, 'db', 'trivy.db'));
  const chosen = imageScanners(inputs.scanners, dbAvailable);
  if (images.length > 0 && chosen.scanners.length === 0) {
    throw new InputError(
      'scanners',
      (inputs.scanners ?? []).join(','),
      'scanners that can run: with skip-db-update and no cached DB only misconfig and secret can',
    );
  }
  return chosen;
}

/** The summary's note when the images were scanned without the vulnerability scanner. */
function scannerNotes(chosen: ChosenScanners, cacheDir: string): string[] {
  if (!chosen.vulnSkipped) return [];
  return [
    `No vulnerability database is reachable (skip-db-update is on and ${join(cacheDir, 'db')} has none): images were scanned for ${chosen.scanners.join(', ')} only, not for vulnerabilities.`,
  ];
}

function vulnScanState(images: readonly ScanTarget[], chosen: ChosenScanners): Scanned['vulnScan'] {
  if (images.length === 0) return 'n/a';
  if (chosen.vulnSkipped) return 'off';
  return chosen.scanners.includes('vuln') ? 'on' : 'off';
}

/** What every Trivy run of one scan shares. */
interface ScanRun {
  readonly inputs: Inputs;
  readonly deps: ScanDeps;
  readonly trivy: string;
  readonly root: string;
  readonly reportsDir: string;
  readonly cacheDir: string;
  readonly imageScanners: ChosenScanners['scanners'];
  readonly ignore: boolean;
}

/** Trivy's argv for one target, its JSON written to `output`. */
function targetArgs(target: ScanTarget, run: ScanRun, output: string, configDir: string): string[] {
  const { inputs, root } = run;
  return scanArgs(target, {
    output,
    scanners: target.kind === 'config' ? ['misconfig', 'secret'] : run.imageScanners,
    cacheDir: run.cacheDir,
    ...(run.ignore ? { ignoreFile: resolve(root, inputs.ignoreFile) } : {}),
    skipDbUpdate: inputs.skipDbUpdate,
    dbRepositories: inputs.dbRepositories,
    javaDbRepositories: inputs.javaDbRepositories,
    skipDirs: ['**/node_modules', '.git', relative(configDir, run.reportsDir) || '.'].filter(
      (d) => !d.startsWith('..'),
    ),
  });
}

function scanFailure(
  target: ScanTarget,
  name: string,
  exitCode: number,
  stderr: string,
): ScanError {
  const what =
    target.kind === 'config' ? `the repository config (${target.dir})` : `image "${name}"`;
  return new ScanError(
    `Trivy could not scan ${what} (exit ${exitCode}): ${trivyFailure(stderr) || 'no error output'}`,
  );
}

/** One Trivy run on one target (an image, or the repository's config), and its report. */
async function scanOne(target: ScanTarget, output: string, run: ScanRun): Promise<Unnamed> {
  const { root, deps } = run;
  const name = targetName(target);
  const configDir = target.kind === 'config' ? resolve(root, target.dir) : root;
  const args = targetArgs(target, run, output, configDir);
  const result = await deps.log.group(`trivy ${args[0]} ${name}`, () =>
    deps.exec(run.trivy, args, { cwd: root }),
  );
  if (result.exitCode !== 0) throw scanFailure(target, name, result.exitCode, result.stderr);
  const text = existsSync(output) ? await readText(output) : '';
  return {
    name,
    names: scanTargetNames(target),
    report: parseReport(text, `Trivy's report for ${name}`),
    text,
    ...(target.kind === 'config' ? { pathPrefix: relative(root, configDir) } : {}),
  };
}

/** Every target scanned in turn, Trivy's JSON in a temp dir removed afterwards. */
async function scanAll(targets: readonly ScanTarget[], run: ScanRun): Promise<Unnamed[]> {
  const tmp = await mkdtemp(join(run.deps.env.RUNNER_TEMP || tmpdir(), 'trivy-scan-'));
  const scanned: Unnamed[] = [];
  try {
    for (const [index, target] of targets.entries()) {
      scanned.push(await scanOne(target, join(tmp, `target-${index}.json`), run));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return scanned;
}

/**
 * The images, and the repository's config when asked, scanned by Trivy: installed,
 * its DB restored from the cache, the scanners that can run chosen, then the DB saved.
 */
async function scan(
  inputs: Inputs,
  deps: ScanDeps,
  root: string,
  reportsDir: string,
  ignore: boolean,
): Promise<Scanned> {
  const trivy = await trivyBinary(inputs, deps);
  const images: ScanTarget[] = inputs.images.map(toScanTarget);
  const plan = dbCachePlan(inputs, deps, images);
  const restored = await restoreDb(deps, plan);
  const chosen = chooseScanners(inputs, images, plan.cacheDir);
  const all: ScanTarget[] = [...images];
  if (inputs.scanConfig) all.push({ kind: 'config', dir: inputs.configPath });
  const scanned = await scanAll(all, {
    inputs,
    deps,
    trivy,
    root,
    reportsDir,
    cacheDir: plan.cacheDir,
    imageScanners: chosen.scanners,
    ignore,
  });
  await saveDb(inputs, deps, plan, restored);
  return {
    targets: scanned,
    vulnScan: vulnScanState(images, chosen),
    notes: scannerNotes(chosen, plan.cacheDir),
  };
}

/** The reports directory relative to the repository when inside it, else absolute. */
function shownDir(root: string, dir: string): string {
  const rel = relative(root, dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

/** Whether the SARIF can go to code scanning (upload.ts), with the API behind deps. */
function uploadDecision(inputs: Inputs, deps: ScanDeps, payload: unknown) {
  const token = inputs.githubToken ?? deps.env.GITHUB_TOKEN;
  const baseUrl = deps.env.GITHUB_API_URL || 'https://api.github.com';
  const factory =
    deps.codeScanningApi ??
    (async (t: string, url: string) => {
      const { createCodeScanningApi } = await import('./code-scanning-api.ts');
      return createCodeScanningApi(t, url);
    });
  return decideUpload({
    payload,
    mode: inputs.codeScanning,
    repository: deps.env.GITHUB_REPOSITORY,
    api: async () =>
      token
        ? factory(token, baseUrl)
        : { status: async () => ({ state: 'unknown', message: 'github-token is empty' }) },
  });
}

/** Each target's SARIF, planned within GitHub's limits and written (sarif-file.ts). */
async function writeSarifFiles(
  outcome: Outcome,
  writer: ReportWriter,
  toolVersion: string | undefined,
): Promise<SarifTarget[]> {
  const out: SarifTarget[] = [];
  for (const target of outcome.targets) {
    const plan = planSarif(target.report, target.findings, {
      key: target.identity.key,
      category: target.identity.category,
      ...(toolVersion ? { toolVersion } : {}),
    });
    out.push({ target, plan, written: await writeSarif(writer, target.identity.sarifFile, plan) });
  }
  return out;
}

export async function runTrivyScan(inputs: Inputs, deps: ScanDeps): Promise<ScanResult> {
  const root = resolve(deps.env.GITHUB_WORKSPACE || process.cwd());
  const reportsDir = resolve(root, inputs.reportsDir);
  const rules = await loadIgnore(inputs, root);
  const payload = await readEventPayload(deps.env.GITHUB_EVENT_PATH);

  const scanned: Scanned =
    inputs.reports.length > 0
      ? { targets: await readReports(inputs.reports, root), vulnScan: 'n/a', notes: [] }
      : await scan(inputs, deps, root, reportsDir, rules !== undefined);
  const targets = identify(scanned.targets);
  const upload = await uploadDecision(inputs, deps, payload);
  if (upload.warning) deps.log.warning(upload.warning);

  const notes = [...scanned.notes];
  const notices: Annotation[] = [];
  if (upload.upload === 'skip') {
    notes.push(upload.reason);
    notices.push({ level: 'notice', title: 'Trivy: SARIF not uploaded', message: upload.reason });
  }
  if (scanned.vulnScan === 'off' && scanned.notes.length > 0) {
    notices.push({
      level: 'notice',
      title: 'Trivy: no vulnerability scan',
      message: scanned.notes[0] as string,
    });
  }

  const policy = { severities: inputs.severities, ignoreUnfixed: inputs.ignoreUnfixed };
  const outcome = evaluate(targets, rules, policy, deps.now());

  // Every report was read, validated and evaluated before the first write: a bad report
  // leaves nothing behind, and each file is replaced atomically (temp file + rename).
  const writer = createReportWriter(reportsDir);
  const written: string[] = [];
  for (const t of targets) {
    if (t.text !== undefined) written.push(await writer.write(t.identity.jsonFile, t.text));
  }
  const sarif = await writeSarifFiles(outcome, writer, undefined);
  for (const file of tableFiles(outcome)) {
    written.push(await writer.write(file.name, file.content()));
  }
  const rendered = render(outcome, sarif, {
    reportsDir: shownDir(root, reportsDir),
    policy,
    enforced: inputs.failOnFindings,
    notes,
    reservedNotices: notices.length,
    reservedWarnings: upload.warning ? 1 : 0,
  });
  for (const note of rendered.sarifNotes) deps.log.warning(note);
  for (const file of rendered.files) written.push(await writer.write(file.name, file.content()));
  written.push(...sarif.map((s) => s.written.path));
  return {
    outcome,
    rendered,
    written,
    reportsDir,
    sarifPaths: sarif.map((s) => s.written.path),
    targets: sarif.map((s) => ({
      name: s.target.name,
      category: s.target.identity.category,
      sarif: s.written.path,
      results: s.written.results,
      findings: s.plan.sorted.length,
    })),
    notices,
    vulnScan: scanned.vulnScan,
    sarifUpload: upload.upload,
    sarifUploadReason: upload.reason,
  };
}
