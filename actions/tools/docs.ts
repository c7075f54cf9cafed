/**
 * Regenerates the usage block of each action's README.md from its action.yml: everything
 * between <!-- usage-start --> and <!-- usage-end -->. `tsx tools/docs.ts --check` (and the
 * docs test) fails when a README is out of date.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTIONS_DIR, discoverActions } from './build.ts';
import { type ActionMetadata, readActionMetadata } from './local-runner.ts';

export const START = '<!-- usage-start -->';
export const END = '<!-- usage-end -->';

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function yamlValue(value: unknown): string {
  const text = value === undefined ? '' : String(value);
  return /^[\w./{}-]+$/.test(text) && !/^(true|false|\d+)$/.test(text)
    ? text
    : JSON.stringify(text); // double quotes: Biome's style for YAML in Markdown
}

/** A Markdown table with padded columns, as Biome's Markdown formatter writes it. */
function alignedTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) =>
    Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/** The generated block (without the markers) for one action. */
export function usageBlock(folder: string, meta: ActionMetadata): string {
  const out = ['```yaml', `- uses: ./actions/${folder}`];
  const inputs = Object.entries(meta.inputs);
  if (inputs.length > 0) out.push('  with:');
  inputs.forEach(([name, spec], index) => {
    if (index > 0) out.push('');
    for (const line of wrap(spec.description ?? '', 86)) out.push(`    # ${line}`);
    if (spec.required) out.push('    # Required.');
    out.push(
      `    # Default: ${spec.default === undefined || spec.default === '' ? '(empty)' : String(spec.default)}`,
    );
    out.push(`    ${name}: ${yamlValue(spec.default)}`);
  });
  out.push('```');
  const outputs = Object.entries(meta.outputs);
  if (outputs.length > 0) {
    out.push(
      '',
      ...alignedTable(
        ['Output', 'Description'],
        outputs.map(([name, spec]) => [
          `\`${name}\``,
          (spec.description ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim(),
        ]),
      ),
    );
  }
  return out.join('\n');
}

/** README text with its block replaced; throws when the markers are missing. */
export function replaceBlock(readme: string, block: string, where: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`${where} has no ${START} ... ${END} block`);
  }
  return `${readme.slice(0, start + START.length)}\n${block}\n${readme.slice(end)}`;
}

/** Why an action's README is stale (missing, no block, or another block), or undefined. */
async function readmeProblem(
  root: string,
  action: { name: string; dir: string },
  write: boolean,
): Promise<string | undefined> {
  const path = join(action.dir, 'README.md');
  if (!existsSync(path)) return `${relative(root, path)} (missing)`;
  const current = await readFile(path, 'utf8');
  let next: string;
  try {
    next = replaceBlock(
      current,
      usageBlock(action.name, await readActionMetadata(action.dir)),
      path,
    );
  } catch (error) {
    return `${relative(root, path)} (${error instanceof Error ? error.message : String(error)})`;
  }
  if (next === current) return undefined;
  if (write) await writeFile(path, next);
  return relative(root, path);
}

/** README paths whose usage block is not what action.yml generates. */
export async function staleReadmes(
  root = ACTIONS_DIR,
  options: { write?: boolean; only?: readonly string[] } = {},
): Promise<string[]> {
  const stale: string[] = [];
  for (const action of await discoverActions(root)) {
    if (options.only?.length && !options.only.includes(action.name)) continue;
    const problem = await readmeProblem(root, action, options.write ?? false);
    if (problem !== undefined) stale.push(problem);
  }
  return stale;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  // `tsx tools/docs.ts build-images` rewrites only that README.
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const stale = await staleReadmes(ACTIONS_DIR, { write: !check, only });
  if (check && stale.length > 0) {
    console.error(
      `README usage blocks are out of date (npm run docs -w actions):\n  ${stale.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else for (const path of stale) console.log(`updated ${path}`);
}
