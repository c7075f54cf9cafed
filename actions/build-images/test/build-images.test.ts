import { describe, expect, test } from 'vitest';
import type { ComposeBuildSpec } from '../../shared/src/compose-file.ts';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { actionDefaults } from '../../shared/test/helpers.ts';
import { readInputs } from '../src/inputs.ts';
import {
  type BuildRequest,
  buildCommand,
  chooseBuilder,
  imageTags,
  selectServices,
} from '../src/plan.ts';
import { buildSummary, imagesOutput } from '../src/summary.ts';

const SHA = '85d21b1dacb6129924245316fcabe4416b5f6fa5';
const backend: ComposeBuildSpec = {
  service: 'backend',
  context: '/w/backend',
  dockerfile: 'Dockerfile',
  args: { NODE_IMAGE: 'node:24-bookworm-slim' },
};
const buildkit = { builder: 'buildkit', gha: false, reason: '' } as const;
const buildx = { builder: 'buildx', gha: false, reason: '' } as const;
const buildxGha = { builder: 'buildx', gha: true, reason: '' } as const;
const base = {
  spec: backend,
  tags: ['backend-demo:dev'],
  extraArgs: [],
  iidFile: '/t/backend.iid',
};

// One table, input → exact argv, like build-push-action's context.test.ts.
describe('buildCommand', () => {
  test.each<[string, BuildRequest, string[], Record<string, string>]>([
    [
      'BuildKit without buildx',
      { ...base, choice: buildkit },
      [
        'build',
        '--file',
        '/w/backend/Dockerfile',
        '--tag',
        'backend-demo:dev',
        '--build-arg',
        'NODE_IMAGE=node:24-bookworm-slim',
        '--iidfile',
        '/t/backend.iid',
        '/w/backend',
      ],
      { DOCKER_BUILDKIT: '1' },
    ],
    [
      'buildx without the cache service: --load, no cache flags',
      { ...base, choice: buildx },
      [
        'buildx',
        'build',
        '--file',
        '/w/backend/Dockerfile',
        '--tag',
        'backend-demo:dev',
        '--build-arg',
        'NODE_IMAGE=node:24-bookworm-slim',
        '--iidfile',
        '/t/backend.iid',
        '--load',
        '/w/backend',
      ],
      {},
    ],
    [
      'buildx with the GitHub Actions cache, one scope per service',
      { ...base, choice: buildxGha },
      [
        'buildx',
        'build',
        '--file',
        '/w/backend/Dockerfile',
        '--tag',
        'backend-demo:dev',
        '--build-arg',
        'NODE_IMAGE=node:24-bookworm-slim',
        '--iidfile',
        '/t/backend.iid',
        '--cache-from',
        'type=gha,scope=backend',
        '--cache-to',
        'type=gha,mode=max,scope=backend',
        '--load',
        '/w/backend',
      ],
      {},
    ],
    [
      'build-args override the compose args of the same name and add new ones, in order',
      {
        ...base,
        choice: buildkit,
        extraArgs: [
          ['NODE_IMAGE', 'local/standin/node:latest'],
          ['EXTRA', 'a=b'],
        ],
      },
      [
        'build',
        '--file',
        '/w/backend/Dockerfile',
        '--tag',
        'backend-demo:dev',
        '--build-arg',
        'NODE_IMAGE=local/standin/node:latest',
        '--build-arg',
        'EXTRA=a=b',
        '--iidfile',
        '/t/backend.iid',
        '/w/backend',
      ],
      { DOCKER_BUILDKIT: '1' },
    ],
    [
      'several tags, target, labels, Dockerfile elsewhere',
      {
        ...base,
        spec: {
          service: 'frontend',
          context: '/w/frontend',
          dockerfile: '../docker/web.Dockerfile',
          args: {},
          target: 'runtime',
        },
        tags: ['frontend-demo:dev', 'frontend-demo:85d21b1'],
        labels: { 'org.opencontainers.image.revision': SHA },
        choice: buildkit,
      },
      [
        'build',
        '--file',
        '/w/docker/web.Dockerfile',
        '--tag',
        'frontend-demo:dev',
        '--tag',
        'frontend-demo:85d21b1',
        '--target',
        'runtime',
        '--label',
        `org.opencontainers.image.revision=${SHA}`,
        '--iidfile',
        '/t/backend.iid',
        '/w/frontend',
      ],
      { DOCKER_BUILDKIT: '1' },
    ],
    [
      'absolute Dockerfile kept',
      { ...base, spec: { ...backend, dockerfile: '/abs/Dockerfile', args: {} }, choice: buildkit },
      [
        'build',
        '--file',
        '/abs/Dockerfile',
        '--tag',
        'backend-demo:dev',
        '--iidfile',
        '/t/backend.iid',
        '/w/backend',
      ],
      { DOCKER_BUILDKIT: '1' },
    ],
  ])('%s', (_name, request, args, env) => {
    expect(buildCommand(request)).toEqual({ command: 'docker', args, env });
  });
});

describe('chooseBuilder', () => {
  test.each([
    ['auto', false, false, undefined, 'buildkit', false],
    ['auto', false, true, undefined, 'buildkit', false],
    ['auto', true, false, undefined, 'buildx', false],
    ['auto', true, true, 'docker-container', 'buildx', true],
    ['auto', true, true, 'docker', 'buildx', false],
    ['none', true, true, 'docker-container', 'buildx', false],
    ['gha', true, true, 'docker-container', 'buildx', true],
  ] as const)(
    'cache=%s buildx=%s cacheService=%s driver=%s → %s gha=%s',
    (cache, buildx, cacheService, driver, builder, gha) => {
      expect(chooseBuilder(cache, { buildx, cacheService, driver })).toMatchObject({
        builder,
        gha,
      });
    },
  );
  test.each([
    [false, true, undefined, 'docker buildx is not installed'],
    [true, false, undefined, 'ACTIONS_CACHE_URL/ACTIONS_RUNTIME_TOKEN are not set'],
    [
      true,
      true,
      'docker',
      'the buildx builder uses the docker driver, which cannot export a cache',
    ],
  ])(
    'cache=gha fails clearly (buildx=%s, cache service=%s, driver=%s)',
    (buildx, cacheService, driver, message) => {
      expect(() => chooseBuilder('gha', { buildx, cacheService, driver })).toThrow(message);
    },
  );
});

describe('tags and services', () => {
  test.each([
    ['short', ['backend-demo:dev', 'backend-demo:85d21b1']],
    ['full', ['backend-demo:dev', `backend-demo:${SHA}`]],
    ['none', ['backend-demo:dev']],
  ] as const)('sha-tag %s', (shaTag, tags) => {
    expect(
      imageTags({ service: 'backend', imageName: '{service}-demo', tag: 'dev', shaTag, sha: SHA }),
    ).toEqual({ image: 'backend-demo', tags });
  });
  const frontend = { ...backend, service: 'frontend' };
  test('every buildable service by default; chosen ones in the given order', () => {
    expect(selectServices([backend, frontend], []).map((s) => s.service)).toEqual([
      'backend',
      'frontend',
    ]);
    expect(
      selectServices([backend, frontend], ['frontend', 'backend']).map((s) => s.service),
    ).toEqual(['frontend', 'backend']);
  });
  test('an unknown service names the input, the value and the buildable ones', () => {
    expect(() => selectServices([backend, frontend], ['backend', 'prometheus'])).toThrow(
      'Input "services" has value "backend,prometheus": prometheus is not a service with a build section (buildable: backend, frontend)',
    );
  });
  test('a compose file without builds fails', () => {
    expect(() => selectServices([], [])).toThrow(
      'No service in the compose file(s) has a build section',
    );
  });
});

describe('inputs', () => {
  const context = { workspace: '/w', sha: SHA };
  const read = async (values: Record<string, string> = {}, ctx = context) =>
    readInputs(objectInputSource({ ...(await actionDefaults('build-images')), ...values }), ctx);
  test('action.yml defaults', async () => {
    expect(await read()).toEqual({
      composeFiles: ['/w/docker-compose.yml'],
      services: [],
      buildArgs: [],
      imageName: '{service}-demo',
      tag: 'dev',
      shaTag: 'short',
      cache: 'auto',
      workingDirectory: '/w',
      dryRun: false,
    });
  });
  test('values', async () => {
    expect(
      await read({
        'compose-file': 'a.yml\n/abs/b.yml',
        services: 'backend, frontend',
        'build-args': 'NODE_IMAGE=local/standin/node:latest',
        'working-directory': 'sub',
        'image-name': 'ghcr.io/acme/{service}',
        'dry-run': 'true',
      }),
    ).toMatchObject({
      composeFiles: ['/w/sub/a.yml', '/abs/b.yml'],
      services: ['backend', 'frontend'],
      buildArgs: [['NODE_IMAGE', 'local/standin/node:latest']],
      imageName: 'ghcr.io/acme/{service}',
      dryRun: true,
    });
  });
  test.each([
    ['compose-file', '', 'Input "compose-file" has value "": expected at least one compose file'],
    [
      'build-args',
      'NODE_IMAGE',
      'Input "build-args" has value "NODE_IMAGE": expected one KEY=VALUE per line',
    ],
    [
      'image-name',
      'Backend',
      'Input "image-name" has value "Backend": expected a lower-case image name',
    ],
    [
      'image-name',
      '{service}-',
      'Input "image-name" has value "{service}-": expected a lower-case image name',
    ],
    ['tag', 'v1:2', 'Input "tag" has value "v1:2": expected a Docker tag'],
    ['tag', '-x', 'Input "tag" has value "-x": expected a Docker tag'],
    ['sha-tag', 'long', 'Input "sha-tag" has value "long": expected one of short, full, none'],
    ['cache', 'registry', 'Input "cache" has value "registry": expected one of auto, gha, none'],
    ['dry-run', 'yes', 'Input "dry-run" has value "yes": expected true or false'],
  ])('%s=%j fails: %s', async (name, value, message) => {
    await expect(read({ [name]: value })).rejects.toThrow(message);
  });
  test('sha-tag needs a commit sha', async () => {
    await expect(read({}, { workspace: '/w', sha: '' })).rejects.toThrow(
      'Input "sha-tag" has value "short": expected none, because GITHUB_SHA is not a commit sha here',
    );
  });
});

test('outputs and summary', () => {
  const built = [
    {
      service: 'backend',
      image: 'backend-demo',
      tags: ['backend-demo:dev', 'backend-demo:85d21b1'],
      id: 'sha256:abc',
      size: 1536,
      durationMs: 12_300,
    },
  ];
  expect(imagesOutput(built)).toEqual({
    backend: {
      image: 'backend-demo',
      tags: ['backend-demo:dev', 'backend-demo:85d21b1'],
      id: 'sha256:abc',
      size: 1536,
    },
  });
  expect(buildSummary(built, 'BuildKit')).toBe(
    '### Images built\n\n| Service | Image | Size | Build time |\n| --- | --- | --- | --- |\n| backend | `backend-demo:dev`<br>`backend-demo:85d21b1` | 1.5 KiB | 12.3 s |\n\nBuilder: BuildKit\n',
  );
});
