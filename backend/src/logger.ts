import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger } from 'pino';

// Belt and braces: secrets live in `Secret` objects that serialise as
// "[redacted]", and these paths are censored in case a raw value slips in.
const REDACT_PATHS = [
  'secretKey',
  'databaseUrl',
  '*.secretKey',
  '*.databaseUrl',
  'env.SECRET_KEY',
  'env.DATABASE_URL',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** Structured JSON logs on stdout (or `destination`, for tests). */
export function createLogger(
  options: { level: LogLevel; name?: string },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'backend',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
