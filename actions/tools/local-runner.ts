/**
 * Runs a BUNDLED action the way the GitHub runner does, on this machine: action.yml defaults
 * plus given inputs as INPUT_* variables, fresh GITHUB_OUTPUT/STATE/ENV/PATH/STEP_SUMMARY
 * files per step, the repository as GITHUB_WORKSPACE, then the post step with STATE_*
 * variables when `post-if` allows. Used by `npm run action` and by the integration tests.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../../scripts/repo-root.ts';
import { inputEnvName } from '../shared/src/inputs.ts';
import { ACTIONS_DIR } from './build.ts';
import {
  type Annotation,
  parseAnnotations,
  parseFileCommands,
  parsePathFile,
} from './file-commands.ts';

export { REPO_ROOT };

export interface ActionMetadata {
  readonly name: string;
  readonly inputs: Record<string, { default?: unknown; required?: boolean; description?: string }>;
  readonly outputs: Record<string, { description?: string }>;
  readonly runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export async function readActionMetadata(dir: string): Promise<ActionMetadata> {
  const meta = parseYaml(await readFile(join(dir, 'action.yml'), 'utf8')) as ActionMetadata;
  return { ...meta, inputs: meta.inputs ?? {}, outputs: meta.outputs ?? {} };
}

export interface RunOptions {
  /** Folder name under actions/, or a path to an action directory. */
  readonly action: string;
  readonly inputs?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  /** false skips the post step (`--no-post`). */
  readonly post?: boolean;
  readonly workspace?: string;
  /** Echo the steps' output to this process's stdout/stderr as it comes (the CLI does). */
  readonly stream?: boolean;
  /** Keep the temp directory (RUNNER_TEMP and the command files) for inspection. */
  readonly keepTemp?: boolean;
}

export interface StepResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly annotations: Annotation[];
  readonly durationMs: number;
}

export interface RunResult extends StepResult {
  /** What main saved with saveState. */
  readonly state: Record<string, string>;
  /** Variables main exported through GITHUB_ENV. */
  readonly exportedEnv: Record<string, string>;
  readonly addedPath: string[];
  /** The post step, when it ran. */
  readonly post?: StepResult;
  /** Why post did not run, when it did not. */
  readonly postSkipped?: string;
  readonly errors: string[];
  readonly warnings: string[];
  /** With keepTemp: the kept directory (RUNNER_TEMP, the event, the command files). */
  readonly tempDir?: string;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** owner/name from the origin remote, or local/<folder> for a clone without one. */
function repositoryName(workspace: string): string {
  const url = git(['remote', 'get-url', 'origin'], workspace);
  const match = url ? /[:/]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(url) : null;
  return match?.[1] ?? `local/${basename(workspace)}`;
}

/** Evaluates the two conditions actions use for `post-if`; anything else is treated as success(). */
export function shouldRunPost(postIf: string | undefined, mainSucceeded: boolean): boolean {
  const condition = (postIf ?? 'success()').replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim();
  if (condition === 'always()' || condition === '!cancelled()') return true;
  if (condition === 'failure()') return !mainSucceeded;
  return mainSucceeded;
}

interface StepFiles {
  output: string;
  state: string;
  env: string;
  path: string;
  summary: string;
}

async function stepFiles(dir: string, step: string): Promise<StepFiles> {
  const files = {
    output: join(dir, `${step}-output`),
    state: join(dir, `${step}-state`),
    env: join(dir, `${step}-env`),
    path: join(dir, `${step}-path`),
    summary: join(dir, `${step}-summary.md`),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  return files;
}

async function runStep(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  files: StepFiles,
  stream: boolean,
): Promise<StepResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [script], {
    cwd,
    env: {
      ...env,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stream) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stream) process.stderr.write(chunk);
  });
  const exitCode = await new Promise<number>((resolveExit) => {
    child.once('error', (error) => {
      stderr += `\n[runner] could not start node: ${error.message}`;
      resolveExit(127);
    });
    child.once('close', (code, signal) => resolveExit(code ?? (signal ? 128 : 1)));
  });
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommands(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
    annotations: parseAnnotations(stdout),
    durationMs: Date.now() - started,
  };
}

/** The action's folder and metadata; an error for an unknown action, input or missing input. */
async function checkedAction(options: RunOptions): Promise<{ dir: string; meta: ActionMetadata }> {
  const dir = existsSync(join(ACTIONS_DIR, options.action, 'action.yml'))
    ? join(ACTIONS_DIR, options.action)
    : resolve(options.action);
  if (!existsSync(join(dir, 'action.yml'))) {
    throw new Error(`No action "${options.action}": ${join(dir, 'action.yml')} does not exist`);
  }
  const meta = await readActionMetadata(dir);
  if (!/^node\d+$/.test(meta.runs.using)) {
    throw new Error(`${options.action}: runs.using "${meta.runs.using}" is not a node action`);
  }
  const unknown = Object.keys(options.inputs ?? {}).filter((name) => !(name in meta.inputs));
  if (unknown.length > 0) {
    throw new Error(
      `Unexpected input(s) ${unknown.map((u) => `'${u}'`).join(', ')}, valid inputs are ${Object.keys(meta.inputs).join(', ')}`,
    );
  }
  const missing = Object.entries(meta.inputs)
    .filter(
      ([name, spec]) => spec.required && spec.default === undefined && !options.inputs?.[name],
    )
    .map(([name]) => name);
  if (missing.length > 0) throw new Error(`Missing required input(s): ${missing.join(', ')}`);
  return { dir, meta };
}

/** INPUT_<NAME> for every input: the given value, else the default, else ''. */
function inputEnv(meta: ActionMetadata, inputs: RunOptions['inputs']): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    env[inputEnvName(name)] =
      inputs?.[name] ?? (spec.default === undefined ? '' : String(spec.default));
  }
  return env;
}

/** The environment a fresh job gives a step, plus the caller's env and the inputs. */
function runnerEnv(
  options: RunOptions,
  action: { dir: string; meta: ActionMetadata },
  paths: { workspace: string; temp: string; runnerTemp: string; eventPath: string },
): NodeJS.ProcessEnv {
  const { workspace, temp } = paths;
  // A clean slate for the runner's own variables, as a fresh job would have, also when
  // the tests themselves run in a job (on GitHub, or under act, which sets ACT).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(INPUT_|STATE_|GITHUB_|ACTIONS_|RUNNER_)/.test(key) && key !== 'ACT',
    ),
  );
  const sha = git(['rev-parse', 'HEAD'], workspace) ?? '0'.repeat(40);
  return {
    ...inherited,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: sha,
    GITHUB_REF: `refs/heads/${git(['rev-parse', '--abbrev-ref', 'HEAD'], workspace) ?? 'main'}`,
    GITHUB_REPOSITORY: repositoryName(workspace),
    GITHUB_REPOSITORY_OWNER: repositoryName(workspace).split('/')[0],
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'local',
    GITHUB_WORKFLOW: 'local-runner',
    GITHUB_ACTION: basename(action.dir),
    GITHUB_ACTION_PATH: action.dir,
    GITHUB_ACTOR: 'local',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: paths.eventPath,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_NAME: 'local-runner',
    RUNNER_TEMP: paths.runnerTemp,
    RUNNER_TOOL_CACHE: join(temp, 'tool-cache'),
    ...options.env,
    ...inputEnv(action.meta, options.inputs),
  };
}

/** What main left for post: its state, the env it exported and the PATH it added. */
interface MainEffects {
  readonly state: Record<string, string>;
  readonly exportedEnv: Record<string, string>;
  readonly addedPath: string[];
}

/** Why post does not run, or undefined when it does. */
function postSkipReason(
  meta: ActionMetadata,
  options: RunOptions,
  mainPassed: boolean,
): string | undefined {
  if (!meta.runs.post) return 'the action has no post step';
  if (options.post === false) return 'disabled (--no-post)';
  if (!shouldRunPost(meta.runs['post-if'], mainPassed))
    return `post-if: ${meta.runs['post-if'] ?? 'success()'} is false`;
  return undefined;
}

/** Runs post with main's state (STATE_*), exported env and PATH additions. */
function runPost(
  post: string,
  baseEnv: NodeJS.ProcessEnv,
  main: MainEffects,
  step: { dir: string; workspace: string; temp: string; stream: boolean },
): Promise<StepResult> {
  const stateEnv = Object.fromEntries(
    Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]),
  );
  const postEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    ...main.exportedEnv,
    ...stateEnv,
    PATH: [...[...main.addedPath].reverse(), baseEnv.PATH ?? ''].join(':'),
  };
  return stepFiles(step.temp, 'post').then((postFiles) =>
    runStep(join(step.dir, post), postEnv, step.workspace, postFiles, step.stream),
  );
}

/** Runs main (and post) of a bundled action and returns what a workflow would see. */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const action = await checkedAction(options);
  const { dir, meta } = action;
  const workspace = resolve(options.workspace ?? REPO_ROOT);
  const temp = await mkdtemp(join(tmpdir(), 'local-runner-'));
  try {
    const runnerTemp = join(temp, 'runner-temp');
    await mkdir(runnerTemp);
    const eventPath = join(temp, 'event.json');
    await writeFile(eventPath, '{}\n');
    const baseEnv = runnerEnv(options, action, { workspace, temp, runnerTemp, eventPath });

    const stream = options.stream ?? false;
    const mainFiles = await stepFiles(temp, 'main');
    const main = await runStep(join(dir, meta.runs.main), baseEnv, workspace, mainFiles, stream);
    const effects: MainEffects = {
      state: parseFileCommands(await readFile(mainFiles.state, 'utf8')),
      exportedEnv: parseFileCommands(await readFile(mainFiles.env, 'utf8')),
      addedPath: parsePathFile(await readFile(mainFiles.path, 'utf8')),
    };

    const postSkipped = postSkipReason(meta, options, main.exitCode === 0);
    const post =
      postSkipped === undefined
        ? await runPost(meta.runs.post as string, baseEnv, effects, {
            dir,
            workspace,
            temp,
            stream,
          })
        : undefined;
    const annotations = [...main.annotations, ...(post?.annotations ?? [])];
    return {
      ...main,
      summary: main.summary + (post?.summary ?? ''),
      ...effects,
      post,
      postSkipped,
      errors: annotations.filter((a) => a.level === 'error').map((a) => a.message),
      warnings: annotations.filter((a) => a.level === 'warning').map((a) => a.message),
      ...(options.keepTemp ? { tempDir: temp } : {}),
    };
  } finally {
    if (!options.keepTemp) await rm(temp, { recursive: true, force: true });
  }
}
