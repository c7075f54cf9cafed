import type { Registry } from 'prom-client';

/**
 * How long the process metrics' rendered text is reused between scrapes.
 * Prometheus scrapes every 5 s, so each of its scrapes renders them afresh; only
 * scrapes closer together than this (a load test, several scrapers) share one.
 */
export const PROCESS_METRICS_MAX_AGE_MS = 500;

/** What GET /metrics answers. */
export interface Scrape {
  readonly contentType: string;
  /**
   * The Prometheus text of every metric, UTF-8: the live registry fresh, the
   * cached one reused (kept encoded, so a reuse costs a copy, not an encoding).
   */
  render(): Promise<Buffer>;
}

export interface ScrapeOptions {
  /** The service's own metrics (requests, database), rendered at every scrape. */
  live: Registry;
  /**
   * Metrics that are costly to collect and change slowly (prom-client's process
   * and Node collectors read /proc, walk heap spaces and event-loop histograms):
   * their text is reused for `maxAgeMs`.
   */
  cached?: { registry: Registry; maxAgeMs: number } | undefined;
  now?: () => number;
}

/**
 * One scrape path for both kinds of metrics. The cached part is rendered at most
 * once per `maxAgeMs`, and concurrent scrapes share that one rendering, so a burst
 * of scrapes costs one /proc read, not one each.
 */
export function createScrape({
  live,
  cached,
  now = performance.now.bind(performance),
}: ScrapeOptions): Scrape {
  let last: { at: number; text: Buffer } | undefined;
  let inFlight: Promise<Buffer> | undefined;
  const none = Buffer.alloc(0);

  const cachedText = (): Promise<Buffer> => {
    if (cached === undefined) return Promise.resolve(none);
    if (last && now() - last.at < cached.maxAgeMs) return Promise.resolve(last.text);
    inFlight ??= cached.registry.metrics().then(
      (rendered) => {
        const text = Buffer.from(rendered);
        last = { at: now(), text };
        inFlight = undefined;
        return text;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    return inFlight;
  };

  return {
    contentType: live.contentType,
    async render() {
      const [slow, fresh] = await Promise.all([cachedText(), live.metrics()]);
      return Buffer.concat([slow, Buffer.from(fresh)]);
    },
  };
}
