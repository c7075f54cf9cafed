import type { Request, RequestHandler, Response, Router } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The `route` label of requests that matched no route: never the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';

// Seconds; tuned for a service whose requests take ~1 ms and whose SLO is 300 ms.
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export interface HttpMetrics {
  /** Records the response to `req` once it is finished (the start of the timing is now). */
  track(req: Request, res: Response): void;
  /** Requests this process has answered since it started (all routes). */
  requestsServed(): number;
}

/**
 * A registry of prom-client's default process and Node metrics (CPU, memory,
 * file descriptors, heap spaces, event-loop lag, GC), all of them: the dashboards
 * and runbooks read several. They are costly to collect (/proc reads, histogram
 * walks), so the app serves them through a scrape cache (scrape.ts).
 */
export function createProcessMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Registers the service's metrics on `registry` (never on the global one, so
 * each app and each test has its own).
 */
export function createHttpMetrics(
  registry: Registry,
  info: { version: string; commit: string },
): HttpMetrics {
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

  // prom-client hashes (sorts and joins) the label object on every inc/observe;
  // a labelled child per (method, route, status) is hashed once. The set is small:
  // routes are templates and Node's parser accepts only known methods.
  type Labels = (typeof labelNames)[number];
  const children = new Map<string, { count: Counter.Internal; time: Histogram.Internal<Labels> }>();
  const childrenFor = (method: string, route: string, status: number) => {
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (child === undefined) {
      const labels = { method, route, status_code: String(status) };
      child = { count: requests.labels(labels), time: duration.labels(labels) };
      children.set(key, child);
    }
    return child;
  };

  let served = 0;
  const track = (req: Request, res: Response): void => {
    const start = performance.now();
    res.once('finish', () => {
      served += 1;
      const child = childrenFor(req.method, routeTemplate(req), res.statusCode);
      child.count.inc();
      child.time.observe((performance.now() - start) / 1000);
    });
  };
  return {
    track,
    requestsServed: () => served,
  };
}

/** Where mountRouter keeps the declared mount path of the router a request is in. */
const MOUNT_PATH = Symbol('mountPath');
type Mounted = { [MOUNT_PATH]?: string | undefined; route?: { path?: unknown } | undefined };

/**
 * The template of the route that handled `req` (e.g. `/api/notes/:id`), or
 * `unmatched`: the declared mount path (mountRouter) and the route's declared
 * path, never the request's spelling. Express matches case-insensitively and
 * req.baseUrl carries the path as the client wrote it (/API/NOTES), and is reset
 * once an error leaves the router.
 */
export function routeTemplate(req: Mounted): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  const mount = req[MOUNT_PATH];
  if (mount === undefined) return path;
  return path === '/' ? mount : `${mount}${path}`;
}

/**
 * app.use(path, router), with `path` recorded for routeTemplate. A request that
 * matched none of the router's routes leaves it as it came (later routes are not
 * under `path`); one whose route failed keeps it, for the error's answer.
 */
export function mountRouter(app: Router, path: string, router: RequestHandler): void {
  app.use(path, (req, res, next) => {
    const r = req as Request & Mounted;
    const outer = r[MOUNT_PATH];
    r[MOUNT_PATH] = `${outer ?? ''}${path}`;
    router(req, res, (error?: unknown) => {
      if (error === undefined || error === null || error === 'router') {
        r[MOUNT_PATH] = outer;
        r.route = undefined;
        next();
        return;
      }
      next(error);
    });
  });
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
