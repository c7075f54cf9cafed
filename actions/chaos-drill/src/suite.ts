/**
 * The suite: every experiment of a folder, one after another on one stack, and one report:
 * a matrix of faults × expectation types, with the detect and recover figures and the score.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { humanDuration, markdownTable } from '../../shared/src/summary.ts';
import type { Journal } from './journal.ts';

/** The experiment files of a folder, sorted (what `--suite DIR` runs). */
export async function suiteFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

const dur = (ms: number | null) => (ms === null ? '—' : humanDuration(ms));

/** Expectation types in the order they first appear across the runs (the matrix's columns). */
function columns(journals: readonly Journal[]): string[] {
  return [...new Set(journals.flatMap((j) => j.expectations.map((x) => x.type)))];
}

function cell(j: Journal, type: string): string {
  const xs = j.expectations.filter((x) => x.type === type);
  if (xs.length === 0) return '';
  const failed = xs.filter((x) => !x.passed);
  return failed.length === 0 ? `✅ ${xs.length}` : `❌ ${failed.map((x) => x.name).join(', ')}`;
}

/** The suite report in Markdown. Pure. */
export function suiteReport(journals: readonly Journal[], runFolders: readonly string[]): string {
  const types = columns(journals);
  const passed = journals.filter((j) => j.verdict === 'passed').length;
  const scores = journals.flatMap((j) => (j.score.percent === null ? [] : [j.score.percent]));
  const mean = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
  return [
    `# Chaos drill suite: ${passed} of ${journals.length} passed`,
    '',
    `Mean resilience score ${mean === null ? '—' : `${mean.toFixed(1)} %`} (each run: ${journals[0]?.score.formula ?? 'score = 100 × Σ weightᵢ · passedᵢ / Σ weightᵢ'}).`,
    '',
    markdownTable(
      ['experiment', 'fault', 'verdict', 'score', 'detect', 'detected by', 'recover', ...types],
      journals.map((j) => [
        `[${j.experiment.name}](${runFolders[journals.indexOf(j)] ?? ''}/report.md)`,
        `${j.experiment.fault.action} ${j.experiment.fault.service}`,
        j.verdict,
        j.score.percent === null ? '—' : `${j.score.percent} %`,
        dur(j.measurements.timeToDetectMs),
        j.measurements.detectedBy ?? '—',
        dur(j.measurements.timeToRecoverMs),
        ...types.map((t) => cell(j, t)),
      ]),
    ),
    '',
    '✅ n: all n expectations of that type held; ❌: the ones that did not. Detect: fault →',
    'first sign in Prometheus (a sample of the target-down query, else the first alert);',
    'recover: recovery start → recovered (the up query again, else the steady state).',
    '',
    ...journals
      .filter((j) => j.verdict !== 'passed')
      .map((j) => `- **${j.experiment.name}** ${j.verdict}: ${j.reason ?? ''}`),
    '',
  ].join('\n');
}
