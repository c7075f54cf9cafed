import { describe, expect, test } from 'vitest';
import { createNotesApi } from '../src/notes-api.ts';
import {
  backoffDelay,
  newestNoteId,
  noteText,
  startWriter,
  verifyWrites,
  type WriteRecord,
  writeOne,
} from '../src/writer.ts';
import { fakeNotes } from './fake-notes.ts';
import { eventClock } from './world/clock.ts';

const MARKER = 'chaos-drill:test:abc';
const RETRY = { timeoutMs: 2000, backoffMs: 250, maxBackoffMs: 2000, giveUpAfterMs: 60_000 };

/** Runs the writer for `seconds` of fake time, then verifies what the fake kept. */
async function drillWrites(
  store: ReturnType<typeof fakeNotes>,
  clock: ReturnType<typeof eventClock>,
  seconds: number,
) {
  const baselineId = (await newestNoteId(store.api, 2000)) as number;
  const run = startWriter({ api: store.api, clock, rate: 5, marker: MARKER, ...RETRY });
  await clock.sleep(seconds * 1000);
  const records = await run.stop();
  const summary = await verifyWrites(records, {
    api: store.api,
    clock,
    marker: MARKER,
    baselineId,
    timeoutMs: 2000,
    pageSize: 7, // several pages, to exercise ?before=
  });
  return { records, summary };
}

describe('writer', () => {
  test.each([
    [1, 250],
    [2, 500],
    [3, 1000],
    [4, 2000],
    [5, 2000],
    [60, 2000],
  ])('backoff before attempt %i+1: %i ms', (attempt, ms) => {
    expect(backoffDelay(attempt, 250, 2000)).toBe(ms);
  });

  test('a request that commits but whose answer is lost is retried with the same key and counts once', async () => {
    const clock = eventClock();
    const store = fakeNotes({ clock, loseAnswerOf: (n) => n === 1 });
    const record = await writeOne({ api: store.api, clock, marker: MARKER, ...RETRY }, 1);
    expect(store.keysSeen).toEqual([`${MARKER}:1`, `${MARKER}:1`]);
    expect(record).toMatchObject({ attempts: 2, id: 1, replayed: true });
    expect(store.notes).toHaveLength(1);
    const summary = await verifyWrites([record], {
      api: store.api,
      clock,
      marker: MARKER,
      baselineId: 0,
      timeoutMs: 2000,
    });
    expect(summary).toMatchObject({
      attempted: 1,
      requests: 2,
      acknowledged: 1,
      acknowledgedAfterRetry: 1,
      replayed: 1,
      lost: 0,
      duplicated: 0,
      verified: true,
    });
  });

  test('through a 10 s outage at 5 notes/s: every note acknowledged after retries, 0 lost, 0 duplicated', async () => {
    const clock = eventClock();
    const t0 = clock.now();
    const down = (t: number) => t >= t0 + 3000 && t < t0 + 13_000;
    const store = fakeNotes({
      clock,
      available: () => !down(clock.now()),
      // every 7th POST commits and loses its answer, outage or not
      loseAnswerOf: (n) => n % 7 === 0,
      existing: ['someone else', `${MARKER.replace('abc', 'old')} note 1`],
    });
    const { records, summary } = await drillWrites(store, clock, 20);
    expect(records.length).toBeGreaterThanOrEqual(99);
    expect(records.every((r) => r.id !== undefined)).toBe(true);
    expect(summary.acknowledged).toBe(records.length);
    expect(summary.requests).toBeGreaterThan(records.length + 50);
    expect(summary.acknowledgedAfterRetry).toBeGreaterThan(40);
    expect(summary.replayed).toBeGreaterThan(0);
    expect(summary).toMatchObject({ lost: 0, duplicated: 0, unacknowledged: 0, verified: true });
    expect(store.notes.filter((n) => n.text.startsWith(`${MARKER} `))).toHaveLength(records.length);
  });

  test('a backend that ignores Idempotency-Key: the retried lost answers show up as duplicates', async () => {
    const clock = eventClock();
    const store = fakeNotes({ clock, ignoreKeys: true, loseAnswerOf: (n) => n % 5 === 0 });
    const { summary } = await drillWrites(store, clock, 4);
    expect(summary.duplicated).toBeGreaterThanOrEqual(3);
    expect(summary.duplicatedWrites[0]).toMatchObject({
      text: expect.stringMatching(/^chaos-drill:test:abc note \d+$/),
      ids: expect.arrayContaining([expect.any(Number), expect.any(Number)]),
    });
    expect(summary.lost).toBe(0);
  });

  test('a database that forgets acknowledged notes: they count as lost, with the reason', async () => {
    const clock = eventClock();
    const store = fakeNotes({ clock, forget: (id) => id === 3 || id === 8 });
    const { summary } = await drillWrites(store, clock, 3);
    expect(summary.lost).toBe(2);
    expect(summary.lostWrites.map((l) => [l.id, l.reason])).toEqual([
      [3, 'GET /api/notes/3: HTTP 404 not_found in 5 ms'],
      [8, 'GET /api/notes/8: HTTP 404 not_found in 5 ms'],
    ]);
    expect(summary.verified).toBe(true);
  });

  test('bounded: a note not acknowledged within give-up-after is given up, a 422 is not retried', async () => {
    const clock = eventClock();
    const store = fakeNotes({ clock, available: () => false });
    const options = { api: store.api, clock, marker: MARKER, ...RETRY, giveUpAfterMs: 5000 };
    const given = await writeOne(options, 1);
    expect(given.id).toBeUndefined();
    expect(given.attempts).toBe(5); // 0, 0.25, 0.75, 1.75, 3.75 s; next at 5.75 s > 5 s
    expect(given.lastError).toBe('HTTP 503 database_unavailable in 5 ms');

    const ok = fakeNotes({ clock });
    await ok.api.create('another body', `${MARKER}:1`, 2000);
    const refused = await writeOne({ ...options, api: ok.api }, 1);
    expect(refused).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/422/) });
  });

  test('an unanswered read-back is not a pass: verified false, with the problem', async () => {
    const clock = eventClock();
    let up = true;
    const store = fakeNotes({ clock, available: () => up });
    const record = await writeOne({ api: store.api, clock, marker: MARKER, ...RETRY }, 1);
    up = false;
    const summary = await verifyWrites([record as WriteRecord], {
      api: store.api,
      clock,
      marker: MARKER,
      baselineId: 0,
      timeoutMs: 2000,
      attempts: 2,
    });
    expect(summary.verified).toBe(false);
    expect(summary.problems.join('\n')).toMatch(
      /could not be read back[\s\S]*listing the notes stopped: HTTP 503/,
    );
  });

  test('a listing cut short by maxPages is not a pass, and says where it stopped', async () => {
    const clock = eventClock();
    const store = fakeNotes({ clock });
    const records: WriteRecord[] = [];
    for (const seq of [1, 2, 3])
      records.push(await writeOne({ api: store.api, clock, marker: MARKER, ...RETRY }, seq));
    const summary = await verifyWrites(records, {
      api: store.api,
      clock,
      marker: MARKER,
      baselineId: 0,
      timeoutMs: 2000,
      pageSize: 1,
      maxPages: 2,
    });
    expect(summary).toMatchObject({ acknowledged: 3, lost: 0, verified: false });
    expect(summary.problems).toEqual(['listing the notes stopped after 2 pages of 1']);
  });

  test('noteText: one run, one prefix', () => {
    expect(noteText(MARKER, 12)).toBe('chaos-drill:test:abc note 12');
  });
});

describe('createNotesApi (fetch)', () => {
  test('POST sends the key and the body; a replay and the note are read from the answer', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      if (init.method === 'POST')
        return new Response(JSON.stringify({ id: 7, text: 'x', createdAt: 'now' }), {
          status: 201,
          headers: { 'idempotent-replayed': 'true' },
        });
      if (url.includes('?'))
        return new Response(JSON.stringify({ notes: [{ id: 7, text: 'x' }], nextBefore: 7 }));
      return new Response(JSON.stringify({ error: { code: 'not_found' } }), { status: 404 });
    }) as unknown as typeof fetch;
    const api = createNotesApi('http://frontend.test/api/notes/', { fetch: fakeFetch });
    expect(await api.create('x', 'k-1', 1000)).toMatchObject({
      status: 201,
      note: { id: 7, text: 'x' },
      replayed: true,
    });
    expect(calls[0]?.url).toBe('http://frontend.test/api/notes');
    expect(calls[0]?.init.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'k-1',
    });
    expect(calls[0]?.init.body).toBe('{"text":"x"}');
    expect(await api.list({ limit: 100, before: 9 }, 1000)).toMatchObject({
      status: 200,
      notes: [{ id: 7, text: 'x' }],
      nextBefore: 7,
    });
    expect(calls[1]?.url).toBe('http://frontend.test/api/notes?limit=100&before=9');
    expect(await api.get(3, 1000)).toMatchObject({ status: 404, code: 'not_found' });
    expect(calls[2]?.url).toBe('http://frontend.test/api/notes/3');
  });

  test('no answer is a result, never a throw', async () => {
    const fakeFetch = (async () => {
      throw Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    }) as unknown as typeof fetch;
    const r = await createNotesApi('http://x.test/api/notes', { fetch: fakeFetch }).create(
      't',
      'k',
      10,
    );
    expect(r).toMatchObject({ timedOut: true, replayed: false });
    expect(r.status).toBeUndefined();
  });
});
