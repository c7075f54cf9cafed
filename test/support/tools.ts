import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Absolute path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v "$1"`, 'sh', command], { encoding: 'utf8' }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * A describe block that needs real tools (nginx, promtool, chromium, docker...).
 * Locally, a missing tool skips the block and says which; under CI=true it fails,
 * because .ci/run is supposed to have installed it.
 */
export function describeWithTools(tools: readonly string[], name: string, body: () => void): void {
  const missing = tools.filter((tool) => which(tool) === undefined);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reason = `missing tool(s): ${missing.join(', ')} (.ci/run installs them)`;
  if (inCI) {
    describe(name, () => {
      it('has the tools it needs', () => {
        throw new Error(reason);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
}
