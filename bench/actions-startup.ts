/**
 * npm run bench:actions — start-up time of each bundled action: from spawning
 * `node dist/<entry>.js` to its first line on stdout, with inputs that make it fail fast or
 * do a dry run (no Docker, no network). Bare `node` printing one line is the baseline, so
 * the figure that is ours is the difference. Writes bench/results/actions-startup.{json,md}.
 *   RUNS=30 npm run bench:actions
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../scripts/repo-root.ts';

const RUNS = Number(process.env.RUNS ?? 30);
const WARMUP = 3;
const TARGET_MS = 150;

interface Case {
  readonly name: string;
  readonly script: string[];
  readonly env: Record<string, string>;
}

function firstLineMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!done && chunk.includes(10)) {
        done = true;
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
      }
    });
    child.once('error', reject);
    child.once('exit', () => {
      if (!done) reject(new Error(`${args.join(' ')} exited without printing a line`));
    });
  });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    runs: sorted.length,
    mean: round(mean),
    median: round(at(0.5)),
    p95: round(at(0.95)),
    min: round(sorted[0] ?? 0),
    max: round(sorted.at(-1) ?? 0),
  };
}

async function main(): Promise<void> {
  const temp = await mkdtemp(join(tmpdir(), 'bench-actions-'));
  try {
    const empty = join(temp, 'empty');
    await mkdir(empty);
    const files = Object.fromEntries(
      ['output', 'state', 'env', 'path', 'summary'].map((f) => [f, join(temp, f)]),
    );
    for (const file of Object.values(files)) await writeFile(file, '');
    const runner = {
      ...process.env,
      GITHUB_WORKSPACE: REPO_ROOT,
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: temp,
    } as Record<string, string>;
    const dist = (action: string, entry = 'index') => [
      join(REPO_ROOT, 'actions', action, 'dist', `${entry}.js`),
    ];
    const cases: Case[] = [
      { name: 'node baseline (console.log)', script: ['-e', 'console.log(1)'], env: {} },
      {
        name: 'build-images (dry run, fixture compose file)',
        script: dist('build-images'),
        env: {
          'INPUT_COMPOSE-FILE': 'actions/tools/test/fixtures/stack/compose.yml',
          'INPUT_DRY-RUN': 'true',
          'INPUT_IMAGE-NAME': '{service}-demo',
          INPUT_TAG: 'dev',
          'INPUT_SHA-TAG': 'short',
          INPUT_CACHE: 'none',
        },
      },
      {
        name: 'stack-up main (invalid timeout: fails fast)',
        script: dist('stack-up'),
        env: { 'INPUT_COMPOSE-FILE': 'docker-compose.yml', INPUT_TIMEOUT: 'abc' },
      },
      {
        name: 'stack-up post (no state: nothing to do)',
        script: dist('stack-up', 'post'),
        env: {},
      },
      {
        name: 'trivy-scan (unknown severity: fails fast)',
        script: dist('trivy-scan'),
        env: { INPUT_SEVERITY: 'SEVERE', INPUT_IMAGES: 'backend-demo:dev' },
      },
      {
        name: 'chaos-drill (invalid bound: fails fast)',
        script: dist('chaos-drill'),
        env: {
          INPUT_EXPERIMENT: 'observability/drills/kill-backend.yml',
          'INPUT_COMPOSE-FILE': 'docker-compose.yml',
          'INPUT_MAX-TIME-TO-DETECT': 'soon',
        },
      },
      {
        name: 'publish-reports (nothing to publish: warns)',
        script: dist('publish-reports'),
        env: { INPUT_PATH: empty, INPUT_NAME: 'reports', 'INPUT_IF-NO-FILES-FOUND': 'warn' },
      },
    ];
    // Round-robin (one run of each case in turn) so a busy machine slows every case alike.
    const samples = cases.map(() => [] as number[]);
    for (let round = 0; round < WARMUP + RUNS; round++) {
      for (const [index, c] of cases.entries()) {
        const ms = await firstLineMs(c.script, { ...runner, ...c.env });
        if (round >= WARMUP) samples[index]?.push(ms);
      }
    }
    const results = cases.map((c, index) => {
      const s = stats(samples[index] ?? []);
      console.log(
        `${c.name.padEnd(48)} median ${s.median} ms  mean ${s.mean} ms  min ${s.min} ms  p95 ${s.p95} ms`,
      );
      return { name: c.name, ...s };
    });
    const baseline = results[0]?.median ?? 0;
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadavg: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100),
      runs: RUNS,
      targetMs: TARGET_MS,
      results: results.map((r) => ({
        ...r,
        overMedianBaseline: Math.round((r.median - baseline) * 10) / 10,
      })),
    };
    const out = join(REPO_ROOT, 'bench', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'actions-startup.json'), `${JSON.stringify(report, null, 2)}\n`);
    const verdict = (ms: number) => (ms <= TARGET_MS ? 'yes' : 'no');
    const rows = report.results.map((r) =>
      r.name.startsWith('node')
        ? `| ${r.name} | ${r.median} | ${r.mean} | ${r.p95} | ${r.min} | 0 | | |`
        : `| ${r.name} | ${r.median} | ${r.mean} | ${r.p95} | ${r.min} | ${r.overMedianBaseline} | ${verdict(r.median)} | ${verdict(r.min)} |`,
    );
    const md = [
      '# Actions start-up (spawn → first stdout line)',
      '',
      `${report.date}, Node ${report.node}, ${report.cpus} CPUs, load average ${report.loadavg.join(' ')}, ${RUNS} runs each (round-robin) after ${WARMUP} warm-up rounds.`,
      `Target: median under ${TARGET_MS} ms. "Over node" is the median minus bare node's: the bundle's own cost,`,
      'the figure that stays meaningful when the machine is busy (compare the load average); the',
      'minimum is the closest to an idle machine.',
      '',
      '| Case | Median ms | Mean ms | p95 ms | Min ms | Over node ms | Median under target | Min under target |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
    await writeFile(join(out, 'actions-startup.md'), md);
    console.log(`\nwrote bench/results/actions-startup.json and .md`);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

await main();
