import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { AppDatabase } from './app-database.ts';
import type { Config } from './config.ts';
import { errorHandler, methodNotAllowed, notFound } from './errors.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import {
  createHttpMetrics,
  createProcessMetrics,
  createReadinessGauge,
  mountRouter,
} from './metrics.ts';
import { createNotesRouter } from './notes-routes.ts';
import { createScrape, PROCESS_METRICS_MAX_AGE_MS } from './scrape.ts';
import { helmetHeaders, setHeaders } from './security-headers.ts';

export const SERVICE_NAME = 'backend';
export const BODY_LIMIT = '100kb';

export interface AppDeps {
  config: Config;
  registry: Registry;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Postgres (notes, readiness); without it the notes routes answer 503 database_not_configured. */
  database?: AppDatabase | undefined;
  /** Default process/Node metrics; tests that build many apps turn them off. */
  defaultMetrics?: boolean;
  /** The per-request metrics middleware; off only to measure its cost (bench/). */
  httpMetrics?: boolean;
  /** How long the default metrics' text is reused (scrape.ts); 0 only to measure the cache (bench/). */
  processMetricsMaxAgeMs?: number;
  now?: () => number;
}

/** Builds the Express app. No listening, no signals: that is server.ts's job. */
export function createApp({
  config,
  registry,
  logger,
  lifecycle,
  database,
  defaultMetrics,
  httpMetrics = true,
  processMetricsMaxAgeMs = PROCESS_METRICS_MAX_AGE_MS,
  now = Date.now,
}: AppDeps): Express {
  const app = express();
  // ETag hashing costs ~10% of throughput on small JSON bodies and buys nothing
  // for a live status API whose answers change on every call.
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('trust proxy', 'loopback, uniquelocal');

  const metrics = createHttpMetrics(registry, config);
  const scrape = createScrape({
    live: registry,
    cached:
      defaultMetrics === false
        ? undefined
        : { registry: createProcessMetrics(), maxAgeMs: processMetricsMaxAgeMs },
  });
  /** Why the backend is not ready, or undefined when it is. */
  const notReady = async (): Promise<string | undefined> => {
    if (lifecycle.isShuttingDown()) return 'shutting_down';
    if (database && !(await database.isUp())) return 'database_unavailable';
    return undefined;
  };
  createReadinessGauge(registry, async () => (await notReady()) === undefined);
  const securityHeaders = helmetHeaders();
  // What every request gets, in one middleware rather than three: each layer of
  // the router costs a match and a next() per request.
  app.use((req, res, next) => {
    if (httpMetrics) metrics.track(req, res);
    setHeaders(res, securityHeaders);
    // Tell keep-alive clients to reconnect (to another instance) while we drain.
    if (lifecycle.isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  });
  // No body parser here: the routes that take a body parse it themselves (jsonBody).

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
    .get(async (_req, res) => {
      // Liveness (/healthz) never looks at the database: a restart would not bring it back.
      const reason = await notReady();
      if (reason !== undefined) {
        res.status(503).json({ status: reason });
        return;
      }
      res.json({ status: 'ready' });
    })
    .all(getOnly);

  app
    .route('/api/status')
    .get(async (_req, res) => {
      res.set('Cache-Control', 'no-store');
      const db = await databaseStatus(database);
      res.json({
        service: SERVICE_NAME,
        status: lifecycle.isShuttingDown() ? 'shutting_down' : 'ok',
        version: config.version,
        commit: config.commit,
        uptimeSeconds: Math.max(0, (now() - lifecycle.startedAt) / 1000),
        requestsServed: metrics.requestsServed(),
        secretConfigured: config.secretKey !== undefined,
        database: db.state,
        notes: db.notes,
      });
    })
    .all(getOnly);

  mountRouter(app, '/api/notes', createNotesRouter(database?.notes, { bodyLimit: BODY_LIMIT }));

  app
    .route('/metrics')
    .get(async (_req, res) => {
      const body = await scrape.render();
      // The text as it is: no charset negotiation, no freshness check (res.send's work).
      res.writeHead(200, { 'Content-Type': scrape.contentType, 'Content-Length': body.length });
      res.end(body);
    })
    .all(getOnly);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** The database's part of /api/status: its state and, when it is up, how many notes there are. */
async function databaseStatus(
  database: AppDatabase | undefined,
): Promise<{ state: 'up' | 'down' | 'not_configured'; notes: number | null }> {
  if (!database) return { state: 'not_configured', notes: null };
  if (!(await database.isUp())) return { state: 'down', notes: null };
  try {
    return { state: 'up', notes: await database.notes.count() };
  } catch {
    return { state: 'down', notes: null };
  }
}
