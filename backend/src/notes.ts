import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from './database.ts';

export interface Note {
  readonly id: number;
  readonly text: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

export interface IdempotencyKey {
  readonly key: string;
  /** Fingerprint of the request body the key first came with. */
  readonly fingerprint: string;
}

export type CreateResult =
  | { readonly kind: 'created'; readonly note: Note }
  /** The key was seen before with the same body: the note it created then. */
  | { readonly kind: 'replayed'; readonly note: Note }
  /** The key was seen before with a different body. */
  | { readonly kind: 'key_reused' };

/** Where notes live. The app depends on this, not on Postgres, so routes are unit-tested with a fake. */
export interface NotesRepository {
  create(text: string, idempotency?: IdempotencyKey): Promise<CreateResult>;
  /** Newest first, at most `limit`, only ids below `before` when given. */
  list(page: { limit: number; before?: number | undefined }): Promise<Note[]>;
  get(id: number): Promise<Note | undefined>;
  /** True when a note was deleted, false when there was none with that id. */
  remove(id: number): Promise<boolean>;
  count(): Promise<number>;
}

// --- input ------------------------------------------------------------------

export const TEXT_MAX = 1000;
export const LIMIT_DEFAULT = 20;
export const LIMIT_MAX = 100;

// With the u flag a surrogate pair is one code point; only a lone half is Cs.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** Characters as Postgres's char_length counts them (code points, not UTF-16 units). */
const characters = (value: string) => [...value].length;

export const noteInput = z.strictObject({
  text: z
    .string()
    .refine((text) => characters(text) >= 1 && text.trim() !== '', { message: 'must not be empty' })
    .refine((text) => characters(text) <= TEXT_MAX, {
      message: `must be at most ${TEXT_MAX} characters`,
    })
    // Postgres text cannot hold U+0000 (SQLSTATE 22021), and an unpaired
    // surrogate (valid in JSON, not in UTF-8) would be stored as U+FFFD: refused,
    // rather than stored as something other than what was sent.
    .refine((text) => !text.includes('\u0000'), {
      message: 'must not contain the NUL character (U+0000)',
    })
    .refine((text) => !UNPAIRED_SURROGATE.test(text), {
      message: 'must be valid Unicode (no unpaired surrogate)',
    }),
});
export type NoteInput = z.infer<typeof noteInput>;

// Ids are bigint identities; 15 digits stay exact as JSON numbers.
const ID_PATTERN = /^[1-9][0-9]{0,14}$/;

/** A positive integer id from a path or query string, or undefined when malformed. */
export function parseId(value: unknown): number | undefined {
  return typeof value === 'string' && ID_PATTERN.test(value) ? Number(value) : undefined;
}

/** `?limit=`: 1-100, default 20; undefined when malformed. */
export function parseLimit(value: unknown): number | undefined {
  if (value === undefined) return LIMIT_DEFAULT;
  if (typeof value !== 'string' || !/^[0-9]{1,3}$/.test(value)) return undefined;
  const limit = Number(value);
  return limit >= 1 && limit <= LIMIT_MAX ? limit : undefined;
}

// Like Stripe's: any printable ASCII, at most 255 characters (a UUID is typical).
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function isValidIdempotencyKey(value: string): boolean {
  return IDEMPOTENCY_KEY_PATTERN.test(value);
}

/** Same body, same fingerprint: the key's promise is "this exact request". */
export function fingerprint(input: NoteInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ text: input.text }))
    .digest('hex');
}

/**
 * Field-level messages for a zod error, keyed by field name ("body" for the
 * body as a whole). Never quotes the value received.
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  // A Map, not an object: a field named __proto__ or constructor is a field like
  // any other (as an object key it would set the prototype, or look present).
  const fields = new Map<string, string>();
  const add = (name: string, message: string) => {
    if (!fields.has(name)) fields.set(name, message);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(key, 'is not a known field');
      continue;
    }
    add(issue.path.length === 0 ? 'body' : issue.path.map(String).join('.'), describeIssue(issue));
  }
  // fromEntries defines own properties, __proto__ included.
  return Object.fromEntries(fields);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.path.length === 0 ? 'must be a JSON object' : `must be a ${issue.expected}`;
    default:
      return issue.message;
  }
}

// --- Postgres ---------------------------------------------------------------

interface NoteRow {
  id: string;
  text: string;
  created_at: Date;
  request_fingerprint?: string | null;
}

const COLUMNS = 'id, text, created_at';

function toNote(row: NoteRow): Note {
  return { id: Number(row.id), text: row.text, createdAt: row.created_at.toISOString() };
}

/**
 * Notes in the `notes` table (migration 1). Each call is one operation whose
 * statements are each complete on their own, so none needs BEGIN and COMMIT
 * around it (db.autocommit: a round trip per statement, not three): a write is
 * committed before its answer arrives, and in READ COMMITTED a statement sees
 * what was committed when it started, inside a transaction or not.
 */
export function createPgNotesRepository(db: Database): NotesRepository {
  return {
    create(text, idempotency) {
      return db.autocommit('notes_create', async (tx) => {
        if (idempotency === undefined) {
          const { rows } = await tx.query<NoteRow>(
            `INSERT INTO notes (text) VALUES ($1) RETURNING ${COLUMNS}`,
            [text],
          );
          return { kind: 'created', note: toNote(rows[0] as NoteRow) };
        }
        // Two concurrent requests with one key: the second INSERT waits for the
        // first to commit, then does nothing, and the SELECT below (a statement
        // started after that commit) sees its row.
        const inserted = await tx.query<NoteRow>(
          `INSERT INTO notes (text, idempotency_key, request_fingerprint) VALUES ($1, $2, $3)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
          [text, idempotency.key, idempotency.fingerprint],
        );
        if (inserted.rows[0]) return { kind: 'created', note: toNote(inserted.rows[0]) };
        const { rows } = await tx.query<NoteRow>(
          `SELECT ${COLUMNS}, request_fingerprint FROM notes WHERE idempotency_key = $1`,
          [idempotency.key],
        );
        const existing = rows[0];
        // Deleted since: the key is free again only once its note is gone, and
        // the ON CONFLICT above would have inserted. Treat a race here as reuse.
        if (!existing || existing.request_fingerprint !== idempotency.fingerprint)
          return { kind: 'key_reused' };
        return { kind: 'replayed', note: toNote(existing) };
      });
    },
    list({ limit, before }) {
      return db.autocommit('notes_list', async (tx) => {
        const { rows } =
          before === undefined
            ? await tx.query<NoteRow>(`SELECT ${COLUMNS} FROM notes ORDER BY id DESC LIMIT $1`, [
                limit,
              ])
            : await tx.query<NoteRow>(
                `SELECT ${COLUMNS} FROM notes WHERE id < $2 ORDER BY id DESC LIMIT $1`,
                [limit, before],
              );
        return rows.map(toNote);
      });
    },
    get(id) {
      return db.autocommit('notes_get', async (tx) => {
        const { rows } = await tx.query<NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE id = $1`, [
          id,
        ]);
        return rows[0] ? toNote(rows[0]) : undefined;
      });
    },
    remove(id) {
      return db.autocommit('notes_delete', async (tx) => {
        const { rowCount } = await tx.query('DELETE FROM notes WHERE id = $1', [id]);
        return (rowCount ?? 0) > 0;
      });
    },
    count() {
      return db.autocommit('notes_count', async (tx) => {
        const { rows } = await tx.query<{ count: string }>('SELECT count(*) AS count FROM notes');
        return Number(rows[0]?.count ?? 0);
      });
    },
  };
}
