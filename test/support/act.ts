/**
 * Workflows under act for the e2e tests, through the same entry point a user runs
 * (`npm run act`, scripts/act/cli.ts): the action trees mapped when they are there, Node 24
 * in act's tool cache. act logs JSON lines (--json); this reads them back as each job's
 * result, its step outputs, its notices and its job summary (act v0.2.89 logs each step's).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { prepareAct } from '../../scripts/act/cli.ts';
import { docker, REPO_ROOT } from './docker.ts';
import { freePort } from './net.ts';

export interface ActEntry {
  readonly msg: string;
  readonly level?: string;
  readonly jobID?: string;
  readonly job?: string;
  readonly step?: string;
  readonly stage?: string;
  readonly jobResult?: string;
  readonly stepResult?: string;
  readonly command?: string;
  readonly name?: string;
  readonly arg?: string;
  readonly raw_output?: boolean;
  /** A step's job summary (command: summary). */
  readonly content?: string;
}

export interface ActRun {
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly entries: readonly ActEntry[];
  /** The run as text, `[jobID] message` a line: for failure messages. */
  readonly text: string;
  /** act's artifact server directory: `<run id>/<name>/<name>.zip`. */
  readonly artifacts: string;
}

/** The last lines of a run, for an assertion's message. */
export const tail = (run: ActRun, lines = 60): string =>
  run.text.split('\n').slice(-lines).join('\n');

/** jobID → success/failure, for every job that ran to its end. */
export function jobResults(run: ActRun): Record<string, string> {
  const results: Record<string, string> = {};
  for (const e of run.entries) if (e.jobID && e.jobResult) results[e.jobID] = e.jobResult;
  return results;
}

/** The outputs a job's steps set (the last value of each name). */
export function outputs(run: ActRun, jobID: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const e of run.entries)
    if (e.jobID === jobID && e.command === 'set-output' && e.name) found[e.name] = e.arg ?? '';
  return found;
}

/** The notices (::notice::) a job's steps wrote. */
export const notices = (run: ActRun, jobID: string): string[] =>
  run.entries.filter((e) => e.jobID === jobID && e.command === 'notice').map((e) => e.arg ?? '');

/** A step's result by its name as act prints it ("Main ./actions/trivy-scan"), or undefined. */
export function stepResult(run: ActRun, jobID: string, step: string): string | undefined {
  return run.entries.find(
    (e) => e.jobID === jobID && e.stepResult && `${e.stage} ${e.step}` === step,
  )?.stepResult;
}

/** The job summary of a job: what its steps wrote to GITHUB_STEP_SUMMARY, which act logs. */
export const summary = (run: ActRun, jobID: string): string =>
  run.entries
    .filter((e) => e.jobID === jobID && e.command === 'summary')
    .map((e) => e.content ?? '')
    .join('\n');

/** Every file under dir, relative paths. */
export function walk(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** The file names in a zip archive, as unzip lists them. */
export const zipEntries = (zip: string): string[] =>
  execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);

/** One file of a zip archive, as text, as unzip extracts it. */
export function zipText(zip: string, name: string): string {
  if (!zipEntries(zip).includes(name)) throw new Error(`${name} is not in ${zip}`);
  return execFileSync('unzip', ['-p', zip, name], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** An artifact act's server holds: its zip's path and bytes. */
export interface StoredArtifact {
  readonly path: string;
  readonly bytes: Buffer;
}

/** The artifact act's server holds under `name`; undefined when there is none. */
export async function artifact(run: ActRun, name: string): Promise<StoredArtifact | undefined> {
  const zip = walk(run.artifacts).find((f) => f.endsWith(`/${name}/${name}.zip`));
  if (!zip) return undefined;
  const path = join(run.artifacts, zip);
  return { path, bytes: await readFile(path) };
}

/** Removes every container, network and volume of a Compose project: no compose file needed. */
export async function removeProject(project: string): Promise<void> {
  const label = `label=com.docker.compose.project=${project}`;
  const list = async (args: string[]) =>
    (await docker([...args, '--filter', label])).split('\n').filter(Boolean);
  const containers = await list(['ps', '-aq']);
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
  const networks = await list(['network', 'ls', '-q']);
  if (networks.length > 0) await docker(['network', 'rm', ...networks]);
  const volumes = await list(['volume', 'ls', '-q']);
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
}

/** The <service>-demo tags the engine has now (build-images adds <service>-demo:<sha>). */
export async function demoTags(): Promise<Set<string>> {
  const tags = new Set<string>();
  for (const image of ['backend-demo', 'frontend-demo'])
    for (const tag of (
      await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', image])
    ).split('\n'))
      if (tag) tags.add(tag);
  return tags;
}

/** Untags the <service>-demo:<sha> tags the runs added (not there in `before`). */
export async function removeDemoTagsSince(before: ReadonlySet<string>): Promise<void> {
  for (const tag of await demoTags())
    if (/^(backend|frontend)-demo:[0-9a-f]{7,40}$/.test(tag) && !before.has(tag))
      await docker(['rmi', tag]).catch(() => undefined);
}

/** Removes every image (tags and pulled digests) whose name starts with prefix/. */
export async function removeImagesOf(prefix: string): Promise<void> {
  const refs = (
    await docker([
      'images',
      '--digests',
      '--format',
      '{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}',
    ])
  )
    .split(/\s+/)
    .filter(
      (ref) => ref.startsWith(`${prefix}/`) && !ref.endsWith(':<none>') && !ref.endsWith('@<none>'),
    );
  for (const ref of refs) await docker(['rmi', ref]).catch(() => undefined);
}

/**
 * The repository the event payloads in .github/act/ name. act takes github.repository from
 * the clone's origin remote, which in a clone of a local folder (as in CI) is a path, not
 * owner/name: publish-images then refuses it. The payloads and act must agree.
 */
export const EVENT_REPOSITORY = 'local/devops-pipeline-reference';

export interface ActOptions {
  /** act's arguments: event, -W, -e, -j... */
  readonly args: readonly string[];
  /** Lines for --env-file (stand-in images, ports). */
  readonly env?: Readonly<Record<string, string>>;
  /** --var NAME=value, as repository variables. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Where act's caches, the artifact server and the log go; the caller removes it. */
  readonly dir: string;
  readonly timeoutMs: number;
}

/** A scratch directory for one or more act runs. */
export const actScratch = (): Promise<string> => mkdtemp(join(tmpdir(), 'act-e2e-'));
export const removeScratch = (dir: string): Promise<void> =>
  rm(dir, { recursive: true, force: true });

/**
 * Runs act to its end (or kills its process group at the timeout) and reads its JSON log.
 * The action cache is the caller's directory, so the tool cache act's jobs see is seeded
 * there and nothing lands in ~/.cache/act.
 */
export async function runAct(options: ActOptions): Promise<ActRun> {
  const { dir } = options;
  const stamp = `${Date.now()}`;
  const envFile = join(dir, `act-${stamp}.env`);
  await writeFile(
    envFile,
    Object.entries({ GITHUB_REPOSITORY: EVENT_REPOSITORY, ...options.env })
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const artifacts = join(dir, `artifacts-${stamp}`);
  const args = [
    ...options.args,
    '--json',
    '--env-file',
    envFile,
    ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
    '--artifact-server-path',
    artifacts,
    '--artifact-server-port',
    String(await freePort()),
    '--action-cache-path',
    join(dir, 'act-cache'),
    '--cache-server-path',
    join(dir, 'cache-server'),
  ];
  const act = prepareAct(args);
  const logFile = join(dir, `act-${stamp}.log`);
  const out = createWriteStream(logFile);
  const started = Date.now();
  // Its own process group, so that a timeout kills act and the steps it started.
  const child = spawn(act.command, act.args, {
    cwd: REPO_ROOT,
    env: act.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const timer = setTimeout(() => {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  await new Promise((resolve) => out.end(resolve));
  const entries: ActEntry[] = [];
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line.startsWith('{')) {
      if (line.trim()) entries.push({ msg: line });
      continue;
    }
    try {
      const entry = JSON.parse(line) as ActEntry;
      entries.push({ ...entry, msg: stripVTControlCharacters(entry.msg ?? '') });
    } catch {
      entries.push({ msg: line });
    }
  }
  const text = entries.map((e) => `[${e.jobID ?? 'act'}] ${e.msg.replace(/\n$/, '')}`).join('\n');
  return {
    exitCode,
    seconds: Math.round((Date.now() - started) / 1000),
    entries,
    text,
    artifacts,
  };
}
