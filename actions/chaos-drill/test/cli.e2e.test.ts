/**
 * `npm run drill` interrupted by a real signal: the CLI runs as a child process against a
 * real stack, is sent SIGINT (then, on the same stack once whole again, SIGTERM) right
 * after the backend was killed, and must recover the stack before exiting. The unit test
 * shows the same with a fake process; this one shows Node's real handlers do it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { type RunningProcess, startProcess, stopAll } from '../../../test/support/process.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import type { Journal } from '../src/journal.ts';
import { expectStackWhole, useDrillStack } from './drill-stack.ts';
import { expectValidJournal } from './journal-schema.ts';

/** The CLI's own limit after the fault: recovery.within/steady-state-within (30 s) + 30 s, plus the figures. */
const EXIT_BOUND_MS = 75_000;

describeWithTools(['docker', 'docker-compose'], 'chaos-drill CLI stopped by a real signal', () => {
  const ctx = useDrillStack('up{job="backend"}');
  // Registered after useDrillStack, so it runs first: no CLI outlives the stack.
  afterAll(stopAll);

  function startCli(): RunningProcess {
    return startProcess(
      process.execPath,
      [
        '--import',
        'tsx',
        'actions/chaos-drill/src/cli.ts',
        'observability/drills/kill-backend.yml',
        '--project',
        ctx.stack.projectName,
        '--prometheus',
        ctx.urls.prometheus,
        '--frontend',
        ctx.urls.frontend,
        // The backend's published port moves when the recovery starts it again.
        '--backend',
        'compose',
        '--reports-dir',
        ctx.reports,
      ],
      // The stack's interpolation variables, so Compose resolves the same project.
      { cwd: REPO_ROOT, env: { ...process.env, ...ctx.stack.env } },
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

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s after the kill: recovers, reports aborted, exits %i, the stack is whole',
    async (signal, code) => {
      const cli = startCli();
      await waitForOutput(cli, /fault command returned/, 120_000);
      const backend = (await ctx.stack.containers()).filter((c) => c.service === 'backend');
      expect(backend.map((c) => c.state)).not.toContain('running');

      const sentAt = Date.now();
      cli.child.kill(signal);
      const exited = await Promise.race([
        cli.exited,
        new Promise<'still running'>((r) => setTimeout(() => r('still running'), EXIT_BOUND_MS)),
      ]);
      const tookMs = Date.now() - sentAt;
      const output = cli.output();
      process.stdout.write(
        `[cli e2e] ${signal}: exit ${exited} ${tookMs} ms after the signal\n[cli e2e] ${output.trimEnd().split('\n').join('\n[cli e2e] ')}\n`,
      );
      expect(exited, output).toBe(code);

      expect(output).toContain(`${signal}: stopping the drill; the recovery runs before exit`);
      expect(output).toMatch(/recovery: compose up -d --no-deps backend/);
      expect(output).toMatch(/steady state holds again/);
      expect(output).toMatch(new RegExp(`ABORTED: interrupted by ${signal} during the fault`));
      // The signal came after the fault command had returned: it is not obeyed before the recovery.
      expect(output.indexOf('recovery: compose up')).toBeGreaterThan(output.indexOf(signal));

      const journalFile = /^journal\s+(\S+)$/m.exec(output)?.[1];
      expect(journalFile, output).toBeDefined();
      const journal = JSON.parse(await readFile(journalFile as string, 'utf8')) as Journal;
      expectValidJournal(journal);
      expect(journal).toMatchObject({
        verdict: 'aborted',
        reason: `interrupted by ${signal} during the fault`,
        faultInjected: true,
        recovery: { ok: true, error: null },
        steadyStateAfter: { held: true },
        target: { project: ctx.stack.projectName },
      });
      expect(journalFile?.startsWith(join(ctx.reports, 'kill-backend-'))).toBe(true);

      await expectStackWhole(ctx);
    },
  );
});
