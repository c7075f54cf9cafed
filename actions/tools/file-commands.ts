/**
 * The runner's file-command format (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV):
 *   name=value                    one line
 *   name<<DELIMITER               multiline: every line up to a line that is exactly DELIMITER
 *   ...
 *   DELIMITER
 * Later assignments win. A missing closing delimiter is an error, as on the runner.
 */
export function parseFileCommands(content: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const heredoc = heredocStart(line);
    if (heredoc) {
      const body = heredocBody(lines, i + 1, heredoc);
      values[heredoc.name] = body.join('\n');
      i += body.length + 1;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Invalid file-command line: ${line}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** `name<<DELIMITER`, unless an `=` comes before the `<<` (then it is `name=value`). */
function heredocStart(line: string): { name: string; delimiter: string } | undefined {
  const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
  const eq = line.indexOf('=');
  if (!heredoc || (eq !== -1 && line.indexOf('<<') >= eq)) return undefined;
  const [, name = '', delimiter = ''] = heredoc;
  return { name, delimiter };
}

/** The lines from `from` up to the closing delimiter; an error when it never comes. */
function heredocBody(
  lines: readonly string[],
  from: number,
  { name, delimiter }: { name: string; delimiter: string },
): string[] {
  const end = lines.indexOf(delimiter, from);
  if (end === -1) throw new Error(`Matching delimiter not found '${delimiter}' for "${name}"`);
  return lines.slice(from, end);
}

/** PATH additions: one directory per line. */
export function parsePathFile(content: string): string[] {
  return content.split(/\r?\n/).filter((line) => line.trim() !== '');
}

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** `::error::`, `::warning::` and `::notice::` workflow commands in a step's stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  const found: Annotation[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)(?: [^:]*)?::(.*)$/.exec(line);
    if (match) {
      found.push({ level: match[1] as Annotation['level'], message: unescapeData(match[2] ?? '') });
    }
  }
  return found;
}
