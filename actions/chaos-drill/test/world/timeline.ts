import type { Clock } from '../../../shared/src/clock.ts';

/**
 * What the simulated stack is doing over virtual time: two services, backend and db, each
 * up, down or slow; Prometheus's scrapes every 5 s and its rule evaluations every 5 s, and
 * the three alerts they raise. Every fake of the world answers from this one history.
 */
export type Mode = 'up' | 'down' | 'slow';

export interface TimelineOptions {
  /** The backend is down from the start. */
  startDown?: boolean;
}

export interface ActiveAlert {
  readonly state: 'pending' | 'firing';
  readonly activeAt: number;
}

export interface Timeline {
  /** From `at` on, `service` is in `mode` (toxiproxy's faults are the database's). */
  set(service: string, mode: Mode, at?: number): void;
  modeAt(service: string, t: number): Mode;
  /** A scrape of the backend at `t` succeeds: it answers /metrics ~1 s after it starts. */
  scrapeOk(t: number): boolean;
  /** db_up (and backend_ready) at a scrape at `t`. */
  dbUp(t: number): boolean;
  /** Every answer is slow: the backend is starved or the database is slow. */
  slow(t: number): boolean;
  /** The scrapes in [from, to]. */
  scrapeTimes(from: number, to: number): number[];
  lastScrape(t: number): number;
  /** The rule evaluations in [from, to]. */
  evaluationTimes(from: number, to: number): number[];
  readonly alertNames: readonly string[];
  /** An alert's state at `t`: pending from the first evaluation that sees it, firing 10 s later. */
  alertAt(name: string, t: number): ActiveAlert | undefined;
}

const SCRAPE_MS = 5000;
const SCRAPE_OFFSET = 1200;
const EVAL_OFFSET = 3200;
const FOR_MS = 10_000;

/** The last tick at or before `t` of a 5 s schedule that starts at `offset`. */
const tickAtOrBefore = (t: number, offset: number) =>
  Math.floor((t - offset) / SCRAPE_MS) * SCRAPE_MS + offset;

/** The ticks in [from, to] of a 5 s schedule that starts at `offset`. */
function ticksIn(from: number, to: number, offset: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil((from - offset) / SCRAPE_MS) * SCRAPE_MS + offset; t <= to; t += SCRAPE_MS)
    out.push(t);
  return out;
}

export function timeline(clock: Clock, options: TimelineOptions = {}): Timeline {
  const t0 = clock.now();
  const history: Record<string, { at: number; mode: Mode }[]> = {
    backend: [{ at: t0 - 600_000, mode: options.startDown ? 'down' : 'up' }],
    db: [{ at: t0 - 600_000, mode: 'up' }],
  };
  const set = (service: string, mode: Mode, at = clock.now()) => {
    const list = history[service === 'toxiproxy' ? 'db' : service];
    if (!list) return;
    list.push({ at, mode });
    list.sort((a, b) => a.at - b.at);
  };
  const modeAt = (service: string, t: number): Mode =>
    [...(history[service] ?? [])].reverse().find((x) => x.at <= t)?.mode ?? 'up';
  const aliveAt = (t: number) => modeAt('backend', t) !== 'down';
  const scrapeOk = (t: number) => aliveAt(t) && aliveAt(t - 1000);
  const dbUp = (t: number) => scrapeOk(t) && modeAt('db', t) !== 'down';
  const slow = (t: number) => modeAt('backend', t) === 'slow' || modeAt('db', t) === 'slow';
  const lastScrape = (t: number) => tickAtOrBefore(t, SCRAPE_OFFSET);
  const conditions: Record<string, (scrape: number) => boolean> = {
    BackendDown: (s) => !scrapeOk(s),
    PostgresDown: (s) => scrapeOk(s) && !dbUp(s),
    BackendHighLatencyP95: (s) => scrapeOk(s) && slow(s),
  };
  const alertAt = (name: string, t: number): ActiveAlert | undefined => {
    const holds = conditions[name];
    if (!holds) return undefined;
    let activeAt: number | undefined;
    for (let e = t - 120_000; e <= t; e += SCRAPE_MS) {
      const ev = tickAtOrBefore(e, EVAL_OFFSET);
      activeAt = holds(lastScrape(ev)) ? (activeAt ?? ev) : undefined;
    }
    if (activeAt === undefined) return undefined;
    const ev = tickAtOrBefore(t, EVAL_OFFSET);
    return { state: ev - activeAt >= FOR_MS ? 'firing' : 'pending', activeAt };
  };
  return {
    set,
    modeAt,
    scrapeOk,
    dbUp,
    slow,
    scrapeTimes: (from, to) => ticksIn(from, to, SCRAPE_OFFSET),
    lastScrape,
    evaluationTimes: (from, to) => ticksIn(from, to, EVAL_OFFSET),
    alertNames: Object.keys(conditions),
    alertAt,
  };
}
