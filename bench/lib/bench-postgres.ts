import pg from 'pg';
import { createLogger } from '../../backend/src/logger.ts';
import { MIGRATIONS, migrate } from '../../backend/src/migrations.ts';
import { startPostgres } from '../../test/support/postgres.ts';

/**
 * Durable, as the stack's Postgres is (the image's defaults): a commit waits for
 * its WAL to reach the disk, which is what bounds the write rate.
 */
export const BENCH_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  fsync: 'on',
  full_page_writes: 'on',
  synchronous_commit: 'on',
});

/** The settings the report states, read back from the server. */
const REPORTED = [
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'max_connections',
  'shared_buffers',
];

export interface BenchDatabase {
  /** postgres://... with the password: for DATABASE_URL only, never for a report. */
  readonly url: string;
  readonly connection: { host: string; port: number; user: string; database: string };
  readonly password: string;
  readonly settings: Readonly<Record<string, string>>;
  destroy(): Promise<void>;
}

/**
 * A throwaway cluster (test/support/postgres.ts) with BENCH_SETTINGS, a database
 * migrated as the backend migrates it, and `seedNotes` notes in it, so that a
 * page of notes is a full page from the first request. destroy() in a finally.
 */
export async function startBenchDatabase(seedNotes = 1000): Promise<BenchDatabase> {
  const cluster = await startPostgres(BENCH_SETTINGS);
  try {
    const database = 'bench';
    const url = await cluster.createDatabase(database);
    const settings = await prepare(url, seedNotes);
    const parsed = new URL(url);
    return Object.freeze({
      url,
      connection: { host: parsed.hostname, port: cluster.port, user: 'postgres', database },
      password: decodeURIComponent(parsed.password),
      settings,
      destroy: () => cluster.destroy(),
    });
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
}

async function prepare(url: string, seedNotes: number): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(
      async () => ({
        query: (text, values) => client.query(text, values as unknown[]),
        release: () => {},
      }),
      createLogger({ level: 'warn' }),
      MIGRATIONS,
    );
    await client.query(
      `INSERT INTO notes (text) SELECT 'seed note ' || n FROM generate_series(1, $1::int) AS n`,
      [seedNotes],
    );
    const settings: Record<string, string> = {};
    for (const name of REPORTED) {
      const { rows } = await client.query<Record<string, string>>(`SHOW ${name}`);
      settings[name] = rows[0]?.[name] ?? '?';
    }
    return settings;
  } finally {
    await client.end();
  }
}
