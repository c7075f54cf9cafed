import type { Finding } from './findings.ts';
import type { Ignored } from './ignore.ts';
import type { ReportHeader } from './report.ts';
import { emptyCounts, SEVERITIES } from './severity.ts';

/**
 * The plain-text report the seed stored as `security/trivy-<name>-report.txt`, in the
 * layout of `trivy --format table` (summary table, then one table per target with a
 * `Total:` line), made from the JSON so it always agrees with the SARIF and the gate.
 */

/** A paragraph the greedy wrap would leave as it is: single spaces between words. */
const SIMPLE = /^\S+(?: \S+)*$/;

type Cell = string | string[];

/** A cell's lines: the text itself when it is one line (most cells: no array made). */
function wrap(text: string, width: number): Cell {
  if (text.length <= width && !text.includes('\n')) return text;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    // Fast path (most cells): fits and needs no whitespace clean-up.
    if (paragraph.length <= width && SIMPLE.test(paragraph)) lines.push(paragraph);
    else wrapParagraph(paragraph, width, lines);
  }
  return lines;
}

/** Greedy wrap of one paragraph onto `lines`; a word longer than the width is cut. */
function wrapParagraph(paragraph: string, width: number, lines: string[]): void {
  let line = '';
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    let rest = word;
    if (rest.length > width) {
      if (line) lines.push(line);
      line = '';
      rest = pushSlices(rest, width, lines);
    }
    line = appendWord(line, rest, width, lines);
  }
  lines.push(line);
}

/** The full-width slices of a word onto `lines`; returns what is left of it. */
function pushSlices(word: string, width: number, lines: string[]): string {
  let rest = word;
  while (rest.length > width) {
    lines.push(rest.slice(0, width));
    rest = rest.slice(width);
  }
  return rest;
}

/** The line with the word added, or the word alone once the line is full (pushed). */
function appendWord(line: string, word: string, width: number, lines: string[]): string {
  if (line === '') return word;
  if (line.length + 1 + word.length <= width) return `${line} ${word}`;
  lines.push(line);
  return word;
}

/**
 * A box-drawn table like Trivy's; `maxWidths[i]` wraps long cells in column i.
 * Written with plain loops: a report's table has tens of thousands of lines.
 */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  maxWidths: ReadonlyArray<number | undefined> = [],
): string {
  return [...tableLines(headers, rows, maxWidths)].join('\n');
}

/** The width a column needs for this cell: its longest line. */
function cellWidth(cell: Cell): number {
  if (typeof cell === 'string') return cell.length;
  let width = 0;
  for (const l of cell) if (l.length > width) width = l.length;
  return width;
}

/** A row with every cell wrapped; each column's width in `widths` grows to fit its cell. */
function wrapRow(
  row: readonly string[],
  maxWidths: ReadonlyArray<number | undefined>,
  widths: number[],
): Cell[] {
  const wrapped: Cell[] = new Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const cell = wrap(row[i] as string, maxWidths[i] ?? Number.POSITIVE_INFINITY);
    wrapped[i] = cell;
    if (i >= widths.length) continue;
    const width = cellWidth(cell);
    if (width > (widths[i] as number)) widths[i] = width;
  }
  return wrapped;
}

/** How many lines a row takes: its tallest (wrapped) cell's. */
function rowHeight(row: readonly Cell[]): number {
  let height = 1;
  for (const c of row) if (typeof c !== 'string' && c.length > height) height = c.length;
  return height;
}

/** Line `lineNo` of a row, each cell padded from `spaces` to its column's width. */
function rowLine(
  row: readonly Cell[],
  lineNo: number,
  widths: readonly number[],
  spaces: string,
): string {
  let line = '│';
  for (let i = 0; i < widths.length; i++) {
    const c = row[i];
    const text =
      c === undefined ? '' : typeof c === 'string' ? (lineNo === 0 ? c : '') : (c[lineNo] ?? '');
    line += ` ${text}${spaces.slice(0, (widths[i] as number) - text.length)} │`;
  }
  return line;
}

/** A row's lines onto `out`: a cell of several lines (wrapped) makes the row that tall. */
function pushRowLines(
  out: string[],
  row: readonly Cell[],
  widths: readonly number[],
  spaces: string,
): void {
  const height = rowHeight(row);
  for (let lineNo = 0; lineNo < height; lineNo++) out.push(rowLine(row, lineNo, widths, spaces));
}

/** A horizontal rule across the columns, such as `├───┼───┤`. */
function rule(widths: readonly number[], left: string, mid: string, right: string): string {
  return `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
}

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

/**
 * renderTable's lines in pieces of up to 256 lines joined by newlines (the widths need
 * every cell first; the text does not): one piece per line cost more in passing them
 * up the generators than in making them.
 */
function* tableLines(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  maxWidths: ReadonlyArray<number | undefined> = [],
): Generator<string> {
  const cells: Cell[][] = new Array(rows.length);
  const widths = headers.map((header) => header.length);
  for (let r = 0; r < rows.length; r++)
    cells[r] = wrapRow(rows[r] as readonly string[], maxWidths, widths);
  let batch: string[] = [
    rule(widths, '┌', '┬', '┐'),
    `│${headers.map((h, i) => ` ${center(h, widths[i] ?? 0)} `).join('│')}│`,
  ];
  const separator = rule(widths, '├', '┼', '┤');
  // Padding comes from one string of spaces: padEnd and map/join per line cost more than
  // the rest of the table (it has tens of thousands of lines).
  const spaces = ' '.repeat(Math.max(0, ...widths) + 1);
  for (const row of cells) {
    if (batch.length >= 256) {
      yield batch.join('\n');
      batch = [];
    }
    batch.push(separator);
    pushRowLines(batch, row, widths, spaces);
  }
  batch.push(rule(widths, '└', '┴', '┘'));
  yield batch.join('\n');
}

function totalLine(findings: readonly Finding[]): string {
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity]++;
  const parts = [...SEVERITIES].reverse().map((s) => `${s}: ${counts[s]}`);
  return `Total: ${findings.length} (${parts.join(', ')})`;
}

function lines(f: Finding): string {
  if (f.startLine === undefined) return '';
  return f.endLine !== undefined && f.endLine !== f.startLine
    ? `${f.startLine}-${f.endLine}`
    : String(f.startLine);
}

export function toTable(
  report: ReportHeader,
  findings: readonly Finding[],
  ignored: readonly Ignored[] = [],
): string {
  return [...reportLines(report, findings, ignored)].join('\n');
}

/**
 * toTable's text in pieces of a few hundred lines, for the report writer to stream: a large
 * report's table is never held as one string, nor as all its lines. reportLines yields
 * lines and pieces of lines (tableLines); a newline goes between any two.
 */
export function* tableChunks(
  report: ReportHeader,
  findings: readonly Finding[],
  ignored: readonly Ignored[] = [],
): Generator<string> {
  let batch: string[] = [];
  let separator = ''; // the \n between the previous piece's last line and this one's first
  for (const lines of reportLines(report, findings, ignored)) {
    batch.push(lines);
    if (batch.length === 8 || lines.length > 16_384) {
      yield separator + batch.join('\n');
      batch = [];
      separator = '\n';
    }
  }
  if (batch.length > 0) yield separator + batch.join('\n');
}

/** The findings of each Result's target, in report order (targets without findings kept). */
function byTargetOf(report: ReportHeader, findings: readonly Finding[]): Map<string, Finding[]> {
  const byTarget = new Map<string, Finding[]>();
  for (const result of report.Results) byTarget.set(result.Target, []);
  for (const f of findings) {
    const list = byTarget.get(f.resultTarget);
    if (list) list.push(f);
    else byTarget.set(f.resultTarget, [f]);
  }
  return byTarget;
}

function countOf(list: readonly Finding[], kind: Finding['kind']): string {
  return String(list.filter((f) => f.kind === kind).length);
}

/** Trivy's summary table: per target, its type and the count of each kind of finding. */
function summaryLines(
  report: ReportHeader,
  byTarget: ReadonlyMap<string, readonly Finding[]>,
): Iterable<string> {
  if (byTarget.size === 0) return ['No results: Trivy found nothing to scan or nothing to report.'];
  const types = new Map(report.Results.map((r) => [r.Target, r.Type ?? r.Class ?? '']));
  // Trivy adds the Licenses column when the license scanner ran.
  const licenses = report.Results.some((r) => r.Class === 'license' || r.Class === 'license-file');
  return tableLines(
    [
      'Target',
      'Type',
      'Vulnerabilities',
      'Secrets',
      'Misconfigurations',
      ...(licenses ? ['Licenses'] : []),
    ],
    [...byTarget].map(([target, list]) => [
      target,
      types.get(target) ?? '',
      countOf(list, 'vulnerability'),
      countOf(list, 'secret'),
      countOf(list, 'misconfiguration'),
      ...(licenses ? [countOf(list, 'license')] : []),
    ]),
  );
}

/** The table of one kind of finding: its columns, a finding's row and the wrap widths. */
interface KindTable {
  readonly kind: Finding['kind'];
  readonly headers: readonly string[];
  readonly row: (f: Finding) => string[];
  readonly maxWidths: ReadonlyArray<number | undefined>;
}

/** A target's tables, in Trivy's order; each only when the target has such findings. */
const KIND_TABLES: readonly KindTable[] = [
  {
    kind: 'vulnerability',
    headers: [
      'Library',
      'Vulnerability',
      'Severity',
      'Status',
      'Installed Version',
      'Fixed Version',
      'Title',
    ],
    row: (f) => [
      f.pkgName ?? '',
      f.id,
      f.severity,
      f.status ?? '',
      f.installedVersion ?? '',
      f.fixedVersion ?? '',
      f.url ? `${f.title}\n${f.url}` : f.title,
    ],
    maxWidths: [undefined, undefined, undefined, undefined, undefined, undefined, 60],
  },
  {
    kind: 'misconfiguration',
    headers: ['Check', 'Severity', 'Lines', 'Title', 'Message'],
    row: (f) => [f.id, f.severity, lines(f), f.title, f.message],
    maxWidths: [undefined, undefined, undefined, 40, 60],
  },
  {
    kind: 'secret',
    headers: ['Rule', 'Severity', 'Lines', 'Title'],
    row: (f) => [f.id, f.severity, lines(f), f.title],
    maxWidths: [undefined, undefined, undefined, 60],
  },
  {
    kind: 'license',
    headers: ['Package', 'License', 'Classification', 'Severity', 'File Path'],
    row: (f) => [f.pkgName ?? '', f.id, f.category ?? '', f.severity, f.pkgPath ?? ''],
    maxWidths: [40, 40, undefined, undefined, 60],
  },
];

/** A target's heading and total, then its table of each kind of finding. */
function* targetLines(target: string, list: readonly Finding[]): Generator<string> {
  yield* ['', '', target, '='.repeat(target.length), totalLine(list), ''];
  for (const table of KIND_TABLES) {
    const found = list.filter((f) => f.kind === table.kind);
    if (found.length > 0) yield* tableLines(table.headers, found.map(table.row), table.maxWidths);
  }
}

/** The findings the ignore file took out, with the entry that took each. */
function* ignoredLines(ignored: readonly Ignored[]): Generator<string> {
  if (ignored.length === 0) return;
  yield* ['', '', `Ignored by the ignore file (${ignored.length})`, ''];
  yield* tableLines(
    ['ID', 'Target', 'Reason', 'Entry'],
    ignored.map(({ finding, by }) => [finding.id, finding.resultTarget, by.reason, by.where]),
    [undefined, 40, 60, undefined],
  );
}

function* reportLines(
  report: ReportHeader,
  findings: readonly Finding[],
  ignored: readonly Ignored[],
): Generator<string> {
  const byTarget = byTargetOf(report, findings);
  yield* ['', `Report Summary (${report.ArtifactName})`, ''];
  yield* summaryLines(report, byTarget);
  for (const [target, list] of byTarget) if (list.length > 0) yield* targetLines(target, list);
  yield* ignoredLines(ignored);
  yield '';
}
