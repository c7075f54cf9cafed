/**
 * Whether this run's SARIF can be uploaded to code scanning, decided before anything is
 * uploaded, so the workflow's upload steps are skipped (sarif-upload=skip) instead of
 * failing with 403:
 *
 * - a pull request from a fork: its token cannot write security events. The head
 *   repository is compared with the base one (`pull_request.head.repo.fork` describes
 *   the head repository, and is true for every PR inside a fork of this repository); a
 *   PR whose head repository was deleted (`head.repo: null`) is treated as a fork;
 * - a private repository without code scanning (GitHub Advanced Security): the
 *   code-scanning API answers 403 "Advanced Security must be enabled"; public
 *   repositories always have code scanning;
 * - `code-scanning: off`.
 */
export const CODE_SCANNING_MODES = ['auto', 'on', 'off'] as const;
export type CodeScanningMode = (typeof CODE_SCANNING_MODES)[number];

export interface UploadDecision {
  readonly upload: 'upload' | 'skip';
  /** Why it is skipped (for the output, a notice and the summary); '' when uploaded. */
  readonly reason: string;
  /** Something the log should say when the check itself could not decide. */
  readonly warning?: string;
}

/** What the code-scanning API says about a repository. */
export type CodeScanningStatus =
  | { readonly state: 'enabled' }
  | { readonly state: 'disabled'; readonly message: string }
  | { readonly state: 'unknown'; readonly message: string };

/** The one question asked of GitHub's API (code-scanning-api.ts asks it with Octokit). */
export interface CodeScanningApi {
  status(owner: string, repo: string): Promise<CodeScanningStatus>;
}

interface RepoRef {
  full_name?: unknown;
  private?: unknown;
}
interface Payload {
  pull_request?: { head?: { repo?: RepoRef | null }; base?: { repo?: RepoRef | null } };
  repository?: RepoRef;
}

/** Why a pull request counts as a fork, or undefined when it is not one (or no PR). */
export function forkReason(payload: unknown): string | undefined {
  const pr = (payload as Payload | null | undefined)?.pull_request;
  if (!pr) return undefined;
  const head = pr.head?.repo;
  const base = pr.base?.repo?.full_name;
  if (head === null || head === undefined || typeof head.full_name !== 'string') {
    return 'This pull request’s head repository is gone (deleted or inaccessible), so it is handled as a fork: its token cannot write security events, and the SARIF is not uploaded to code scanning.';
  }
  if (typeof base === 'string' && head.full_name.toLowerCase() === base.toLowerCase()) {
    return undefined;
  }
  return `This pull request comes from a fork (${head.full_name}): its token has no security-events: write, so the SARIF cannot be uploaded to code scanning.`;
}

export interface UploadContext {
  readonly payload: unknown;
  readonly mode: CodeScanningMode;
  /** owner/name of the repository (GITHUB_REPOSITORY), for the API question. */
  readonly repository: string | undefined;
  /** Built only when a question must be asked (a private repository in auto mode). */
  readonly api: () => Promise<CodeScanningApi>;
}

const ANNOTATIONS_STILL = ' Annotations, the job summary and the reports still show every finding.';

export async function decideUpload(ctx: UploadContext): Promise<UploadDecision> {
  if (ctx.mode === 'off') {
    return {
      upload: 'skip',
      reason: `code-scanning is off: the SARIF is not uploaded.${ANNOTATIONS_STILL}`,
    };
  }
  const fork = forkReason(ctx.payload);
  if (fork) return { upload: 'skip', reason: `${fork}${ANNOTATIONS_STILL}` };
  if (ctx.mode === 'on') return { upload: 'upload', reason: '' };
  const repo = (ctx.payload as Payload | null | undefined)?.repository;
  const name = ctx.repository ?? (typeof repo?.full_name === 'string' ? repo.full_name : '');
  if (repo?.private !== true || !name.includes('/')) return { upload: 'upload', reason: '' };
  const [owner = '', repoName = ''] = name.split('/');
  const status = await (await ctx.api()).status(owner, repoName);
  if (status.state === 'enabled') return { upload: 'upload', reason: '' };
  if (status.state === 'disabled') {
    return {
      upload: 'skip',
      reason: `${name} is private and code scanning is not enabled for it (GitHub: "${status.message}"): the SARIF is not uploaded. Enable GitHub Advanced Security (or Code Security) for the repository, or set code-scanning: off.${ANNOTATIONS_STILL}`,
    };
  }
  return {
    upload: 'upload',
    reason: '',
    warning: `Could not tell whether code scanning is enabled for ${name} (${status.message}); uploading as usual. Set code-scanning: on or off to skip this check.`,
  };
}
