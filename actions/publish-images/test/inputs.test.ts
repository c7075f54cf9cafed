import { describe, expect, test } from 'vitest';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { readInputs } from '../src/inputs.ts';

const ID_A = `sha256:${'a'.repeat(64)}`;
const ID_B = `sha256:${'b'.repeat(64)}`;
// The shape of build-images' images output.
const IMAGES = JSON.stringify({
  backend: { image: 'backend-demo', tags: ['backend-demo:dev'], id: ID_A, size: 1 },
  frontend: { image: 'frontend-demo', tags: ['frontend-demo:dev'], id: ID_B, size: 2 },
});
const read = (values: Record<string, string>) =>
  readInputs(objectInputSource({ images: IMAGES, ...values }), { repository: 'Owner/Repo' });

describe('readInputs', () => {
  test('defaults: ghcr.io, this repository, every image', () => {
    expect(read({})).toEqual({
      images: [
        { service: 'backend', id: ID_A },
        { service: 'frontend', id: ID_B },
      ],
      registry: 'ghcr.io',
      repository: 'Owner/Repo',
      workflow: '',
      dryRun: false,
    });
  });

  test('a local registry, another repository, one service', () => {
    expect(
      read({ registry: '127.0.0.1:5123', repository: 'local/app', services: 'frontend' }),
    ).toMatchObject({
      images: [{ service: 'frontend', id: ID_B }],
      registry: '127.0.0.1:5123',
      repository: 'local/app',
    });
  });

  test.each([
    [{ images: '' }, 'Input "images" has value "": expected a value (this input is required)'],
    [{ images: 'backend=x' }, 'Input "images" has value "backend=x": expected JSON'],
    [
      { images: '{"backend":{"id":"sha256:abc"}}' },
      'expected a map of service to {"id":"sha256:<64 hex>",…} (at backend.id:',
    ],
    [{ images: '{}' }, 'Input "images" has value "{}": expected at least one image'],
    [
      { services: 'db' },
      'Input "services" has value "db": expected services of the images input (backend, frontend)',
    ],
    [
      { registry: 'GHCR.io' },
      'Input "registry" has value "GHCR.io": expected a lower-case registry host[:port]',
    ],
    [{ registry: 'https://ghcr.io' }, 'Input "registry" has value "https://ghcr.io"'],
    [
      { repository: 'just-a-name' },
      'Input "repository" has value "just-a-name": expected owner/name',
    ],
    [
      { workflow: 'pipeline.yml' },
      'Input "workflow" has value "pipeline.yml": expected a workflow file, .github/workflows/<name>.yml',
    ],
    [{ 'dry-run': 'yes' }, 'Input "dry-run" has value "yes": expected true or false'],
  ])('%j is refused: %s', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  test('a long bad value is cut short in the message', () => {
    const long = `[${'1,'.repeat(100)}1]`;
    expect(() => read({ images: long })).toThrow(/has value "\[1,1,.{55}…": expected a map/);
  });
});
