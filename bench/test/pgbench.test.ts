import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { describeWithPostgres } from '../../test/support/postgres.ts';
import { describeWithTools } from '../../test/support/tools.ts';
import { type BenchDatabase, startBenchDatabase } from '../lib/bench-postgres.ts';
import { parsePgbenchLog, parsePgbenchSummary, pgbench, pgbenchArgs } from '../lib/pgbench.ts';

// pgbench 15.18 (Debian 15.18-0+deb12u1), the insert script, -c 2 -T 1.
const SUMMARY = `pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: /tmp/pgbench-x/insert.sql
scaling factor: 1
query mode: extended
number of clients: 2
number of threads: 1
maximum number of tries: 1
duration: 1 s
number of transactions actually processed: 544
number of failed transactions: 3 (0.548%)
latency average = 3.629 ms
initial connection time = 14.829 ms
tps = 551.109868 (without initial connection time)
`;

describe('pgbench output', () => {
  it('reads tps and failed transactions from the summary', () => {
    expect(parsePgbenchSummary(SUMMARY)).toEqual({ tps: 551.109868, failed: 3 });
  });

  it('says what it could not find, when pgbench printed no tps', () => {
    expect(() => parsePgbenchSummary('pgbench: error: connection refused')).toThrow(
      /no "tps = ... "/,
    );
  });

  test.each<[string, number[]]>([
    ['1 1 2757 0 1796179412 988927\n0 1 3202 0 1796179412 989346\n', [2.757, 3.202]],
    ['', []],
    // A failed transaction's time is "failed" (pgbench 15): not a latency.
    ['1 2 failed 0 1796179412 989607\n1 3 670 0 1796179412 989700', [0.67]],
  ])('latencies in ms from the per-transaction log %#', (log, expected) => {
    expect(parsePgbenchLog(log)).toEqual(expected);
  });

  it('runs the script as the backend runs its statements: extended protocol, one thread', () => {
    const args = pgbenchArgs('/s.sql', '/d/log', {
      clients: 10,
      durationS: 5,
      connection: { host: '127.0.0.1', port: 5433, user: 'postgres', database: 'bench' },
    });
    expect(args.join(' ')).toBe(
      '-h 127.0.0.1 -p 5433 -U postgres -n -M extended -c 10 -j 1 -T 5 -D text=bench note -D fp=' +
        `${'f'.repeat(64)} -D limit=21 -f /s.sql -l --log-prefix=/d/log bench`,
    );
  });
});

describeWithTools(['pgbench'], 'pgbench scripts on the backend schema', () => {
  describeWithPostgres('a real Postgres', () => {
    let db: BenchDatabase;
    const rows = async (sql: string) => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query<{ n: number }>(sql)).rows[0]?.n;
      } finally {
        await client.end();
      }
    };
    beforeAll(async () => {
      db = await startBenchDatabase(30);
    }, 60_000);
    afterAll(async () => {
      await db?.destroy();
    });

    it('states a durable Postgres', () => {
      expect(db.settings).toMatchObject({ fsync: 'on', synchronous_commit: 'on' });
    });

    it('insert: one keyed note per transaction, nothing failed', async () => {
      const result = await pgbench('insert', { ...db, clients: 2, durationS: 1 });
      expect(result.errors).toBe(0);
      expect(result.requestsPerSecond).toBeGreaterThan(0);
      expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
      const keyed = await rows(
        "SELECT count(*)::int AS n FROM notes WHERE idempotency_key IS NOT NULL AND request_fingerprint = repeat('f', 64)",
      );
      // tps excludes the connection time: the count is about tps × 1 s.
      expect(keyed).toBeGreaterThan(0);
      expect(Math.abs((keyed ?? 0) - result.requestsPerSecond)).toBeLessThan(
        result.requestsPerSecond * 0.5 + 5,
      );
    });

    it('select: reads, and writes nothing', async () => {
      const before = await rows('SELECT count(*)::int AS n FROM notes');
      const result = await pgbench('select', { ...db, clients: 2, durationS: 1 });
      expect(result.errors).toBe(0);
      expect(result.requestsPerSecond).toBeGreaterThan(0);
      expect(await rows('SELECT count(*)::int AS n FROM notes')).toBe(before);
    });
  });
});
