/**
 * What a database error means for the app (the database is away: 503; a query is
 * wrong: 500) and what of it is safe to log.
 */

/**
 * No connection could be had: refused, timed out, TLS or certificate trouble, bad
 * credentials, a missing sslrootcert file. Whatever the cause, it is the database
 * being unavailable to us, never a bug in a query.
 */
export class DatabaseUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super('no database connection could be opened', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** The message of node-postgres's client-side query_timeout. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * What is safe to log about a database error: its message and code (SQLSTATE or
 * Node's), with every string of `secrets` masked. pg's own messages name the user
 * and the host, never the password, but one can quote a setting or a file name
 * taken from DATABASE_URL, hence the masking.
 */
export function describeDbError(
  error: unknown,
  secrets: readonly string[] = [],
): { message: string; code?: string } {
  const cause = error instanceof DatabaseUnavailableError ? error.cause : error;
  const described = describe(cause);
  let { message } = described;
  for (const secret of secrets) message = message.replaceAll(secret, '***');
  return described.code === undefined ? { message } : { message, code: described.code };
}

function describe(error: unknown): { message: string; code?: string | undefined } {
  if (!(error instanceof Error)) return { message: String(error) };
  // AggregateError (every address of a host refused) has an empty message.
  const message =
    error.message ||
    (error instanceof AggregateError
      ? error.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')
      : error.name);
  return { message, code: codeOf(error) };
}

function codeOf(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

// SQLSTATE classes and codes that mean "the database is not there right now",
// as opposed to a bug in a query: connection exceptions (08), operator
// intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
// connect now, 57014 statement timeout), insufficient resources (53), bad
// credentials or a missing database (28, 3D000: a config problem, logged as
// such at start), and an undefined table (42P01) before the first migration ran.
const UNAVAILABLE_SQLSTATES = /^(08|28|53|57P0|57014$|3D000$|42P01$)/;
const CONNECTION_LOST_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
// node-postgres's own messages for a dead connection, a full pool or a server
// that stopped answering (query_timeout).
const CONNECTION_LOST_MESSAGES = new RegExp(
  `timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|database did not answer|${QUERY_TIMEOUT_MESSAGE}`,
);

/** True for errors that say the database is unreachable (a 503), not that a query is wrong. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_SQLSTATES.test(codeOf(error) ?? '')) return true;
  return isConnectionLost(error);
}

/**
 * True when the connection itself is gone or in an unknown state (a query timed
 * out on our side and may still be running): it must be dropped, not rolled back
 * and reused.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (CONNECTION_LOST_CODES.has(codeOf(error) ?? '')) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionLost);
  return CONNECTION_LOST_MESSAGES.test(error.message);
}
