/**
 * Bundles every action: each actions/<name>/ with an action.yml and a src/index.ts becomes
 * dist/index.js (and dist/post.js when src/post.ts exists). Discovery is by folder, so a new
 * action is built (and checked by check-dist) without touching this file.
 *
 * Deterministic: no timestamps, module path comments relative to actions/, no source maps.
 *   tsx tools/build.ts            build and write every dist/
 *   tsx tools/build.ts --check    exit 1 when a committed dist/ differs from a fresh build
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const ACTIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Some bundled dependencies are CommonJS and call require() for Node built-ins; an ESM
// bundle has no require, so the banner makes one. __dirname/__filename are not declared
// here (bundled modules declare their own); free uses are rewritten by `define` below.
export const BANNER = [
  "import { createRequire as __actionsCreateRequire } from 'node:module';",
  'const require = __actionsCreateRequire(import.meta.url);',
].join('\n');

// The runner executes dist/index.js with plain `node`; this makes it ESM even if the action
// folder is copied out of this workspace (whose package.json also says "module").
const DIST_PACKAGE_JSON = `${JSON.stringify({ type: 'module' }, null, 2)}\n`;

/**
 * @actions/http-client imports undici (~770 KB) at the top only to build a ProxyAgent when
 * an HTTP proxy is configured. Evaluating it costs ~50 ms of every action's start-up, so
 * this plugin gives http-client a stand-in whose constructor loads the bundled undici on
 * first use (a bundled require() is lazy). Without a proxy, undici is never evaluated.
 */
export const lazyUndici: Plugin = {
  name: 'lazy-undici',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^undici$/ }, (args) =>
      /[\\/]@actions[\\/]http-client[\\/]/.test(args.importer)
        ? { path: 'lazy-undici', namespace: 'lazy-undici', pluginData: args.resolveDir }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-undici' }, (args) => ({
      loader: 'js',
      resolveDir: args.pluginData as string,
      contents: [
        'let undici;',
        'export class ProxyAgent {',
        '  constructor(...args) {',
        "    undici ??= require('undici');",
        '    return new undici.ProxyAgent(...args);',
        '  }',
        '}',
      ].join('\n'),
    }));
  },
};

export interface ActionEntry {
  readonly name: string;
  readonly dir: string;
  readonly entries: readonly string[];
}

/** Every actions/<name>/ that has both an action.yml and a src/index.ts. */
export async function discoverActions(root = ACTIONS_DIR): Promise<ActionEntry[]> {
  const found: ActionEntry[] = [];
  for (const item of (await readdir(root, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!item.isDirectory()) continue;
    const dir = join(root, item.name);
    if (!existsSync(join(dir, 'action.yml')) || !existsSync(join(dir, 'src', 'index.ts'))) continue;
    const entries = ['index', 'post'].filter((entry) =>
      existsSync(join(dir, 'src', `${entry}.ts`)),
    );
    found.push({ name: item.name, dir, entries });
  }
  return found;
}

/** Bundles one action in memory: absolute output path → contents. */
export async function bundleAction(action: ActionEntry): Promise<Map<string, string>> {
  const result = await build({
    absWorkingDir: ACTIONS_DIR,
    entryPoints: Object.fromEntries(
      action.entries.map((entry) => [entry, join(action.dir, 'src', `${entry}.ts`)]),
    ),
    outdir: join(action.dir, 'dist'),
    bundle: true,
    // Code reached only through import() (the artifact client) goes to dist/chunks/ and is
    // read only when used; main and post of one action share a chunk instead of two copies.
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [lazyUndici],
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    banner: { js: BANNER },
    define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
    legalComments: 'eof',
    sourcemap: false,
    charset: 'utf8',
    logLevel: 'silent',
  });
  const files = new Map<string, string>();
  for (const file of result.outputFiles) files.set(file.path, file.text);
  files.set(join(action.dir, 'dist', 'package.json'), DIST_PACKAGE_JSON);
  return files;
}

export async function bundleAll(root = ACTIONS_DIR): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const action of await discoverActions(root)) {
    for (const [path, text] of await bundleAction(action)) all.set(path, text);
  }
  return all;
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Paths (relative to actions/) whose committed contents differ from a fresh build, plus
 * files in a dist/ that the build no longer produces (an old chunk, say).
 */
export async function staleDist(root = ACTIONS_DIR): Promise<string[]> {
  const stale: string[] = [];
  const built = await bundleAll(root);
  for (const [path, text] of built) {
    const committed = existsSync(path) ? await readFile(path, 'utf8') : undefined;
    if (committed !== text) stale.push(relative(root, path));
  }
  for (const action of await discoverActions(root)) {
    for (const path of await filesUnder(join(action.dir, 'dist'))) {
      if (!built.has(path)) stale.push(`${relative(root, path)} (not produced by the build)`);
    }
  }
  return stale;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleDist();
    if (stale.length > 0) {
      console.error(
        `dist/ is not the build of src/ (run npm run build -w actions):\n  ${stale.join('\n  ')}`,
      );
      process.exitCode = 1;
    }
    return;
  }
  // `tsx tools/build.ts build-images stack-up` builds only those (others' actions untouched).
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const actions = (await discoverActions()).filter(
    (a) => only.length === 0 || only.includes(a.name),
  );
  for (const action of actions) {
    const files = await bundleAction(action);
    // Each file is replaced atomically and stale ones are removed afterwards, so a dist/
    // is never missing or half-written while someone else runs an action or a test.
    // Chunks before the entry points that import them.
    const ordered = [...files].sort(
      ([a], [b]) => Number(!a.includes('/chunks/')) - Number(!b.includes('/chunks/')),
    );
    for (const [path, text] of ordered) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, path);
      console.log(
        `${relative(ACTIONS_DIR, path)}  ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`,
      );
    }
    for (const path of await filesUnder(join(action.dir, 'dist'))) {
      if (!files.has(path)) await rm(path, { force: true });
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
