import type { ProfileSummary } from './cpu-profile.ts';
import type { Goal } from './goals.ts';
import type { LoadAverage } from './machine.ts';
import type { Summary } from './rounds.ts';
import type { ScrapeTiming } from './scrape-time.ts';

export interface BenchResult {
  readonly date: string;
  readonly machine: { node: string; cpus: number };
  readonly settings: {
    connections: number;
    durationS: number;
    rounds: number;
    poolSize: number;
    postgres: Readonly<Record<string, string>>;
  };
  readonly load: { start: LoadAverage; end: LoadAverage };
  readonly summary: readonly Summary[];
  readonly ratios: Readonly<Record<string, number>>;
  readonly goals: readonly Goal[];
  readonly scrape: ScrapeTiming;
  readonly profiles: ReadonlyArray<{ target: string; summary: ProfileSummary }>;
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const load = (l: LoadAverage) => l.load.map((n) => n.toFixed(2)).join(' ');

function targetsTable(summary: readonly Summary[]): string[] {
  return [
    '| target | what | req/s | p50 ms | p99 ms | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...summary.map(
      (s) =>
        `| \`${s.target}\` | ${s.description} | ${s.requestsPerSecond} | ${s.p50Ms} | ${s.p99Ms} | ${s.errors} |`,
    ),
  ];
}

function profileTables(profiles: BenchResult['profiles']): string[] {
  return profiles.flatMap(({ target, summary }) => [
    `**${target}** (${summary.samples} samples)`,
    '',
    '| self time by origin | share | self time by function | share |',
    '| --- | ---: | --- | ---: |',
    ...summary.byOrigin.map(([origin, share], i) => {
      const [fn, fnShare] = summary.byFunction[i] ?? ['', Number.NaN];
      return `| ${origin} | ${pct(share)} | \`${fn}\` | ${Number.isNaN(fnShare) ? '' : pct(fnShare)} |`;
    }),
    '',
  ]);
}

/** bench/results/backend.md: settings, load, goals, every target, the scrape timing, the profiles. */
export function renderReport(result: BenchResult, notes: readonly string[]): string {
  const s = result.settings;
  const pg = Object.entries(s.postgres)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `# Backend throughput (${result.date.slice(0, 10)})`,
    '',
    `\`npm run bench:backend\`: wrk (1 thread, ${s.connections} connections) and pgbench, ${s.durationS} s per run after a warm-up, median of ${s.rounds} interleaved rounds, loopback, ${result.machine.cpus} cores shared with the load generators, Node ${result.machine.node}. Read the ratios, not the absolutes: the machine is shared.`,
    '',
    `Load average (1, 5, 15 min): ${load(result.load.start)} at start (${result.load.start.at}), ${load(result.load.end)} at end (${result.load.end.at}).`,
    '',
    `Postgres: a throwaway cluster of Debian's postgresql, ${pg}. Backend pool size ${s.poolSize}.`,
    '',
    '## Goals',
    '',
    '| goal | measured | met |',
    '| --- | --- | --- |',
    ...result.goals.map((g) => `| ${g.goal} | ${g.value} | ${g.met ? 'yes' : 'NO'} |`),
    '',
    '## Every target',
    '',
    ...targetsTable(result.summary),
    '',
    '| ratio | value |',
    '| --- | ---: |',
    ...Object.entries(result.ratios).map(([k, v]) => `| ${k} | ${v.toFixed(2)} |`),
    '',
    `## One scrape with ${result.scrape.series} route × status series`,
    '',
    `${result.scrape.bytes} bytes of text. Rendering the process metrics too (what each of Prometheus' scrapes, 5 s apart, costs): median ${result.scrape.coldMs.p50} ms, p99 ${result.scrape.coldMs.p99} ms. With their text reused (scrapes closer than 500 ms): median ${result.scrape.warmMs.p50} ms, p99 ${result.scrape.warmMs.p99} ms.`,
    '',
    '## Profile',
    '',
    "node --cpu-prof of the backend under the same wrk load, self time (the function itself, not what it calls). `(idle)` is the event loop waiting (for Postgres, or for a core); `(native)` is mostly the socket writes (`writev`); `(garbage collector)` is V8's.",
    '',
    ...profileTables(result.profiles),
    '## What is left',
    '',
    ...notes.flatMap((note) => [note, '']),
  ].join('\n');
}
