/**
 * Which third-party actions the workflows use, and where act can take each one from
 * without cloning it: `act --local-repository <owner>/<repo>@<ref>=<dir>` (act ≥ 0.2.60).
 *
 * act prepares every remote action of a job before the job starts, even one whose `if:`
 * is false, so every `uses:` needs a tree. The trees are laid out as
 * `<dir>/<owner>/<repo>/<ref>/`; a sub-path action (`github/codeql-action/upload-sarif`)
 * is read by act from `<tree>/upload-sarif`, so the key is the repository alone.
 */
import { parse } from 'yaml';

export interface RemoteAction {
  /** `owner/repo`, without a sub-path. */
  readonly repository: string;
  /** The ref exactly as `uses:` writes it (a full commit SHA in this repository). */
  readonly ref: string;
  /** `owner/repo@ref`: act's --local-repository key. */
  readonly key: string;
}

/** `owner/repo[/path]@ref` → the action; undefined for `./local`, `docker://` and bad shapes. */
export function parseUses(uses: string): RemoteAction | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const match = /^([\w.-]+)\/([\w.-]+)(?:\/[^@]+)?@(\S+)$/.exec(uses.trim());
  if (!match) return undefined;
  const [, owner, repo, ref] = match as unknown as [string, string, string, string];
  const repository = `${owner}/${repo}`;
  return { repository, ref, key: `${repository}@${ref}` };
}

type Job = { uses?: unknown; steps?: { uses?: unknown }[] };

/** Every `uses:` of a workflow's jobs: a called workflow's, and each step's. */
function usesOf(text: string): unknown[] {
  const doc = parse(text) as { jobs?: Record<string, Job> } | null;
  return Object.values(doc?.jobs ?? {}).flatMap((job) => [
    job.uses,
    ...(job.steps ?? []).map((step) => step.uses),
  ]);
}

/** Every remote action that the workflow texts name in a step, once each, sorted by key. */
export function remoteActions(workflows: readonly string[]): RemoteAction[] {
  const found = new Map<string, RemoteAction>();
  for (const value of workflows.flatMap(usesOf)) {
    const action = typeof value === 'string' ? parseUses(value) : undefined;
    if (action) found.set(action.key, action);
  }
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export interface LocalRepositories {
  /** `--local-repository key=dir` pairs, for the actions that have a tree. */
  readonly args: readonly string[];
  /** Actions with no tree: act will clone them (and fail offline). */
  readonly missing: readonly RemoteAction[];
}

/** The act flags mapping each action to `<dir>/<owner>/<repo>/<ref>` where that exists. */
export function localRepositories(
  actions: readonly RemoteAction[],
  dir: string,
  exists: (path: string) => boolean,
): LocalRepositories {
  const args: string[] = [];
  const missing: RemoteAction[] = [];
  for (const action of actions) {
    const tree = `${dir}/${action.repository}/${action.ref}`;
    if (exists(tree)) args.push('--local-repository', `${action.key}=${tree}`);
    else missing.push(action);
  }
  return { args, missing };
}
