import { humanBytes, humanDuration, markdownTable, section } from '../../shared/src/summary.ts';
import type { BuiltImage } from './build.ts';

export function imagesOutput(
  images: readonly BuiltImage[],
): Record<string, { image: string; tags: readonly string[]; id: string; size: number }> {
  return Object.fromEntries(
    images.map((i) => [i.service, { image: i.image, tags: i.tags, id: i.id, size: i.size }]),
  );
}

export function buildSummary(images: readonly BuiltImage[], builder: string): string {
  const table = markdownTable(
    ['Service', 'Image', 'Size', 'Build time'],
    images.map((i) => [
      i.service,
      i.tags.map((t) => `\`${t}\``).join('<br>'),
      humanBytes(i.size),
      humanDuration(i.durationMs),
    ]),
  );
  return section('Images built', `${table}\n\nBuilder: ${builder}`);
}
