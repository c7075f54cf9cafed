import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { which } from './tools.ts';

/**
 * Tools that .ci/install.sh installs outside the system directories: on PATH when the
 * shell has GOPATH/bin and ~/.local/bin in it (.ci/run does), else where they were put.
 */
function find(name: string, installedAt: string): string | undefined {
  return which(name) ?? (existsSync(installedAt) ? installedAt : undefined);
}

const goBin = join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin');

/** actionlint, built from .ci/go-tools.txt. */
export const actionlintPath = (): string | undefined =>
  find('actionlint', join(goBin, 'actionlint'));
/** act, built from .ci/go-tools.txt. */
export const actPath = (): string | undefined => find('act', join(goBin, 'act'));
/** zizmor, from PyPI by .github/scripts/install-zizmor.sh. */
export const zizmorPath = (): string | undefined =>
  find('zizmor', join(homedir(), '.local', 'bin', 'zizmor'));

/** Why a test that runs act cannot run here, or undefined when act is built. */
export const actMissing = (): string | undefined =>
  actPath() ? undefined : 'act is not built: bash .ci/install.sh builds it from .ci/go-tools.txt';
