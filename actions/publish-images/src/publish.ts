import type { Log } from '../../shared/src/log.ts';
import type { Engine } from './engine.ts';
import type { BuiltImage } from './inputs.ts';
import { labelProblems } from './labels.ts';
import { imageRepository } from './tags.ts';

export interface PublishTarget {
  readonly registry: string;
  readonly repository: string;
  readonly sha: string;
  readonly tags: readonly string[];
}

export interface PublishedImage {
  readonly service: string;
  /** The image id that was pushed: the build's, byte for byte. */
  readonly id: string;
  /** <registry>/<owner>/<repo>/<service> */
  readonly image: string;
  readonly digest: string;
  /** image@digest: what the deploy pulls and cosign signs. */
  readonly ref: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** The image to push must be the one the build made, and carry this commit's labels. */
async function checkLocalImage(engine: Engine, built: BuiltImage, sha: string) {
  const info = await engine.inspect(built.id);
  if (!info || info.id !== built.id) {
    throw new Error(
      `${built.service}: the engine has no image ${built.id} (load the build's archive first)`,
    );
  }
  const problems = labelProblems(info.labels, sha);
  if (problems.length > 0) {
    throw new Error(
      `${built.service}: image ${built.id} is not publishable: ${problems.join('; ')}`,
    );
  }
  return info;
}

/**
 * Pushes one built image under every tag, by its id (never by a local tag, which another
 * build may have moved), and returns the one digest the registry gave it. Every tag of one
 * image must get the same digest, and the engine must record that digest for this id.
 */
export async function publishImage(
  deps: { readonly engine: Engine; readonly log: Log },
  built: BuiltImage,
  target: PublishTarget,
): Promise<PublishedImage> {
  const { engine, log } = deps;
  const info = await checkLocalImage(engine, built, target.sha);
  const image = imageRepository(target.registry, target.repository, built.service);
  const digests = new Set<string>();
  for (const tag of target.tags) {
    await engine.tag(built.id, `${image}:${tag}`);
    const digest = await engine.push(`${image}:${tag}`);
    log.info(`${image}:${tag} → ${digest}`);
    digests.add(digest);
  }
  const [digest] = [...digests];
  if (digest === undefined || digests.size > 1) {
    throw new Error(
      `${built.service}: the tags of ${image} got different digests: ${[...digests].join(', ')}`,
    );
  }
  const ref = `${image}@${digest}`;
  const after = await engine.inspect(built.id);
  if (!after?.repoDigests.includes(ref)) {
    throw new Error(`${built.service}: the engine does not record ${ref} for image ${built.id}`);
  }
  return {
    service: built.service,
    id: built.id,
    image,
    digest,
    ref,
    tags: target.tags,
    labels: info.labels,
  };
}
