import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';

/**
 * A file's bytes as text, the same string as `toString('utf8')`. Trivy's JSON is often
 * all ASCII, and then Latin-1 is the same characters: copying the bytes into a one-byte
 * string takes half the time of decoding UTF-8 (a 31 MiB report: ~35 ms of ~70).
 */
export function decodeText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

export async function readText(path: string): Promise<string> {
  return decodeText(await readFile(path));
}
