import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * What a report file is made of: the whole text or bytes, or pieces made one at a time
 * (a generator), which are written as they come so a large report is never held whole.
 */
export type ReportContent =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

/** Writes report files under one directory; each write is atomic (temp file + rename). */
export interface ReportWriter {
  readonly dir: string;
  /** Writes `relativePath` under the reports directory and resolves with its absolute path. */
  write(relativePath: string, content: ReportContent): Promise<string>;
  writeJson(relativePath: string, value: unknown): Promise<string>;
}

/**
 * Pieces are gathered into ~64 KiB writes: a SARIF generator yields one small piece per
 * result, and one write(2) each would cost more than making them.
 */
const WRITE_SIZE = 65_536;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

async function writeChunks(
  path: string,
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const handle = await open(path, 'w');
  // One write in flight while the next pieces are made, so making and writing overlap
  // (awaiting each write in turn made streaming slower than one write of the whole text).
  let writing: Promise<void> = Promise.resolve();
  try {
    const writeAll = async (bytes: Uint8Array) => {
      for (let offset = 0; offset < bytes.length; ) {
        offset += (await handle.write(bytes, offset)).bytesWritten;
      }
    };
    const queue = async (bytes: Uint8Array) => {
      await writing;
      writing = writeAll(bytes);
      writing.catch(() => {}); // awaited at the next write or the end: not "unhandled"
    };
    let pending = '';
    const flush = (all: boolean) => {
      // A pair split across two pieces is encoded together, as join('') would encode it.
      const keep = !all && isHighSurrogate(pending.charCodeAt(pending.length - 1)) ? 1 : 0;
      const text = pending.slice(0, pending.length - keep);
      pending = pending.slice(pending.length - keep);
      return queue(Buffer.from(text));
    };
    const add = (chunk: string | Uint8Array): Promise<void> | undefined => {
      if (typeof chunk !== 'string') return flush(true).then(() => queue(chunk));
      pending += chunk;
      return pending.length >= WRITE_SIZE ? flush(false) : undefined;
    };
    if (Symbol.asyncIterator in chunks) {
      for await (const chunk of chunks) await add(chunk);
    } else {
      // Synchronous pieces: await only when there is something to write.
      for (const chunk of chunks) {
        const queued = add(chunk);
        if (queued) await queued;
      }
    }
    await flush(true);
    await writing;
  } finally {
    await writing.catch(() => {}); // its error, if any, is already on its way out
    await handle.close();
  }
}

export function createReportWriter(dir: string): ReportWriter {
  const root = resolve(dir);
  async function write(relativePath: string, content: ReportContent): Promise<string> {
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
      if (typeof content === 'string' || content instanceof Uint8Array) {
        await writeFile(temp, content);
      } else {
        await writeChunks(temp, content);
      }
      await rename(temp, target);
    } catch (error) {
      // A generator that throws halfway leaves a partial temp file: it goes, the target stays.
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
