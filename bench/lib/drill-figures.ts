/**
 * The figures of `npm run bench:drill`: per fault, the median and the worst of each
 * measurement over its runs, and the results file in Markdown. Pure: journals in, data out.
 */
import type { Journal } from '../../actions/chaos-drill/src/journal.ts';
import { median } from '../../actions/chaos-drill/src/samples.ts';
import { markdownTable } from '../../actions/shared/src/summary.ts';

/** The measurements reported per fault, in the order of the table's columns. */
export const FIGURES = [
  'timeToDetectMs',
  'alertPendingAfterMs',
  'alertFiringAfterMs',
  'timeToRecoverMs',
  'durationMs',
] as const;
export type Figure = (typeof FIGURES)[number];

export interface Stat {
  readonly median: number | null;
  /** The slowest run: what a bound must allow. */
  readonly worst: number | null;
  /** Runs that did not measure it (the drill has no such expectation, or it never came). */
  readonly missing: number;
}

export interface FaultFigures {
  readonly experiment: string;
  readonly fault: string;
  readonly runs: number;
  readonly verdicts: readonly string[];
  /** What detected it and which alert the alert figures are about (the first run's). */
  readonly detectedBy: string | null;
  readonly alert: string | null;
  readonly figures: Readonly<Record<Figure, Stat>>;
  /** Each run's own figures, in order. */
  readonly perRun: readonly Readonly<Record<Figure, number | null> & { verdict: string }>[];
}

export function stat(values: readonly (number | null)[]): Stat {
  const seen = values.filter((v): v is number => v !== null);
  return {
    median: median(seen) ?? null,
    worst: seen.length === 0 ? null : Math.max(...seen),
    missing: values.length - seen.length,
  };
}

const value = (j: Journal, figure: Figure): number | null =>
  figure === 'durationMs' ? j.durationMs : j.measurements[figure];

/** The figures of one fault's runs (all journals of one experiment). */
export function faultFigures(journals: readonly Journal[]): FaultFigures {
  const first = journals[0];
  if (!first) throw new Error('faultFigures: no journal (an experiment that never ran)');
  return {
    experiment: first.experiment.name,
    fault: `${first.experiment.fault.action} ${first.experiment.fault.service}`,
    runs: journals.length,
    verdicts: journals.map((j) => j.verdict),
    detectedBy: first.measurements.detectedBy,
    alert: first.measurements.alert,
    figures: Object.fromEntries(
      FIGURES.map((f) => [f, stat(journals.map((j) => value(j, f)))]),
    ) as Record<Figure, Stat>,
    perRun: journals.map((j) => ({
      verdict: j.verdict,
      ...(Object.fromEntries(FIGURES.map((f) => [f, value(j, f)])) as Record<
        Figure,
        number | null
      >),
    })),
  };
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const cell = (s: Stat) => (s.median === null ? '—' : `${seconds(s.median)} (${seconds(s.worst)})`);
const passed = (f: FaultFigures) => `${f.verdicts.filter((v) => v === 'passed').length}/${f.runs}`;

export interface BenchContext {
  readonly date: string;
  readonly runs: number;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly node: string;
}

/** bench/results/drill.md. */
export function drillMarkdown(faults: readonly FaultFigures[], ctx: BenchContext): string {
  return [
    '# Chaos drill benchmark: every fault',
    '',
    `${ctx.runs} runs of each experiment in \`observability/drills/\`, one fault after another on`,
    `one Compose stack on this machine (${ctx.date}, Node ${ctx.node}; 1-minute load average`,
    `${ctx.loadAverage.start.toFixed(1)} at the start, ${ctx.loadAverage.end.toFixed(1)} at the end, on 2 shared cores).`,
    'Each cell is the median of the runs, with the slowest in brackets. Scrapes and rule',
    'evaluations come every 5 s, so a figure moves by up to 5 s with where the fault lands',
    'between two of them: that is what the bounds in the experiment files allow for.',
    '',
    markdownTable(
      [
        'experiment',
        'fault',
        'passed',
        'detected by',
        'detect',
        'alert',
        'pending',
        'firing',
        'recover',
        'whole drill',
      ],
      faults.map((f) => [
        f.experiment,
        f.fault,
        passed(f),
        f.detectedBy ?? '—',
        cell(f.figures.timeToDetectMs),
        f.alert ?? '—',
        cell(f.figures.alertPendingAfterMs),
        cell(f.figures.alertFiringAfterMs),
        cell(f.figures.timeToRecoverMs),
        cell(f.figures.durationMs),
      ]),
    ),
    '',
    'Detect: fault → first sign in Prometheus (a sample of the target-down query, else the first',
    'alert); pending and firing: fault → that alert state; recover: recovery start → recovered.',
    '`—`: the drill does not measure it (a planned restart pages nobody). Every run of every',
    'fault is in `drill.json`. Reproduce: `npm run bench:drill` (BENCH_RUNS=5,',
    'BENCH_EXPERIMENTS=kill-backend,pause-backend for a part). Not a test: the numbers depend',
    'on the machine and on where each fault lands between two scrapes.',
    '',
  ].join('\n');
}
