import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface ReportFile {
  /** Absolute. */
  readonly path: string;
  /** Relative to the published directory, with / separators. */
  readonly relative: string;
  readonly size: number;
}

/** Every regular file under `root`, sorted; [] when root does not exist. Symlinks are followed. */
export async function listReportFiles(
  root: string,
  options: { includeHidden: boolean },
): Promise<ReportFile[]> {
  const found: ReportFile[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!options.includeHidden && entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile())
        found.push({ path, relative: relative(root, path).split(sep).join('/'), size: info.size });
    }
  }
  try {
    if (!(await stat(root)).isDirectory()) {
      const info = await stat(root);
      return [{ path: root, relative: root.split(sep).pop() ?? root, size: info.size }];
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  await walk(root);
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}

/** What a report file is, guessed from its name: shown in the summary. */
export function describeFile(relativePath: string): string {
  const name = relativePath.split('/').pop()?.toLowerCase() ?? '';
  if (name.endsWith('.sarif') || name.endsWith('.sarif.json')) return 'SARIF (code scanning)';
  if (name === 'prometheus-targets.json') return 'Prometheus targets (JSON)';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.includes('journal'))
    return 'JSON journal';
  if (name.endsWith('.json')) return 'JSON data';
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'Markdown report';
  if (name.endsWith('.log')) return 'log';
  if (name === 'ps.txt') return 'container list (compose ps)';
  if (name.endsWith('.txt')) return 'text report';
  if (name.endsWith('.html') || name.endsWith('.htm')) return 'HTML report';
  if (name.endsWith('.xml')) return name.includes('junit') ? 'JUnit XML' : 'XML';
  if (/\.(png|jpe?g|gif|svg|webp)$/.test(name)) return 'image';
  if (/\.(zip|tar|tgz|gz)$/.test(name)) return 'archive';
  return 'file';
}
