/**
 * npm run bench:backend — throughput and latency of the backend, side by side
 * with what it is compared to, in one run on one machine (the machine is shared
 * and noisy: read the ratios, not the absolutes): the seed's Flask, bare
 * node:http, and pgbench doing the backend's own statements on the same Postgres.
 *
 * Phases: a Postgres of its own (bench-postgres.ts), CPU profiles of the backend
 * under load (profile-run.ts), interleaved rounds of every target (rounds.ts),
 * the time of one scrape (scrape-time.ts), the report (report.ts, goals.ts).
 * Writes bench/results/backend.json and bench/results/backend.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { POOL_SIZE } from '../backend/src/database.ts';
import { REPO_ROOT } from '../scripts/repo-root.ts';
import { stopAll } from '../test/support/process.ts';
import { which } from '../test/support/tools.ts';
import { type BenchDatabase, startBenchDatabase } from './lib/bench-postgres.ts';
import { evaluateGoals, IDS, ratios } from './lib/goals.ts';
import { loadAverage, machine } from './lib/machine.ts';
import type { Target } from './lib/measurement.ts';
import { whatIsLeft } from './lib/notes.ts';
import { pgbench } from './lib/pgbench.ts';
import { profileUnderLoad } from './lib/profile-run.ts';
import { type BenchResult, renderReport } from './lib/report.ts';
import { runRounds, summarise, wrkTarget } from './lib/rounds.ts';
import { timeScrape } from './lib/scrape-time.ts';
import {
  backendVariant,
  bareNode,
  flask,
  type RunningServer,
  type ServerSpec,
  startServer,
} from './lib/servers.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const WARMUP_S = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const POST_SCRIPT = { path: `${REPO_ROOT}bench/lib/post-notes.lua` };
const LIST = '/api/notes?limit=20';

function serverSpecs(databaseUrl: string): Record<string, ServerSpec> {
  return {
    backend: backendVariant('backend (createApp as server.ts builds it)', 'default', databaseUrl),
    uninstrumented: backendVariant(
      'backend, metrics middleware off',
      'uninstrumented',
      databaseUrl,
    ),
    uncached: backendVariant('backend, no scrape cache (before)', 'uncached', databaseUrl),
    etag: backendVariant('backend, Express default ETag on', 'etag', databaseUrl),
    flask,
    bare: bareNode,
  };
}

/** The profiles: what the backend spends its time on, per endpoint. */
async function profilePhase(specs: Record<string, ServerSpec>) {
  const endpoints: Array<[string, string, (s: RunningServer) => Target]> = [
    ['backend', 'GET /', (s) => wrkTarget('/', '', s.url('/'), { connections: CONNECTIONS })],
    [
      'backend',
      'GET /metrics',
      (s) => wrkTarget('m', '', s.url('/metrics'), { connections: CONNECTIONS }),
    ],
    [
      'uncached',
      'GET /metrics, no scrape cache',
      (s) => wrkTarget('m', '', s.url('/metrics'), { connections: CONNECTIONS }),
    ],
    [
      'backend',
      'POST /api/notes',
      (s) =>
        wrkTarget('p', '', s.url('/api/notes'), { connections: CONNECTIONS, script: POST_SCRIPT }),
    ],
    [
      'backend',
      `GET ${LIST}`,
      (s) => wrkTarget('l', '', s.url(LIST), { connections: CONNECTIONS }),
    ],
  ];
  const profiles = [];
  for (const [server, target, load] of endpoints) {
    const spec = specs[server];
    if (!spec) throw new Error(`no server "${server}"`);
    const summary = await profileUnderLoad(spec, load, {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
    });
    profiles.push({ target, summary });
    process.stderr.write(`profiled ${target}\n`);
  }
  return profiles;
}

function targets(servers: Record<string, RunningServer>, db: BenchDatabase): Target[] {
  const http = (id: string, server: string, path: string, script?: typeof POST_SCRIPT) => {
    const s = servers[server];
    if (!s) throw new Error(`no server "${server}"`);
    return wrkTarget(id, s.spec.name, s.url(path), {
      connections: CONNECTIONS,
      ...(script ? { script } : {}),
    });
  };
  const pg = (id: string, script: 'insert' | 'select', clients: number): Target => ({
    id,
    description: `pgbench -c ${clients}, the backend's ${script === 'insert' ? 'INSERT ... ON CONFLICT (+ SELECT on a replay)' : 'SELECT ... LIMIT 21'}`,
    run: (durationS) =>
      pgbench(script, { connection: db.connection, password: db.password, clients, durationS }),
  });
  return [
    http(IDS.root, 'backend', '/'),
    http(IDS.metrics, 'backend', '/metrics'),
    http('uncached /metrics', 'uncached', '/metrics'),
    http(IDS.uninstrumented, 'uninstrumented', '/'),
    http('etag /', 'etag', '/'),
    http(IDS.flaskRoot, 'flask', '/'),
    http(IDS.flaskMetrics, 'flask', '/metrics'),
    http('bare /', 'bare', '/'),
    http(IDS.post, 'backend', '/api/notes', POST_SCRIPT),
    pg(IDS.pgInsert, 'insert', CONNECTIONS),
    pg(IDS.pgInsertPool, 'insert', POOL_SIZE),
    http(IDS.list, 'backend', LIST),
    pg(IDS.pgSelect, 'select', CONNECTIONS),
    pg(IDS.pgSelectPool, 'select', POOL_SIZE),
  ];
}

async function startServers(specs: Record<string, ServerSpec>) {
  const servers: Record<string, RunningServer> = {};
  for (const [id, spec] of Object.entries(specs)) servers[id] = await startServer(spec);
  return servers;
}

function write(result: BenchResult): void {
  const dir = `${REPO_ROOT}bench/results`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/backend.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = renderReport(
    result,
    whatIsLeft(result.summary, result.goals, POOL_SIZE, CONNECTIONS, result.profiles),
  );
  writeFileSync(`${dir}/backend.md`, md);
  process.stdout.write(`${md}\n`);
}

async function main(): Promise<void> {
  for (const tool of ['wrk', 'gunicorn', 'pgbench']) {
    if (!which(tool)) throw new Error(`${tool} is not installed (bash .ci/install.sh installs it)`);
  }
  const start = loadAverage();
  const db = await startBenchDatabase();
  const cleanup = async () => {
    await stopAll();
    await db.destroy();
  };
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const specs = serverSpecs(db.url);
    const profiles = await profilePhase(specs);
    const list = targets(await startServers(specs), db);
    const runs = await runRounds(list, {
      rounds: ROUNDS,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      onMeasured: (round, target, r) =>
        process.stderr.write(
          `round ${round} ${target.id.padEnd(32)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${r.latencyMs.p99.toFixed(2)} ms\n`,
        ),
    });
    await stopAll();
    const scrape = await timeScrape();
    const summary = summarise(list, runs);
    write({
      date: new Date().toISOString(),
      machine: machine(),
      settings: {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        rounds: ROUNDS,
        poolSize: POOL_SIZE,
        postgres: db.settings,
      },
      load: { start, end: loadAverage() },
      summary,
      ratios: ratios(summary),
      goals: evaluateGoals(summary, scrape),
      scrape,
      profiles,
    });
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
