import pg from 'pg';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, expect, it, test } from 'vitest';
import { startBackend } from '../../test/support/backend.ts';
import { freePort } from '../../test/support/net.ts';
import {
  describeWithPostgres,
  type PostgresCluster,
  startPostgres,
} from '../../test/support/postgres.ts';
import { stopAll } from '../../test/support/process.ts';
import { type AppDatabaseService, createAppDatabase } from '../src/app-database.ts';
import { Secret } from '../src/config.ts';
import { createDatabase, type Database } from '../src/database.ts';
import { isUnavailable } from '../src/database-errors.ts';
import { MIGRATIONS, type Migration, MigrationError, migrate } from '../src/migrations.ts';
import { buildApp, memoryLogger } from './helpers.ts';

// The real thing: Debian's Postgres in a private cluster started by this file
// (test/support/postgres.ts), the real pool, migrations and routes.
describeWithPostgres('notes on a real Postgres', () => {
  let cluster: PostgresCluster;
  const opened: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close().catch(() => undefined)));
    await stopAll();
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  async function query<R extends pg.QueryResultRow>(url: string, text: string, values?: unknown[]) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  function rawDatabase(url: string) {
    const db = createDatabase(new Secret(url), {
      registry: new Registry(),
      logger: memoryLogger().logger,
    });
    opened.push(db);
    return db;
  }

  /** A migrated app on a fresh database. */
  async function appOn(url?: string) {
    const databaseUrl = url ?? (await cluster.createDatabase());
    const registry = new Registry();
    const { logger, lines } = memoryLogger();
    const database: AppDatabaseService = createAppDatabase(new Secret(databaseUrl), {
      registry,
      logger,
      healthCacheMs: 0,
      pingTimeoutMs: 500,
      retryMs: { first: 50, max: 200 },
    });
    opened.push(database);
    await database.start();
    const built = buildApp({}, { database, registry });
    return { ...built, database, url: databaseUrl, dbLogs: lines };
  }

  // --- migrations ----------------------------------------------------------

  it('migrates an empty database, and a second run applies nothing', async () => {
    const url = await cluster.createDatabase();
    const db = rawDatabase(url);
    const { logger } = memoryLogger();
    expect(await migrate(() => db.connect(), logger)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(() => db.connect(), logger)).toEqual([]);
    const rows = await query<{ version: number; name: string }>(
      url,
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('a failing migration leaves nothing half-applied, and the next run resumes there', async () => {
    const url = await cluster.createDatabase();
    const db = rawDatabase(url);
    const { logger } = memoryLogger();
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: 100,
        name: 'half',
        // The first statement would succeed on its own; the second fails.
        sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table',
      },
    ];
    const failure = await migrate(() => db.connect(), logger, broken).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String(failure)).toMatch(/migration 100 \(half\) failed and was rolled back/);
    const tables = await query<{ name: string }>(
      url,
      "SELECT to_regclass('half_done')::text AS name",
    );
    expect(tables).toEqual([{ name: null }]);
    const versions = await query<{ version: number }>(
      url,
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(versions.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));

    const fixed: Migration[] = [
      ...MIGRATIONS,
      { version: 100, name: 'half', sql: 'CREATE TABLE half_done (id int)' },
    ];
    expect(await migrate(() => db.connect(), logger, fixed)).toEqual([100]);
  });

  it('concurrent starts apply each migration once (advisory lock)', async () => {
    const url = await cluster.createDatabase();
    const { logger } = memoryLogger();
    const dbs = [rawDatabase(url), rawDatabase(url), rawDatabase(url)];
    const results = await Promise.all(dbs.map((db) => migrate(() => db.connect(), logger)));
    expect(results.flat()).toEqual(MIGRATIONS.map((m) => m.version));
  });

  // --- the API on Postgres ---------------------------------------------------

  it('creates, lists newest first, gets and deletes notes', async () => {
    const { app } = await appOn();
    const ids: number[] = [];
    for (const text of ['one', 'two', 'three']) {
      const res = await request(app).post('/api/notes').send({ text }).expect(201);
      ids.push(res.body.id);
      expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const page = await request(app).get('/api/notes?limit=2').expect(200);
    expect(page.body.notes.map((n: { text: string }) => n.text)).toEqual(['three', 'two']);
    const rest = await request(app)
      .get(`/api/notes?limit=2&before=${page.body.nextBefore}`)
      .expect(200);
    expect(rest.body).toEqual({
      notes: [expect.objectContaining({ id: ids[0], text: 'one' })],
      nextBefore: null,
    });
    await request(app).get(`/api/notes/${ids[1]}`).expect(200);
    await request(app).delete(`/api/notes/${ids[1]}`).expect(204);
    await request(app).get(`/api/notes/${ids[1]}`).expect(404);
    await request(app).delete(`/api/notes/${ids[1]}`).expect(404);
    await request(app).get('/api/notes/999999').expect(404);
    const status = await request(app).get('/api/status').expect(200);
    expect(status.body).toMatchObject({ database: 'up', notes: 2 });
  });

  it('stores 1000 characters of any script, and the database itself refuses 1001', async () => {
    const { app, url } = await appOn();
    const text = 'é😀'.repeat(500);
    const res = await request(app).post('/api/notes').send({ text }).expect(201);
    expect((await request(app).get(`/api/notes/${res.body.id}`)).body.text).toBe(text);
    await expect(
      query(url, `INSERT INTO notes (text) VALUES ('${'x'.repeat(1001)}')`),
    ).rejects.toThrow(/check constraint/);
  });

  it('a NUL character or an unpaired surrogate in text is a 400 naming the field, not a 500 (22021)', async () => {
    const { app, url, logs } = await appOn();
    for (const text of ['a\u0000b', '\u0000', 'a\ud83db']) {
      const res = await request(app).post('/api/notes').send({ text }).expect(400);
      expect(Object.keys(res.body.error.fields)).toEqual(['text']);
    }
    expect(logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    expect(await query(url, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
    // Postgres itself: why it is refused (and a paired surrogate, an emoji, is fine).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await expect(
        client.query('INSERT INTO notes (text) VALUES ($1)', ['a\u0000b']),
      ).rejects.toMatchObject({ code: '22021' });
    } finally {
      await client.end();
    }
    await request(app).post('/api/notes').send({ text: 'a😀b' }).expect(201);
  });

  it('the server process: hostile input gets 4xx naming what is wrong, and no error in the log', async () => {
    const url = await cluster.createDatabase();
    const backend = await startBackend({ DATABASE_URL: url, LOG_LEVEL: 'info' });
    await waitFor(async () => (await fetch(`${backend.url}/readyz`)).status === 200);
    const send = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${backend.url}${path}`, init);
      return { status: res.status, body: (await res.json()) as { error: ErrorFields } };
    };
    const json = (body: string): RequestInit => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const cases: Array<[string, RequestInit | undefined, number, Partial<ErrorFields>]> = [
      ['/api/notes', json('{"text":"a\\u0000b"}'), 400, { fields: { text: expect.any(String) } }],
      ['/api/notes/%ff', undefined, 400, { code: 'malformed_path' }],
      ['/api/notes/%', { method: 'DELETE' }, 400, { code: 'malformed_path' }],
      [
        '/api/notes',
        json('{"text":"p","__proto__":{"admin":true}}'),
        400,
        { fields: { ['__proto__']: 'is not a known field' } },
      ],
      ['/api/notes', json('"str"'), 400, { fields: { body: 'must be a JSON object' } }],
      ['/api/notes', json('null'), 400, { fields: { body: 'must be a JSON object' } }],
    ];
    for (const [path, init, status, error] of cases) {
      const res = await send(path, init);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.body.error).toMatchObject(error);
    }
    await backend.stop('SIGTERM');
    const output = backend.output();
    expect(output).not.toContain('"level":"error"');
    expect(output).not.toMatch(/URIError|22021|at .*\.(ts|js):\d+/);
  });

  it('idempotency: 20 concurrent retries with one key make one note; another body is 422', async () => {
    const { app, url } = await appOn();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app).post('/api/notes').set('Idempotency-Key', 'order-42').send({ text: 'pay' }),
      ),
    );
    expect(attempts.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(attempts.map((r) => r.body.id)).size).toBe(1);
    expect(attempts.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    const reused = await request(app)
      .post('/api/notes')
      .set('Idempotency-Key', 'order-42')
      .send({ text: 'refund' })
      .expect(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await query(url, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 1 }]);
  });

  it('a request is one transaction: a failure inside it leaves nothing behind', async () => {
    const { url } = await appOn();
    const db = rawDatabase(url);
    await expect(
      db.transaction('test', async (tx) => {
        await tx.query("INSERT INTO notes (text) VALUES ('ghost')");
        throw new Error('crash after the insert, before commit');
      }),
    ).rejects.toThrow(/before commit/);
    expect(await query(url, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
  });

  it('autocommit: each statement is its own transaction, committed when it answers', async () => {
    const { url } = await appOn();
    const db = rawDatabase(url);
    const xids = (run: Database['transaction']) =>
      run('xids', async (q) => {
        const ids: string[] = [];
        for (let i = 0; i < 2; i += 1) {
          const { rows } = await q.query<{ xid: string }>(
            'SELECT pg_current_xact_id()::text AS xid',
          );
          ids.push(rows[0]?.xid ?? '');
        }
        return ids;
      });
    const [a, b] = await xids(db.autocommit);
    expect(a).not.toBe(b);
    const [c, d] = await xids(db.transaction);
    expect(c).toBe(d);
    // A failure after a statement keeps that statement: it was committed already.
    await expect(
      db.autocommit('test', async (q) => {
        await q.query("INSERT INTO notes (text) VALUES ('kept')");
        throw new Error('crash after the insert');
      }),
    ).rejects.toThrow(/after the insert/);
    expect(await query(url, 'SELECT text FROM notes')).toEqual([{ text: 'kept' }]);
  });

  test.each(['transaction', 'autocommit'] as const)(
    '%s: a connection killed between two queries fails it, and crashes nothing',
    async (mode) => {
      const url = await cluster.createDatabase();
      const db = createDatabase(new Secret(url), {
        registry: new Registry(),
        logger: memoryLogger().logger,
        max: 1,
      });
      opened.push(db);
      const lost = await db[mode]('killed', async (q) => {
        const { rows } = await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await query(url, 'SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return q.query('SELECT 1');
      }).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(Error);
      await expect(db[mode]('after', (q) => q.query('SELECT 1'))).resolves.toBeDefined();
    },
  );

  it('a statement over statement_timeout is cancelled by Postgres (57014, a 503), the connection kept', async () => {
    const url = await cluster.createDatabase();
    const db = createDatabase(new Secret(url), {
      registry: new Registry(),
      logger: memoryLogger().logger,
      max: 1,
      statementTimeoutMs: 200,
      queryTimeoutMs: 5000,
    });
    opened.push(db);
    const started = Date.now();
    const error = await db
      .transaction('slow', (tx) => tx.query('SELECT pg_sleep(3)'))
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: '57014' });
    expect(isUnavailable(error)).toBe(true);
    // Rolled back and reused: the same backend process answers the next transaction.
    const pid = async () =>
      db.transaction('pid', async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        return rows[0]?.pid;
      });
    const first = await pid();
    await db.transaction('slow', (tx) => tx.query('SELECT pg_sleep(3)')).catch(() => undefined);
    expect(await pid()).toBe(first);
  });

  it('exports pool, query-duration and db_up metrics on the app registry', async () => {
    const { app } = await appOn();
    await request(app).post('/api/notes').send({ text: 'm' }).expect(201);
    const text = (await request(app).get('/metrics')).text;
    expect(text).toMatch(/^db_up 1$/m);
    expect(text).toMatch(/^backend_ready 1$/m);
    expect(text).toMatch(/^db_pool_connections\{state="idle"\} \d+$/m);
    expect(text).toMatch(/^db_pool_connections\{state="active"\} \d+$/m);
    expect(text).toMatch(/^db_pool_connections\{state="waiting"\} 0$/m);
    expect(text).toMatch(
      /^db_query_duration_seconds_count\{operation="notes_create",outcome="ok"\} 1$/m,
    );
  });

  // --- outages -----------------------------------------------------------------

  it('readiness goes 503 while Postgres is stopped and recovers by itself when it is back', async () => {
    const { app } = await appOn();
    await request(app).post('/api/notes').send({ text: 'before' }).expect(201);
    await request(app).get('/readyz').expect(200);

    await cluster.stop();
    try {
      await request(app).get('/readyz').expect(503, { status: 'database_unavailable' });
      await request(app).get('/healthz').expect(200);
      const write = await request(app)
        .post('/api/notes')
        .set('Idempotency-Key', 'during-outage')
        .send({ text: 'during' })
        .expect(503);
      expect(write.body.error.code).toBe('database_unavailable');
      expect((await request(app).get('/api/status')).body).toMatchObject({
        database: 'down',
        notes: null,
      });
      expect((await request(app).get('/metrics')).text).toMatch(/^db_up 0$/m);
    } finally {
      await cluster.start();
    }

    // Same app, same pool: no restart.
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    await request(app)
      .post('/api/notes')
      .set('Idempotency-Key', 'during-outage')
      .send({ text: 'during' })
      .expect(201);
    expect((await request(app).get('/api/status')).body).toMatchObject({
      database: 'up',
      notes: 2,
    });
  }, 60_000);

  it('the server process: wrong password → readiness 503, a clear log naming DATABASE_URL, no password', async () => {
    const url = await cluster.createDatabase();
    const wrong = url.replace(/:[^:@/]+@/, ':hunter2-wrong@');
    const backend = await startBackend({ DATABASE_URL: wrong, LOG_LEVEL: 'info' });
    await expect(fetch(`${backend.url}/readyz`).then((r) => r.status)).resolves.toBe(503);
    await expect(fetch(`${backend.url}/healthz`).then((r) => r.status)).resolves.toBe(200);
    const notes = await fetch(`${backend.url}/api/notes`);
    expect(notes.status).toBe(503);
    await waitFor(() => backend.output().includes('password authentication failed'));
    const output = backend.output();
    expect(output).toContain('database unavailable (DATABASE_URL)');
    expect(output).toContain('28P01');
    expect(output).not.toContain('hunter2');
    await backend.stop('SIGTERM');
    expect(backend.output()).not.toContain('hunter2');
  });

  it('an outage is logged twice (down with its cause, back again), not once per 503', async () => {
    const { app, logs, dbLogs } = await appOn();
    await request(app).post('/api/notes').send({ text: 'before' }).expect(201);
    await cluster.stop();
    try {
      for (let i = 0; i < 5; i += 1) {
        await request(app).post('/api/notes').send({ text: 'during' }).expect(503);
        await request(app).get('/api/notes/1').expect(503);
        await request(app).get('/readyz').expect(503);
      }
    } finally {
      await cluster.start();
    }
    await request(app).get('/api/notes').expect(200);
    await request(app).get('/readyz').expect(200);

    const lines = [...logs, ...dbLogs].map((line) => JSON.parse(line) as LogLine);
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.msg)).toEqual([
      'database unavailable (DATABASE_URL): readiness and the notes routes answer 503 until it is back',
    ]);
    // The cause that showed it: the server going away or refusing connections.
    expect(errors[0]?.err?.code).toMatch(/^(57P01|ECONNREFUSED|ECONNRESET)$/);
    expect(errors[0]?.err?.message).toEqual(expect.any(String));
    expect(errors[0]?.err?.stack ?? '').toBe(''); // a state, not a bug: no stack
    expect(lines.filter((line) => line.msg === 'database is reachable again')).toHaveLength(1);
  }, 60_000);

  it('the server process: a frozen Postgres gets 503 with Retry-After within the query timeout, not a hang', async () => {
    const url = await cluster.createDatabase();
    const backend = await startBackend({ DATABASE_URL: url });
    await waitFor(async () => (await fetch(`${backend.url}/readyz`)).status === 200);
    const post = (text: string) =>
      fetch(`${backend.url}/api/notes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(10_000),
      });
    // Its connection goes back to the pool, idle: the next request takes it.
    expect((await post('before')).status).toBe(201);

    await cluster.freeze();
    let took: number;
    let res: Response;
    try {
      const started = Date.now();
      res = await post('frozen');
      took = Date.now() - started;
    } finally {
      await cluster.thaw();
    }
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'database_unavailable',
    );
    // Under nginx's proxy_read_timeout (5 s): the client gets our answer, not nginx's.
    expect(took).toBeLessThan(5000);

    await waitFor(async () => (await post('after')).status === 201);
    await expect(backend.stop('SIGTERM')).resolves.toBe(0);
  }, 60_000);

  test.each([
    ['sslmode=require against a server without TLS', 'sslmode=require', /SSL/],
    [
      'a missing sslrootcert',
      'sslmode=verify-full&sslrootcert=/nonexistent/root.crt',
      /ENOENT|no such file/,
    ],
  ])(
    'the server process: %s → 503 on the notes routes, the cause logged once',
    async (_name, query, cause) => {
      const url = await cluster.createDatabase();
      const backend = await startBackend({ DATABASE_URL: `${url}?${query}`, LOG_LEVEL: 'info' });
      for (const path of ['/api/notes', '/api/notes/1', '/readyz']) {
        const res = await fetch(`${backend.url}${path}`);
        expect(res.status, path).toBe(503);
      }
      const created = await fetch(`${backend.url}/api/notes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'x' }),
      });
      expect(created.status).toBe(503);
      expect(created.headers.get('retry-after')).toBe('1');
      await backend.stop('SIGTERM');
      const lines = backend
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine);
      const errors = lines.filter((line) => line.level === 'error' || line.level === 'fatal');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.msg).toMatch(/^database unavailable \(DATABASE_URL\)/);
      expect(errors[0]?.err?.message).toMatch(cause);
    },
  );

  it('the server process: nothing listening → readiness 503 and a log saying so, no password', async () => {
    const port = await freePort();
    const backend = await startBackend({
      DATABASE_URL: `postgres://app:hunter2-secret@127.0.0.1:${port}/app`,
      LOG_LEVEL: 'info',
    });
    await expect(fetch(`${backend.url}/readyz`).then((r) => r.status)).resolves.toBe(503);
    await waitFor(() => backend.output().includes('ECONNREFUSED'));
    expect(backend.output()).not.toContain('hunter2');
    await backend.stop('SIGTERM');
  });

  it('the server process migrates at start and serves notes', async () => {
    const url = await cluster.createDatabase();
    const backend = await startBackend({ DATABASE_URL: url });
    await waitFor(async () => (await fetch(`${backend.url}/readyz`)).status === 200);
    const res = await fetch(`${backend.url}/api/notes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'p-1' },
      body: JSON.stringify({ text: 'from a process' }),
    });
    expect(res.status).toBe(201);
    await expect(backend.stop('SIGTERM')).resolves.toBe(0);
  });
});

interface ErrorFields {
  code: string;
  fields: Record<string, string>;
}

interface LogLine {
  level: string;
  msg: string;
  err?: { message?: string; code?: string; stack?: string };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
