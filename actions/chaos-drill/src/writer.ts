/**
 * The writer: a user who keeps saving notes through the outage. Each note gets its own
 * Idempotency-Key; a failed or timed-out POST is retried with the SAME key and body
 * (exponential backoff, bounded by give-up-after), so a request that committed but whose
 * answer was lost comes back as a replay of the same note, never as a second one.
 * Afterwards verifyWrites proves the promise: every acknowledged note (201 + id) is
 * readable with its text, and no text was stored twice.
 */
import type { Clock } from '../../shared/src/clock.ts';
import { describeAttempt, type NotesApi } from './notes-api.ts';

export interface WriterOptions {
  readonly api: NotesApi;
  readonly clock: Clock;
  /** Notes started per second (an open model: a slow answer does not slow the writer). */
  readonly rate: number;
  /** Per request. */
  readonly timeoutMs: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** A note not acknowledged this long after its first attempt is given up (not retried again). */
  readonly giveUpAfterMs: number;
  /** Unique per drill: every text starts with it, so the drill's notes can be found afterwards. */
  readonly marker: string;
}

export interface WriteRecord {
  readonly seq: number;
  readonly key: string;
  readonly text: string;
  readonly firstAttemptAt: number;
  readonly attempts: number;
  /** The 201's note id; absent when the write was given up or refused. */
  readonly id?: number;
  readonly acknowledgedAt?: number;
  /** The acknowledging 201 carried Idempotent-Replayed: true. */
  readonly replayed: boolean;
  /** Why the last attempt failed, when it was not acknowledged. */
  readonly lastError?: string;
}

export interface WriterRun {
  /** Stops starting notes, lets the ones in flight finish their retries, returns them all by seq. */
  stop(): Promise<WriteRecord[]>;
  /** Notes started so far. */
  started(): number;
}

/** `chaos-drill:<name>:<random>`: one run's notes, and nothing else, start with it. */
export function writerMarker(name: string, random: string): string {
  return `chaos-drill:${name}:${random}`;
}

export function noteText(marker: string, seq: number): string {
  return `${marker} note ${seq}`;
}

/** 4xx other than 408/429 will not change on a retry (a bad body, a reused key). */
function retriable(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** Delay before attempt n+1 (n ≥ 1): backoff · 2^(n-1), at most maxBackoff. */
export function backoffDelay(attempt: number, backoffMs: number, maxBackoffMs: number): number {
  return Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(attempt - 1, 20));
}

/** One note, retried with the same key until acknowledged, refused or given up. */
export async function writeOne(
  options: Omit<WriterOptions, 'rate'>,
  seq: number,
): Promise<WriteRecord> {
  const { api, clock, marker } = options;
  const key = `${marker}:${seq}`;
  const text = noteText(marker, seq);
  const firstAttemptAt = clock.now();
  let attempts = 0;
  let lastError = '';
  for (;;) {
    attempts += 1;
    const r = await api.create(text, key, options.timeoutMs);
    if (r.status === 201 && r.note) {
      return {
        seq,
        key,
        text,
        firstAttemptAt,
        attempts,
        id: r.note.id,
        acknowledgedAt: r.endedAt,
        replayed: r.replayed,
      };
    }
    lastError = r.status === 201 ? 'HTTP 201 without a note id' : describeAttempt(r);
    const delay = backoffDelay(attempts, options.backoffMs, options.maxBackoffMs);
    if (!retriable(r.status) || clock.now() + delay - firstAttemptAt > options.giveUpAfterMs)
      return { seq, key, text, firstAttemptAt, attempts, replayed: false, lastError };
    await clock.sleep(delay);
  }
}

export function startWriter(options: WriterOptions): WriterRun {
  const { clock, rate } = options;
  const interval = 1000 / rate;
  const inFlight: Promise<WriteRecord>[] = [];
  let running = true;
  const loop = (async () => {
    let next = clock.now();
    while (running) {
      inFlight.push(writeOne(options, inFlight.length + 1));
      next += interval;
      const wait = next - clock.now();
      if (wait > 0) await clock.sleep(wait);
      else next = clock.now();
    }
  })();
  return {
    started: () => inFlight.length,
    stop: async () => {
      running = false;
      await loop;
      return (await Promise.all(inFlight)).sort((a, b) => a.seq - b.seq);
    },
  };
}

export interface LostWrite {
  readonly key: string;
  readonly id: number;
  readonly reason: string;
}

export interface DuplicatedWrite {
  readonly text: string;
  readonly ids: readonly number[];
}

/** What the writer did and what the database kept. */
export interface WritesSummary {
  readonly marker: string;
  /** Notes the writer started. */
  readonly attempted: number;
  /** POSTs sent, retries included. */
  readonly requests: number;
  /** 201 with an id. */
  readonly acknowledged: number;
  /** Acknowledged only after at least one retry. */
  readonly acknowledgedAfterRetry: number;
  /** Acknowledged by a replay (the key had committed before: its answer was lost). */
  readonly replayed: number;
  /** Given up or refused: never acknowledged, so no promise was made. */
  readonly unacknowledged: number;
  /** Of those, found in the database anyway (committed, answer lost, never retried successfully). */
  readonly committedUnacknowledged: number;
  /** Acknowledged but not readable with the same text. */
  readonly lost: number;
  /** Extra copies: a text stored n times counts n - 1. */
  readonly duplicated: number;
  /** Whether the read-back completed (every GET answered, the listing reached the start). */
  readonly verified: boolean;
  readonly lostWrites: readonly LostWrite[];
  readonly duplicatedWrites: readonly DuplicatedWrite[];
  /** Longest first attempt → acknowledgement, ms. */
  readonly slowestAcknowledgementMs: number;
  readonly problems: readonly string[];
}

export interface VerifyOptions {
  readonly api: NotesApi;
  readonly clock: Clock;
  readonly marker: string;
  /** Newest note id before the writer started (0 when there was none): the listing stops there. */
  readonly baselineId: number;
  readonly timeoutMs: number;
  /** A read that gets no answer or a 5xx is tried this many times (the stack just recovered). */
  readonly attempts?: number;
  readonly pageSize?: number;
  readonly maxPages?: number;
}

/** The newest note id now (0 for an empty table), or undefined when the API does not answer. */
export async function newestNoteId(api: NotesApi, timeoutMs: number): Promise<number | undefined> {
  const r = await api.list({ limit: 1 }, timeoutMs);
  return r.status === 200 ? (r.notes[0]?.id ?? 0) : undefined;
}

type Retry = <T extends { status?: number }>(call: () => Promise<T>) => Promise<T>;

/** A call tried again (after 0.5 s, 1 s, ...) while it gets no answer or a 5xx, `tries` in all. */
function retrier(clock: Clock, tries: number): Retry {
  return async (call) => {
    let r = await call();
    for (let i = 1; i < tries && (r.status === undefined || r.status >= 500); i += 1) {
      await clock.sleep(500 * i);
      r = await call();
    }
    return r;
  };
}

/** Step 1: every acknowledged note read by id, eight at a time; what is missing or changed. */
async function readBackAcknowledged(
  acked: readonly WriteRecord[],
  options: VerifyOptions,
  retry: Retry,
): Promise<{ lostWrites: LostWrite[]; unanswered: number }> {
  const { api, timeoutMs } = options;
  const lostWrites: LostWrite[] = [];
  let unanswered = 0;
  const readOne = async (w: WriteRecord) => {
    const id = w.id as number;
    const r = await retry(() => api.get(id, timeoutMs));
    if (r.status === 200 && r.note?.text === w.text) return;
    if (r.status === undefined || r.status >= 500) unanswered += 1;
    lostWrites.push({
      key: w.key,
      id,
      reason:
        r.status === 200
          ? `note ${id} has another text: ${JSON.stringify(r.note?.text ?? null).slice(0, 80)}`
          : `GET /api/notes/${id}: ${describeAttempt(r)}`,
    });
  };
  for (let i = 0; i < acked.length; i += 8) await Promise.all(acked.slice(i, i + 8).map(readOne));
  return { lostWrites, unanswered };
}

interface Listing {
  /** The ids of each of this run's texts. */
  readonly byText: ReadonlyMap<string, readonly number[]>;
  /** The listing reached the baseline. */
  readonly complete: boolean;
  /** Why it stopped early, when a page was refused. */
  readonly stopped?: string;
}

/** Step 2: every note of this run, newest first, down to the baseline, grouped by text. */
async function listRunNotes(options: VerifyOptions, retry: Retry): Promise<Listing> {
  const { api, marker, timeoutMs, baselineId } = options;
  const pageSize = options.pageSize ?? 100;
  const byText = new Map<string, number[]>();
  let before: number | undefined;
  for (let page = 0; page < (options.maxPages ?? 500); page += 1) {
    const r = await retry(() =>
      api.list({ limit: pageSize, ...(before !== undefined ? { before } : {}) }, timeoutMs),
    );
    if (r.status !== 200)
      return {
        byText,
        complete: false,
        stopped: `listing the notes stopped: ${describeAttempt(r)}`,
      };
    for (const n of r.notes.filter((n) => n.id > baselineId && n.text.startsWith(`${marker} `)))
      byText.set(n.text, [...(byText.get(n.text) ?? []), n.id]);
    const oldest = r.notes.at(-1)?.id;
    if (r.nextBefore === null || oldest === undefined || oldest <= baselineId)
      return { byText, complete: true };
    before = r.nextBefore;
  }
  return { byText, complete: false };
}

/** What went wrong with the check itself, in the order it happened. */
function verifyProblems(unanswered: number, listing: Listing, options: VerifyOptions): string[] {
  const problems: string[] = [];
  if (unanswered > 0)
    problems.push(`${unanswered} acknowledged notes could not be read back (no answer or 5xx)`);
  if (listing.stopped !== undefined) problems.push(listing.stopped);
  else if (!listing.complete && problems.length === 0)
    problems.push(
      `listing the notes stopped after ${options.maxPages ?? 500} pages of ${options.pageSize ?? 100}`,
    );
  return problems;
}

/** Reads back what the writer was promised. Never throws; an incomplete check says so. */
export async function verifyWrites(
  records: readonly WriteRecord[],
  options: VerifyOptions,
): Promise<WritesSummary> {
  const retry = retrier(options.clock, options.attempts ?? 5);
  const acked = records.filter((r) => r.id !== undefined);
  const { lostWrites, unanswered } = await readBackAcknowledged(acked, options, retry);
  const listing = await listRunNotes(options, retry);
  const duplicatedWrites: DuplicatedWrite[] = [...listing.byText.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([text, ids]) => ({ text, ids: [...ids].sort((a, b) => a - b) }));
  const ackedTexts = new Set(acked.map((w) => w.text));
  const unacked = records.filter((r) => r.id === undefined);
  return {
    marker: options.marker,
    attempted: records.length,
    requests: records.reduce((n, r) => n + r.attempts, 0),
    acknowledged: acked.length,
    acknowledgedAfterRetry: acked.filter((w) => w.attempts > 1).length,
    replayed: acked.filter((w) => w.replayed).length,
    unacknowledged: unacked.length,
    committedUnacknowledged: unacked.filter(
      (w) => listing.byText.has(w.text) && !ackedTexts.has(w.text),
    ).length,
    lost: lostWrites.length,
    duplicated: duplicatedWrites.reduce((n, d) => n + d.ids.length - 1, 0),
    verified: unanswered === 0 && listing.complete,
    lostWrites: lostWrites.sort((a, b) => a.id - b.id),
    duplicatedWrites,
    slowestAcknowledgementMs: acked.reduce(
      (m, w) => Math.max(m, (w.acknowledgedAt as number) - w.firstAttemptAt),
      0,
    ),
    problems: verifyProblems(unanswered, listing, options),
  };
}
