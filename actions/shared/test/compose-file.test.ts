// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation, not templates
import { describe, expect, test } from 'vitest';
import { dockerfilePath, interpolate, parseDotenv, readBuildSpecs } from '../src/compose-file.ts';

describe('interpolate', () => {
  const env = { SET: 'v', EMPTY: '' };
  test.each([
    ['$SET', 'v'],
    ['${SET}', 'v'],
    ['${UNSET}', ''],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:-d}', 'v'],
    ['$$SET', '$SET'],
    ['a-${SET}-b', 'a-v-b'],
    ['${SET:?must be set}', 'v'],
  ])('%s → %j', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });
  test('${VAR:?message} fails with the message', () => {
    expect(() => interpolate('${UNSET:?set UNSET first}', env)).toThrow(
      'Compose variable UNSET is required: set UNSET first',
    );
  });
});

describe('readBuildSpecs', () => {
  const base = `
services:
  backend:
    build:
      context: ./backend
      dockerfile: Dockerfile.prod
      args:
        NODE_IMAGE: \${NODE_IMAGE:-node:24}
        PLAIN: x
      target: runtime
    image: backend-demo:dev
  frontend:
    build: ./frontend
  prometheus:
    image: prom/prometheus
  listargs:
    build:
      context: .
      args: [A=1, FROM_ENV, MISSING]
`;
  test('string and map forms, args as map and list, sorted by service', () => {
    const specs = readBuildSpecs([{ path: '/p/compose.yml', content: base }], '/p', {
      FROM_ENV: 'e',
    });
    expect(specs).toEqual([
      {
        service: 'backend',
        context: '/p/backend',
        dockerfile: 'Dockerfile.prod',
        args: { NODE_IMAGE: 'node:24', PLAIN: 'x' },
        target: 'runtime',
        image: 'backend-demo:dev',
      },
      { service: 'frontend', context: '/p/frontend', dockerfile: 'Dockerfile', args: {} },
      {
        service: 'listargs',
        context: '/p',
        dockerfile: 'Dockerfile',
        args: { A: '1', FROM_ENV: 'e' },
      },
    ]);
    expect(dockerfilePath(specs[0] as never)).toBe('/p/backend/Dockerfile.prod');
  });

  test('later files override and merge args; paths stay relative to the project directory', () => {
    const override = `
services:
  backend:
    build:
      args:
        PLAIN: y
        EXTRA: z
  frontend:
    build:
      context: ./frontend2
`;
    const specs = readBuildSpecs(
      [
        { path: '/p/compose.yml', content: base },
        { path: '/p/ci/override.yml', content: override },
      ],
      '/p',
      { NODE_IMAGE: 'local/standin/node:latest' },
    );
    expect(specs.find((s) => s.service === 'backend')?.args).toEqual({
      NODE_IMAGE: 'local/standin/node:latest',
      PLAIN: 'y',
      EXTRA: 'z',
    });
    expect(specs.find((s) => s.service === 'backend')?.dockerfile).toBe('Dockerfile.prod');
    expect(specs.find((s) => s.service === 'frontend')?.context).toBe('/p/frontend2');
  });

  test.each([
    ['services: [a, b]', '"services" must be a map'],
    ['services:\n  a:\n    build:\n      dockerfile_inline: FROM x', 'dockerfile_inline'],
    ['services: {a: [', 'is not valid YAML'],
  ])('%j fails: %s', (content, message) => {
    expect(() => readBuildSpecs([{ path: '/p/c.yml', content }], '/p')).toThrow(message);
  });
});

test('a required variable of a service without a build does not stop the build', () => {
  const content =
    'services:\n  grafana:\n    environment:\n      PW: ${PW:?set PW}\n  web:\n    build: ./web\n';
  expect(readBuildSpecs([{ path: '/p/c.yml', content }], '/p').map((s) => s.service)).toEqual([
    'web',
  ]);
});

test('YAML merge keys (x- anchors) are honoured', () => {
  const content = 'x-build: &b\n  build:\n    context: ./api\nservices:\n  api:\n    <<: *b\n';
  expect(readBuildSpecs([{ path: '/p/c.yml', content }], '/p')[0]?.context).toBe('/p/api');
});

test.each([
  ['A=1', { A: '1' }],
  ['export A=1', { A: '1' }],
  ['A="x y"', { A: 'x y' }],
  ["A='x#y'", { A: 'x#y' }],
  ['A=x # comment', { A: 'x' }],
  ['# comment\n\nB=', { B: '' }],
  ['not a line', {}],
])('parseDotenv(%j)', (text, expected) => {
  expect(parseDotenv(text)).toEqual(expected);
});
