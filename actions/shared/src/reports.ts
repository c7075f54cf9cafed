import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** Writes report files under one directory; each write is atomic (temp file + rename). */
export interface ReportWriter {
  readonly dir: string;
  /** Writes `relativePath` under the reports directory and resolves with its absolute path. */
  write(relativePath: string, content: string | Uint8Array): Promise<string>;
  writeJson(relativePath: string, value: unknown): Promise<string>;
}

export function createReportWriter(dir: string): ReportWriter {
  const root = resolve(dir);
  async function write(relativePath: string, content: string | Uint8Array): Promise<string> {
    const target = resolve(root, relativePath);
    const rel = relative(root, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new Error(`Report path "${relativePath}" is outside the reports directory ${root}`);
    }
    await mkdir(dirname(target), { recursive: true });
    // Same directory as the target, so rename(2) is atomic: a reader sees the old file or
    // the whole new one, and a crash leaves at most a stray .tmp file, never a half report.
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, content);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return target;
  }
  return Object.freeze({
    dir: root,
    write,
    writeJson: (relativePath: string, value: unknown) =>
      write(relativePath, `${JSON.stringify(value, null, 2)}\n`),
  });
}
