/**
 * npm run bench:trivy — how long the trivy-scan action takes to turn a large Trivy
 * report into every output: read, parse + validate, ignore + gate, job summary, counts
 * and annotation plan, then the SARIF and table files made and written with the shared
 * report writer. Trivy itself is not run.
 *
 * The report has 10,000 findings generated from the real fixtures in
 * actions/trivy-scan/test/fixtures: the alpine-310 vulnerabilities replicated with distinct
 * ids (one image report), plus the Dockerfile misconfiguration and the two secrets
 * replicated with distinct ids and lines (one repository report, so annotations apply).
 *
 * Every measurement runs in a fresh process (bench/trivy-run.ts), cold like the action in
 * CI, so peak RSS is that run's own; figures are medians of BENCH_RUNS processes. The floor
 * is JSON.parse of the same input in its own processes. BENCH_BASELINE_SRC=<an older
 * actions/trivy-scan/src> measures it in the same rounds, alternating, for a fair ratio on
 * a noisy machine (BENCH_BASELINE_LABEL says what it is in the report).
 * Writes bench/results/trivy-report.json and bench/results/trivy-report.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FIXTURES = resolve(ROOT, 'actions/trivy-scan/test/fixtures');
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS = 300;
const TARGET_MB = 150;

type Json = Record<string, unknown>;
const fixture = (name: string): Json => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));

function generate(): { image: string; repo: string } {
  const imageCount = Math.round(FINDINGS * 0.9);
  const repoCount = FINDINGS - imageCount;
  const alpine = fixture('alpine-310.json.golden');
  const [result] = alpine.Results as Json[];
  const vulns = (result?.Vulnerabilities ?? []) as Json[];
  const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
  const generated = Array.from({ length: imageCount }, (_, i) => ({
    ...(vulns[i % vulns.length] as Json),
    VulnerabilityID: `CVE-2099-${String(i).padStart(5, '0')}`,
    Severity: severities[i % severities.length],
  }));
  const image = { ...alpine, Results: [{ ...result, Vulnerabilities: generated }] };

  const dockerfile = fixture('dockerfile.json.golden');
  const secrets = fixture('secrets.json.golden');
  const first = (report: Json) => (report.Results as Json[])[0] as Json;
  const misconf = (first(dockerfile).Misconfigurations as Json[])[0] as Json;
  const secretTemplates = first(secrets).Secrets as Json[];
  const half = Math.floor(repoCount / 2);
  const repo = {
    ...dockerfile,
    Results: [
      {
        ...(dockerfile.Results as Json[])[0],
        Misconfigurations: Array.from({ length: half }, (_, i) => ({
          ...misconf,
          ID: `DS-${String(i).padStart(5, '0')}`,
          Severity: severities[i % 4],
          CauseMetadata: { StartLine: i + 1, EndLine: i + 1 },
        })),
      },
      {
        ...(secrets.Results as Json[])[0],
        Secrets: Array.from({ length: repoCount - half }, (_, i) => ({
          ...(secretTemplates[i % secretTemplates.length] as Json),
          RuleID: `rule-${i}`,
          StartLine: i + 1,
          EndLine: i + 1,
        })),
      },
    ],
  };
  return { image: JSON.stringify(image), repo: JSON.stringify(repo) };
}

type Mode = 'full' | 'live' | 'floor';
type Sample = Record<string, number>;

const CURRENT_SRC = resolve(ROOT, 'actions/trivy-scan/src');
const BASELINE_SRC = process.env.BENCH_BASELINE_SRC;
/** What the baseline is, for the report (a commit, say); the path by default. */
const BASELINE_LABEL = process.env.BENCH_BASELINE_LABEL ?? BASELINE_SRC;

function measure(mode: Mode, src: string, input: string): Sample {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', resolve(ROOT, 'bench/trivy-run.ts'), mode, src, input],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`trivy-run ${mode} ${src} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const medians = (samples: Sample[]): Sample =>
  Object.fromEntries(
    Object.keys(samples[0] ?? {}).map((key) => [key, median(samples.map((s) => s[key] ?? 0))]),
  );

const input = mkdtempSync(join(tmpdir(), 'bench-trivy-in-'));
const variants: Array<[string, string]> = [['current', CURRENT_SRC]];
if (BASELINE_SRC) variants.push(['baseline', resolve(BASELINE_SRC)]);
const full: Record<string, Sample[]> = Object.fromEntries(variants.map(([name]) => [name, []]));
const live: Record<string, Sample> = {};
const floor: Sample[] = [];
try {
  const { image, repo } = generate();
  writeFileSync(join(input, 'image.json'), image);
  writeFileSync(join(input, 'repo.json'), repo);
  // Rounds alternate the variants (and the floor) so load changes hit them alike.
  for (let round = 0; round < RUNS; round++) {
    for (const [name, src] of variants) full[name]?.push(measure('full', src, input));
    floor.push(measure('floor', CURRENT_SRC, input));
  }
  for (const [name, src] of variants) live[name] = measure('live', src, input);
} finally {
  rmSync(input, { recursive: true, force: true });
}

const load = loadavg()[0] ?? 0;
const floorMedian = medians(floor);
const mb = (bytes: number) => bytes / 1024 / 1024;
const summary = (name: string): Record<string, number | undefined> => {
  const m = medians(full[name] ?? []);
  return {
    ...m,
    maxMs: Math.max(...(full[name] ?? []).map((s) => s.ms ?? 0)),
    ratioToFloor: (m.ms ?? 0) / (floorMedian.ms ?? 1),
    liveHeapMB: live[name]?.peakHeapMB,
    liveRssMB: live[name]?.peakRssMB,
  };
};
const current = summary('current');
const baseline = BASELINE_SRC ? summary('baseline') : undefined;
const result = {
  date: new Date().toISOString(),
  node: process.version,
  loadAverage1m: load,
  findings: current.findings,
  inputBytes: current.inputBytes,
  runs: RUNS,
  targets: { ms: TARGET_MS, rssMB: TARGET_MB },
  floor: floorMedian,
  current,
  ...(baseline ? { baseline: { src: BASELINE_SRC, label: BASELINE_LABEL, ...baseline } } : {}),
};
// The memory target is for what the work holds: peak RSS above the process's own
// baseline (node + tsx, before the input is read), and the live heap.
const growth = (current.peakRssMB ?? 0) - (current.baselineRssMB ?? 0);
const pass = (current.ms ?? 0) < TARGET_MS && growth < TARGET_MB;
const round = (n: number | undefined) => (n === undefined ? '-' : String(Math.round(n * 10) / 10));
const row = (label: string, key: string, unit: string, target = '') =>
  `| ${label} | ${round(current[key])} ${unit} |${baseline ? ` ${round(baseline[key])} ${unit} | ${round((current[key] ?? 0) / (baseline[key] ?? 1))}× |` : ''} ${target} |`;
const md = [
  '# trivy-scan: 10,000-finding report → every output',
  '',
  `${result.date}, Node ${result.node}, median of ${RUNS} fresh processes per variant (cold, like one action run), alternating, on a shared 2-core machine (1-minute load average ${round(load)} at the end). \`npm run bench:trivy\`${baseline ? `; baseline: ${BASELINE_LABEL}` : ''}.`,
  '',
  `| measure | current |${baseline ? ' baseline | current / baseline |' : ''} target |`,
  `| --- | ---: |${baseline ? ' ---: | ---: |' : ''} ---: |`,
  `| findings | ${current.findings} |${baseline ? ` ${baseline.findings} | |` : ''} |`,
  `| input JSON | ${round(mb(current.inputBytes ?? 0))} MiB |${baseline ? ' | |' : ''} |`,
  row('median total (read → every file written)', 'ms', 'ms', `< ${TARGET_MS} ms`),
  row('slowest run', 'maxMs', 'ms'),
  row('× the JSON.parse floor', 'ratioToFloor', ''),
  row('read the two files', 'readMs', 'ms'),
  row('parse + validate', 'parseMs', 'ms'),
  row('ignore + gate', 'evaluateMs', 'ms'),
  row('summary + counts + annotation plan', 'renderMs', 'ms'),
  row('SARIF + table made and written', 'writeMs', 'ms'),
  row('peak RSS (whole process)', 'peakRssMB', 'MiB'),
  row('RSS before reading the input (node + tsx + modules)', 'baselineRssMB', 'MiB'),
  row('peak heap used (sampled between steps)', 'peakHeapMB', 'MiB'),
  row('peak live heap (GC before each sample)', 'liveHeapMB', 'MiB', `< ${TARGET_MB} MiB`),
  row('peak RSS in that run', 'liveRssMB', 'MiB'),
  row('output written', 'outputBytes', 'B'),
  row('annotations', 'annotations', '', '≤ 30'),
  '',
  `Floor: reading the files and JSON.parse alone, in its own processes: ${round(floorMedian.ms)} ms (JSON.parse ${round(floorMedian.parseMs)} ms), peak RSS ${round(floorMedian.peakRssMB)} MiB from ${round(floorMedian.baselineRssMB)} MiB.`,
  '',
  `${pass ? 'Within target' : '**Over target**'}: ${round(current.ms)} ms (< ${TARGET_MS} ms), peak RSS ${round(growth)} MiB above the process baseline (< ${TARGET_MB} MiB).`,
  '',
].join('\n');
mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  resolve(ROOT, 'bench/results/trivy-report.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);
writeFileSync(resolve(ROOT, 'bench/results/trivy-report.md'), md);
console.log(md);
if (!pass) process.exitCode = 1;
