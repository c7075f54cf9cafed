import { join } from 'node:path';
import { ACTIONS_DIR } from '../../tools/build.ts';
import { readActionMetadata } from '../../tools/local-runner.ts';
import type { Clock } from '../src/clock.ts';
import type { Exec, ExecOptions, ExecResult } from '../src/exec.ts';

export interface ExecCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly options?: ExecOptions;
}

/**
 * A fake Exec: `respond` maps "command arg1 arg2..." to a result (or throws, e.g. a
 * MissingToolError); every call is recorded for assertions.
 */
export function fakeExec(
  respond: (line: string, call: ExecCall) => Partial<ExecResult> | Error,
): Exec & { calls: ExecCall[] } {
  const calls: ExecCall[] = [];
  const exec = (async (command: string, args: readonly string[], options?: ExecOptions) => {
    const call = { command, args, ...(options ? { options } : {}) };
    calls.push(call);
    const result = respond([command, ...args].join(' '), call);
    if (result instanceof Error) throw result;
    return { exitCode: 0, stdout: '', stderr: '', ...result };
  }) as Exec & { calls: ExecCall[] };
  exec.calls = calls;
  return exec;
}

/** A clock that only moves when something sleeps. */
export function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** The defaults of an action's inputs, as the runner would set them from action.yml. */
export async function actionDefaults(action: string): Promise<Record<string, string>> {
  const meta = await readActionMetadata(join(ACTIONS_DIR, action));
  return Object.fromEntries(
    Object.entries(meta.inputs).map(([name, spec]) => [name, String(spec.default ?? '')]),
  );
}
