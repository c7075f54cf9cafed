import { describe, expect, test } from 'vitest';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { readInputs } from '../src/inputs.ts';

const read = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  readInputs(
    objectInputSource({ 'compose-file': 'docker-compose.yml', ...values }),
    { COMPOSE_PROJECT_NAME: 'stack', ...env },
    '/ws',
  );

describe('readInputs', () => {
  test('defaults: the kill-backend drill on the workspace stack, published ports', () => {
    expect(read({})).toEqual({
      experiment: '/ws/observability/drills/kill-backend.yml',
      composeFiles: ['/ws/docker-compose.yml'],
      projectName: 'stack',
      urls: {},
      overrides: { byName: {} },
      reportsDir: '/ws/reports/drills',
      junit: true,
    });
  });

  test('every input set, paths relative to working-directory', () => {
    expect(
      read({
        'working-directory': 'app',
        experiment: 'drills/kill-db.yml',
        'compose-file': 'a.yml, /abs/b.yml',
        'project-name': 'p_1',
        'prometheus-url': 'http://127.0.0.1:9090/',
        'backend-url': 'https://backend.test',
        'max-time-to-detect': '7s',
        'max-time-to-recover': '500ms',
        bounds: 'alert-firing=30s\n# a comment\nsteady=1m',
        'writer-rate': '12.5',
        'reports-dir': '/tmp/r',
        junit: 'false',
      }),
    ).toEqual({
      experiment: '/ws/app/drills/kill-db.yml',
      composeFiles: ['/ws/app/a.yml', '/abs/b.yml'],
      projectName: 'p_1',
      urls: { prometheus: 'http://127.0.0.1:9090', backend: 'https://backend.test' },
      overrides: {
        timeToDetectMs: 7000,
        timeToRecoverMs: 500,
        writerRate: 12.5,
        byName: { 'alert-firing': 30_000, steady: 60_000 },
      },
      reportsDir: '/tmp/r',
      junit: false,
    });
  });

  test('the project name falls back on the run (GitHub Actions), else Compose', () => {
    expect(
      read({}, { COMPOSE_PROJECT_NAME: '', GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42' })
        .projectName,
    ).toBe('stack-42-1');
    expect(read({ 'working-directory': 'My App' }, { COMPOSE_PROJECT_NAME: '' }).projectName).toBe(
      'myapp',
    );
  });

  test('the result is frozen', () => {
    const inputs = read({ bounds: 'a=1s' });
    expect(Object.isFrozen(inputs)).toBe(true);
    expect(Object.isFrozen(inputs.overrides)).toBe(true);
    expect(Object.isFrozen(inputs.overrides.byName)).toBe(true);
    expect(Object.isFrozen(inputs.urls)).toBe(true);
  });

  test.each<[Record<string, string>, string]>([
    [
      { 'compose-file': '' },
      'Input "compose-file" has value "": expected at least one compose file',
    ],
    [{ 'project-name': 'Stack' }, 'Input "project-name" has value "Stack": expected lower-case'],
    [{ bounds: 'alert-firing=soon' }, 'Input "bounds" has value "alert-firing=soon": expected'],
    [{ bounds: 'alert-firing=0s' }, 'Input "bounds" has value "alert-firing=0s": expected'],
    [{ 'writer-rate': '0' }, 'Input "writer-rate" has value "0": expected notes per second'],
    [{ 'writer-rate': '51' }, 'Input "writer-rate" has value "51": expected notes per second'],
    [{ 'writer-rate': 'fast' }, 'Input "writer-rate" has value "fast": expected notes per second'],
    [{ 'max-time-to-detect': '11m' }, 'Input "max-time-to-detect" has value "11m"'],
    [{ 'max-time-to-recover': 'never' }, 'Input "max-time-to-recover" has value "never"'],
    [{ 'frontend-url': 'localhost:8080' }, 'Input "frontend-url" has value "localhost:8080"'],
    [{ junit: 'yes' }, 'Input "junit" has value "yes": expected true or false'],
  ])('%j: %s', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});
