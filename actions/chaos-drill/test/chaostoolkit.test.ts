import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../tools/local-runner.ts';
import { ctkStatus, toChaosToolkit } from '../src/chaostoolkit.ts';
import { runDrill } from '../src/drill.ts';
import { parseExperiment, withBounds } from '../src/experiment.ts';
import type { Journal } from '../src/journal.ts';
import { suiteReport } from '../src/suite.ts';
import { world } from './world.ts';

const FILE = 'observability/drills/kill-backend.yml';
const experiment = parseExperiment(readFileSync(join(REPO_ROOT, FILE), 'utf8'), FILE);

describe("Chaos Toolkit's journal fields", () => {
  test.each<[Journal['verdict'], string | null, ReturnType<typeof ctkStatus>]>([
    ['passed', null, 'completed'],
    ['failed', 'target-down failed: ...', 'failed'],
    [
      'aborted',
      'the steady state does not hold before the fault, nothing was injected: x',
      'failed',
    ],
    ['aborted', 'interrupted by SIGINT during the fault', 'interrupted'],
    ['aborted', 'fault.service "web" is not a service of project p', 'aborted'],
  ])('%s (%s) → status %s', (verdict, reason, status) => {
    expect(ctkStatus({ verdict, reason } as Journal)).toBe(status);
  });

  test('a real run maps to status, deviated, steady_states, run and rollbacks', async () => {
    const journal = await runDrill(withBounds(experiment, { timeToDetectMs: 1 }), world().deps());
    const ctk = toChaosToolkit(journal);
    expect(ctk).toMatchObject({ status: 'failed', deviated: true });
    expect(ctk.steady_states.before?.steady_state_met).toBe(true);
    expect(ctk.steady_states.after?.steady_state_met).toBe(true);
    expect(ctk.steady_states.during.find((p) => p.activity.name === 'target-down')).toMatchObject({
      tolerance_met: false,
      activity: { tolerance: 1 },
    });
    expect(ctk.run).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        activity: expect.objectContaining({
          type: 'action',
          provider: expect.objectContaining({ arguments: 'compose kill -s SIGKILL backend' }),
        }),
      }),
    ]);
    expect(ctk.rollbacks[0]).toMatchObject({
      status: 'succeeded',
      activity: { provider: { arguments: 'compose up -d --no-deps backend' } },
    });
  });
});

describe('the suite report', () => {
  test('a matrix of faults × expectation types with detect, recover and score; failures named', async () => {
    const passed = await runDrill(experiment, world().deps());
    const failed = await runDrill(withBounds(experiment, { timeToRecoverMs: 1 }), world().deps());
    const report = suiteReport([passed, failed], ['kill-backend-a', 'kill-backend-b']);
    expect(report).toMatch(/^# Chaos drill suite: 1 of 2 passed/);
    expect(report).toContain(
      '| experiment | fault | verdict | score | detect | detected by | recover | target-down | alert | http-degraded | recovery | steady-state |',
    );
    expect(report).toMatch(
      /\| \[kill-backend\]\(kill-backend-a\/report\.md\) \| kill backend \| passed \| 100 % \| \d/,
    );
    expect(report).toMatch(/\| failed \| \d+(\.\d)? % \|.*\| ❌ time-to-recover \|/);
    expect(report).toMatch(/- \*\*kill-backend\*\* failed: time-to-recover failed/);
  });
});
