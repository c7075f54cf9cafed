import { Gauge, type Registry } from 'prom-client';
import type { Secret } from './config.ts';
import { createDatabase, type Database, type DatabaseOptions } from './database.ts';
import { DatabaseUnavailableError } from './database-errors.ts';
import type { Logger } from './logger.ts';
import { MIGRATIONS, type Migration, migrate } from './migrations.ts';
import { createPgNotesRepository, type NotesRepository } from './notes.ts';

/** What createApp needs from the database: the notes and whether it can serve them. */
export interface AppDatabase {
  readonly notes: NotesRepository;
  /** Reachable and migrated. Cheap to call often: answers are reused for a moment. */
  isUp(): Promise<boolean>;
}

export interface AppDatabaseService extends AppDatabase {
  /**
   * Runs the migrations, retrying while the database is unreachable or refuses
   * us; resolves once they are applied (or when closed). Readiness is 503 until then.
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface AppDatabaseOptions {
  registry: Registry;
  logger: Logger;
  /** How long `SELECT 1` may take before the database counts as down. */
  pingTimeoutMs?: number;
  /** How long one health answer is reused (readiness probes and scrapes share it). */
  healthCacheMs?: number;
  /** First and longest wait between migration attempts. */
  retryMs?: { first: number; max: number };
  migrations?: readonly Migration[];
  /** The pool's timeouts (database.ts DB_TIMEOUTS by default). */
  timeouts?: Pick<DatabaseOptions, 'connectionTimeoutMs' | 'statementTimeoutMs' | 'queryTimeoutMs'>;
  now?: () => number;
}

/**
 * The database as the app uses it: a pool, migrations at start, a health check
 * with a short timeout (the pool reconnects by itself when Postgres comes back)
 * and the db_up gauge. Nothing connects until start() or the first request.
 */
export function createAppDatabase(url: Secret, options: AppDatabaseOptions): AppDatabaseService {
  const { registry, logger, now = Date.now } = options;
  const pingTimeoutMs = options.pingTimeoutMs ?? 1000;
  const healthCacheMs = options.healthCacheMs ?? 1000;
  const retry = options.retryMs ?? { first: 500, max: 10_000 };
  const db: Database = createDatabase(url, { registry, logger, ...options.timeouts });
  const notes = createPgNotesRepository(db);

  let migrated = false;
  let closed = false;
  let last: { at: number; up: boolean } | undefined;
  let inFlight: Promise<boolean> | undefined;

  // The database's own outage log (database.ts) says when it goes down and comes back.
  const probe = async (): Promise<boolean> => {
    try {
      await db.ping(pingTimeoutMs);
      return migrated;
    } catch {
      return false;
    }
  };

  const isUp = (): Promise<boolean> => {
    if (last && now() - last.at < healthCacheMs) return Promise.resolve(last.up);
    // Concurrent callers share one probe.
    inFlight ??= probe().then((up) => {
      last = { at: now(), up };
      inFlight = undefined;
      return up;
    });
    return inFlight;
  };

  new Gauge({
    name: 'db_up',
    help: '1 when the backend reaches its database (SELECT 1 within the timeout) and the schema is migrated, else 0.',
    registers: [registry],
    async collect() {
      this.set((await isUp()) ? 1 : 0);
    },
  });

  return {
    notes,
    isUp,
    async start() {
      let wait = retry.first;
      let lastCause: string | undefined;
      while (!closed) {
        try {
          const applied = await migrate(
            () => db.connect(),
            logger,
            options.migrations ?? MIGRATIONS,
          );
          migrated = true;
          last = undefined;
          logger.info({ applied }, 'database schema is up to date');
          return;
        } catch (error) {
          // No connection: the database's outage log has said so, once. Any other
          // failure once per cause at error, its repeats (every retry) at debug.
          const err = db.describeError(error);
          const cause = `${err.code ?? ''} ${err.message}`;
          const repeat = error instanceof DatabaseUnavailableError || cause === lastCause;
          logger[repeat ? 'debug' : 'error'](
            { err, retryInMs: wait },
            'migrations could not run; readiness stays 503 until they do',
          );
          lastCause = cause;
        }
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
        wait = Math.min(retry.max, wait * 2);
      }
    },
    async close() {
      closed = true;
      await db.close();
    },
  };
}
