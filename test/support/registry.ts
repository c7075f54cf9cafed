/**
 * A real OCI registry (distribution, the registry behind Docker Hub) on a free loopback
 * port, and cosign key pairs, for the delivery e2e tests. Both binaries come from
 * .ci/go-tools.txt. Loopback registries need no TLS: `docker push 127.0.0.1:<port>/…`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForHttp } from './net.ts';
import { startProcess } from './process.ts';

const execFileAsync = promisify(execFile);
export const GO_BIN = join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin');

/** The Go-built tool's path; throws naming .ci/install.sh when it is not built. */
export function goTool(name: string): string {
  const path = join(GO_BIN, name);
  if (!existsSync(path)) throw new Error(`${path} is missing (.ci/install.sh builds it)`);
  return path;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>`, the image name prefix. */
  readonly address: string;
  /** `http://<address>/v2/<path>`. */
  url(path: string): string;
  /** The registry's storage root (its blobs are under docker/registry/v2/blobs). */
  readonly storage: string;
  stop(): Promise<void>;
}

/** A registry whose storage lives under dir; ready once /v2/ answers. */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const address = `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'registry.yml');
  const storage = join(dir, 'storage');
  await mkdir(dir, { recursive: true });
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\nhttp:\n  addr: ${address}\n`,
  );
  const proc = startProcess(goTool('registry'), ['serve', config]);
  const url = (path: string) => `http://${address}/v2/${path}`;
  try {
    await waitForHttp(url(''), 10_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return {
    address,
    url,
    storage,
    stop: async () => {
      await proc.stop();
    },
  };
}

export interface KeyPair {
  /** PEM text of the encrypted private key. */
  readonly key: string;
  readonly publicKey: string;
}

/** `cosign generate-key-pair` in dir, the key encrypted with password. */
export async function cosignKeyPair(dir: string, password: string): Promise<KeyPair> {
  await mkdir(dir, { recursive: true });
  await execFileAsync(goTool('cosign'), ['generate-key-pair'], {
    cwd: dir,
    env: { ...process.env, COSIGN_PASSWORD: password },
  });
  return {
    key: await readFile(join(dir, 'cosign.key'), 'utf8'),
    publicKey: await readFile(join(dir, 'cosign.pub'), 'utf8'),
  };
}
