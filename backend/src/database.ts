import pg from 'pg';
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Secret } from './config.ts';
import type { Logger } from './logger.ts';

/** What a query runs on: a pooled client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * The one door to Postgres. Everything the app does with the database goes
 * through `transaction`, so every request is one transaction, timed and counted.
 */
export interface Database {
  /**
   * Runs `work` between BEGIN and COMMIT on one pooled connection and resolves
   * only after COMMIT succeeded; any error rolls back and is re-thrown.
   * `operation` labels db_query_duration_seconds (e.g. "notes_create").
   */
  transaction<T>(operation: string, work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A dedicated connection (migrations hold an advisory lock on it). */
  connect(): Promise<pg.PoolClient>;
  /** `SELECT 1` within `timeoutMs`; throws when the database does not answer. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  registry: Registry;
  logger: Logger;
  /** Pool size. */
  max?: number;
  /** How long getting a connection may take (an unreachable host fails after this). */
  connectionTimeoutMs?: number;
  /** Server-side limit for one statement. */
  statementTimeoutMs?: number;
}

// Seconds; a notes query is ~1 ms on loopback, a slow one is a problem at 100 ms.
export const DB_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * A pg pool for `url`, with its metrics on `registry`. No connection is opened
 * until the first query: an unreachable database shows up in readiness, not as
 * a crash at start.
 */
export function createDatabase(url: Secret, options: DatabaseOptions): Database {
  const { registry, logger } = options;
  const pool = new pg.Pool({
    connectionString: url.reveal(),
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 10_000,
    statement_timeout: options.statementTimeoutMs ?? 5000,
    application_name: 'backend',
  });
  // A pooled connection that dies while idle (the server restarted) emits
  // 'error'; unhandled, that would crash the process. The pool drops the client
  // by itself and opens a new one on the next query.
  pool.on('error', (error) => {
    logger.warn({ err: describeDbError(error) }, 'idle database connection lost');
  });

  new Gauge({
    name: 'db_pool_connections',
    help: 'Connections of the database pool, by state (idle, in use, requests waiting for one).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'active' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  const duration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Time of one database transaction (connect, queries, commit), by operation and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: DB_DURATION_BUCKETS,
    registers: [registry],
  });

  return {
    async transaction(operation, work) {
      const end = duration.startTimer({ operation });
      const client = await pool.connect().catch((error: unknown) => {
        end({ outcome: 'error' });
        throw error;
      });
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        end({ outcome: 'ok' });
        return result;
      } catch (error) {
        end({ outcome: 'error' });
        // A connection that cannot even roll back is dropped, not reused.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken =
            rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    connect: () => pool.connect(),
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`database did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([pool.query('SELECT 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * What is safe to log about a database error: pg's messages name the user and
 * the host at most, never the password; the SQLSTATE code says what kind it is.
 */
export function describeDbError(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  // AggregateError (every address of a host refused) has an empty message.
  const message =
    error.message ||
    (error instanceof AggregateError
      ? error.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')
      : error.name);
  return code === undefined ? { message } : { message, code };
}

// SQLSTATE classes and codes that mean "the database is not there right now",
// as opposed to a bug in a query: connection exceptions (08), operator
// intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
// connect now, 57014 statement timeout), insufficient resources (53), bad
// credentials or a missing database (28, 3D000: a config problem, logged as
// such at start), and an undefined table (42P01) before the first migration ran.
const UNAVAILABLE_SQLSTATES = /^(08|28|53|57P0|57014$|3D000$|42P01$)/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
// node-postgres's own messages for a dead connection or a full pool.
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|database did not answer/;

/** True for errors that say the database is unreachable (a 503), not that a query is wrong. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return UNAVAILABLE_MESSAGES.test(error.message);
}
