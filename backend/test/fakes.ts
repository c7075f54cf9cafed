import type { AppDatabase } from '../src/app-database.ts';
import type { CreateResult, IdempotencyKey, Note, NotesRepository } from '../src/notes.ts';

/**
 * NotesRepository in memory, with the same contract as the Postgres one, so the
 * routes are tested without a database. `fail` makes every call throw (an outage).
 */
export function memoryNotes(now: () => Date = () => new Date('2025-01-02T03:04:05.000Z')) {
  const notes: Array<Note & { key?: IdempotencyKey }> = [];
  let nextId = 1;
  const state = { fail: undefined as Error | undefined };
  const guard = () => {
    if (state.fail) throw state.fail;
  };
  const strip = ({ key: _key, ...note }: Note & { key?: IdempotencyKey }): Note => note;
  const repository: NotesRepository = {
    async create(text, idempotency): Promise<CreateResult> {
      guard();
      const existing = idempotency && notes.find((n) => n.key?.key === idempotency.key);
      if (existing) {
        return existing.key?.fingerprint === idempotency.fingerprint
          ? { kind: 'replayed', note: strip(existing) }
          : { kind: 'key_reused' };
      }
      const note = { id: nextId++, text, createdAt: now().toISOString() };
      notes.push(idempotency ? { ...note, key: idempotency } : note);
      return { kind: 'created', note };
    },
    async list({ limit, before }) {
      guard();
      return notes
        .filter((n) => before === undefined || n.id < before)
        .sort((a, b) => b.id - a.id)
        .slice(0, limit)
        .map(strip);
    },
    async get(id) {
      guard();
      const note = notes.find((n) => n.id === id);
      return note && strip(note);
    },
    async remove(id) {
      guard();
      const index = notes.findIndex((n) => n.id === id);
      if (index < 0) return false;
      notes.splice(index, 1);
      return true;
    },
    async count() {
      guard();
      return notes.length;
    },
  };
  return { repository, state };
}

/** An AppDatabase around a memory repository; `up` flips readiness. */
export function fakeDatabase() {
  const { repository, state } = memoryNotes();
  const health = { up: true };
  const database: AppDatabase = { notes: repository, isUp: async () => health.up };
  return { database, health, failures: state };
}

/** An error like the one pg throws when nothing listens on the database port. */
export function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}
