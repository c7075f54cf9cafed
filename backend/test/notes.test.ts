import request from 'supertest';
import { describe, expect, it, test } from 'vitest';
import { isUnavailable } from '../src/database-errors.ts';
import { checkMigrations, MIGRATIONS, pending } from '../src/migrations.ts';
import { parseId, parseLimit } from '../src/notes.ts';
import { connectionRefused, fakeDatabase } from './fakes.ts';
import { buildApp } from './helpers.ts';

// The notes routes with an in-memory repository: validation, status codes and
// idempotency logic, no database. test/database.test.ts runs them on Postgres.
function notesApp() {
  const fake = fakeDatabase();
  const { app } = buildApp({}, { database: fake.database });
  return { app, ...fake };
}

const post = (app: Parameters<typeof request>[0], body: unknown, key?: string) => {
  const req = request(app).post('/api/notes').set('Content-Type', 'application/json');
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
};

describe('POST /api/notes', () => {
  it('creates a note: 201, Location, the note', async () => {
    const { app } = notesApp();
    const res = await post(app, { text: 'hello' }).expect(201);
    expect(res.body).toEqual({ id: 1, text: 'hello', createdAt: '2025-01-02T03:04:05.000Z' });
    expect(res.headers.location).toBe('/api/notes/1');
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('accepts exactly 1000 characters, counted as Postgres counts them (code points)', async () => {
    const { app } = notesApp();
    await post(app, { text: 'x'.repeat(1000) }).expect(201);
    await post(app, { text: '😀'.repeat(1000) }).expect(201); // 2000 UTF-16 units
  });

  test.each<[string, unknown, Record<string, string>]>([
    ['empty text', { text: '' }, { text: 'must not be empty' }],
    ['blank text', { text: '   ' }, { text: 'must not be empty' }],
    [
      'text over 1000 characters',
      { text: 'x'.repeat(1001) },
      { text: 'must be at most 1000 characters' },
    ],
    ['text a number', { text: 42 }, { text: 'must be a string' }],
    ['text null', { text: null }, { text: 'must be a string' }],
    ['no text', {}, { text: 'must be a string' }],
    ['an unknown field', { text: 'a', colour: 'red' }, { colour: 'is not a known field' }],
    ['an array', [{ text: 'a' }], { body: 'must be a JSON object' }],
    [
      'a NUL character',
      { text: 'a\u0000b' },
      { text: 'must not contain the NUL character (U+0000)' },
    ],
    [
      'an unpaired surrogate',
      { text: 'a\ud800b' },
      { text: 'must be valid Unicode (no unpaired surrogate)' },
    ],
  ])('400 validation_failed for %s, with field errors', async (_name, body, fields) => {
    const { app, database } = notesApp();
    const res = await post(app, body).expect(400);
    expect(res.body).toEqual({
      error: { status: 400, code: 'validation_failed', message: expect.any(String), fields },
    });
    expect(await database.notes.count()).toBe(0);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    '400 names an unknown field called %s',
    async (field) => {
      const { app, database } = notesApp();
      const res = await post(app, `{"text":"p","${field}":{"polluted":true}}`).expect(400);
      expect(Object.keys(res.body.error.fields)).toEqual([field]);
      expect(res.body.error.fields[field]).toBe('is not a known field');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await database.notes.count()).toBe(0);
    },
  );

  test.each(['"str"', '1', 'null', 'true', '[]'])(
    'a JSON body of %s is valid JSON but not a note: 400 naming the body',
    async (body) => {
      const res = await post(notesApp().app, body).expect(400);
      expect(res.body.error).toEqual({
        status: 400,
        code: 'validation_failed',
        message: 'Request body is not a valid note',
        fields: { body: 'must be a JSON object' },
      });
    },
  );

  it('400 validation_failed without a body at all', async () => {
    const { app } = notesApp();
    const res = await request(app).post('/api/notes').expect(400);
    expect(res.body.error.fields).toEqual({ body: 'must be a JSON object' });
  });

  test.each([
    ['malformed JSON', '{"text": ', 'application/json', 400, 'malformed_json'],
    ['not JSON', 'text=hello', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
  ])('%s → %i %s', async (_name, body, type, status, code) => {
    const { app } = notesApp();
    const res = await request(app).post('/api/notes').set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('never echoes the text it rejects', async () => {
    const { app } = notesApp();
    const res = await post(app, { text: `hunter2${'x'.repeat(1000)}` }).expect(400);
    expect(res.text).not.toContain('hunter2');
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body returns the original note, 201, marked as replayed', async () => {
    const { app, database } = notesApp();
    const first = await post(app, { text: 'once' }, 'key-1').expect(201);
    const retry = await post(app, { text: 'once' }, 'key-1').expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await database.notes.count()).toBe(1);
  });

  it('the same key with another body is 422 idempotency_key_reused', async () => {
    const { app, database } = notesApp();
    await post(app, { text: 'once' }, 'key-1').expect(201);
    const res = await post(app, { text: 'twice' }, 'key-1').expect(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await database.notes.count()).toBe(1);
  });

  it('different keys make different notes; no key makes a new note each time', async () => {
    const { app, database } = notesApp();
    await post(app, { text: 'a' }, 'key-1').expect(201);
    await post(app, { text: 'a' }, 'key-2').expect(201);
    await post(app, { text: 'a' }).expect(201);
    await post(app, { text: 'a' }).expect(201);
    expect(await database.notes.count()).toBe(4);
  });

  test.each([
    ['too long', 'k'.repeat(256)],
    ['with a space', 'my key'],
    ['non-ASCII', 'clé'],
  ])('400 for a key %s', async (_name, key) => {
    const { app } = notesApp();
    const res = await request(app)
      .post('/api/notes')
      .set('Content-Type', 'application/json')
      .set('Idempotency-Key', key)
      .send({ text: 'a' })
      .expect(400);
    expect(res.body.error.fields).toEqual({ 'Idempotency-Key': expect.any(String) });
  });
});

describe('GET /api/notes', () => {
  it('pages newest first with limit and before, nextBefore null on the last page', async () => {
    const { app } = notesApp();
    for (const text of ['1', '2', '3', '4', '5']) await post(app, { text }).expect(201);
    const first = await request(app).get('/api/notes?limit=2').expect(200);
    expect(first.body.notes.map((n: { text: string }) => n.text)).toEqual(['5', '4']);
    expect(first.body.nextBefore).toBe(4);
    const second = await request(app).get('/api/notes?limit=2&before=4').expect(200);
    expect(second.body.notes.map((n: { text: string }) => n.text)).toEqual(['3', '2']);
    const last = await request(app).get('/api/notes?limit=2&before=2').expect(200);
    expect(last.body).toEqual({
      notes: [expect.objectContaining({ text: '1' })],
      nextBefore: null,
    });
  });

  it('defaults to 20', async () => {
    const { app } = notesApp();
    for (let i = 0; i < 25; i += 1) await post(app, { text: `n${i}` });
    const res = await request(app).get('/api/notes').expect(200);
    expect(res.body.notes).toHaveLength(20);
    expect(res.body.nextBefore).toBe(6);
  });

  test.each([
    ['limit=0', { limit: expect.any(String) }],
    ['limit=101', { limit: expect.any(String) }],
    ['limit=ten', { limit: expect.any(String) }],
    ['limit=1&limit=2', { limit: expect.any(String) }],
    ['before=-1', { before: expect.any(String) }],
    ['before=abc&limit=0', { before: expect.any(String), limit: expect.any(String) }],
  ])('400 for ?%s', async (query, fields) => {
    const res = await request(notesApp().app).get(`/api/notes?${query}`).expect(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', fields });
  });
});

describe('GET and DELETE /api/notes/:id', () => {
  it('gets, deletes, then 404s', async () => {
    const { app } = notesApp();
    const { body: note } = await post(app, { text: 'bye' }).expect(201);
    await request(app).get(`/api/notes/${note.id}`).expect(200, note);
    await request(app).delete(`/api/notes/${note.id}`).expect(204);
    const res = await request(app).get(`/api/notes/${note.id}`).expect(404);
    expect(res.body.error.code).toBe('not_found');
    await request(app).delete(`/api/notes/${note.id}`).expect(404);
  });

  test.each(['abc', '0', '-1', '1.5', '1e3', '9999999999999999'])(
    '400 invalid_id for %s',
    async (id) => {
      const { app } = notesApp();
      const res = await request(app).get(`/api/notes/${id}`).expect(400);
      expect(res.body.error.code).toBe('invalid_id');
      await request(app).delete(`/api/notes/${id}`).expect(400);
    },
  );

  it('405 with Allow for other methods', async () => {
    const { app } = notesApp();
    const res = await request(app).put('/api/notes/1').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, DELETE');
    expect((await request(app).patch('/api/notes').expect(405)).headers.allow).toBe(
      'GET, HEAD, POST',
    );
  });
});

describe('without a database', () => {
  test.each([
    ['GET /api/notes', (r: request.Agent) => r.get('/api/notes')],
    ['POST /api/notes', (r: request.Agent) => r.post('/api/notes').send({ text: 'a' })],
    ['GET /api/notes/1', (r: request.Agent) => r.get('/api/notes/1')],
    ['DELETE /api/notes/1', (r: request.Agent) => r.delete('/api/notes/1')],
  ])('%s answers 503 database_not_configured', async (_name, send) => {
    const res = await send(request.agent(buildApp().app)).expect(503);
    expect(res.body.error.code).toBe('database_not_configured');
  });

  it('is ready, and /api/status says database not_configured', async () => {
    const { app } = buildApp();
    await request(app).get('/readyz').expect(200);
    const res = await request(app).get('/api/status').expect(200);
    expect(res.body).toMatchObject({ database: 'not_configured', notes: null });
  });
});

describe('while the database is down', () => {
  it('notes answer 503 database_unavailable with Retry-After; readiness 503, liveness 200', async () => {
    const { app, health, failures } = notesApp();
    await post(app, { text: 'before' }).expect(201);
    health.up = false;
    failures.fail = connectionRefused();
    const res = await post(app, { text: 'during' }, 'k').expect(503);
    expect(res.body.error.code).toBe('database_unavailable');
    expect(res.headers['retry-after']).toBe('1');
    await request(app).get('/readyz').expect(503, { status: 'database_unavailable' });
    await request(app).get('/healthz').expect(200);
    const status = await request(app).get('/api/status').expect(200);
    expect(status.body).toMatchObject({ status: 'ok', database: 'down', notes: null });

    health.up = true;
    failures.fail = undefined;
    await request(app).get('/readyz').expect(200);
    await post(app, { text: 'during' }, 'k').expect(201);
    expect((await request(app).get('/api/status')).body).toMatchObject({
      database: 'up',
      notes: 2,
    });
  });

  it('a query bug is a 500, not a 503', async () => {
    const { app, failures } = notesApp();
    failures.fail = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    const res = await request(app).get('/api/notes').expect(500);
    expect(res.body.error.code).toBe('internal_error');
    expect(res.text).not.toContain('SELEC');
  });

  it('backend_ready follows readiness', async () => {
    const { app, health } = notesApp();
    expect((await request(app).get('/metrics')).text).toContain('backend_ready 1');
    health.up = false;
    expect((await request(app).get('/metrics')).text).toContain('backend_ready 0');
  });
});

describe('pure helpers', () => {
  test.each([
    ['1', 1],
    ['42', 42],
    ['999999999999999', 999_999_999_999_999],
    ['0', undefined],
    ['01', undefined],
    ['1000000000000000', undefined],
    [' 1', undefined],
    [undefined, undefined],
    [['1'], undefined],
  ])('parseId(%o) = %o', (value, expected) => {
    expect(parseId(value)).toBe(expected);
  });

  test.each([
    [undefined, 20],
    ['1', 1],
    ['100', 100],
    ['0', undefined],
    ['101', undefined],
    ['5.5', undefined],
    [['1', '2'], undefined],
  ])('parseLimit(%o) = %o', (value, expected) => {
    expect(parseLimit(value)).toBe(expected);
  });

  test.each<[string, unknown, boolean]>([
    ['ECONNREFUSED', connectionRefused(), true],
    ['admin shutdown 57P01', Object.assign(new Error('terminating'), { code: '57P01' }), true],
    ['bad password 28P01', Object.assign(new Error('password failed'), { code: '28P01' }), true],
    ['connection exception 08006', Object.assign(new Error('x'), { code: '08006' }), true],
    ['statement timeout 57014', Object.assign(new Error('x'), { code: '57014' }), true],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), true],
    ['every address refused', new AggregateError([connectionRefused()]), true],
    ['syntax error 42601', Object.assign(new Error('x'), { code: '42601' }), false],
    ['unique violation 23505', Object.assign(new Error('x'), { code: '23505' }), false],
    ['a plain bug', new TypeError('x is undefined'), false],
    ['a string', 'ECONNREFUSED', false],
  ])('isUnavailable: %s → %s', (_name, error, expected) => {
    expect(isUnavailable(error)).toBe(expected);
  });

  it('the migrations are numbered in order', () => {
    expect(() => checkMigrations(MIGRATIONS)).not.toThrow();
  });

  test.each([
    [[1, 2, 3], true],
    [[1, 3], true],
    [[2, 1], false],
    [[1, 1], false],
    [[0], false],
    [[1.5], false],
  ])('checkMigrations(%o) accepts: %s', (versions, ok) => {
    const list = versions.map((version) => ({ version, name: `m${version}`, sql: 'SELECT 1' }));
    if (ok) expect(() => checkMigrations(list)).not.toThrow();
    else expect(() => checkMigrations(list)).toThrow(/increasing order/);
  });

  it('pending keeps the order and skips what was applied', () => {
    const list = [1, 2, 3].map((version) => ({ version, name: '', sql: '' }));
    expect(pending(list, new Set([2])).map((m) => m.version)).toEqual([1, 3]);
  });
});
