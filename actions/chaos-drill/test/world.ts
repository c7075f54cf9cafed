/**
 * A simulated stack for drill unit tests, on a discrete-event clock (world/clock.ts): a
 * backend and a database that are up, down or slow over time (world/timeline.ts),
 * Prometheus scraping the backend and evaluating BackendDown, PostgresDown and
 * BackendHighLatencyP95 every 5 s (world/prometheus.ts), the stack over HTTP with the
 * frontend's JSON 503 while the backend is down (world/http.ts), the containers as Compose
 * and Docker show them (world/containers.ts), and Toxiproxy (world/toxiproxy.ts).
 */
import type { DrillDeps } from '../src/drill.ts';
import { staticTargets } from '../src/probes.ts';
import { eventClock } from './world/clock.ts';
import { type ContainersOptions, fakeContainers } from './world/containers.ts';
import { fakeHttp, type HttpOptions } from './world/http.ts';
import { fakePrometheus, type PrometheusOptions } from './world/prometheus.ts';
import { type TimelineOptions, timeline } from './world/timeline.ts';
import { fakeToxiproxy } from './world/toxiproxy.ts';

export type WorldOptions = TimelineOptions & PrometheusOptions & HttpOptions & ContainersOptions;

export function world(options: WorldOptions = {}) {
  const clock = eventClock();
  const line = timeline(clock, options);
  /** Every fault, recovery, update and toxic, in order: what a test checks was done. */
  const actions: string[] = [];
  const { prometheus, alertsCalls } = fakePrometheus(clock, line, options);
  const http = fakeHttp(clock, line, options);
  const { control, docker } = fakeContainers(clock, line, actions, options);
  const toxiproxy = fakeToxiproxy(line, actions);
  const deps = (extra: Partial<DrillDeps> = {}): DrillDeps => ({
    prometheus,
    http,
    control,
    docker,
    toxiproxy,
    clock,
    targets: staticTargets({
      frontend: 'http://frontend.test',
      backend: 'http://backend.test',
      prometheus: prometheus.baseUrl,
    }),
    ...extra,
  });
  return {
    clock,
    actions,
    deps,
    docker,
    toxiproxy,
    control,
    alertsCalls,
    /** Whether the backend answers now (it takes ~1 s to boot). */
    backendUp: () => line.scrapeOk(clock.now()),
    /** The services' modes now: what a test checks to see that the stack is whole. */
    modes: () => ({
      backend: line.modeAt('backend', clock.now()),
      db: line.modeAt('db', clock.now()),
    }),
  };
}
