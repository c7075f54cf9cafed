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
 * A describe block that needs something this machine may lack. `missing` says what is
 * missing and how to get it, or is undefined when everything is there. Locally a missing
 * need skips the block, named in its title and in one line on stderr, so that the default
 * reporter shows why; under CI=true the block fails instead, because .ci/run is supposed
 * to have installed it.
 */
export function describeNeeding(missing: string | undefined, name: string, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
  } else if (inCI) {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(missing);
      });
    });
  } else {
    console.warn(`skipped: ${name}: ${missing}`);
    describe.skip(`${name} [skipped: ${missing}]`, body);
  }
}

/** Which of `tools` are not on PATH, as a reason to skip, or undefined when none. */
export function missingTools(tools: readonly string[]): string | undefined {
  const missing = tools.filter((tool) => which(tool) === undefined);
  return missing.length === 0
    ? undefined
    : `missing tool(s): ${missing.join(', ')} (.ci/run installs them)`;
}

/** A describe block that needs real tools on PATH (nginx, promtool, chromium, docker...). */
export function describeWithTools(tools: readonly string[], name: string, body: () => void): void {
  describeNeeding(missingTools(tools), name, body);
}
