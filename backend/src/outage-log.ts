import type { Logger } from './logger.ts';

/**
 * The database's state changes, logged once each: down (at error, with the cause
 * that showed it) and back again. Requests and health probes report every outcome;
 * only a change is written, so an outage is two lines, not one per 503.
 */
export interface OutageLog {
  down(cause: unknown): void;
  up(): void;
}

export function createOutageLog(
  logger: Logger,
  describe: (error: unknown) => { message: string; code?: string },
): OutageLog {
  let down = false;
  return {
    down(cause) {
      if (down) return;
      down = true;
      logger.error(
        { err: describe(cause) },
        'database unavailable (DATABASE_URL): readiness and the notes routes answer 503 until it is back',
      );
    },
    up() {
      if (!down) return;
      down = false;
      logger.info('database is reachable again');
    },
  };
}
