/**
 * The backend's notes API (backend/src/notes-routes.ts) as the drill's writer sees it:
 * behind an interface, so the writer and its checks are tested with a fake and a fake
 * clock, and the fetch-based one is tested on the real stack. Never throws: a request
 * that got no answer is a result with no status.
 */
import { type Clock, systemClock } from '../../shared/src/clock.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { jsonCode } from './http.ts';

export interface Note {
  readonly id: number;
  readonly text: string;
}

export interface Attempt {
  /** Absent when no response came (refused, timed out, reset). */
  readonly status?: number;
  readonly code?: string;
  readonly error?: string;
  readonly timedOut: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface CreateAttempt extends Attempt {
  /** The note of a 201. */
  readonly note?: Note;
  /** `Idempotent-Replayed: true`: answered from an earlier request with the same key. */
  readonly replayed: boolean;
}

export interface GetAttempt extends Attempt {
  readonly note?: Note;
}

export interface ListAttempt extends Attempt {
  readonly notes: readonly Note[];
  /** `?before=` of the next (older) page; null on the last page. */
  readonly nextBefore: number | null;
}

export interface NotesApi {
  /** POST with an Idempotency-Key header. */
  create(text: string, key: string, timeoutMs: number): Promise<CreateAttempt>;
  /** GET /:id. */
  get(id: number, timeoutMs: number): Promise<GetAttempt>;
  /** GET ?limit=&before=: newest first. */
  list(page: { limit: number; before?: number }, timeoutMs: number): Promise<ListAttempt>;
}

function asNote(value: unknown): Note | undefined {
  const v = value as { id?: unknown; text?: unknown } | null;
  return v && typeof v.id === 'number' && typeof v.text === 'string'
    ? { id: v.id, text: v.text }
    : undefined;
}

/** The notes API at `url` (e.g. http://127.0.0.1:8080/api/notes, through the frontend). */
export function createNotesApi(
  url: string,
  deps: { fetch?: typeof fetch; clock?: Clock } = {},
): NotesApi {
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const base = url.replace(/\/+$/, '');
  const request = async (
    target: string,
    init: RequestInit,
    timeoutMs: number,
  ): Promise<Attempt & { body: unknown; headers?: Headers }> => {
    const startedAt = clock.now();
    try {
      const response = await doFetch(target, {
        ...init,
        signal: AbortSignal.timeout(timeoutMs),
        headers: { 'user-agent': 'chaos-drill', ...(init.headers as Record<string, string>) },
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const code = jsonCode(text);
      return {
        status: response.status,
        ...(code ? { code } : {}),
        timedOut: false,
        startedAt,
        endedAt: clock.now(),
        body,
        headers: response.headers,
      };
    } catch (error) {
      const name = (error as { name?: string }).name;
      const cause = (error as { cause?: unknown }).cause;
      return {
        error: cause ? errorMessage(cause) : errorMessage(error),
        timedOut: name === 'TimeoutError' || name === 'AbortError',
        startedAt,
        endedAt: clock.now(),
        body: undefined,
      };
    }
  };
  const strip = <T extends { body: unknown; headers?: Headers }>(r: T) => {
    const { body: _body, headers: _headers, ...rest } = r;
    return rest;
  };
  return {
    async create(text, key, timeoutMs) {
      const r = await request(
        base,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ text }),
        },
        timeoutMs,
      );
      const note = r.status === 201 ? asNote(r.body) : undefined;
      return {
        ...strip(r),
        ...(note ? { note } : {}),
        replayed: r.headers?.get('idempotent-replayed') === 'true',
      };
    },
    async get(id, timeoutMs) {
      const r = await request(`${base}/${id}`, { method: 'GET' }, timeoutMs);
      const note = r.status === 200 ? asNote(r.body) : undefined;
      return { ...strip(r), ...(note ? { note } : {}) };
    },
    async list(page, timeoutMs) {
      const query = `?limit=${page.limit}${page.before !== undefined ? `&before=${page.before}` : ''}`;
      const r = await request(`${base}${query}`, { method: 'GET' }, timeoutMs);
      const body = r.body as { notes?: unknown; nextBefore?: unknown } | undefined;
      const notes = Array.isArray(body?.notes)
        ? body.notes.map(asNote).filter((n): n is Note => n !== undefined)
        : [];
      return {
        ...strip(r),
        notes,
        nextBefore: typeof body?.nextBefore === 'number' ? body.nextBefore : null,
      };
    },
  };
}

export function describeAttempt(a: Attempt): string {
  const took = `${a.endedAt - a.startedAt} ms`;
  if (a.status === undefined)
    return `no response after ${took}${a.timedOut ? ' (timed out)' : ''} (${a.error ?? 'unknown error'})`;
  return `HTTP ${a.status}${a.code ? ` ${a.code}` : ''} in ${took}`;
}
