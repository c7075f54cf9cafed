/**
 * npm run bench:drill — every experiment of observability/drills/ BENCH_RUNS (5) times, one
 * fault after another on one real Compose stack (test/support/stack.ts: the real compose
 * file, stand-in images, random ports). The experiments whose fault is on toxiproxy
 * (latency-db) come last, after the backend is routed through the proxy. Reports the median
 * and the slowest time to detect, alert pending/firing, time to recover and the whole drill
 * per fault, and writes bench/results/drill.{json,md}; the stack is always torn down.
 *   BENCH_EXPERIMENTS=kill-backend,pause-backend  a part of the menu
 *   BENCH_KEEP_REPORTS=dir                         keeps each run's journal and report there
 *   BENCH_RECORD=dir                               saves the Prometheus answers (lib/recording-fetch.ts)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { runDrill } from '../actions/chaos-drill/src/drill.ts';
import { parseExperiment } from '../actions/chaos-drill/src/experiment.ts';
import type { Journal } from '../actions/chaos-drill/src/journal.ts';
import { writeDrillFiles } from '../actions/chaos-drill/src/output.ts';
import { abortOnSignals, prepareDrill } from '../actions/chaos-drill/src/setup.ts';
import { suiteFiles } from '../actions/chaos-drill/src/suite.ts';
import { systemClock } from '../actions/shared/src/clock.ts';
import { createExec } from '../actions/shared/src/exec.ts';
import { REPO_ROOT } from '../scripts/repo-root.ts';
import { startStack, type TestStack } from '../test/support/stack.ts';
import {
  type ProxiedStack,
  routeBackendThroughToxiproxy,
} from '../test/support/toxiproxy-route.ts';
import { drillMarkdown, type FaultFigures, faultFigures } from './lib/drill-figures.ts';
import { recordingFetch } from './lib/recording-fetch.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RECORD = process.env.BENCH_RECORD ? resolve(process.env.BENCH_RECORD) : undefined;

// SIGINT/SIGTERM: the drill in flight recovers (as the CLI's does), no further run starts,
// the stack goes down, and no results are written.
const controller = new AbortController();
abortOnSignals(controller, (line) => console.log(line));

interface Bench {
  stack: TestStack;
  urls: { frontend: string; prometheus: string };
  reports: string;
  composeEnv: Record<string, string>;
}

/** The experiment files to run: the whole folder, or the names BENCH_EXPERIMENTS lists. */
async function experimentFiles(): Promise<{ direct: string[]; proxied: string[] }> {
  const all = await suiteFiles(join(REPO_ROOT, 'observability/drills'));
  const wanted = process.env.BENCH_EXPERIMENTS?.split(',').map((n) => n.trim());
  const files = wanted ? all.filter((f) => wanted.includes(basename(f, '.yml'))) : all;
  const unknown = wanted?.filter((n) => !all.some((f) => basename(f, '.yml') === n)) ?? [];
  if (unknown.length > 0)
    throw new Error(
      `BENCH_EXPERIMENTS names ${unknown.join(', ')}, not an experiment of observability/drills/`,
    );
  const needsProxy = await Promise.all(
    files.map(
      async (f) => parseExperiment(await readFile(f, 'utf8'), f).fault.service === 'toxiproxy',
    ),
  );
  return {
    direct: files.filter((_, i) => !needsProxy[i]),
    proxied: files.filter((_, i) => needsProxy[i]),
  };
}

async function runOnce(bench: Bench, file: string, run: number): Promise<Journal> {
  const name = basename(file, '.yml');
  const { experiment, deps } = await prepareDrill(
    {
      experimentFile: file,
      composeFiles: [resolve(REPO_ROOT, 'docker-compose.yml')],
      projectName: bench.stack.projectName,
      urls: bench.urls,
      overrides: {},
    },
    {
      exec: createExec(),
      clock: systemClock,
      composeEnv: bench.composeEnv,
      signal: controller.signal,
      ...(RECORD ? { fetch: recordingFetch(RECORD) } : {}),
      log: (line) => console.log(`[${name} ${run}] ${line}`),
    },
  );
  const journal = await runDrill(experiment, deps);
  const files = await writeDrillFiles(bench.reports, journal, { junit: false });
  if (RECORD) await writeFile(join(RECORD, 'journal.json'), await readFile(files.journal, 'utf8'));
  const m = journal.measurements;
  console.log(
    `[${name} ${run}] ${journal.verdict} detect=${m.timeToDetectMs} recover=${m.timeToRecoverMs} total=${journal.durationMs}`,
  );
  return journal;
}

async function runAll(bench: Bench, files: readonly string[]): Promise<Journal[][]> {
  const perFault: Journal[][] = [];
  for (const file of files) {
    const journals: Journal[] = [];
    for (let run = 1; run <= RUNS && !controller.signal.aborted; run += 1)
      journals.push(await runOnce(bench, file, run));
    perFault.push(journals);
  }
  return perFault;
}

async function main(): Promise<FaultFigures[]> {
  const { direct, proxied } = await experimentFiles();
  const stack = await startStack();
  const reports = process.env.BENCH_KEEP_REPORTS
    ? resolve(process.env.BENCH_KEEP_REPORTS)
    : await mkdtemp(join(tmpdir(), 'bench-drill-'));
  let proxy: ProxiedStack | undefined;
  try {
    const urls = {
      frontend: await stack.url('frontend', 8080),
      prometheus: await stack.url('prometheus', 9090),
    };
    const bench: Bench = { stack, urls, reports, composeEnv: stack.env };
    const journals = await runAll(bench, direct);
    if (proxied.length > 0) {
      proxy = await routeBackendThroughToxiproxy(stack, urls.prometheus);
      journals.push(...(await runAll({ ...bench, composeEnv: proxy.env }, proxied)));
    }
    return journals.map(faultFigures);
  } finally {
    await proxy?.down();
    await stack.down();
    if (!process.env.BENCH_KEEP_REPORTS) await rm(reports, { recursive: true, force: true });
  }
}

const start = loadavg()[0] ?? 0;
const faults = await main();
if (controller.signal.aborted) {
  console.log(
    `stopped by ${String(controller.signal.reason)}: the stack is down, no results written`,
  );
  process.exit(130);
}
const ctx = {
  date: new Date().toISOString(),
  runs: RUNS,
  loadAverage: { start, end: loadavg()[0] ?? 0 },
  node: process.version,
};
const md = drillMarkdown(faults, ctx);
await mkdir(resolve(REPO_ROOT, 'bench/results'), { recursive: true });
await writeFile(
  resolve(REPO_ROOT, 'bench/results/drill.json'),
  `${JSON.stringify({ ...ctx, faults }, null, 2)}\n`,
);
await writeFile(resolve(REPO_ROOT, 'bench/results/drill.md'), md);
console.log(md);
