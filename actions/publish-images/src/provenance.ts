/**
 * A SLSA v1 build provenance predicate in GitHub's workflow build type, the same fields
 * that actions/attest fills from the job's OIDC claims, taken here from the job's
 * environment (GITHUB_* variables carry the same values). On GitHub, actions/attest makes
 * the signed provenance; where there is no OIDC token (act, the e2e), cosign attests this
 * one with a key, and the deploy checks the same fields either way.
 */

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const GITHUB_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

export interface BuildFacts {
  readonly serverUrl: string;
  /** owner/repo */
  readonly repository: string;
  readonly ref: string;
  readonly sha: string;
  /** owner/repo/.github/workflows/<file>@<ref> (GITHUB_WORKFLOW_REF). */
  readonly workflowRef: string;
  readonly eventName: string;
  readonly repositoryId: string;
  readonly repositoryOwnerId: string;
  readonly runnerEnvironment: string;
  readonly runId: string;
  readonly runAttempt: string;
}

export interface ProvenancePredicate {
  readonly buildDefinition: {
    readonly buildType: string;
    readonly externalParameters: {
      readonly workflow: {
        readonly ref: string;
        readonly repository: string;
        readonly path: string;
      };
    };
    readonly internalParameters: { readonly github: Readonly<Record<string, string>> };
    readonly resolvedDependencies: readonly {
      readonly uri: string;
      readonly digest: { readonly gitCommit: string };
    }[];
  };
  readonly runDetails: {
    readonly builder: { readonly id: string };
    readonly metadata: { readonly invocationId: string };
  };
}

/**
 * The facts from the job's environment. GITHUB_WORKFLOW_REF names the workflow file; a
 * runner that does not set it (act) needs `workflow`, the file, to make the same ref.
 */
export function buildFacts(
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly repository: string; readonly workflow: string },
): BuildFacts {
  const ref = env.GITHUB_REF ?? '';
  const workflowRef =
    env.GITHUB_WORKFLOW_REF ||
    (options.workflow ? `${options.repository}/${options.workflow}@${ref}` : '');
  if (!workflowRef) {
    throw new Error(
      'GITHUB_WORKFLOW_REF is not set: give the workflow input (.github/workflows/<file>) for the provenance',
    );
  }
  return {
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    repository: options.repository,
    ref,
    sha: env.GITHUB_SHA ?? '',
    workflowRef,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repositoryId: env.GITHUB_REPOSITORY_ID ?? '',
    repositoryOwnerId: env.GITHUB_REPOSITORY_OWNER_ID ?? '',
    runnerEnvironment: env.RUNNER_ENVIRONMENT ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
  };
}

/** .github/workflows/pipeline.yml from owner/repo/.github/workflows/pipeline.yml@refs/heads/main. */
export function workflowPath(workflowRef: string, repository: string): string {
  const [path = ''] = workflowRef.replace(`${repository}/`, '').split('@');
  return path;
}

export function provenancePredicate(facts: BuildFacts): ProvenancePredicate {
  const server = facts.serverUrl.replace(/\/+$/, '');
  return {
    buildDefinition: {
      buildType: GITHUB_BUILD_TYPE,
      externalParameters: {
        workflow: {
          ref: facts.ref,
          repository: `${server}/${facts.repository}`,
          path: workflowPath(facts.workflowRef, facts.repository),
        },
      },
      internalParameters: {
        github: {
          event_name: facts.eventName,
          repository_id: facts.repositoryId,
          repository_owner_id: facts.repositoryOwnerId,
          runner_environment: facts.runnerEnvironment,
        },
      },
      resolvedDependencies: [
        {
          uri: `git+${server}/${facts.repository}@${facts.ref}`,
          digest: { gitCommit: facts.sha },
        },
      ],
    },
    runDetails: {
      builder: { id: `${server}/${facts.workflowRef}` },
      metadata: {
        invocationId: `${server}/${facts.repository}/actions/runs/${facts.runId}/attempts/${facts.runAttempt}`,
      },
    },
  };
}
