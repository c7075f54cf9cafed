import { describe, expect, test } from 'vitest';
import { imageRepository, publishTags } from '../src/tags.ts';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

describe('publishTags', () => {
  test.each([
    ['refs/heads/main', ['sha-abcdef0', 'main']],
    ['refs/heads/release/2026', ['sha-abcdef0', 'release-2026']],
    ['refs/tags/v1.2.3', ['sha-abcdef0', '1.2.3', '1.2', 'latest']],
    ['refs/tags/v0.9.0', ['sha-abcdef0', '0.9.0', '0.9', 'latest']],
    // A pre-release never moves X.Y or latest.
    ['refs/tags/v2.0.0-rc.1', ['sha-abcdef0', '2.0.0-rc.1']],
  ])('%s → %j', (ref, tags) => {
    expect(publishTags(ref, SHA)).toEqual(tags);
  });

  test.each(['refs/pull/12/merge', 'refs/tags/v1.2', 'refs/tags/latest', ''])(
    '%j publishes nothing, and says why',
    (ref) => {
      expect(() => publishTags(ref, SHA)).toThrow(
        `publish-images pushes from a branch (refs/heads/…) or a vX.Y.Z tag, not from "${ref}"`,
      );
    },
  );

  test('a sha that is no commit is refused', () => {
    expect(() => publishTags('refs/heads/main', 'HEAD')).toThrow('"HEAD" is not a full commit sha');
  });
});

describe('imageRepository', () => {
  test.each([
    ['ghcr.io', 'Octo-Org/DevOps-Pipeline', 'backend', 'ghcr.io/octo-org/devops-pipeline/backend'],
    [
      '127.0.0.1:5000',
      'local/devops-pipeline-reference',
      'frontend',
      '127.0.0.1:5000/local/devops-pipeline-reference/frontend',
    ],
  ])('%s + %s + %s → %s', (registry, repository, service, expected) => {
    expect(imageRepository(registry, repository, service)).toBe(expected);
  });
});
