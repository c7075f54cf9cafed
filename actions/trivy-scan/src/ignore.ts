import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FINDING_KINDS, type Finding, type FindingKind, type Suppression } from './findings.ts';

/**
 * Trivy's two ignore-file formats, read the way Trivy reads them, plus one rule of
 * ours: every entry says why it is there.
 *
 * - `.trivyignore.yaml`: `vulnerabilities`, `misconfigurations`, `secrets`, `licenses`
 *   lists of `{ id, statement, paths?, expired_at? }`; `statement` is the reason, and a
 *   license's id is its name (`GPL-3.0`), as Trivy reads it.
 * - `.trivyignore`: one id per line, optional `exp:YYYY-MM-DD`; the reason is a `#`
 *   comment on the same line or the comment lines right above it.
 *
 * Expired entries stop applying (as in Trivy) and are reported so someone renews or
 * deletes them. Errors name the file, the line or entry and what is wrong, and never quote
 * the file: the input may point at a file that is not an ignore file at all.
 */
export interface IgnoreEntry extends Suppression {
  readonly id: string;
  /** Which kinds of finding the entry applies to (the plain format applies to all). */
  readonly kinds: readonly FindingKind[];
  readonly paths: readonly string[];
  readonly expiresAt: Date | undefined;
}

export interface IgnoreRules {
  readonly file: string;
  readonly entries: readonly IgnoreEntry[];
}

export class IgnoreFileError extends Error {
  override name = 'IgnoreFileError';
}

const YAML_SECTIONS: ReadonlyArray<[string, FindingKind]> = [
  ['vulnerabilities', 'vulnerability'],
  ['misconfigurations', 'misconfiguration'],
  ['secrets', 'secret'],
  ['licenses', 'license'],
];
const SECTION_NAMES = YAML_SECTIONS.map(([name]) => name);

export function parseIgnoreFile(text: string, file: string): IgnoreRules {
  return /\.ya?ml$/i.test(file) ? parseYamlIgnore(text, file) : parsePlainIgnore(text, file);
}

function parseDate(value: unknown, where: string, field: string): Date {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new IgnoreFileError(`${where}: ${field} is not a date (expected YYYY-MM-DD)`);
  }
  return date;
}

/** Where the YAML parser stopped; its own message quotes the lines around it. */
function yamlErrorPlace(error: unknown): string {
  const pos = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
  return pos ? ` at line ${pos.line}, column ${pos.col}` : '';
}

function parseYamlIgnore(text: string, file: string): IgnoreRules {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new IgnoreFileError(`${file}: not valid YAML${yamlErrorPlace(error)}`);
  }
  if (data === null || data === undefined) return { file, entries: [] };
  const expected = `a mapping with ${SECTION_NAMES.join(', ')} lists`;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new IgnoreFileError(`${file}: not a Trivy ignore file (expected ${expected})`);
  }
  const keys = Object.keys(data);
  const unknown = keys.filter((key) => !SECTION_NAMES.includes(key));
  if (unknown.length === keys.length) {
    // Nothing we know: not an ignore file, and its keys are not ours to print.
    throw new IgnoreFileError(`${file}: not a Trivy ignore file (expected ${expected})`);
  }
  if (unknown.length > 0) {
    throw new IgnoreFileError(
      `${file}: unknown section "${unknown[0]}" (expected ${SECTION_NAMES.join(', ')})`,
    );
  }
  const entries: IgnoreEntry[] = [];
  for (const [section, kind] of YAML_SECTIONS) {
    const list = (data as Record<string, unknown>)[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new IgnoreFileError(`${file}: ${section} must be a list`);
    list.forEach((raw: unknown, index) => {
      entries.push(yamlEntry(raw, `${file}: ${section}[${index}]`, kind));
    });
  }
  return { file, entries };
}

/** One entry of a .trivyignore.yaml section: an id, a statement, optional paths and expiry. */
function yamlEntry(raw: unknown, where: string, kind: IgnoreEntry['kinds'][number]): IgnoreEntry {
  if (typeof raw !== 'object' || raw === null) {
    throw new IgnoreFileError(`${where}: expected a mapping with id and statement`);
  }
  const item = raw as Record<string, unknown>;
  if (typeof item.id !== 'string' || item.id.trim() === '') {
    throw new IgnoreFileError(`${where}: missing "id"`);
  }
  const statement = typeof item.statement === 'string' ? item.statement.trim() : '';
  if (statement === '') {
    throw new IgnoreFileError(
      `${where} (${item.id}): missing "statement": say why this finding is ignored`,
    );
  }
  const paths = item.paths ?? [];
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw new IgnoreFileError(`${where} (${item.id}): "paths" must be a list of globs`);
  }
  return {
    id: item.id.trim(),
    kinds: [kind],
    paths,
    expiresAt:
      item.expired_at === undefined || item.expired_at === null
        ? undefined
        : parseDate(item.expired_at, `${where} (${item.id})`, 'expired_at'),
    reason: statement,
    where,
  };
}

function parsePlainIgnore(text: string, file: string): IgnoreRules {
  const entries: IgnoreEntry[] = [];
  let comment: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '') {
      comment = [];
      return;
    }
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#+\s*/, ''));
      return;
    }
    const hash = line.indexOf('#');
    const body = (hash === -1 ? line : line.slice(0, hash)).trim();
    const trailing = hash === -1 ? '' : line.slice(hash).replace(/^#+\s*/, '');
    const [id = '', ...rest] = body.split(/\s+/);
    const where = `${file}:${index + 1}`;
    const reason = (trailing || comment.join(' ')).trim();
    if (reason === '') {
      // The line is not quoted: a file that is no ignore file at all fails here.
      throw new IgnoreFileError(
        `${where}: the entry has no reason: add a "# why" comment on the line or right above it`,
      );
    }
    const exp = rest.find((field) => field.startsWith('exp:'));
    entries.push({
      id,
      kinds: FINDING_KINDS,
      paths: [],
      expiresAt: exp ? parseDate(exp.slice(4), where, 'exp:') : undefined,
      reason,
      where,
    });
    comment = [];
  });
  return { file, entries };
}

/** A small doublestar glob: `**` any depth, `*` within a segment, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function matchesPath(entry: IgnoreEntry, finding: Finding): boolean {
  if (entry.paths.length === 0) return true;
  const candidates = [finding.resultTarget, finding.pkgPath, finding.file].filter(
    (p): p is string => p !== undefined,
  );
  return entry.paths.some((glob) => {
    const re = globToRegExp(glob);
    return candidates.some((candidate) => re.test(candidate));
  });
}

/** A finding hidden by an ignore-file entry or by Trivy itself, and why. */
export interface Ignored {
  readonly finding: Finding;
  readonly by: Suppression;
}

/**
 * Matches findings against the ignore file's active entries, and remembers which entries
 * matched anything, across every target of the run.
 */
export interface IgnoreMatcher {
  /** What hides this finding: the first matching entry, else Trivy's own suppression. */
  match(finding: Finding): Suppression | undefined;
  /** Entries past their expiry date: they no longer hide anything. */
  readonly expired: readonly IgnoreEntry[];
  /** Active entries that matched no finding so far. */
  unused(): IgnoreEntry[];
}

export function createIgnoreMatcher(rules: IgnoreRules | undefined, now: Date): IgnoreMatcher {
  const entries = rules?.entries ?? [];
  const active = entries.filter((e) => e.expiresAt === undefined || e.expiresAt > now);
  const expired = entries.filter((e) => !active.includes(e));
  const byId = new Map<string, IgnoreEntry[]>();
  for (const entry of active) byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry]);
  const used = new Set<IgnoreEntry>();
  return {
    expired,
    match(finding) {
      if (byId.size > 0) {
        for (const id of [finding.id, ...finding.aliases]) {
          const entry = byId
            .get(id)
            ?.find((e) => e.kinds.includes(finding.kind) && matchesPath(e, finding));
          if (entry) {
            used.add(entry);
            return entry;
          }
        }
      }
      // Trivy hid it with a rule this parser cannot match (a PURL, say): still hidden.
      return finding.suppressed;
    },
    unused: () => active.filter((e) => !used.has(e)),
  };
}

/** Splits findings into those kept and those hidden (with what hides them). */
export function applyIgnores(
  findings: readonly Finding[],
  matcher: IgnoreMatcher,
): { kept: Finding[]; ignored: Ignored[] } {
  const kept: Finding[] = [];
  const ignored: Ignored[] = [];
  for (const finding of findings) {
    const by = matcher.match(finding);
    if (by) ignored.push({ finding, by });
    else kept.push(finding);
  }
  return { kept, ignored };
}
