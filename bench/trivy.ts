/**
 * npm run bench:trivy — how long the trivy-scan action takes to turn a large Trivy
 * report into every output: parse + validate (zod), ignore + gate, SARIF, table text,
 * job summary, counts and the annotation plan. Trivy itself is not run.
 *
 * The report has 10,000 findings generated from the real fixtures in
 * ../shared/fixtures/trivy: the alpine-310 vulnerabilities replicated with distinct
 * ids (one image report), plus the Dockerfile misconfiguration and the two secrets
 * replicated with distinct ids and lines (one repository report, so annotations apply).
 * Writes bench/results/trivy-report.json and bench/results/trivy-report.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, render } from '../actions/trivy-scan/src/outcome.ts';
import { parseReport } from '../actions/trivy-scan/src/report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FIXTURES = resolve(ROOT, '../shared/fixtures/trivy');
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

interface Sample {
  ms: number;
  parseMs: number;
  evaluateMs: number;
  renderMs: number;
  heapUsedMB: number;
  rssMB: number;
  outputBytes: number;
  annotations: number;
  findings: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const policy = {
  severities: ['CRITICAL', 'HIGH'] as ('CRITICAL' | 'HIGH')[],
  ignoreUnfixed: false,
};

/** Set when node runs with --expose-gc: then memory samples are of live data only. */
const gc = (globalThis as { gc?: () => void }).gc;

function once(image: string, repo: string, collect = false): Sample {
  let heap = 0;
  let rss = 0;
  const sample = () => {
    if (collect) gc?.();
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  };
  const t0 = performance.now();
  const targets = [
    { name: 'bench-image:latest', report: parseReport(image, 'image.json') },
    { name: 'config', report: parseReport(repo, 'repo.json'), pathPrefix: '' },
  ];
  const t1 = performance.now();
  sample();
  const outcome = evaluate(targets, undefined, policy, new Date());
  const t2 = performance.now();
  sample();
  const rendered = render(outcome, {
    reportsDir: 'security/reports',
    policy,
    enforced: true,
    notes: [],
    reservedNotices: 0,
  });
  // Each file is made, measured and dropped in turn, as the action writes them.
  let outputBytes = 0;
  for (const file of rendered.files) {
    outputBytes += Buffer.byteLength(file.content());
    sample();
  }
  const t3 = performance.now();
  return {
    ms: t3 - t0,
    parseMs: t1 - t0,
    evaluateMs: t2 - t1,
    renderMs: t3 - t2,
    heapUsedMB: mb(heap),
    rssMB: mb(rss),
    outputBytes,
    annotations: rendered.annotations.length,
    findings: outcome.total.total,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const baselineRssMB = mb(process.memoryUsage().rss);
const { image, repo } = generate();
once(image, repo); // warm-up: JIT, zod schema compilation
const samples = Array.from({ length: RUNS }, () => once(image, repo));
const peakRssMB = process.resourceUsage().maxRSS / 1024;
// One more run that collects garbage at every sample: the memory the work really holds
// (inputs, parsed reports, findings and the largest output being made), without the
// garbage V8 lets pile up between collections.
const live = gc ? once(image, repo, true) : undefined;
// The floor: JSON.parse of the same input, no validation, nothing made from it.
const parseOnlyMs = median(
  Array.from({ length: RUNS }, () => {
    const t = performance.now();
    JSON.parse(image);
    JSON.parse(repo);
    return performance.now() - t;
  }),
);
const load = (await import('node:os')).loadavg()[0] ?? 0;
const result = {
  date: new Date().toISOString(),
  node: process.version,
  findings: samples[0]?.findings,
  inputBytes: Buffer.byteLength(image) + Buffer.byteLength(repo),
  runs: RUNS,
  medianMs: median(samples.map((s) => s.ms)),
  maxMs: Math.max(...samples.map((s) => s.ms)),
  medianParseMs: median(samples.map((s) => s.parseMs)),
  medianJsonParseOnlyMs: parseOnlyMs,
  loadAverage1m: load,
  medianEvaluateMs: median(samples.map((s) => s.evaluateMs)),
  medianRenderMs: median(samples.map((s) => s.renderMs)),
  peakHeapUsedMB: Math.max(...samples.map((s) => s.heapUsedMB)),
  peakRssMB,
  baselineRssMB,
  peakLiveHeapMB: live?.heapUsedMB,
  peakLiveRssMB: live?.rssMB,
  outputBytes: samples[0]?.outputBytes,
  annotations: samples[0]?.annotations,
  targets: { ms: TARGET_MS, rssMB: TARGET_MB },
};
const pass = result.medianMs < TARGET_MS && (live?.heapUsedMB ?? result.peakRssMB) < TARGET_MB;
const round = (n: number) => Math.round(n * 10) / 10;
const md = [
  '# trivy-scan: 10,000-finding report → every output',
  '',
  `${result.date}, Node ${result.node}, ${RUNS} runs after one warm-up, on a shared 2-core machine (1-minute load average ${round(load)} at the end).`,
  '',
  '| measure | value | target |',
  '| --- | ---: | ---: |',
  `| findings | ${result.findings} | |`,
  `| input JSON | ${round(mb(result.inputBytes))} MiB | |`,
  `| median total | ${round(result.medianMs)} ms | < ${TARGET_MS} ms |`,
  `| slowest run | ${round(result.maxMs)} ms | |`,
  `| median parse + validate | ${round(result.medianParseMs)} ms | |`,
  `| (floor: JSON.parse of the input alone) | ${round(result.medianJsonParseOnlyMs)} ms | |`,
  `| median ignore + gate | ${round(result.medianEvaluateMs)} ms | |`,
  `| median SARIF + table + summary + annotations | ${round(result.medianRenderMs)} ms | |`,
  `| peak heap used | ${round(result.peakHeapUsedMB)} MiB | |`,
  `| peak RSS (whole process) | ${round(result.peakRssMB)} MiB | < ${TARGET_MB} MiB |`,
  `| RSS before the input was made (node + tsx) | ${round(result.baselineRssMB)} MiB | |`,
  `| peak live heap (GC at every sample) | ${live ? `${round(live.heapUsedMB)} MiB` : 'run with --expose-gc'} | < ${TARGET_MB} MiB |`,
  `| peak RSS in that run | ${live ? `${round(live.rssMB)} MiB` : '-'} | |`,
  `| output written | ${round(mb(result.outputBytes ?? 0))} MiB | |`,
  `| annotations | ${result.annotations} | ≤ 30 |`,
  '',
  pass ? 'Within target.' : '**Over target.**',
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
