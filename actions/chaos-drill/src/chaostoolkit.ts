/**
 * The journal in Chaos Toolkit's journal format (chaostoolkit-lib's run journal), so its
 * tools (reporting, `chaos report`) can read a drill. What maps to what:
 *   status        passed → completed; failed → failed (deviated: true); aborted because the
 *                 steady state did not hold before → failed (deviated: false); interrupted by
 *                 a signal → interrupted; any other abort (bad input) → aborted
 *   deviated      an expectation missed its bound after the fault was injected
 *   steady_states before / after: steadyStateBefore / steadyStateAfter, one probe each;
 *                 during: the expectations, one probe each (tolerance_met = passed)
 *   run           the fault's injection (its driver's command), one action
 *   rollbacks     the recovery (its driver's undo), one action
 * Pure.
 */
import type { Journal, SteadyState } from './journal.ts';

interface Activity {
  readonly activity: {
    readonly type: 'action' | 'probe';
    readonly name: string;
    readonly provider: {
      readonly type: 'process';
      readonly path: string;
      readonly arguments: string;
    };
    readonly tolerance?: unknown;
  };
  readonly status: 'succeeded' | 'failed';
  readonly output: string | null;
  readonly start: string;
  readonly end: string;
  readonly duration: number;
  readonly tolerance_met?: boolean;
  readonly exception?: readonly string[];
}

const provider = (command: string) => ({
  type: 'process' as const,
  path: 'chaos-drill',
  arguments: command,
});
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

function steadyState(s: SteadyState | null, at: string) {
  if (!s) return null;
  return {
    steady_state_met: s.held,
    probes: s.probes.map((p) => ({
      activity: { type: 'probe', name: p.name, provider: provider(p.name) },
      status: 'succeeded',
      output: p.detail,
      start: at,
      end: s.at,
      duration: s.waitedMs / 1000,
      tolerance_met: p.ok,
    })),
  };
}

export function ctkStatus(journal: Journal): 'completed' | 'failed' | 'aborted' | 'interrupted' {
  if (journal.verdict === 'passed') return 'completed';
  if (journal.verdict === 'failed') return 'failed';
  if (journal.reason?.startsWith('interrupted')) return 'interrupted';
  if (journal.reason?.startsWith('the steady state does not hold before')) return 'failed';
  return 'aborted';
}

export function toChaosToolkit(journal: Journal) {
  const e = journal.experiment;
  const f = journal.fault;
  const r = journal.recovery;
  const run: Activity[] = f
    ? [
        {
          activity: {
            type: 'action',
            name: `${e.fault.action} ${e.fault.service}`,
            provider: provider(e.fault.command),
          },
          status: journal.measurements.faultAt === null ? 'failed' : 'succeeded',
          output: null,
          start: f.issuedAt,
          end: f.returnedAt,
          duration: seconds(f.issuedAt, f.returnedAt),
        },
      ]
    : [];
  const rollbacks: Activity[] = r
    ? [
        {
          activity: {
            type: 'action',
            name: `recover ${e.fault.service}`,
            provider: provider(e.recovery.command),
          },
          status: r.ok ? 'succeeded' : 'failed',
          output: null,
          start: r.startedAt,
          end: r.returnedAt,
          duration: seconds(r.startedAt, r.returnedAt),
          ...(r.error ? { exception: [r.error] } : {}),
        },
      ]
    : [];
  const during = journal.expectations.map((x) => ({
    activity: {
      type: 'probe' as const,
      name: x.name,
      provider: provider(x.description),
      tolerance: x.boundMs ?? x.count?.bound ?? x.measure?.bound ?? null,
    },
    status: 'succeeded' as const,
    output: x.detail,
    tolerance_met: x.passed,
  }));
  return {
    'chaoslib-version': null,
    platform: 'chaos-drill (docker compose)',
    experiment: {
      title: e.name,
      description: e.description,
      tags: ['chaos-drill', e.fault.action],
      'steady-state-hypothesis': { title: `${e.name} steady state` },
      method: run.map((a) => a.activity),
      rollbacks: rollbacks.map((a) => a.activity),
    },
    start: journal.startedAt,
    end: journal.finishedAt,
    duration: journal.durationMs / 1000,
    status: ctkStatus(journal),
    deviated: journal.verdict === 'failed' && journal.expectations.some((x) => !x.passed),
    steady_states: {
      before: steadyState(journal.steadyStateBefore, journal.startedAt),
      after: steadyState(
        journal.steadyStateAfter,
        journal.recovery?.returnedAt ?? journal.finishedAt,
      ),
      during,
    },
    run,
    rollbacks,
  };
}
