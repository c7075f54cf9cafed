import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Installs a pinned Trivy release: download through the tool cache, verify the
 * archive against the release's checksums file (and the user's sha256 when given),
 * and only then extract and cache it. A mismatch leaves nothing in the tool cache.
 */
export interface ToolCache {
  find(tool: string, version: string): Promise<string>;
  downloadTool(url: string): Promise<string>;
  extractTar(file: string): Promise<string>;
  cacheDir(dir: string, tool: string, version: string): Promise<string>;
}

/**
 * @actions/tool-cache, imported on first use: with trivy-path, or when inputs fail, it is
 * never needed, and loading it at start would cost every run (it goes to dist/chunks/).
 */
export function createToolCache(
  load: () => Promise<typeof import('@actions/tool-cache')> = () => import('@actions/tool-cache'),
): ToolCache {
  return {
    find: async (tool, version) => (await load()).find(tool, version),
    downloadTool: async (url) => (await load()).downloadTool(url),
    extractTar: async (file) => (await load()).extractTar(file),
    cacheDir: async (dir, tool, version) => (await load()).cacheDir(dir, tool, version),
  };
}

export interface InstallOptions {
  /** `v0.74.0` */
  readonly version: string;
  /** Release download base, `https://github.com/aquasecurity/trivy/releases/download`. */
  readonly downloadBase: string;
  readonly sha256?: string;
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
}

export class ChecksumError extends Error {
  override name = 'ChecksumError';
}

/** Trivy's release asset name for this platform. */
export function assetName(version: string, platform: NodeJS.Platform, arch: string): string {
  const bare = version.replace(/^v/, '');
  const os = { linux: 'Linux', darwin: 'macOS' }[platform as 'linux' | 'darwin'];
  const cpu = { x64: '64bit', arm64: 'ARM64' }[arch as 'x64' | 'arm64'];
  if (!os || !cpu) {
    throw new Error(
      `Trivy install: no release asset for ${platform}/${arch} (supported: Linux/macOS on x64 or arm64)`,
    );
  }
  return `trivy_${bare}_${os}-${cpu}.tar.gz`;
}

export function releaseUrls(
  options: InstallOptions,
  asset: string,
): { archive: string; checksums: string } {
  const bare = options.version.replace(/^v/, '');
  const base = `${options.downloadBase.replace(/\/+$/, '')}/v${bare}`;
  return { archive: `${base}/${asset}`, checksums: `${base}/trivy_${bare}_checksums.txt` };
}

/** The sha256 that `<sha>  <file>` lines of a checksums file give for `asset`. */
export function expectedSha256(checksums: string, asset: string): string {
  for (const line of checksums.split(/\r?\n/)) {
    const [sha, file] = line.trim().split(/\s+\*?/);
    if (file === asset && sha && /^[0-9a-f]{64}$/i.test(sha)) return sha.toLowerCase();
  }
  throw new ChecksumError(`the release checksums file has no sha256 for ${asset}`);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function installTrivy(toolCache: ToolCache, options: InstallOptions): Promise<string> {
  const version = options.version.replace(/^v/, '');
  const cached = await toolCache.find('trivy', version);
  if (cached) return join(cached, 'trivy');

  const asset = assetName(
    options.version,
    options.platform ?? process.platform,
    options.arch ?? process.arch,
  );
  const urls = releaseUrls(options, asset);
  const archive = await toolCache.downloadTool(urls.archive);
  let extracted: string | undefined;
  try {
    const checksumsFile = await toolCache.downloadTool(urls.checksums);
    const checksums = await readFile(checksumsFile, 'utf8');
    await rm(checksumsFile, { force: true });
    const actual = await sha256File(archive);
    const expected = expectedSha256(checksums, asset);
    if (actual !== expected) {
      throw new ChecksumError(
        `${asset} does not match the release checksums: expected sha256 ${expected}, actual ${actual}; refusing to install`,
      );
    }
    if (options.sha256 && actual !== options.sha256.toLowerCase()) {
      throw new ChecksumError(
        `${asset} does not match input trivy-sha256: expected sha256 ${options.sha256.toLowerCase()}, actual ${actual}; refusing to install`,
      );
    }
    extracted = await toolCache.extractTar(archive);
    await chmod(join(extracted, 'trivy'), 0o755);
    const dir = await toolCache.cacheDir(extracted, 'trivy', version);
    return join(dir, 'trivy');
  } finally {
    await rm(archive, { force: true });
    if (extracted) await rm(extracted, { recursive: true, force: true });
  }
}
