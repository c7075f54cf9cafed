import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it, test } from 'vitest';
import { describeWithTools, which } from '../../../test/support/tools.ts';
import {
  assetName,
  ChecksumError,
  createToolCache,
  expectedSha256,
  installTrivy,
} from '../src/install.ts';

test.each([
  ['v0.74.0', 'linux', 'x64', 'trivy_0.74.0_Linux-64bit.tar.gz'],
  ['0.74.0', 'linux', 'arm64', 'trivy_0.74.0_Linux-ARM64.tar.gz'],
  ['v0.74.0', 'darwin', 'arm64', 'trivy_0.74.0_macOS-ARM64.tar.gz'],
] as const)('asset for %s on %s/%s is %s', (version, platform, arch, asset) => {
  expect(assetName(version, platform, arch)).toBe(asset);
});

it('refuses a platform Trivy ships no build for', () => {
  expect(() => assetName('v0.74.0', 'win32', 'x64')).toThrow('no release asset for win32/x64');
});

it('reads the sha256 of the asset from a checksums file', () => {
  const sha = 'a'.repeat(64);
  const text = `${'b'.repeat(64)}  trivy_0.74.0_Linux-ARM64.tar.gz\n${sha}  trivy_0.74.0_Linux-64bit.tar.gz\n`;
  expect(expectedSha256(text, 'trivy_0.74.0_Linux-64bit.tar.gz')).toBe(sha);
  expect(() => expectedSha256(text, 'trivy_0.74.0_macOS-64bit.tar.gz')).toThrow(ChecksumError);
});

it('imports @actions/tool-cache on first use, not when the tool cache is built', async () => {
  let loads = 0;
  const toolCache = createToolCache(async () => {
    loads++;
    return { find: (tool: string, version: string) => `/cache/${tool}/${version}` } as never;
  });
  expect(loads).toBe(0);
  await expect(installTrivy(toolCache, { version: 'v0.74.0', downloadBase: 'x' })).resolves.toBe(
    '/cache/trivy/0.74.0/trivy',
  );
  expect(loads).toBe(1);
});

/**
 * The real download path, offline: a local HTTP server plays the GitHub release with a
 * real archive of the Trivy built on this machine and its checksums file.
 */
describeWithTools(['trivy', 'tar'], 'installTrivy from a local release server', () => {
  const version = 'v0.74.0';
  const asset = 'trivy_0.74.0_Linux-64bit.tar.gz';
  let dir: string;
  let server: Server;
  let base: string;
  let archive: Buffer;
  let served: Buffer;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trivy-install-'));
    const pkg = join(dir, 'pkg');
    await mkdir(pkg);
    await writeFile(join(pkg, 'LICENSE'), 'Apache-2.0\n');
    const trivy = which('trivy') as string;
    // The release layout (trivy + LICENSE at the top); gzip -1 because a go-installed
    // Trivy is ~300 MB unstripped and the test is about the bytes, not the ratio.
    execFileSync('tar', [
      '--use-compress-program=gzip -1',
      '-cf',
      join(dir, asset),
      '-C',
      pkg,
      'LICENSE',
      '-C',
      dirname(trivy),
      basename(trivy),
    ]);
    archive = readFileSync(join(dir, asset));
    served = archive;
    const sha = createHash('sha256').update(archive).digest('hex');
    const checksums = `${'0'.repeat(64)}  trivy_0.74.0_Linux-ARM64.tar.gz\n${sha}  ${asset}\n`;
    server = createServer((req, res) => {
      if (req.url === `/${version}/${asset}`) {
        res.writeHead(200, { 'content-length': served.length });
        res.end(served);
      } else if (req.url === `/${version}/trivy_0.74.0_checksums.txt`) res.end(checksums);
      else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.RUNNER_TEMP = join(dir, 'temp');
    process.env.RUNNER_TOOL_CACHE = join(dir, 'toolcache');
  }, 120_000);

  afterAll(async () => {
    process.env = savedEnv;
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an archive with one byte changed, naming both sha256, and caches nothing', async () => {
    served = Buffer.from(archive);
    const index = Math.floor(served.length / 2);
    served[index] = (served[index] as number) ^ 0xff;
    const actual = createHash('sha256').update(served).digest('hex');
    const expected = createHash('sha256').update(archive).digest('hex');
    const attempt = installTrivy(createToolCache(), {
      version,
      downloadBase: base,
      platform: 'linux',
      arch: 'x64',
    });
    await expect(attempt).rejects.toThrow(ChecksumError);
    await expect(
      installTrivy(createToolCache(), {
        version,
        downloadBase: base,
        platform: 'linux',
        arch: 'x64',
      }),
    ).rejects.toThrow(`expected sha256 ${expected}, actual ${actual}; refusing to install`);
    expect(existsSync(join(dir, 'toolcache', 'trivy'))).toBe(false);
    // The downloaded archive is not left in RUNNER_TEMP either.
    expect(existsSync(join(dir, 'temp')) ? await readdir(join(dir, 'temp')) : []).toEqual([]);
  }, 120_000);

  it('refuses a good archive that does not match input trivy-sha256', async () => {
    served = archive;
    await expect(
      installTrivy(createToolCache(), {
        version,
        downloadBase: base,
        sha256: 'f'.repeat(64),
        platform: 'linux',
        arch: 'x64',
      }),
    ).rejects.toThrow(`does not match input trivy-sha256: expected sha256 ${'f'.repeat(64)}`);
    expect(existsSync(join(dir, 'toolcache', 'trivy'))).toBe(false);
  }, 120_000);

  it('installs the verified archive into the tool cache and the binary runs', async () => {
    served = archive;
    const sha = createHash('sha256').update(archive).digest('hex');
    const bin = await installTrivy(createToolCache(), {
      version,
      downloadBase: base,
      sha256: sha,
      platform: 'linux',
      arch: 'x64',
    });
    expect(bin).toBe(join(dir, 'toolcache', 'trivy', '0.74.0', 'x64', 'trivy'));
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(/^Version: /m);
    // Second call: found in the tool cache, no download.
    served = Buffer.from('garbage');
    expect(
      await installTrivy(createToolCache(), {
        version,
        downloadBase: base,
        platform: 'linux',
        arch: 'x64',
      }),
    ).toBe(bin);
    expect(await readFile(bin)).toBeDefined();
  }, 120_000);
});
