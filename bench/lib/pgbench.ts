import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Measurement } from './measurement.ts';
import { percentile } from './stats.ts';

const run = promisify(execFile);

/**
 * The backend's transactions, as pgbench scripts: the same statements with the
 * same parameters (sent as parameters: -M extended, as node-postgres does), each
 * its own transaction as db.autocommit runs them (backend/src/notes.ts).
 */
export const PGBENCH_SCRIPTS = Object.freeze({
  // notes.create with an Idempotency-Key: the INSERT, and the SELECT when the key
  // was seen before (never here: every key is random, as every wrk request's is).
  insert: `\\set key random(1, 9000000000000000000)
\\set ins_id 0
INSERT INTO notes (text, idempotency_key, request_fingerprint) VALUES (:text, :key, :fp)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, text, created_at \\aset ins_
\\if :ins_id = 0
SELECT id, text, created_at, request_fingerprint FROM notes WHERE idempotency_key = :key;
\\endif
`,
  // notes.list for GET /api/notes?limit=20: one more row than asked, for nextBefore.
  select: `SELECT id, text, created_at FROM notes ORDER BY id DESC LIMIT :limit;
`,
});
export type PgbenchScript = keyof typeof PGBENCH_SCRIPTS;

/** The variables the scripts read: what the backend's request sends. */
export const PGBENCH_VARIABLES = Object.freeze({
  text: 'bench note',
  // A sha256 in hex, as fingerprint() makes it.
  fp: 'f'.repeat(64),
  limit: '21',
});

export interface PgbenchOptions {
  /** libpq's connection, without the password (that goes in PGPASSWORD). */
  connection: { host: string; port: number; user: string; database: string };
  password: string;
  clients: number;
  durationS: number;
}

/** pgbench's argv (pure, for the tests). */
export function pgbenchArgs(
  scriptPath: string,
  logPrefix: string,
  options: Pick<PgbenchOptions, 'clients' | 'durationS' | 'connection'>,
): string[] {
  const { host, port, user, database } = options.connection;
  return [
    ...['-h', host, '-p', String(port), '-U', user],
    '-n', // no vacuum of pgbench's own tables: it has none here
    ...['-M', 'extended'],
    ...['-c', String(options.clients), '-j', '1'],
    ...['-T', String(options.durationS)],
    ...Object.entries(PGBENCH_VARIABLES).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
    ...['-f', scriptPath],
    '-l',
    `--log-prefix=${logPrefix}`,
    database,
  ];
}

/** tps and failures from pgbench's summary. */
export function parsePgbenchSummary(output: string): { tps: number; failed: number } {
  const tps = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(output);
  if (!tps?.[1]) throw new Error(`cannot parse pgbench output (no "tps = ... "):\n${output}`);
  const failed = /^number of failed transactions: (\d+)/m.exec(output);
  return { tps: Number(tps[1]), failed: Number(failed?.[1] ?? 0) };
}

/**
 * Latencies in ms from pgbench's per-transaction log (-l): each line is
 * `client_id transaction_no time script_no time_epoch time_us`, `time` in µs.
 */
export function parsePgbenchLog(log: string): number[] {
  const latencies: number[] = [];
  for (const line of log.split('\n')) {
    const time = line.split(' ')[2];
    if (time !== undefined && /^\d+$/.test(time)) latencies.push(Number(time) / 1000);
  }
  return latencies;
}

/** Runs one of PGBENCH_SCRIPTS for `durationS` and measures it like wrk does. */
export async function pgbench(
  script: PgbenchScript,
  options: PgbenchOptions,
): Promise<Measurement> {
  const dir = await mkdtemp(join(tmpdir(), 'pgbench-'));
  try {
    const scriptPath = join(dir, `${script}.sql`);
    await writeFile(scriptPath, PGBENCH_SCRIPTS[script]);
    const { stdout } = await run('pgbench', pgbenchArgs(scriptPath, join(dir, 'log'), options), {
      env: { ...process.env, PGPASSWORD: options.password },
      cwd: dir,
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`pgbench ${script} failed: ${error.message}\n${error.stderr ?? ''}`);
    });
    const summary = parsePgbenchSummary(stdout);
    const logs = (await readdir(dir)).filter((name) => name.startsWith('log'));
    const latencies = (
      await Promise.all(logs.map((name) => readFile(join(dir, name), 'utf8')))
    ).flatMap(parsePgbenchLog);
    return {
      requestsPerSecond: summary.tps,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      errors: summary.failed,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
