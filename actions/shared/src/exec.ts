import * as actionsExec from '@actions/exec';
import { lastLines } from './errors.ts';

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  readonly cwd?: string;
  /** Added to (not replacing) the current environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** When true, nothing is echoed to the log (queries); when false, output streams (builds). */
  readonly silent?: boolean;
}

/** Runs a command and resolves with its exit code and output; never rejects on a non-zero exit. */
export type Exec = (
  command: string,
  args: readonly string[],
  options?: ExecOptions,
) => Promise<ExecResult>;

/** Thrown when the binary itself does not exist, so callers can tell "missing" from "failed". */
export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed or not on PATH`);
    this.name = 'MissingToolError';
  }
}

function isMissingTool(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 'ENOENT' ||
    (typeof message === 'string' && message.startsWith('Unable to locate executable file'))
  );
}

/** The real thing: @actions/exec, which echoes `[command]...` lines like every other action. */
export function createExec(): Exec {
  return async (command, args, options = {}) => {
    try {
      const result = await actionsExec.getExecOutput(command, [...args], {
        cwd: options.cwd,
        env: options.env
          ? ({ ...process.env, ...options.env } as Record<string, string>)
          : undefined,
        silent: options.silent ?? false,
        ignoreReturnCode: true,
      });
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    } catch (error) {
      if (isMissingTool(error)) throw new MissingToolError(command);
      throw error;
    }
  };
}

/** `exec` that throws on a non-zero exit, naming the command and the tail of its stderr. */
export async function execChecked(
  exec: Exec,
  command: string,
  args: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const result = await exec(command, args, options);
  if (result.exitCode !== 0) {
    const detail = lastLines(result.stderr || result.stdout, 5).join('\n');
    throw new Error(
      `\`${[command, ...args].join(' ')}\` exited with code ${result.exitCode}${detail ? `:\n${detail}` : ''}`,
    );
  }
  return result;
}
