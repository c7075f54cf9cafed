import { Registry } from 'prom-client';
import { createApp } from './app.ts';
import { createAppDatabase } from './app-database.ts';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { createHttpServer, describeListenError, listen } from './http-server.ts';
import { createLifecycle } from './lifecycle.ts';
import { createLogger } from './logger.ts';
import { createShutdown } from './shutdown.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // Before the logger exists; the message names variables, never values.
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(78); // EX_CONFIG
  }

  const logger = createLogger({ level: config.logLevel });
  const lifecycle = createLifecycle();
  const registry = new Registry();
  const database = config.databaseUrl
    ? createAppDatabase(config.databaseUrl, { registry, logger })
    : undefined;
  const app = createApp({ config, registry, logger, lifecycle, database });

  const server = createHttpServer(app);
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    logger.fatal(
      `cannot listen on ${config.host}:${config.port}: ${describeListenError(error)}; exiting`,
    );
    await database?.close();
    process.exit(1);
  }
  logger.info({ config: describeConfig(config) }, `listening on ${config.host}:${config.port}`);
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'server error');
    process.exit(1);
  });
  // Listening first: liveness answers while the database is still on its way,
  // and readiness says 503 until the migrations are applied.
  void database?.start();

  const shutdown = createShutdown({
    server,
    lifecycle,
    logger,
    drainMs: config.shutdownDrainMs,
    timeoutMs: config.shutdownTimeoutMs,
    onClosed: () => database?.close() ?? Promise.resolve(),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'signal received');
      shutdown().then(
        (result) => process.exit(result === 'clean' ? 0 : 1),
        (error: unknown) => {
          logger.fatal({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

await main();
