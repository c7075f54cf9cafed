import { constants, createGzip } from 'node:zlib';
import type { ReportWriter } from '../../shared/src/reports.ts';
import { SARIF_LIMITS, type SarifPlan, sarifChunks } from './sarif.ts';

/**
 * Writes a target's SARIF within GitHub's size limit: at most 10 MB gzipped. The file is
 * streamed as it is made; a copy of the stream is gzipped on libuv's thread pool (so on
 * the other core) once it is past a third of the limit in UTF-16 units (below that it
 * cannot be 10 MB even as raw UTF-8, and nothing is compressed). Past the limit, the file
 * is written again with fewer results, the lowest severities left out, in proportion to
 * how far over it was.
 */
export interface SarifWritten {
  readonly path: string;
  /** Results in the file: the most severe `results` of the plan's findings. */
  readonly results: number;
  /** Gzipped size, when the file was big enough to measure it. */
  readonly gzippedBytes: number | undefined;
  /** Why results were left out, when they were. */
  readonly cut: 'none' | 'results-or-rules' | 'size';
}

/**
 * Compression level 1 as the measure: its output is larger than level 6's (what
 * codeql-action sends), so a file that fits at level 1 fits as uploaded.
 */
const LEVEL = constants.Z_BEST_SPEED;

interface Meter {
  readonly chunks: AsyncGenerator<Buffer>;
  /** The gzipped size, or undefined when the text stayed small. */
  readonly gzippedBytes: () => Promise<number | undefined>;
}

const PIECE = 256 * 1024;

/**
 * Passes the text through as ~256 KiB Buffers (encoded once, few awaits for the writer),
 * and gzips the same Buffers (counting bytes only) once the text is past `threshold`
 * UTF-16 units. The compressor's buffer is deep, so making the text waits for it only when
 * it is megabytes behind.
 */
function meter(source: Iterable<string>, threshold: number): Meter {
  let chars = 0;
  let held: Buffer[] = [];
  let gzip: ReturnType<typeof createGzip> | undefined;
  let bytes = 0;
  let done: Promise<void> | undefined;
  const start = () => {
    const stream = createGzip({ level: LEVEL, ...{ highWaterMark: 16 * 1024 * 1024 } });
    stream.on('data', (b: Buffer) => {
      bytes += b.length;
    });
    done = new Promise((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    return stream;
  };
  const feed = async (piece: Buffer) => {
    if (!gzip) {
      held.push(piece);
      if (chars <= threshold) return;
      gzip = start();
      piece = Buffer.concat(held);
      held = [];
    }
    const stream = gzip;
    if (!stream.write(piece)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    let buffer = Buffer.allocUnsafe(PIECE);
    let used = 0;
    const flush = async () => {
      const piece = buffer.subarray(0, used);
      await feed(piece);
      buffer = Buffer.allocUnsafe(PIECE);
      used = 0;
      return piece;
    };
    for (const chunk of source) {
      chars += chunk.length;
      // A UTF-16 unit is at most 3 UTF-8 bytes.
      if (used + chunk.length * 3 > PIECE) {
        if (used > 0) yield await flush();
        if (chunk.length * 3 > PIECE) {
          const big = Buffer.from(chunk);
          await feed(big);
          yield big;
          continue;
        }
      }
      used += buffer.write(chunk, used);
    }
    if (used > 0) yield await flush();
    gzip?.end();
  }
  return {
    chunks: chunks(),
    gzippedBytes: async () => {
      if (!done) return undefined;
      await done;
      return bytes;
    },
  };
}

export async function writeSarif(
  writer: ReportWriter,
  name: string,
  plan: SarifPlan,
  maxGzipped: number = SARIF_LIMITS.gzippedBytes,
): Promise<SarifWritten> {
  let count = plan.fits;
  for (;;) {
    const measured = meter(sarifChunks(plan, count), maxGzipped / 3);
    const path = await writer.write(name, measured.chunks);
    const gzippedBytes = await measured.gzippedBytes();
    if (gzippedBytes === undefined || gzippedBytes <= maxGzipped || count === 0) {
      const cut =
        count < plan.fits ? 'size' : plan.fits < plan.sorted.length ? 'results-or-rules' : 'none';
      return { path, results: count, gzippedBytes, cut };
    }
    // 5% under the proportion: one more pass at most, in practice.
    count = Math.floor(count * (maxGzipped / gzippedBytes) * 0.95);
  }
}
