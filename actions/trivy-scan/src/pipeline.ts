import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { errorMessage, lastLines } from '../../shared/src/errors.ts';
import type { Exec } from '../../shared/src/exec.ts';
import { InputError } from '../../shared/src/inputs.ts';
import type { Log } from '../../shared/src/log.ts';
import { createReportWriter } from '../../shared/src/reports.ts';
import type { Annotation } from './annotations.ts';
import { imageScanners, type ScanTarget, scanArgs, targetName, toScanTarget } from './args.ts';
import { cacheAvailable, DB_KEY_PREFIX, type DbCache, dbCacheKey } from './db-cache.ts';
import { type IgnoreRules, parseIgnoreFile } from './ignore.ts';
import type { Inputs } from './inputs.ts';
import { installTrivy, type ToolCache } from './install.ts';
import {
  evaluate,
  type Outcome,
  type Rendered,
  render,
  slugify,
  type TargetReport,
} from './outcome.ts';
import { parseReport } from './report.ts';

/** Everything the scan touches, passed in (main.ts builds the real ones). */
export interface ScanDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly exec: Exec;
  readonly toolCache: ToolCache;
  readonly dbCache: DbCache;
  readonly log: Log;
  readonly now: () => Date;
}

export interface ScanResult {
  readonly outcome: Outcome;
  readonly rendered: Rendered;
  /** Absolute paths of the files written to the reports directory. */
  readonly written: string[];
  readonly reportsDir: string;
  /** Absolute paths of the SARIF files, one per target. */
  readonly sarifPaths: string[];
  /** Notices main.ts shows besides the finding annotations. */
  readonly notices: Annotation[];
  readonly vulnScan: 'on' | 'off' | 'n/a';
  readonly sarifUpload: 'upload' | 'skip';
}

export class ScanError extends Error {
  override name = 'ScanError';
}

/** `github.event.pull_request.head.repo.fork`, from the event payload. */
export function isForkPullRequest(payload: unknown): boolean {
  const pr = (payload as { pull_request?: { head?: { repo?: { fork?: unknown } | null } } } | null)
    ?.pull_request;
  return pr?.head?.repo?.fork === true;
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
  const path = resolve(root, inputs.ignoreFile);
  if (!existsSync(path)) {
    if (inputs.ignoreFileExplicit) {
      throw new InputError(
        'ignore-file',
        inputs.ignoreFile,
        'an existing .trivyignore or .trivyignore.yaml file',
      );
    }
    return undefined;
  }
  return parseIgnoreFile(await readFile(path, 'utf8'), inputs.ignoreFile);
}

async function readReports(inputs: Inputs, root: string): Promise<TargetReport[]> {
  const targets: TargetReport[] = [];
  for (const name of inputs.reports) {
    const path = resolve(root, name);
    if (!existsSync(path))
      throw new InputError('reports', name, 'an existing Trivy JSON report file');
    targets.push({
      name,
      report: parseReport(await readFile(path, 'utf8'), name),
      slugHint: basename(name),
    });
  }
  return targets;
}

interface Scanned {
  readonly targets: TargetReport[];
  readonly rawFiles: Array<{ name: string; content: string }>;
  readonly vulnScan: 'on' | 'off' | 'n/a';
  readonly notes: string[];
}

async function scan(
  inputs: Inputs,
  deps: ScanDeps,
  root: string,
  reportsDir: string,
  ignore: boolean,
): Promise<Scanned> {
  const { exec, log, env } = deps;
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

  const cacheDir = inputs.cacheDir ?? join(homedir(), '.cache', 'trivy');
  const notes: string[] = [];
  const targets: ScanTarget[] = inputs.images.map(toScanTarget);
  const wantsVuln = targets.length > 0 && (inputs.scanners ?? ['vuln']).includes('vuln');
  const useCache = inputs.cacheDb && wantsVuln && cacheAvailable(env);
  const key = dbCacheKey(deps.now());
  const dbPaths = [join(cacheDir, 'db'), join(cacheDir, 'java-db')];
  let restored: string | undefined;
  if (useCache) {
    try {
      restored = await deps.dbCache.restore(dbPaths, key, [DB_KEY_PREFIX]);
      log.info(
        restored
          ? `Vulnerability DB restored from cache ${restored}`
          : 'No cached vulnerability DB',
      );
    } catch (error) {
      log.warning(`Could not restore the vulnerability DB cache: ${errorMessage(error)}`);
    }
  }
  const dbAvailable = !inputs.skipDbUpdate || existsSync(join(cacheDir, 'db', 'trivy.db'));
  const chosen = imageScanners(inputs.scanners, dbAvailable);
  if (targets.length > 0 && chosen.scanners.length === 0) {
    throw new InputError(
      'scanners',
      (inputs.scanners ?? []).join(','),
      'scanners that can run: with skip-db-update and no cached DB only misconfig and secret can',
    );
  }
  if (chosen.vulnSkipped) {
    notes.push(
      `No vulnerability database is reachable (skip-db-update is on and ${join(cacheDir, 'db')} has none): images were scanned for ${chosen.scanners.join(', ')} only, not for vulnerabilities.`,
    );
  }

  const tmp = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'trivy-scan-'));
  const all: ScanTarget[] = [...targets];
  if (inputs.scanConfig) all.push({ kind: 'config', dir: inputs.configPath });
  const scanned: TargetReport[] = [];
  const rawFiles: Array<{ name: string; content: string }> = [];
  const slugs = new Set<string>();
  try {
    for (const target of all) {
      const name = targetName(target);
      const slugHint =
        target.kind === 'archive' ? basename(target.path).replace(/\.tar(\.gz)?$/i, '') : name;
      const slug = slugify(slugHint, slugs);
      slugs.add(slug);
      const output = join(tmp, `${slug}.json`);
      const configDir = target.kind === 'config' ? resolve(root, target.dir) : root;
      const args = scanArgs(target, {
        output,
        scanners: target.kind === 'config' ? ['misconfig', 'secret'] : chosen.scanners,
        cacheDir,
        ...(ignore ? { ignoreFile: resolve(root, inputs.ignoreFile) } : {}),
        skipDbUpdate: inputs.skipDbUpdate,
        dbRepositories: inputs.dbRepositories,
        javaDbRepositories: inputs.javaDbRepositories,
        skipDirs: ['**/node_modules', '.git', relative(configDir, reportsDir) || '.'].filter(
          (d) => !d.startsWith('..'),
        ),
      });
      const result = await log.group(`trivy ${args[0]} ${name}`, () =>
        exec(trivy, args, { cwd: root }),
      );
      if (result.exitCode !== 0) {
        throw new ScanError(
          `Trivy could not scan ${target.kind === 'config' ? `the repository config (${target.dir})` : `image "${name}"`} (exit ${result.exitCode}): ${trivyFailure(result.stderr) || 'no error output'}`,
        );
      }
      const text = existsSync(output) ? await readFile(output, 'utf8') : '';
      const report = parseReport(text, `Trivy's report for ${name}`);
      scanned.push({
        name,
        report,
        slugHint,
        ...(target.kind === 'config' ? { pathPrefix: relative(root, configDir) } : {}),
      });
      rawFiles.push({ name: `trivy-${slug}.json`, content: text });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }

  if (
    useCache &&
    !inputs.skipDbUpdate &&
    restored !== key &&
    existsSync(join(cacheDir, 'db', 'trivy.db'))
  ) {
    try {
      await deps.dbCache.save(dbPaths, key);
      log.info(`Vulnerability DB saved to cache ${key}`);
    } catch (error) {
      log.warning(`Could not save the vulnerability DB cache: ${errorMessage(error)}`);
    }
  }
  return {
    targets: scanned,
    rawFiles,
    vulnScan:
      targets.length === 0
        ? 'n/a'
        : chosen.vulnSkipped
          ? 'off'
          : chosen.scanners.includes('vuln')
            ? 'on'
            : 'off',
    notes,
  };
}

/** The reports directory relative to the repository when inside it, else absolute. */
function shownDir(root: string, dir: string): string {
  const rel = relative(root, dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

export async function runTrivyScan(inputs: Inputs, deps: ScanDeps): Promise<ScanResult> {
  const root = resolve(deps.env.GITHUB_WORKSPACE || process.cwd());
  const reportsDir = resolve(root, inputs.reportsDir);
  const rules = await loadIgnore(inputs, root);
  const fork = isForkPullRequest(await readEventPayload(deps.env.GITHUB_EVENT_PATH));

  const scanned: Scanned =
    inputs.reports.length > 0
      ? { targets: await readReports(inputs, root), rawFiles: [], vulnScan: 'n/a', notes: [] }
      : await scan(inputs, deps, root, reportsDir, rules !== undefined);

  const notes = [...scanned.notes];
  const notices: Annotation[] = [];
  if (fork) {
    const text =
      'This pull request comes from a fork: its token has no security-events: write, so the SARIF cannot be uploaded to code scanning. Annotations and the job summary still show every finding.';
    notes.push(text);
    notices.push({
      level: 'notice',
      title: 'Trivy: SARIF not uploaded from a fork',
      message: text,
    });
  }
  if (scanned.vulnScan === 'off' && scanned.notes.length > 0) {
    notices.push({
      level: 'notice',
      title: 'Trivy: no vulnerability scan',
      message: scanned.notes[0] as string,
    });
  }

  const policy = { severities: inputs.severities, ignoreUnfixed: inputs.ignoreUnfixed };
  const outcome = evaluate(scanned.targets, rules, policy, deps.now());
  const rendered = render(outcome, {
    reportsDir: shownDir(root, reportsDir),
    policy,
    enforced: inputs.failOnFindings,
    notes,
    reservedNotices: notices.length,
  });

  // Every report was read, validated and evaluated before the first write: a bad report
  // leaves nothing behind, and each file is replaced atomically (temp file + rename).
  const writer = createReportWriter(reportsDir);
  const written: string[] = [];
  for (const file of scanned.rawFiles) written.push(await writer.write(file.name, file.content));
  for (const file of rendered.files) written.push(await writer.write(file.name, file.content()));
  return {
    outcome,
    rendered,
    written,
    reportsDir,
    sarifPaths: rendered.sarifFiles.map((file) => resolve(root, file)),
    notices,
    vulnScan: scanned.vulnScan,
    sarifUpload: fork ? 'skip' : 'upload',
  };
}
