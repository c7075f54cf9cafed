/**
 * A drill interrupted by a real signal: `npm run drill` as a child process against a drill
 * stack, sent the signal right after its fault command returned, and what it must leave:
 * the fault undone, the journal aborted, no marker, the stack whole. Used by cli.e2e (every
 * Docker fault type) and latency.e2e (the Toxiproxy fault).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type RunningProcess, startProcess } from '../../../test/support/process.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import type { Journal } from '../src/journal.ts';
import { createMarkerStore } from '../src/markers.ts';
import { type DrillStack, expectStackWhole } from './drill-stack.ts';
import { expectValidJournal } from './journal-schema.ts';

/** The CLI's own limit after the fault: the longest steady-state-within (120 s) + 30 s, plus the figures. */
const EXIT_BOUND_MS = 170_000;

export interface Interrupted {
  /** The exit code, the signal's name, or 'still running' past the bound. */
  readonly exited: number | string;
  readonly output: string;
  readonly tookMs: number;
}

function startCli(ctx: DrillStack, experiment: string, env: Record<string, string>) {
  return startProcess(
    process.execPath,
    [
      '--import',
      'tsx',
      'actions/chaos-drill/src/cli.ts',
      `observability/drills/${experiment}.yml`,
      '--project',
      ctx.stack.projectName,
      '--prometheus',
      ctx.urls.prometheus,
      '--frontend',
      ctx.urls.frontend,
      // The backend's published port moves when a recovery starts it again.
      '--backend',
      'compose',
      '--reports-dir',
      ctx.reports,
    ],
    // The stack's interpolation variables, so Compose resolves the same project.
    { cwd: REPO_ROOT, env: { ...process.env, ...env } },
  );
}

async function waitForOutput(cli: RunningProcess, pattern: RegExp, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(cli.output())) {
    if (cli.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no ${pattern} in the CLI's output:\n${cli.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the experiment through the CLI and sends `signal` once the fault is in place. */
export async function interruptDrill(
  ctx: DrillStack,
  experiment: string,
  signal: NodeJS.Signals,
  env: Record<string, string> = ctx.stack.env,
): Promise<Interrupted> {
  const cli = startCli(ctx, experiment, env);
  await waitForOutput(cli, /fault command returned/, 180_000);
  const sentAt = Date.now();
  cli.child.kill(signal);
  const exited = await Promise.race([
    cli.exited,
    new Promise<'still running'>((r) => setTimeout(() => r('still running'), EXIT_BOUND_MS)),
  ]);
  const run = { exited, output: cli.output(), tookMs: Date.now() - sentAt };
  const tag = `[interrupted ${experiment} ${signal}]`;
  process.stdout.write(
    `${tag} exit ${exited} ${run.tookMs} ms after the signal\n${tag} ${run.output.trimEnd().split('\n').join(`\n${tag} `)}\n`,
  );
  return run;
}

/** What an interrupted drill must leave: the recovery after the signal, an aborted journal, no marker, the stack whole. */
export async function expectInterruptedCleanly(
  ctx: DrillStack,
  run: Interrupted,
  expected: { experiment: string; signal: NodeJS.Signals; exitCode: number },
): Promise<Journal> {
  const { output } = run;
  expect(run.exited, output).toBe(expected.exitCode);
  expect(output).toContain(`${expected.signal}: stopping the drill; the recovery runs before exit`);
  expect(output).toMatch(new RegExp(`ABORTED: interrupted by ${expected.signal} during the fault`));
  // The signal is not obeyed before the recovery: the undo ran, and the steady state came
  // back after it. (A fault that ends by itself, a restart, may already be recovering when
  // the signal comes.)
  const recovery = output.search(/drill\s+recovery: /);
  expect(recovery, 'the recovery ran').toBeGreaterThan(-1);
  expect(output.indexOf('steady state holds again', recovery)).toBeGreaterThan(recovery);

  const journalFile = /^journal\s+(\S+)$/m.exec(output)?.[1];
  expect(journalFile, output).toBeDefined();
  expect(journalFile?.startsWith(join(ctx.reports, `${expected.experiment}-`))).toBe(true);
  const journal = JSON.parse(await readFile(journalFile as string, 'utf8')) as Journal;
  expectValidJournal(journal);
  expect(journal).toMatchObject({
    verdict: 'aborted',
    reason: `interrupted by ${expected.signal} during the fault`,
    faultInjected: true,
    recovery: { ok: true, error: null },
    steadyStateAfter: { held: true },
    target: { project: ctx.stack.projectName },
  });
  const markers = createMarkerStore(join(ctx.reports, '.in-flight'));
  expect(await markers.list(ctx.stack.projectName)).toEqual([]);
  await expectStackWhole(ctx);
  return journal;
}
