import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from './net.ts';
import { type RunningProcess, startProcess } from './process.ts';

const SERVER = fileURLToPath(new URL('../../backend/src/server.ts', import.meta.url));

export interface BackendProcess extends RunningProcess {
  readonly port: number;
  readonly url: string;
}

/**
 * The real backend as a separate process (through tsx, so no build is needed),
 * on a free loopback port, ready when /healthz answers.
 */
export async function startBackend(
  env: Record<string, string> = {},
  port?: number,
): Promise<BackendProcess> {
  const chosen = port ?? (await freePort());
  const proc = startProcess(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(chosen),
      ...env,
    },
  });
  const url = `http://127.0.0.1:${chosen}`;
  try {
    await Promise.race([
      waitForHttp(`${url}/healthz`, 15_000),
      proc.exited.then((code) => {
        throw new Error(`backend exited (${code}) before it was ready:\n${proc.output()}`);
      }),
    ]);
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  }
  return Object.assign(proc, { port: chosen, url });
}
