import type { NextFunction, Request, Response } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';

/** The `route` label of requests that matched no route: never the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';

// Seconds; tuned for a service whose requests take ~1 ms and whose SLO is 300 ms.
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export interface HttpMetrics {
  /** Express middleware recording every response once it is finished. */
  readonly middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** Requests this process has answered since it started (all routes). */
  requestsServed(): number;
}

/**
 * Registers the service's metrics on `registry` (never on the global one, so
 * each app and each test has its own).
 */
export function createHttpMetrics(
  registry: Registry,
  info: { version: string; commit: string },
  options: { defaultMetrics?: boolean } = {},
): HttpMetrics {
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request received to response finished, in seconds.',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'app_info',
    help: 'Build information of the running backend; always 1.',
    labelNames: ['version', 'commit'],
    registers: [registry],
  }).set({ version: info.version, commit: info.commit }, 1);

  let served = 0;
  return {
    middleware(req, res, next) {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        served += 1;
        const labels = {
          method: req.method,
          route: routeTemplate(req),
          status_code: String(res.statusCode),
        };
        requests.inc(labels);
        duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      });
      next();
    },
    requestsServed: () => served,
  };
}

/** The template of the route that handled `req` (e.g. `/api/notes/:id`), or `unmatched`. */
export function routeTemplate(req: Pick<Request, 'baseUrl' | 'route'>): string {
  const path: unknown = req.route?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  return `${req.baseUrl}${path}` || '/';
}

/** backend_ready: what /readyz would answer, as 1 or 0, computed at each scrape. */
export function createReadinessGauge(registry: Registry, isReady: () => Promise<boolean>): void {
  new Gauge({
    name: 'backend_ready',
    help: '1 when /readyz answers 200 (not shutting down, database reachable if configured), else 0.',
    registers: [registry],
    async collect() {
      this.set((await isReady()) ? 1 : 0);
    },
  });
}
