import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.ts';
import type { AppDatabase } from '../src/app-database.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createLifecycle, type Lifecycle } from '../src/lifecycle.ts';
import { createLogger } from '../src/logger.ts';

/** A logger whose JSON lines are kept in memory, for assertions on what gets logged. */
export function memoryLogger(level: Config['logLevel'] = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level }, stream), lines };
}

/** A fresh app with its own registry, lifecycle and in-memory logs. */
export function buildApp(
  env: NodeJS.ProcessEnv = {},
  options: {
    now?: () => number;
    defaultMetrics?: boolean;
    /** A fake (test/fakes.ts) or a real one (createAppDatabase on a test cluster). */
    database?: AppDatabase;
    registry?: Registry;
  } = {},
) {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const registry = options.registry ?? new Registry();
  const lifecycle: Lifecycle = createLifecycle(options.now);
  const { logger, lines } = memoryLogger();
  const app = createApp({
    config,
    registry,
    logger,
    lifecycle,
    database: options.database,
    defaultMetrics: options.defaultMetrics ?? false,
    ...(options.now ? { now: options.now } : {}),
  });
  return { app, config, registry, lifecycle, logs: lines };
}
