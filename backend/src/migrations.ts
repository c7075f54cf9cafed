import type { Queryable } from './database.ts';
import type { Logger } from './logger.ts';

/** One schema change. Versions only grow; a released migration is never edited. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create notes',
    sql: `
      CREATE TABLE notes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A client's Idempotency-Key and a fingerprint of the body it came
        -- with: a retry with the same key returns this note instead of a new one.
        idempotency_key text,
        request_fingerprint text,
        CONSTRAINT notes_idempotency_key_unique UNIQUE (idempotency_key),
        CONSTRAINT notes_idempotency_pair CHECK ((idempotency_key IS NULL) = (request_fingerprint IS NULL))
      )`,
  },
];

// Any constant works as long as every instance uses the same one: it only has
// to be unique among the advisory locks this database sees. ("notes" in ASCII.)
export const MIGRATION_LOCK_KEY = 0x6e6f746573;

/** A connection that can be held for the whole run (the advisory lock is per session). */
export interface MigrationConnection extends Queryable {
  release(error?: Error): void;
}

export class MigrationError extends Error {
  constructor(
    readonly migration: Migration,
    override readonly cause: unknown,
  ) {
    super(
      `migration ${migration.version} (${migration.name}) failed and was rolled back: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
    this.name = 'MigrationError';
  }
}

/** Throws unless versions are positive integers, unique and in increasing order. */
export function checkMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(
        `migration versions must be positive integers in increasing order: ${m.version} after ${previous}`,
      );
    }
    previous = m.version;
  }
}

/** The migrations not yet in `applied`, in order. */
export function pending(
  migrations: readonly Migration[],
  applied: ReadonlySet<number>,
): Migration[] {
  return migrations.filter((m) => !applied.has(m.version));
}

/**
 * Brings the schema up to date. Safe to run from several instances at once
 * (they queue on an advisory lock) and as often as you like (applied versions
 * are recorded in schema_migrations). Each migration runs in its own
 * transaction together with its schema_migrations row, so a failing one leaves
 * nothing behind and the next start tries it again. Returns the versions applied.
 */
export async function migrate(
  connect: () => Promise<MigrationConnection>,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  checkMigrations(migrations);
  const conn = await connect();
  let broken: Error | undefined;
  try {
    // The pool's statement_timeout is for requests; a migration (or the wait
    // for another instance's lock) may take longer.
    await conn.query('SET statement_timeout = 0');
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await conn.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const { rows } = await conn.query<{ version: number }>(
        'SELECT version FROM schema_migrations',
      );
      const applied: number[] = [];
      for (const migration of pending(migrations, new Set(rows.map((r) => r.version)))) {
        try {
          await conn.query('BEGIN');
          await conn.query(migration.sql);
          await conn.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await conn.query('COMMIT');
        } catch (error) {
          await conn.query('ROLLBACK').catch(() => undefined);
          throw new MigrationError(migration, error);
        }
        logger.info({ version: migration.version, name: migration.name }, 'migration applied');
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch((error) => {
        // A connection that lost its lock this way is closed, which frees the lock.
        broken = error instanceof Error ? error : new Error(String(error));
      });
    }
  } finally {
    // Back to the pool's default for whoever gets this connection next.
    if (!broken) await conn.query('RESET statement_timeout').catch(() => undefined);
    conn.release(broken);
  }
}
