import { parse as parseYaml } from 'yaml';
import type { Finding, FindingKind } from './findings.ts';

/**
 * Trivy's two ignore-file formats, read the way Trivy reads them, plus one rule of
 * ours: every entry says why it is there.
 *
 * - `.trivyignore.yaml`: `vulnerabilities`, `misconfigurations`, `secrets` lists of
 *   `{ id, statement, paths?, expired_at? }`; `statement` is the reason.
 * - `.trivyignore`: one id per line, optional `exp:YYYY-MM-DD`; the reason is a `#`
 *   comment on the same line or the comment lines right above it.
 *
 * Expired entries stop applying (as in Trivy) and are reported so someone renews or
 * deletes them.
 */
export interface IgnoreEntry {
  readonly id: string;
  /** Which kinds of finding the entry applies to (the plain format applies to all). */
  readonly kinds: readonly FindingKind[];
  readonly paths: readonly string[];
  readonly expiresAt: Date | undefined;
  readonly reason: string;
  /** Where the entry is, for messages: `security/.trivyignore.yaml: vulnerabilities[2]`. */
  readonly where: string;
}

export interface IgnoreRules {
  readonly file: string;
  readonly entries: readonly IgnoreEntry[];
}

export class IgnoreFileError extends Error {
  override name = 'IgnoreFileError';
}

const ALL_KINDS: readonly FindingKind[] = ['vulnerability', 'misconfiguration', 'secret'];
const YAML_SECTIONS: ReadonlyArray<[string, FindingKind]> = [
  ['vulnerabilities', 'vulnerability'],
  ['misconfigurations', 'misconfiguration'],
  ['secrets', 'secret'],
];

export function parseIgnoreFile(text: string, file: string): IgnoreRules {
  return /\.ya?ml$/i.test(file) ? parseYamlIgnore(text, file) : parsePlainIgnore(text, file);
}

function parseDate(value: unknown, where: string): Date {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new IgnoreFileError(
      `${where}: expired_at ${JSON.stringify(value)} is not a date (expected YYYY-MM-DD)`,
    );
  }
  return date;
}

function parseYamlIgnore(text: string, file: string): IgnoreRules {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new IgnoreFileError(
      `${file}: not valid YAML (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (data === null || data === undefined) return { file, entries: [] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new IgnoreFileError(
      `${file}: expected a mapping with vulnerabilities/misconfigurations/secrets`,
    );
  }
  const known = new Set([...YAML_SECTIONS.map(([name]) => name), 'licenses']);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) {
      throw new IgnoreFileError(
        `${file}: unknown section "${key}" (expected vulnerabilities, misconfigurations, secrets or licenses)`,
      );
    }
  }
  const entries: IgnoreEntry[] = [];
  for (const [section, kind] of YAML_SECTIONS) {
    const list = (data as Record<string, unknown>)[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new IgnoreFileError(`${file}: ${section} must be a list`);
    list.forEach((raw: unknown, index) => {
      const where = `${file}: ${section}[${index}]`;
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
      entries.push({
        id: item.id.trim(),
        kinds: [kind],
        paths,
        expiresAt:
          item.expired_at === undefined || item.expired_at === null
            ? undefined
            : parseDate(item.expired_at, `${where} (${item.id})`),
        reason: statement,
        where,
      });
    });
  }
  return { file, entries };
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
      throw new IgnoreFileError(
        `${where}: entry ${id} has no reason: add a "# why" comment on the line or right above it`,
      );
    }
    const exp = rest.find((field) => field.startsWith('exp:'));
    entries.push({
      id,
      kinds: ALL_KINDS,
      paths: [],
      expiresAt: exp ? parseDate(exp.slice(4), `${where} (${id})`) : undefined,
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
  const candidates = [finding.target, finding.pkgPath, finding.file].filter(
    (p): p is string => p !== undefined,
  );
  return entry.paths.some((glob) => {
    const re = globToRegExp(glob);
    return candidates.some((candidate) => re.test(candidate));
  });
}

export interface IgnoreOutcome {
  readonly kept: Finding[];
  readonly ignored: Array<{ readonly finding: Finding; readonly entry: IgnoreEntry }>;
  /** Entries past their expiry date: they no longer hide anything. */
  readonly expired: IgnoreEntry[];
  /** Active entries that matched no finding in these reports. */
  readonly unused: IgnoreEntry[];
}

export function applyIgnores(
  findings: readonly Finding[],
  rules: IgnoreRules | undefined,
  now: Date,
): IgnoreOutcome {
  const entries = rules?.entries ?? [];
  const active = entries.filter((e) => e.expiresAt === undefined || e.expiresAt > now);
  const expired = entries.filter((e) => !active.includes(e));
  const byId = new Map<string, IgnoreEntry[]>();
  for (const entry of active) byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry]);
  const used = new Set<IgnoreEntry>();
  const kept: Finding[] = [];
  const ignored: IgnoreOutcome['ignored'] = [];
  for (const finding of findings) {
    const candidates = [finding.id, ...finding.aliases].flatMap((id) => byId.get(id) ?? []);
    const entry = candidates.find((e) => e.kinds.includes(finding.kind) && matchesPath(e, finding));
    if (entry) {
      used.add(entry);
      ignored.push({ finding, entry });
    } else if (finding.suppressed) {
      // Trivy hid it with a rule this parser cannot match (a PURL, say): still ignored.
      ignored.push({
        finding,
        entry: {
          id: finding.id,
          kinds: [finding.kind],
          paths: [],
          expiresAt: undefined,
          reason: finding.suppressed.reason || 'ignored by Trivy',
          where: finding.suppressed.source,
        },
      });
    } else kept.push(finding);
  }
  return { kept, ignored, expired, unused: active.filter((e) => !used.has(e)) };
}
