import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildStandins,
  docker,
  publishedPort,
  testName,
  waitHealthy,
} from '../../../test/support/docker.ts';
import { describeWithTools } from '../../../test/support/tools.ts';

// The Postgres stand-in (scripts/standins/postgres.sh) run the way
// docker-compose.yml runs the official image: read-only root with tmpfs for the
// socket dir and /tmp, every capability dropped but the five the entrypoint
// needs, no-new-privileges, a named volume, the pg_isready healthcheck.
describeWithTools(['docker'], 'Postgres stand-in', () => {
  const container = testName('postgres');
  const volume = testName('postgres-data');
  const password = randomBytes(12).toString('hex');
  let url = '';

  beforeAll(async () => {
    await buildStandins('postgres');
    // biome-ignore format: one option a line
    await docker([
      'run', '-d', '--name', container, '--init',
      '--read-only', '--tmpfs', '/var/run/postgresql', '--tmpfs', '/tmp',
      '--cap-drop', 'ALL',
      '--cap-add', 'CHOWN', '--cap-add', 'DAC_OVERRIDE', '--cap-add', 'FOWNER',
      '--cap-add', 'SETGID', '--cap-add', 'SETUID',
      '--security-opt', 'no-new-privileges',
      '-e', 'POSTGRES_USER=app', '-e', `POSTGRES_PASSWORD=${password}`, '-e', 'POSTGRES_DB=app',
      '-v', `${volume}:/var/lib/postgresql/data`,
      '--health-cmd', 'pg_isready -h 127.0.0.1 -p 5432 -U app -d app',
      '--health-interval', '1s', '--health-retries', '30',
      '-p', '127.0.0.1::5432',
      'local/standin/postgres:latest',
    ]);
    await waitHealthy(container, 60_000);
    url = `postgres://app:${password}@127.0.0.1:${await publishedPort(container, 5432)}/app`;
  });

  afterAll(async () => {
    await docker(['rm', '-f', '-v', container]).catch(() => undefined);
    await docker(['volume', 'rm', '-f', volume]).catch(() => undefined);
  });

  it('initialises the database and accepts a connection with the password', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT current_user AS who, current_database() AS db, current_setting('listen_addresses') AS listen",
      );
      expect(rows).toEqual([{ who: 'app', db: 'app', listen: '*' }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a wrong password (scram-sha-256 over TCP)', async () => {
    const client = new pg.Client({ connectionString: url.replace(password, 'wrong') });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('runs the server as uid 999 postgres', async () => {
    const ps = await docker(['exec', container, 'ps', '-o', 'user,comm']);
    expect(ps).toMatch(/^postgres\s+postgres$/m);
    expect(await docker(['exec', container, 'sh', '-c', 'id -u postgres'])).toBe('999');
  });

  it('keeps its data across a restart and does not initialise twice', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await client.end();
    await docker(['restart', '-t', '10', container]);
    await waitHealthy(container, 60_000);
    const again = new pg.Client({
      connectionString: url.replace(/:\d+\/app$/, `:${await publishedPort(container, 5432)}/app`),
    });
    await again.connect();
    try {
      expect((await again.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    } finally {
      await again.end();
    }
    const logs = await docker(['logs', container]);
    expect(logs.match(/init process complete/g)).toHaveLength(1);
  });

  it('refuses to initialise without POSTGRES_PASSWORD, like the official image', async () => {
    const name = testName('postgres-nopw');
    const out = await docker([
      'run',
      '--rm',
      '--name',
      name,
      'local/standin/postgres:latest',
    ]).catch((error: Error) => error.message);
    expect(out).toContain('POSTGRES_PASSWORD');
  });
});
