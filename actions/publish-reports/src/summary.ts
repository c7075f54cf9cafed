import { humanBytes, markdownTable, section } from '../../shared/src/summary.ts';
import { describeFile, type ReportFile } from './files.ts';

export function publishedSummary(name: string, files: readonly ReportFile[], url?: string): string {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const table = markdownTable(
    ['File', 'Size', 'What it is'],
    files.map((f) => [`\`${f.relative}\``, humanBytes(f.size), describeFile(f.relative)]),
  );
  const link = url ? `[${name}](${url})` : `\`${name}\``;
  return section(`Published ${link}: ${files.length} file(s), ${humanBytes(total)}`, table);
}
