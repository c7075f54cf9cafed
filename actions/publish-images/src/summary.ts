import { markdownTable, section } from '../../shared/src/summary.ts';
import type { PublishedImage } from './publish.ts';

export type ImagesOutput = Record<
  string,
  { image: string; digest: string; ref: string; tags: readonly string[]; id: string }
>;

export function imagesOutput(images: readonly PublishedImage[]): ImagesOutput {
  return Object.fromEntries(
    images.map((i) => [
      i.service,
      { image: i.image, digest: i.digest, ref: i.ref, tags: i.tags, id: i.id },
    ]),
  );
}

export function publishSummary(images: readonly PublishedImage[]): string {
  const table = markdownTable(
    ['Service', 'Image', 'Digest', 'Tags', 'Image id'],
    images.map((i) => [
      i.service,
      `\`${i.image}\``,
      `\`${i.digest}\``,
      i.tags.map((t) => `\`${t}\``).join(' '),
      `\`${i.id.slice(0, 19)}\``,
    ]),
  );
  return section(
    'Images published',
    `${table}\n\nPushed by digest: the image ids are the build's, the ones the scan and the stack used.`,
  );
}
