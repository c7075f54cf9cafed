/**
 * A fake notes API (backend/src/notes-routes.ts semantics) on a fake clock: it can be
 * unavailable, lose the answer of a request that committed, forget idempotency keys
 * (to prove the checks catch duplicates) or forget committed notes (to prove they
 * catch losses).
 */
import type { Clock } from '../../shared/src/clock.ts';
import type { Attempt, CreateAttempt, Note, NotesApi } from '../src/notes-api.ts';

export interface FakeNotesOptions {
  readonly clock: Clock;
  /** The API answers at this moment (else a fast 503, like nginx or the backend's). */
  readonly available?: () => boolean;
  /** This POST attempt (1-based, over all POSTs) commits, then its answer is lost (a timeout). */
  readonly loseAnswerOf?: (attempt: number) => boolean;
  /** A broken backend that ignores Idempotency-Key (every POST creates a note). */
  readonly ignoreKeys?: boolean;
  /** A broken database that forgets this acknowledged note id afterwards. */
  readonly forget?: (id: number) => boolean;
  readonly latencyMs?: number;
  /** Notes already there before the drill. */
  readonly existing?: readonly string[];
}

export function fakeNotes(options: FakeNotesOptions) {
  const { clock } = options;
  const notes: Note[] = [];
  const keys = new Map<string, { text: string; id: number }>();
  let nextId = 1;
  let posts = 0;
  const keysSeen: string[] = [];
  for (const text of options.existing ?? []) notes.push({ id: nextId++, text });
  const available = () => options.available?.() ?? true;
  const latency = options.latencyMs ?? 5;
  const stamp = async (): Promise<Pick<Attempt, 'startedAt' | 'endedAt' | 'timedOut'>> => {
    const startedAt = clock.now();
    await clock.sleep(latency);
    return { startedAt, endedAt: clock.now(), timedOut: false };
  };
  const unavailable = async () => ({
    ...(await stamp()),
    status: 503,
    code: 'database_unavailable',
  });
  const stored = () => notes.filter((n) => !(options.forget?.(n.id) ?? false));
  const api: NotesApi = {
    async create(text, key, timeoutMs): Promise<CreateAttempt> {
      posts += 1;
      keysSeen.push(key);
      if (!available()) return { ...(await unavailable()), replayed: false };
      const known = options.ignoreKeys ? undefined : keys.get(key);
      let note: Note;
      let replayed = false;
      if (known) {
        if (known.text !== text) {
          return { ...(await stamp()), status: 422, code: 'idempotency_key_reused', replayed };
        }
        note = { id: known.id, text: known.text };
        replayed = true;
      } else {
        note = { id: nextId++, text };
        notes.push(note);
        keys.set(key, { text, id: note.id });
      }
      if (options.loseAnswerOf?.(posts)) {
        const startedAt = clock.now();
        await clock.sleep(timeoutMs);
        return {
          startedAt,
          endedAt: clock.now(),
          timedOut: true,
          error: 'The operation was aborted due to timeout',
          replayed: false,
        };
      }
      return { ...(await stamp()), status: 201, note, replayed };
    },
    async get(id) {
      if (!available()) return unavailable();
      const note = stored().find((n) => n.id === id);
      return note
        ? { ...(await stamp()), status: 200, note }
        : { ...(await stamp()), status: 404, code: 'not_found' };
    },
    async list(page) {
      if (!available()) return { ...(await unavailable()), notes: [], nextBefore: null };
      const all = stored()
        .filter((n) => page.before === undefined || n.id < page.before)
        .sort((a, b) => b.id - a.id);
      const items = all.slice(0, page.limit);
      return {
        ...(await stamp()),
        status: 200,
        notes: items,
        nextBefore: all.length > page.limit ? (items.at(-1)?.id ?? null) : null,
      };
    },
  };
  return { api, notes, keysSeen, posts: () => posts };
}
