/**
 * One measurement of bench/trivy.ts, in a fresh process so its memory figures do not
 * depend on what ran before (V8 keeps heap it has grown to; RSS never shrinks much).
 *   node --expose-gc --import tsx bench/trivy-run.ts <mode> <src dir> <input dir>
 * mode `full`: read both reports, parse + validate, ignore + gate, render every output
 *   and write it with the shared report writer, as the action does (cold: one run).
 * mode `live`: the same with a full GC before each memory sample: the memory the work
 *   really holds, without the garbage V8 lets pile up between collections.
 * mode `floor`: read both reports and JSON.parse them, nothing else.
 * Prints one JSON line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createReportWriter } from '../actions/shared/src/reports.ts';

const [mode = 'full', src = '', input = ''] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => bytes / 1024 / 1024;
const policy = {
  severities: ['CRITICAL', 'HIGH'] as ('CRITICAL' | 'HIGH')[],
  ignoreUnfixed: false,
};

// Modules are loaded (and tsx has compiled them) before the clock starts. A baseline
// source from before the evaluate/render split (outcome.ts) runs through its own API.
const oldApi = existsSync(resolve(src, 'outcome.ts'));
const { parseReport } = await import(resolve(src, 'report.ts'));
const mod = oldApi
  ? await import(resolve(src, 'outcome.ts'))
  : {
      ...(await import(resolve(src, 'evaluate.ts'))),
      ...(await import(resolve(src, 'render.ts'))),
      ...(await import(resolve(src, 'sarif.ts'))),
      ...(await import(resolve(src, 'sarif-file.ts'))),
      ...(await import(resolve(src, 'identity.ts'))),
    };
// The floor reads as it always has; the action reads its own way when its source has
// text-file.ts (Latin-1 for all-ASCII files: the same string, decoded faster).
const decodeText: ((bytes: Buffer) => string) | undefined =
  mode !== 'floor' && existsSync(resolve(src, 'text-file.ts'))
    ? (await import(resolve(src, 'text-file.ts'))).decodeText
    : undefined;
const read = (path: string): string =>
  decodeText ? decodeText(readFileSync(path)) : readFileSync(path, 'utf8');
gc?.();
const baseline = process.memoryUsage();
let peakHeap = baseline.heapUsed;
const sample = () => {
  if (mode === 'live') gc?.();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

const t0 = performance.now();
const cpu0 = process.cpuUsage();
let image: string | undefined = read(join(input, 'image.json'));
let repo: string | undefined = read(join(input, 'repo.json'));
const inputBytes = Buffer.byteLength(image) + Buffer.byteLength(repo);
const t1 = performance.now();
let out: Record<string, number> = {};
if (mode === 'floor') {
  const parsed = [JSON.parse(image), JSON.parse(repo)];
  const t2 = performance.now();
  sample();
  out = { parseMs: t2 - t1, ms: t2 - t0, kept: parsed.length };
} else {
  const named = (name: string, key: string) =>
    oldApi ? { name } : { name, identity: mod.identity(key) };
  const targets = [
    { ...named('bench-image:latest', 'bench-image'), report: parseReport(image, 'image.json') },
    { ...named('config', 'config'), report: parseReport(repo, 'repo.json'), pathPrefix: '' },
  ];
  // The action keeps no report text it does not write (no raw files when given reports).
  image = undefined;
  repo = undefined;
  const t2 = performance.now();
  sample();
  const outcome = mod.evaluate(targets, undefined, policy, new Date());
  targets.length = 0;
  const t3 = performance.now();
  sample();
  const dir = await mkdtemp(join(tmpdir(), 'bench-trivy-out-'));
  let outputBytes = 0;
  let sarifBytes = 0;
  let sarifMs = 0;
  let sarifResults = 0;
  let renderMs = 0;
  let annotations = 0;
  try {
    const writer = createReportWriter(dir);
    const options = {
      reportsDir: 'security/reports',
      policy,
      enforced: true,
      notes: [],
      reservedNotices: 0,
    };
    let rendered: {
      files: Array<{ name: string; content: () => unknown }>;
      annotations: unknown[];
    };
    if (oldApi) {
      const r0 = performance.now();
      rendered = mod.render(outcome, options);
      renderMs = performance.now() - r0;
    } else {
      // The action's order: the SARIF files first (what GitHub's limits leave of them goes
      // into the summary), the tables, then the summary and the counts.
      const s0 = performance.now();
      const sarif: unknown[] = [];
      for (const target of outcome.targets) {
        const plan = mod.planSarif(target.report, target.findings, {
          key: target.identity.key,
          category: target.identity.category,
        });
        const written = await mod.writeSarif(writer, target.identity.sarifFile, plan);
        const size = (await stat(written.path)).size;
        outputBytes += size;
        sarifBytes += size;
        sarifResults += written.results;
        sarif.push({ target, plan, written });
        sample();
      }
      sarifMs = performance.now() - s0;
      for (const file of mod.tableFiles(outcome)) {
        const path = await writer.write(file.name, file.content() as never);
        outputBytes += (await stat(path)).size;
        sample();
      }
      const r0 = performance.now();
      rendered = mod.render(outcome, sarif, options);
      renderMs = performance.now() - r0;
    }
    annotations = rendered.annotations.length;
    sample();
    for (const file of rendered.files) {
      // Text, bytes or a generator the writer streams: the size is the written file's.
      const path = await writer.write(file.name, file.content() as never);
      outputBytes += (await stat(path)).size;
      sample();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const t5 = performance.now();
  out = {
    ms: t5 - t0,
    readMs: t1 - t0,
    parseMs: t2 - t1,
    evaluateMs: t3 - t2,
    renderMs,
    sarifMs,
    writeMs: t5 - t3 - renderMs - sarifMs,
    outputBytes,
    sarifBytes,
    sarifResults,
    annotations,
    findings: outcome.total.total,
  };
}
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    ...out,
    cpuMs: (cpu.user + cpu.system) / 1000,
    inputBytes,
    baselineRssMB: mb(baseline.rss),
    baselineHeapMB: mb(baseline.heapUsed),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    peakHeapMB: mb(peakHeap),
  })}\n`,
);
