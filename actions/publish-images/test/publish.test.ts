import { describe, expect, test } from 'vitest';
import { recordingLog } from '../../shared/src/log.ts';
import { LABEL } from '../../shared/src/oci.ts';
import { type Engine, type ImageInfo, parsePushDigest } from '../src/engine.ts';
import { publishImage } from '../src/publish.ts';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const ID = `sha256:${'1'.repeat(64)}`;
const DIGEST = `sha256:${'d'.repeat(64)}`;
const LABELS = {
  [LABEL.source]: 'https://github.com/o/r',
  [LABEL.revision]: SHA,
  [LABEL.created]: '2026-12-01T10:00:00.000Z',
  [LABEL.licenses]: 'MIT',
  [LABEL.version]: 'sha-abcdef0',
};
const TARGET = {
  registry: '127.0.0.1:5000',
  repository: 'O/R',
  sha: SHA,
  tags: ['sha-abcdef0', 'main'],
};

/** An engine that records what it is asked, as a registry gives one digest per image. */
function fakeEngine(
  options: { labels?: Record<string, string>; digests?: string[]; record?: boolean } = {},
) {
  const calls: string[] = [];
  const repoDigests: string[] = [];
  const digests = [...(options.digests ?? [])];
  const engine: Engine = {
    async inspect(image) {
      calls.push(`inspect ${image}`);
      if (image !== ID) return undefined;
      return {
        id: ID,
        repoDigests: [...repoDigests],
        labels: options.labels ?? LABELS,
      } satisfies ImageInfo;
    },
    async tag(image, target) {
      calls.push(`tag ${image} ${target}`);
    },
    async push(target) {
      calls.push(`push ${target}`);
      const digest = digests.shift() ?? DIGEST;
      if (options.record !== false)
        repoDigests.push(`${target.slice(0, target.lastIndexOf(':'))}@${digest}`);
      return digest;
    },
  };
  return { engine, calls };
}

describe('publishImage', () => {
  test('tags and pushes the build id under every tag, and returns its one digest', async () => {
    const { engine, calls } = fakeEngine();
    const published = await publishImage(
      { engine, log: recordingLog() },
      { service: 'backend', id: ID },
      TARGET,
    );
    const image = '127.0.0.1:5000/o/r/backend';
    expect(published).toEqual({
      service: 'backend',
      id: ID,
      image,
      digest: DIGEST,
      ref: `${image}@${DIGEST}`,
      tags: ['sha-abcdef0', 'main'],
      labels: LABELS,
    });
    expect(calls).toEqual([
      `inspect ${ID}`,
      `tag ${ID} ${image}:sha-abcdef0`,
      `push ${image}:sha-abcdef0`,
      `tag ${ID} ${image}:main`,
      `push ${image}:main`,
      `inspect ${ID}`,
    ]);
  });

  test('an image the engine does not have is never pushed', async () => {
    const { engine, calls } = fakeEngine();
    await expect(
      publishImage(
        { engine, log: recordingLog() },
        { service: 'backend', id: `sha256:${'9'.repeat(64)}` },
        TARGET,
      ),
    ).rejects.toThrow(
      `backend: the engine has no image sha256:${'9'.repeat(64)} (load the build's archive first)`,
    );
    expect(calls.filter((c) => c.startsWith('push'))).toEqual([]);
  });

  test('an image of another commit is never pushed', async () => {
    const { engine, calls } = fakeEngine({
      labels: { ...LABELS, [LABEL.revision]: 'e'.repeat(40) },
    });
    await expect(
      publishImage({ engine, log: recordingLog() }, { service: 'backend', id: ID }, TARGET),
    ).rejects.toThrow(
      `backend: image ${ID} is not publishable: ${LABEL.revision} is ${'e'.repeat(40)}, not this commit ${SHA}`,
    );
    expect(calls.filter((c) => c.startsWith('push'))).toEqual([]);
  });

  test('two digests for the tags of one image fail the publish', async () => {
    const other = `sha256:${'e'.repeat(64)}`;
    const { engine } = fakeEngine({ digests: [DIGEST, other] });
    await expect(
      publishImage({ engine, log: recordingLog() }, { service: 'backend', id: ID }, TARGET),
    ).rejects.toThrow('backend: the tags of 127.0.0.1:5000/o/r/backend got different digests');
  });

  test('a digest the engine does not record for the id fails the publish', async () => {
    const { engine } = fakeEngine({ record: false });
    await expect(
      publishImage({ engine, log: recordingLog() }, { service: 'backend', id: ID }, TARGET),
    ).rejects.toThrow(
      `backend: the engine does not record 127.0.0.1:5000/o/r/backend@${DIGEST} for image ${ID}`,
    );
  });
});

describe('parsePushDigest', () => {
  // The end of a real `docker push` (engine 20.10) to the loopback registry.
  const output = [
    'The push refers to repository [127.0.0.1:5000/o/r/backend]',
    '5f70bf18a086: Pushed',
    `sha-abcdef0: digest: ${DIGEST} size: 1990`,
  ].join('\n');

  test.each([
    ['sha-abcdef0', DIGEST],
    ['main', undefined],
    ['sha-abcdef', undefined],
  ])('tag %s → %s', (tag, digest) => {
    expect(parsePushDigest(output, tag)).toBe(digest);
  });
});
