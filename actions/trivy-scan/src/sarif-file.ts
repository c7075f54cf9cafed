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
  readonly chunks: AsyncGenerator<string>;
  /** The gzipped size, or undefined when the text stayed small. */
  readonly gzippedBytes: () => Promise<number | undefined>;
}

/** Passes the chunks through, and gzips them (counting bytes only) once they are big. */
function meter(source: Iterable<string>, threshold: number): Meter {
  let chars = 0;
  let held: string[] = [];
  let gzip: ReturnType<typeof createGzip> | undefined;
  let bytes = 0;
  let done: Promise<void> | undefined;
  let batch = '';
  const feed = async (text: string) => {
    if (!gzip) return;
    if (!gzip.write(text)) await new Promise((resolve) => gzip?.once('drain', resolve));
  };
  async function* chunks(): AsyncGenerator<string> {
    for (const chunk of source) {
      chars += chunk.length;
      if (!gzip) {
        held.push(chunk);
        if (chars > threshold) {
          const stream = createGzip({ level: LEVEL });
          gzip = stream;
          stream.on('data', (b: Buffer) => {
            bytes += b.length;
          });
          done = new Promise((resolve, reject) => {
            stream.on('end', resolve);
            stream.on('error', reject);
          });
          await feed(held.join(''));
          held = [];
        }
      } else {
        batch += chunk;
        if (batch.length >= 65_536) {
          await feed(batch);
          batch = '';
        }
      }
      yield chunk;
    }
    if (gzip) {
      await feed(batch);
      gzip.end();
    }
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
