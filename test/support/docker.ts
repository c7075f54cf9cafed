import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

import { REPO_ROOT } from '../../scripts/repo-root.ts';

export { REPO_ROOT };

/** The docker client on PATH, its errors turned into messages that say what failed. */
export async function docker(
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await run('docker', [...args], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 600_000,
    });
    return stdout.trim();
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Builds (or reuses) the named stand-in base images: scripts/standins/<name>.sh. */
export async function buildStandins(...names: string[]): Promise<void> {
  await run('bash', ['scripts/standins/build.sh', ...names], { cwd: REPO_ROOT, timeout: 600_000 });
}

/** Polls a container's health until `healthy`; throws with its last logs otherwise. */
export async function waitHealthy(container: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (Date.now() < deadline) {
    status = await docker([
      'inspect',
      '-f',
      '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}',
      container,
    ]);
    if (status.endsWith('healthy') && !status.endsWith('unhealthy')) return;
    if (status.startsWith('exited') || status.startsWith('dead')) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const logs = await docker(['logs', '--tail', '30', container]).catch(() => '');
  throw new Error(`container ${container} is not healthy (${status}); last logs:\n${logs}`);
}

/** Host port that Docker published for `containerPort` (published on 127.0.0.1 with a free port). */
export async function publishedPort(container: string, containerPort: number): Promise<number> {
  const out = await docker(['port', container, String(containerPort)]);
  const port = Number(out.split('\n')[0]?.split(':').pop());
  if (!Number.isInteger(port))
    throw new Error(`no published port for ${container}:${containerPort} (${out})`);
  return port;
}

/** A unique, recognisable name for what a test creates, so clean-up removes only that. */
export function testName(prefix: string): string {
  return `${prefix}-test-${process.pid}-${Date.now().toString(36)}`;
}
