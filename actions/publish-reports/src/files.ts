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

/** The artifact's root: the path, or its folder when the path is the one file published. */
export function uploadRoot(files: readonly ReportFile[], path: string): string {
  return files.length === 1 && files[0]?.path === path ? path.replace(/\/[^/]*$/, '') : path;
}

const endsWith =
  (...suffixes: string[]) =>
  (name: string): boolean =>
    suffixes.some((suffix) => name.endsWith(suffix));

/** What a file is, by its lower-case name: the first rule that matches wins. */
const FILE_KINDS: readonly (readonly [(name: string) => boolean, string])[] = [
  [endsWith('.sarif', '.sarif.json'), 'SARIF (code scanning)'],
  [(name) => name === 'prometheus-targets.json', 'Prometheus targets (JSON)'],
  [(name) => endsWith('.jsonl', '.ndjson')(name) || name.includes('journal'), 'JSON journal'],
  [endsWith('.json'), 'JSON data'],
  [endsWith('.md', '.markdown'), 'Markdown report'],
  [endsWith('.log'), 'log'],
  [(name) => name === 'ps.txt', 'container list (compose ps)'],
  [endsWith('.txt'), 'text report'],
  [endsWith('.html', '.htm'), 'HTML report'],
  [(name) => name.endsWith('.xml') && name.includes('junit'), 'JUnit XML'],
  [endsWith('.xml'), 'XML'],
  [(name) => /\.(png|jpe?g|gif|svg|webp)$/.test(name), 'image'],
  [(name) => /\.(zip|tar|tgz|gz)$/.test(name), 'archive'],
];

/** What a report file is, guessed from its name: shown in the summary. */
export function describeFile(relativePath: string): string {
  const name = relativePath.split('/').pop()?.toLowerCase() ?? '';
  return FILE_KINDS.find(([matches]) => matches(name))?.[1] ?? 'file';
}
