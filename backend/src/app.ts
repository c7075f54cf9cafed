import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { errorHandler, methodNotAllowed, notFound, requireJsonBody } from './errors.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { createHttpMetrics } from './metrics.ts';

export const SERVICE_NAME = 'backend';
export const BODY_LIMIT = '100kb';

export interface AppDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Default process/Node metrics; tests that build many apps turn them off. */
  defaultMetrics?: boolean;
  /** The per-request metrics middleware; off only to measure its cost (bench/). */
  httpMetrics?: boolean;
  now?: () => number;
}

/** Builds the Express app. No listening, no signals: that is server.ts's job. */
export function createApp({
  config,
  registry,
  logger,
  lifecycle,
  defaultMetrics,
  httpMetrics = true,
  now = Date.now,
}: AppDeps): Express {
  const app = express();
  // ETag hashing costs ~10% of throughput on small JSON bodies and buys nothing
  // for a live status API whose answers change on every call.
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('trust proxy', 'loopback, uniquelocal');

  const metrics = createHttpMetrics(registry, config, { defaultMetrics });
  if (httpMetrics) app.use(metrics.middleware);
  app.use(helmet());
  app.use((_req, res, next) => {
    // Tell keep-alive clients to reconnect (to another instance) while we drain.
    if (lifecycle.isShuttingDown()) res.set('Connection', 'close');
    next();
  });
  app.use(requireJsonBody, express.json({ limit: BODY_LIMIT }));

  const getOnly = methodNotAllowed(['GET', 'HEAD']);

  app
    .route('/')
    .get((_req, res) => {
      res.json({
        service: SERVICE_NAME,
        version: config.version,
        status: 'ok',
        message: 'Hello from the backend',
      });
    })
    .all(getOnly);

  app
    .route('/healthz')
    .get((_req, res) => {
      res.json({ status: 'ok' });
    })
    .all(getOnly);

  app
    .route('/readyz')
    .get((_req, res) => {
      if (lifecycle.isShuttingDown()) {
        res.status(503).json({ status: 'shutting_down' });
        return;
      }
      res.json({ status: 'ready' });
    })
    .all(getOnly);

  app
    .route('/api/status')
    .get((_req, res) => {
      res.set('Cache-Control', 'no-store');
      res.json({
        service: SERVICE_NAME,
        status: lifecycle.isShuttingDown() ? 'shutting_down' : 'ok',
        version: config.version,
        commit: config.commit,
        uptimeSeconds: Math.max(0, (now() - lifecycle.startedAt) / 1000),
        requestsServed: metrics.requestsServed(),
        secretConfigured: config.secretKey !== undefined,
      });
    })
    .all(getOnly);

  app
    .route('/metrics')
    .get(async (_req, res) => {
      res.set('Content-Type', registry.contentType);
      res.send(await registry.metrics());
    })
    .all(getOnly);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
