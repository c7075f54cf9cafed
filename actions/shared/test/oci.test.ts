import { describe, expect, test } from 'vitest';
import { imageVersion, LABEL, ociLabels, parseRef, shortSha } from '../src/oci.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('parseRef', () => {
  test.each([
    ['refs/heads/main', { kind: 'branch', name: 'main' }],
    ['refs/heads/feature/x', { kind: 'branch', name: 'feature/x' }],
    [
      'refs/tags/v1.2.3',
      { kind: 'release', version: '1.2.3', major: 1, minor: 2, prerelease: false },
    ],
    [
      'refs/tags/v10.0.12-rc.1',
      { kind: 'release', version: '10.0.12-rc.1', major: 10, minor: 0, prerelease: true },
    ],
    [
      'refs/tags/v1.2.3+build.7',
      { kind: 'release', version: '1.2.3', major: 1, minor: 2, prerelease: false },
    ],
    ['refs/tags/v1.2', { kind: 'other', ref: 'refs/tags/v1.2' }],
    ['refs/tags/v01.2.3', { kind: 'other', ref: 'refs/tags/v01.2.3' }],
    ['refs/tags/1.2.3', { kind: 'other', ref: 'refs/tags/1.2.3' }],
    ['refs/pull/7/merge', { kind: 'other', ref: 'refs/pull/7/merge' }],
    ['refs/heads/', { kind: 'other', ref: 'refs/heads/' }],
    ['', { kind: 'other', ref: '' }],
  ])('%j → %j', (ref, expected) => {
    expect(parseRef(ref)).toEqual(expected);
  });
});

describe('imageVersion', () => {
  test.each([
    ['refs/heads/main', 'sha-0123456'],
    ['refs/tags/v2.0.1', '2.0.1'],
    ['refs/tags/v2.0.1-beta', '2.0.1-beta'],
    ['refs/pull/3/merge', 'sha-0123456'],
  ])('%s → %s', (ref, version) => {
    expect(imageVersion(ref, SHA)).toBe(version);
  });

  test('a sha that is not 40 hex digits is refused, named', () => {
    expect(() => shortSha('abc')).toThrow('"abc" is not a full commit sha (40 hex digits)');
  });
});

describe('ociLabels', () => {
  const created = new Date('2026-12-01T10:00:00Z');

  test('every label docker/metadata-action writes, from the job', () => {
    expect(
      ociLabels({
        serverUrl: 'https://github.com/',
        repository: 'Owner/Repo',
        sha: SHA,
        ref: 'refs/tags/v1.4.0',
        created,
        licenses: 'MIT',
      }),
    ).toEqual({
      [LABEL.source]: 'https://github.com/Owner/Repo',
      [LABEL.revision]: SHA,
      [LABEL.created]: '2026-12-01T10:00:00.000Z',
      [LABEL.licenses]: 'MIT',
      [LABEL.version]: '1.4.0',
    });
  });

  test('what is not known is left out, never written empty', () => {
    expect(
      ociLabels({
        serverUrl: 'https://github.com',
        repository: '',
        sha: '',
        ref: '',
        created,
        licenses: '',
      }),
    ).toEqual({ [LABEL.revision]: '', [LABEL.created]: '2026-12-01T10:00:00.000Z' });
  });
});
