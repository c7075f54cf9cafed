import { expect, test } from 'vitest';
import { composeDefaultProjectName, defaultProjectName } from '../src/setup.ts';

test.each([
  ['/work/main', {}, 'main'],
  ['/x/My Project.v2', {}, 'myprojectv2'],
  ['/x/repo', { COMPOSE_PROJECT_NAME: 'p1' }, 'p1'],
  [
    '/x/repo',
    { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' },
    'stack-42-2',
  ],
])('default project name for %s %j = %s', (dir, env, name) => {
  expect(defaultProjectName(env, dir)).toBe(name);
});

test("Compose's own default: the folder name, lower case, leading _ and - dropped", () => {
  expect(composeDefaultProjectName('/a/__Repo-1')).toBe('repo-1');
});
