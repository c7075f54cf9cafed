// Our backend app, as server.ts builds it (VARIANT=default), or with one thing
// changed, to measure what that thing costs:
//   VARIANT=uninstrumented  the per-request metrics middleware off
//   VARIANT=etag            Express's default ETag hashing back on
import { Registry } from 'prom-client';
import { createApp } from '../../backend/src/app.ts';
import { loadConfig } from '../../backend/src/config.ts';
import { createLifecycle } from '../../backend/src/lifecycle.ts';
import { createLogger } from '../../backend/src/logger.ts';

const variant = process.env.VARIANT;
const config = loadConfig(process.env);
const app = createApp({
  config,
  registry: new Registry(),
  logger: createLogger({ level: 'warn' }),
  lifecycle: createLifecycle(),
  httpMetrics: variant !== 'uninstrumented',
});
if (variant === 'etag') app.set('etag', 'weak');
app.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
