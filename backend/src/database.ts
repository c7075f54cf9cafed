import pg from 'pg';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { type Secret, urlSecrets } from './config.ts';
import {
  DatabaseUnavailableError,
  describeDbError,
  isConnectionLost,
  isUnavailable,
} from './database-errors.ts';
import type { Logger } from './logger.ts';
import { createOutageLog } from './outage-log.ts';

/** What a query runs on: a pooled client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A connection of its own, outside the pool; release() closes it. */
export interface DedicatedConnection extends Queryable {
  release(error?: Error): void;
}

/**
 * The one door to Postgres. Everything the app does with the database goes
 * through `transaction` or `autocommit`, so every request is one operation,
 * timed and counted, whose every write is committed before it answers.
 */
export interface Database {
  /**
   * Runs `work` between BEGIN and COMMIT on one pooled connection and resolves
   * only after COMMIT succeeded; any error rolls back and is re-thrown. No
   * connection: DatabaseUnavailableError. `operation` labels
   * db_query_duration_seconds (e.g. "notes_create").
   */
  transaction<T>(operation: string, work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one pooled connection with no BEGIN around it: each statement
   * is its own transaction, committed before its answer arrives. For operations
   * whose statements are each complete on their own (one SELECT; an INSERT, then
   * a read of what it found): the same outcome as `transaction`, with one round
   * trip per statement instead of two more for BEGIN and COMMIT. Errors and
   * metrics as `transaction`.
   */
  autocommit<T>(operation: string, work: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * A dedicated connection without the request timeouts (migrations hold an
   * advisory lock on it and may take as long as they need). No connection:
   * DatabaseUnavailableError.
   */
  connect(): Promise<DedicatedConnection>;
  /** `SELECT 1` within `timeoutMs`; throws when the database does not answer. */
  ping(timeoutMs: number): Promise<void>;
  /** describeDbError with DATABASE_URL's secrets masked. */
  describeError(error: unknown): { message: string; code?: string };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  registry: Registry;
  logger: Logger;
  /** Pool size. */
  max?: number;
  /** How long getting a connection may take (an unreachable host fails after this). */
  connectionTimeoutMs?: number;
  /** Server-side limit for one statement (Postgres cancels it: SQLSTATE 57014). */
  statementTimeoutMs?: number;
  /**
   * Client-side limit for one statement, for a server that cannot even cancel
   * (frozen, cut off): the connection is dropped. Above statementTimeoutMs, so
   * that normally the server's cancel comes first and the connection stays usable.
   */
  queryTimeoutMs?: number;
}

/**
 * Request-path limits. nginx gives up on the backend after 5 s
 * (proxy_read_timeout): a request waits at most 2 s for a connection, then each
 * statement at most 2 s on the server, 3 s on our side, and answers 503 then.
 */
export const DB_TIMEOUTS = Object.freeze({
  connectionMs: 2000,
  statementMs: 2000,
  queryMs: 3000,
});

/** Connections of the pool (DatabaseOptions.max): bench/results/backend.md measures it against pgbench. */
export const POOL_SIZE = 10;

// Seconds; a notes query is ~1 ms on loopback, a slow one is a problem at 100 ms.
export const DB_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * A pg pool for `url`, with its metrics on `registry`. No connection is opened
 * until the first query: an unreachable database shows up in readiness, not as
 * a crash at start.
 */
export function createDatabase(url: Secret, options: DatabaseOptions): Database {
  const { registry, logger } = options;
  const secrets = urlSecrets(url.reveal());
  const describeError = (error: unknown) => describeDbError(error, secrets);
  const connectionTimeoutMillis = options.connectionTimeoutMs ?? DB_TIMEOUTS.connectionMs;
  const pool = new pg.Pool({
    connectionString: url.reveal(),
    max: options.max ?? POOL_SIZE,
    connectionTimeoutMillis,
    idleTimeoutMillis: 10_000,
    statement_timeout: options.statementTimeoutMs ?? DB_TIMEOUTS.statementMs,
    query_timeout: options.queryTimeoutMs ?? DB_TIMEOUTS.queryMs,
    application_name: 'backend',
  });
  const outage = createOutageLog(logger, describeError);
  // A pooled connection that dies while idle (the server restarted) emits
  // 'error'; unhandled, that would crash the process. The pool drops the client
  // by itself and opens a new one on the next query.
  pool.on('error', (error) => {
    logger.warn({ err: describeError(error) }, 'idle database connection lost');
  });
  const duration = registerPoolMetrics(registry, pool);

  /** A pooled client, or DatabaseUnavailableError (the pool can also throw synchronously). */
  const checkout = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect();
    } catch (error) {
      outage.down(error);
      throw new DatabaseUnavailableError(error);
    }
  };

  /** A pooled client for a timed operation; a failed checkout ends the timer as an error. */
  const timedCheckout = async (end: (labels: { outcome: string }) => void) => {
    try {
      return await checkout();
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  };

  /** After `work` failed: the reason to drop the client rather than reuse it, if any. */
  const dropReason = async (client: pg.PoolClient, error: unknown, begin: boolean) => {
    if (begin) return rollback(client, error);
    return isConnectionLost(error) ? asError(error) : undefined;
  };

  /**
   * `work` on a pooled client, timed as `operation`; `begin` wraps it in
   * BEGIN/COMMIT and rolls back on failure.
   */
  const onClient = async <T>(
    operation: string,
    begin: boolean,
    work: (q: Queryable) => Promise<T>,
  ): Promise<T> => {
    const end = duration.startTimer({ operation });
    const client = await timedCheckout(end);
    let discard: Error | undefined;
    // pg-pool drops its idle 'error' listener while a client is checked out: a
    // connection that dies between two queries of this transaction (Postgres killed)
    // would emit 'error' with no listener and crash the process. Catch it and drop the
    // client; the query in progress, or the next one, fails on its own.
    const lost = (error: Error) => {
      discard = error;
      outage.down(error);
    };
    client.on('error', lost);
    try {
      if (begin) await client.query('BEGIN');
      const result = await work(client);
      if (begin) await client.query('COMMIT');
      end({ outcome: 'ok' });
      outage.up();
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      if (isUnavailable(error)) outage.down(error);
      discard = discard ?? (await dropReason(client, error, begin));
      throw error;
    } finally {
      client.removeListener('error', lost);
      client.release(discard);
    }
  };

  return {
    transaction: (operation, work) => onClient(operation, true, work),
    autocommit: (operation, work) => onClient(operation, false, work),
    async connect() {
      try {
        const connection = await dedicatedConnection(url, connectionTimeoutMillis, logger);
        outage.up();
        return connection;
      } catch (error) {
        outage.down(error);
        throw new DatabaseUnavailableError(error);
      }
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`database did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        // query_timeout too: the pool drops the connection of a ping that hung,
        // instead of keeping it busy until the server answers.
        const select: pg.QueryConfig & { query_timeout: number } = {
          text: 'SELECT 1',
          query_timeout: timeoutMs,
        };
        await Promise.race([pool.query(select), timeout]);
        outage.up();
      } catch (error) {
        outage.down(error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    describeError,
    close: () => pool.end(),
  };
}

/**
 * ROLLBACK after a failed transaction; returns the error to release the client
 * with (so the pool drops it) when the connection cannot be trusted any more.
 */
async function rollback(client: pg.PoolClient, error: unknown): Promise<Error | undefined> {
  // A connection that is gone, or whose query timed out on our side and may
  // still run, is dropped: Postgres rolls back when it sees the socket close.
  if (isConnectionLost(error)) return asError(error);
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (rollbackError) {
    return asError(rollbackError);
  }
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

async function dedicatedConnection(
  url: Secret,
  connectionTimeoutMillis: number,
  logger: Logger,
): Promise<DedicatedConnection> {
  const client = new pg.Client({
    connectionString: url.reveal(),
    connectionTimeoutMillis,
    application_name: 'backend-migrations',
  });
  // Its user sees the failure of the query in progress; this only keeps the
  // process alive when the connection dies between queries.
  client.on('error', () => logger.debug('dedicated database connection lost'));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    query: (text, values) => client.query(text, values as unknown[] | undefined),
    release: () => {
      client.end().catch(() => undefined);
    },
  };
}

function registerPoolMetrics(registry: Registry, pool: pg.Pool) {
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
  return new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Time of one database transaction (connect, queries, commit), by operation and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: DB_DURATION_BUCKETS,
    registers: [registry],
  });
}
