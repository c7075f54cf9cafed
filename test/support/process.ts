import { type ChildProcess, spawn } from 'node:child_process';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends `signal` and waits for exit; SIGKILL after `graceMs`. Safe to call twice. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

const running = new Set<RunningProcess>();

/** Spawns a process whose output is kept for assertions and which `stopAll` will kill. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}`;
      resolve('spawn-error');
    });
  });
  const handle: RunningProcess = {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(handle);
      return exited;
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Kills every process started by startProcess that is still running (afterAll/afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}
