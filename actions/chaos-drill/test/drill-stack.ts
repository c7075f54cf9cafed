import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startStack, type TestStack } from '../../../test/support/stack.ts';
import { systemClock } from '../../shared/src/clock.ts';
import { createExec } from '../../shared/src/exec.ts';
import { createPrometheus } from '../../shared/src/prometheus.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { type DrillDeps, runDrill } from '../src/drill.ts';
import type { Journal } from '../src/journal.ts';
import { type DrillFiles, writeDrillFiles } from '../src/output.ts';
import { prepareDrill } from '../src/setup.ts';

export interface DrillStack {
  stack: TestStack;
  /** A temporary reports directory, removed with the stack. */
  reports: string;
  /** The frontend and Prometheus are not restarted by the drills: fixed URLs. The backend's
   * published port is asked of Compose at each use (it moves when the container restarts). */
  urls: { frontend: string; prometheus: string };
}

/**
 * One real stack for a drill e2e file (beforeAll/afterAll): up, a reports directory, and a
 * wait until Prometheus holds samples of `readyQuery`, so the steady state can be judged.
 * The returned object is filled in by beforeAll.
 */
export function useDrillStack(readyQuery: string): DrillStack {
  const ctx = {} as DrillStack;
  beforeAll(async () => {
    ctx.stack = await startStack();
    ctx.reports = await mkdtemp(join(tmpdir(), 'drill-e2e-'));
    ctx.urls = {
      frontend: await ctx.stack.url('frontend', 8080),
      prometheus: await ctx.stack.url('prometheus', 9090),
    };
    const prometheus = createPrometheus(ctx.urls.prometheus);
    await prometheus.waitUntil(
      async () => {
        const r = await prometheus.query(`${readyQuery}[1m]`);
        return (r.result as unknown[]).length > 0 || `no ${readyQuery} samples yet`;
      },
      { timeoutMs: 30_000 },
    );
  });
  afterAll(async () => {
    await ctx.stack?.down();
    if (ctx.reports) await rm(ctx.reports, { recursive: true, force: true });
  });
  return ctx;
}

/** After a drill: every container healthy again (within 60 s) and Prometheus sees the backend up. */
export async function expectStackWhole(ctx: DrillStack): Promise<void> {
  const deadline = Date.now() + 60_000;
  let containers = await ctx.stack.containers();
  while (containers.some((c) => c.health !== 'healthy') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    containers = await ctx.stack.containers();
  }
  expect(
    containers
      .filter((c) => c.health !== 'healthy')
      .map((c) => `${c.service}: ${c.state} ${c.health}`),
  ).toEqual([]);
  const up = await createPrometheus(ctx.urls.prometheus).query('up{job="backend"}');
  expect((up.result as unknown as { value: [number, string] }[]).map((s) => s.value[1])).toEqual([
    '1',
  ]);
}

export interface LibraryDrill {
  readonly journal: Journal;
  readonly files: DrillFiles;
  readonly deps: DrillDeps;
  /** Where a fault in place is written down (its markers) until undone. */
  readonly stateDir: string;
}

/**
 * One experiment of observability/drills/ on the drill stack through the library, as the
 * action runs it: the journal, its files (junit too) in the reports directory, or in
 * DRILL_E2E_KEEP to read after the test, and the drill's log printed, each line tagged
 * with the experiment. `env` is the Compose environment, the stack's unless given.
 */
export async function runLibraryDrill(
  ctx: DrillStack,
  name: string,
  env: Record<string, string> = ctx.stack.env,
): Promise<LibraryDrill> {
  const lines: string[] = [];
  const stateDir = join(ctx.reports, '.in-flight');
  const { experiment, deps } = await prepareDrill(
    {
      experimentFile: join(REPO_ROOT, `observability/drills/${name}.yml`),
      composeFiles: [join(REPO_ROOT, 'docker-compose.yml')],
      projectName: ctx.stack.projectName,
      urls: ctx.urls,
      overrides: {},
      stateDir,
    },
    { exec: createExec(), clock: systemClock, composeEnv: env, log: (l) => lines.push(l) },
  );
  const journal = await runDrill(experiment, deps);
  const files = await writeDrillFiles(process.env.DRILL_E2E_KEEP ?? ctx.reports, journal, {
    junit: true,
  });
  process.stdout.write(`[${name}] ${lines.join(`\n[${name}] `)}\n`);
  return { journal, files, deps, stateDir };
}
