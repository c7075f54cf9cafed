// Our backend app, as server.ts builds it (VARIANT=default, with DATABASE_URL
// when given), or with one thing changed, to measure what that thing costs:
//   VARIANT=uninstrumented  the per-request metrics middleware off
//   VARIANT=etag            Express's default ETag hashing back on
//   VARIANT=uncached        the default metrics rendered at every scrape (no scrape cache)
import { Registry } from 'prom-client';
import { createApp } from '../../backend/src/app.ts';
import { createAppDatabase } from '../../backend/src/app-database.ts';
import { loadConfig } from '../../backend/src/config.ts';
import { createLifecycle } from '../../backend/src/lifecycle.ts';
import { createLogger } from '../../backend/src/logger.ts';

const VARIANTS = ['default', 'uninstrumented', 'etag', 'uncached'];
const variant = process.env.VARIANT ?? 'default';
if (!VARIANTS.includes(variant)) {
  throw new Error(`VARIANT: "${variant}" is not one of ${VARIANTS.join(', ')}`);
}
const config = loadConfig(process.env);
const registry = new Registry();
const logger = createLogger({ level: 'warn' });
const database = config.databaseUrl
  ? createAppDatabase(config.databaseUrl, { registry, logger })
  : undefined;
const app = createApp({
  config,
  registry,
  logger,
  lifecycle: createLifecycle(),
  database,
  httpMetrics: variant !== 'uninstrumented',
  ...(variant === 'uncached' ? { processMetricsMaxAgeMs: 0 } : {}),
});
if (variant === 'etag') app.set('etag', 'weak');
app.listen(config.port, '127.0.0.1');
void database?.start();
// process.exit, so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
