/**
 * npm run act -- <act arguments>: act with every third-party action of the workflows taken
 * from a local tree when one is there, and act's tool cache holding Node 24 (and the
 * host's Go) so that setup-node and setup-go need no download.
 *
 * Trees: $ACT_ACTIONS_DIR, else ../shared/actions beside the repository (the offline
 * machine this project is tested on), laid out as <owner>/<repo>/<commit>/. With neither,
 * act clones the actions from GitHub as usual. The jobs (and so our node24 actions) run
 * on the Node 24 of the tool cache, the Node GitHub runs them on.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../repo-root.ts';
import { localRepositories, remoteActions } from './local-actions.ts';
import { goSemver, NODE_VERSION, seedGo, seedNode } from './tool-cache.ts';

export interface ActInvocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** What was prepared, one line each, for the log. */
  readonly notes: readonly string[];
}

/** The value of `--flag value` or `--flag=value` in argv. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === flag) return argv[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/** Where the action trees are: ACT_ACTIONS_DIR (must exist when set), else ../shared/actions. */
export function actionsDir(root: string, env: NodeJS.ProcessEnv): string | undefined {
  const named = env.ACT_ACTIONS_DIR;
  if (named) {
    if (!existsSync(named)) throw new Error(`ACT_ACTIONS_DIR=${named}: no such directory`);
    return resolve(named);
  }
  const beside = resolve(root, '../shared/actions');
  return existsSync(beside) ? beside : undefined;
}

function workflowTexts(root: string): string[] {
  const dir = join(root, '.github/workflows');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

function findAct(env: NodeJS.ProcessEnv): string {
  const gobin = join(env.GOPATH ?? join(homedir(), 'go'), 'bin', 'act');
  for (const dir of (env.PATH ?? '').split(delimiter))
    if (dir && existsSync(join(dir, 'act'))) return join(dir, 'act');
  if (existsSync(gobin)) return gobin;
  throw new Error('act is not installed: bash .ci/install.sh builds it (.ci/go-tools.txt)');
}

function hostGo(): { goroot: string; version: string } | undefined {
  try {
    const [goroot, goversion] = execFileSync('go', ['env', 'GOROOT', 'GOVERSION'], {
      encoding: 'utf8',
    }).split('\n');
    const version = goSemver(goversion ?? '');
    return goroot && version ? { goroot, version } : undefined;
  } catch {
    return undefined;
  }
}

/** The act command line and environment for argv; seeds the tool cache on the way. */
export function prepareAct(
  argv: readonly string[],
  options: { root?: string; env?: NodeJS.ProcessEnv; act?: string } = {},
): ActInvocation {
  const root = options.root ?? REPO_ROOT;
  const env = { ...(options.env ?? process.env) };
  const notes: string[] = [];
  const mapped: string[] = [];

  const dir = actionsDir(root, env);
  if (dir) {
    const { args, missing } = localRepositories(
      remoteActions(workflowTexts(root)),
      dir,
      existsSync,
    );
    mapped.push(...args);
    notes.push(`act: ${args.length / 2} action(s) from ${dir}`);
    for (const action of missing) notes.push(`act: no tree for ${action.key}: act will clone it`);
  } else {
    notes.push('act: no local action trees (ACT_ACTIONS_DIR): act clones the actions');
  }

  const cache = resolve(flagValue(argv, '--action-cache-path') ?? join(homedir(), '.cache/act'));
  const toolCache = join(cache, 'tool_cache');
  if (process.platform === 'linux' && process.arch === 'x64') {
    const node = seedNode(toolCache);
    env.PATH = [join(node, 'bin'), env.PATH].filter(Boolean).join(delimiter);
    notes.push(`tool cache: node ${NODE_VERSION} (${node}); jobs run on it`);
  } else {
    notes.push(
      `tool cache: not seeded on ${process.platform}-${process.arch}: setup-node downloads`,
    );
  }
  const go = hostGo();
  if (go) notes.push(`tool cache: go ${go.version} (${seedGo(toolCache, go.goroot, go.version)})`);

  return { command: options.act ?? findAct(env), args: [...mapped, ...argv], env, notes };
}

async function main(): Promise<void> {
  const invocation = prepareAct(process.argv.slice(2));
  for (const note of invocation.notes) console.error(note);
  const child = spawn(invocation.command, invocation.args, {
    cwd: REPO_ROOT,
    env: invocation.env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('close', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + 15 : 1);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`npm run act: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
}
