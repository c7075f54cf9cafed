import { describe, expect, test } from 'vitest';
import {
  buildFacts,
  GITHUB_BUILD_TYPE,
  provenancePredicate,
  workflowPath,
} from '../src/provenance.ts';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

test.each([
  ['o/r/.github/workflows/pipeline.yml@refs/heads/main', 'o/r', '.github/workflows/pipeline.yml'],
  ['o/r/.github/workflows/pipeline.yml@refs/tags/v1.0.0', 'o/r', '.github/workflows/pipeline.yml'],
  ['', 'o/r', ''],
])('workflowPath(%j) → %j', (ref, repository, path) => {
  expect(workflowPath(ref, repository)).toBe(path);
});

test("the predicate has the fields actions/attest fills from the job's claims", () => {
  expect(
    provenancePredicate({
      serverUrl: 'https://github.com',
      repository: 'o/r',
      ref: 'refs/heads/main',
      sha: SHA,
      workflowRef: 'o/r/.github/workflows/pipeline.yml@refs/heads/main',
      eventName: 'push',
      repositoryId: '42',
      repositoryOwnerId: '7',
      runnerEnvironment: 'github-hosted',
      runId: '1001',
      runAttempt: '2',
    }),
  ).toEqual({
    buildDefinition: {
      buildType: GITHUB_BUILD_TYPE,
      externalParameters: {
        workflow: {
          ref: 'refs/heads/main',
          repository: 'https://github.com/o/r',
          path: '.github/workflows/pipeline.yml',
        },
      },
      internalParameters: {
        github: {
          event_name: 'push',
          repository_id: '42',
          repository_owner_id: '7',
          runner_environment: 'github-hosted',
        },
      },
      resolvedDependencies: [
        { uri: 'git+https://github.com/o/r@refs/heads/main', digest: { gitCommit: SHA } },
      ],
    },
    runDetails: {
      builder: { id: 'https://github.com/o/r/.github/workflows/pipeline.yml@refs/heads/main' },
      metadata: { invocationId: 'https://github.com/o/r/actions/runs/1001/attempts/2' },
    },
  });
});

describe('buildFacts', () => {
  const env = { GITHUB_REF: 'refs/heads/main', GITHUB_SHA: SHA };
  test.each([
    // GitHub sets it: it wins over the input.
    [
      { ...env, GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/a.yml@refs/heads/main' },
      '.github/workflows/b.yml',
      'o/r/.github/workflows/a.yml@refs/heads/main',
    ],
    // act does not: the input makes the same ref.
    [env, '.github/workflows/pipeline.yml', 'o/r/.github/workflows/pipeline.yml@refs/heads/main'],
  ])('%j with workflow %s → %s', (vars, workflow, workflowRef) => {
    expect(buildFacts(vars, { repository: 'o/r', workflow }).workflowRef).toBe(workflowRef);
  });

  test('neither: refused, naming the input', () => {
    expect(() => buildFacts(env, { repository: 'o/r', workflow: '' })).toThrow(
      'GITHUB_WORKFLOW_REF is not set: give the workflow input',
    );
  });
});
