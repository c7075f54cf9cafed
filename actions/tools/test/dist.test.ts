/**
 * check-dist, as in the typescript-action template: the committed dist/ of every action
 * must be exactly what the bundler produces from src/ now. And each README's usage block
 * must be what the docs generator produces from action.yml.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  ACTIONS_DIR,
  BANNER,
  bundleAll,
  discoverActions,
  lazyUndici,
  staleDist,
} from '../build.ts';
import { staleReadmes } from '../docs.ts';

describe('committed bundles', () => {
  test('every dist/ is the build of its src/ (run `npm run build -w actions`)', async () => {
    expect(await staleDist()).toEqual([]);
  }, 120_000);

  test('the build is deterministic: two builds are identical and hold no absolute path or timestamp', async () => {
    const [first, second] = [await bundleAll(), await bundleAll()];
    expect([...second.entries()]).toEqual([...first.entries()]);
    for (const text of first.values()) {
      expect(text).not.toContain(ACTIONS_DIR);
    }
  }, 120_000);
});

test('every README usage block is generated from action.yml (run `npm run docs -w actions`)', async () => {
  expect(await staleReadmes()).toEqual([]);
});

describe('action metadata', async () => {
  const actions = await discoverActions();
  test.each(actions.map((a) => [a.name, a.dir]))('%s: complete action.yml', async (_name, dir) => {
    const meta = parseYaml(await readFile(join(dir, 'action.yml'), 'utf8'));
    expect(meta).toMatchObject({
      name: expect.any(String),
      description: expect.any(String),
      author: expect.any(String),
      branding: { icon: expect.any(String), color: expect.any(String) },
      runs: { using: 'node24', main: 'dist/index.js' },
    });
    for (const [input, spec] of Object.entries(meta.inputs ?? {}) as [
      string,
      { description?: string; default?: unknown; required?: boolean },
    ][]) {
      expect(spec.description, `${input} has a description`).toBeTruthy();
      expect(
        spec.required === true || spec.default !== undefined,
        `${input} has a default or is required`,
      ).toBe(true);
    }
    for (const [output, spec] of Object.entries(meta.outputs ?? {}) as [
      string,
      { description?: string },
    ][]) {
      expect(spec.description, `${output} has a description`).toBeTruthy();
    }
  });
});

test("with an HTTP proxy configured, http-client still gets undici's ProxyAgent (loaded lazily)", async () => {
  const result = await build({
    stdin: {
      contents:
        "import { HttpClient } from '@actions/http-client';\n" +
        "const d = new HttpClient('t').getAgentDispatcher('https://example.com');\n" +
        'console.log(d?.constructor.name, typeof d?.dispatch);',
      resolveDir: ACTIONS_DIR,
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    banner: { js: BANNER },
    plugins: [lazyUndici],
    logLevel: 'silent',
  });
  const dir = await mkdtemp(join(tmpdir(), 'lazy-undici-'));
  try {
    const file = join(dir, 'probe.mjs');
    await writeFile(file, result.outputFiles[0]?.text ?? '');
    const out = execFileSync(process.execPath, [file], {
      encoding: 'utf8',
      env: {
        ...process.env,
        https_proxy: 'http://127.0.0.1:3128',
        HTTPS_PROXY: 'http://127.0.0.1:3128',
        no_proxy: '',
        NO_PROXY: '',
      },
    });
    // The real undici class (renamed by the bundler next to the stand-in), a working dispatcher.
    expect(out.trim()).toMatch(/^ProxyAgent\d* function$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
