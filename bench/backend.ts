/**
 * npm run bench:backend — throughput and latency of the backend, side by side
 * with what it is compared to, in one run on one machine (the machine is shared
 * and noisy: read the ratios, not the absolutes).
 *
 * Targets are measured in interleaved rounds (A B C ... A B C ...) and the median
 * round is reported, so a burst of background load hurts every target alike.
 * Writes bench/results/backend.json and bench/results/backend.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { REPO_ROOT } from '../scripts/repo-root.ts';
import { freePort, waitForHttp } from '../test/support/net.ts';
import { type RunningProcess, startProcess, stopAll } from '../test/support/process.ts';
import { which } from '../test/support/tools.ts';
import { type WrkResult, wrk } from './lib/wrk.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECRET = 'bench-secret-'.padEnd(48, 'x');

interface Server {
  name: string;
  start(port: number): RunningProcess;
}

const env = (port: number, extra: Record<string, string> = {}) => ({
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  SECRET_KEY: SECRET,
  HOST: '127.0.0.1',
  PORT: String(port),
  ...extra,
});
const tsx = (script: string, port: number, extra: Record<string, string> = {}) =>
  startProcess(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: env(port, extra),
  });

const servers: Record<string, Server> = {
  // Every backend variant is the same entry point with one switch, so that the
  // ratios between them measure that switch and nothing else.
  backend: {
    name: 'backend (createApp as server.ts builds it)',
    start: (port) => tsx('bench/servers/backend-variant.ts', port, { VARIANT: 'default' }),
  },
  uninstrumented: {
    name: 'backend, metrics middleware off',
    start: (port) => tsx('bench/servers/backend-variant.ts', port, { VARIANT: 'uninstrumented' }),
  },
  etag: {
    name: 'backend, Express default ETag on',
    start: (port) => tsx('bench/servers/backend-variant.ts', port, { VARIANT: 'etag' }),
  },
  flask: {
    name: 'seed Flask + prometheus_client, gunicorn 1 worker',
    start: (port) =>
      startProcess(
        'gunicorn',
        [
          '--workers',
          '1',
          '--bind',
          `127.0.0.1:${port}`,
          '--chdir',
          'bench/servers',
          '--log-level',
          'warning',
          'flask_app:app',
        ],
        { cwd: REPO_ROOT },
      ),
  },
  bare: {
    name: 'bare node:http (ceiling)',
    start: (port) =>
      startProcess(process.execPath, ['bench/servers/bare-node.mjs'], {
        cwd: REPO_ROOT,
        env: env(port),
      }),
  },
};

const targets = [
  { id: 'backend /', server: 'backend', path: '/' },
  { id: 'backend /metrics', server: 'backend', path: '/metrics' },
  { id: 'uninstrumented /', server: 'uninstrumented', path: '/' },
  { id: 'etag /', server: 'etag', path: '/' },
  { id: 'flask /', server: 'flask', path: '/' },
  { id: 'flask /metrics', server: 'flask', path: '/metrics' },
  { id: 'bare /', server: 'bare', path: '/' },
] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  for (const tool of ['wrk', 'gunicorn']) {
    if (!which(tool)) throw new Error(`${tool} is not installed (bash .ci/install.sh installs it)`);
  }
  const running = new Map<string, { proc: RunningProcess; port: number }>();
  for (const [id, server] of Object.entries(servers)) {
    const port = await freePort();
    const proc = server.start(port);
    await waitForHttp(`http://127.0.0.1:${port}/`, 20_000).catch((error: Error) => {
      throw new Error(`${server.name} did not start: ${error.message}\n${proc.output()}`);
    });
    running.set(id, { proc, port });
  }

  const runs = new Map<string, WrkResult[]>(targets.map((t) => [t.id, []]));
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const target of targets) {
      const { port } = running.get(target.server) ?? { port: 0 };
      const url = `http://127.0.0.1:${port}${target.path}`;
      await wrk(url, { connections: CONNECTIONS, durationS: 2 }); // warm-up (JIT, pools)
      const result = await wrk(url, { connections: CONNECTIONS, durationS: DURATION_S });
      runs.get(target.id)?.push(result);
      process.stderr.write(
        `round ${round} ${target.id.padEnd(18)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${result.latencyMs.p99.toFixed(2)} ms\n`,
      );
    }
  }
  await stopAll();

  const summary = targets.map((t) => {
    const results = runs.get(t.id) ?? [];
    return {
      target: t.id,
      server: servers[t.server]?.name ?? t.server,
      requestsPerSecond: Math.round(median(results.map((r) => r.requestsPerSecond))),
      p50Ms: Number(median(results.map((r) => r.latencyMs.p50)).toFixed(2)),
      p99Ms: Number(median(results.map((r) => r.latencyMs.p99)).toFixed(2)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      rounds: results,
    };
  });
  const rps = (id: string) => summary.find((s) => s.target === id)?.requestsPerSecond ?? Number.NaN;
  const p99 = (id: string) => summary.find((s) => s.target === id)?.p99Ms ?? Number.NaN;
  const ratios = {
    instrumentedVsUninstrumented: rps('backend /') / rps('uninstrumented /'),
    backendVsFlask: rps('backend /') / rps('flask /'),
    backendMetricsVsFlaskMetrics: rps('backend /metrics') / rps('flask /metrics'),
    noEtagVsEtag: rps('backend /') / rps('etag /'),
    backendVsBareNode: rps('backend /') / rps('bare /'),
  };
  const targetsMet = {
    'instrumented >= 0.9x uninstrumented': ratios.instrumentedVsUninstrumented >= 0.9,
    'backend >= 1.5x Flask (same worker count)': ratios.backendVsFlask >= 1.5,
    'backend p99 < Flask p99': p99('backend /') < p99('flask /'),
  };
  const machine = {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    rounds: ROUNDS,
  };
  const result = { date: new Date().toISOString(), machine, summary, ratios, targetsMet };

  const dir = `${REPO_ROOT}bench/results`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/backend.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Backend throughput (${result.date.slice(0, 10)})`,
    '',
    `wrk, 1 thread, ${CONNECTIONS} connections, ${DURATION_S} s per run, median of ${ROUNDS} interleaved rounds, loopback, ${machine.cpus} cores shared with wrk. Node ${machine.node}.`,
    '',
    '| target | server | req/s | p50 ms | p99 ms | errors | vs backend / |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...summary.map(
      (s) =>
        `| \`${s.target}\` | ${s.server} | ${s.requestsPerSecond} | ${s.p50Ms} | ${s.p99Ms} | ${s.errors} | ${(s.requestsPerSecond / rps('backend /')).toFixed(2)}x |`,
    ),
    '',
    '| ratio | value |',
    '| --- | ---: |',
    ...Object.entries(ratios).map(([k, v]) => `| ${k} | ${v.toFixed(2)} |`),
    '',
    '| target | met |',
    '| --- | --- |',
    ...Object.entries(targetsMet).map(([k, v]) => `| ${k} | ${v ? 'yes' : 'NO'} |`),
    '',
  ].join('\n');
  writeFileSync(`${dir}/backend.md`, md);
  process.stdout.write(`${md}\n`);
}

main().catch(async (error: unknown) => {
  await stopAll();
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
