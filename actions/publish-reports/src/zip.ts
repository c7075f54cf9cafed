import archiver from 'archiver';

export interface ZipEntry {
  /** Path inside the archive, / separated, no leading /. */
  readonly name: string;
  readonly data: Buffer;
  readonly modified: Date;
}

/**
 * A zip archive of `entries`, in memory, made by archiver, the zip stream that
 * @actions/artifact itself uploads with: deflated at `level` (1-9), stored at 0. Used only
 * by the act upload path (act-artifact.ts), which must know the whole zip's digest and
 * size before it sends it; report folders are small, so holding them in memory is fine.
 */
export async function zipArchive(entries: readonly ZipEntry[], level: number): Promise<Buffer> {
  const archive = archiver('zip', { zlib: { level }, store: level === 0 });
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
    // A warning is a file archiver could not read: here every entry is a Buffer already.
    archive.on('warning', reject);
  });
  for (const entry of entries)
    archive.append(entry.data, { name: entry.name, date: entry.modified });
  await archive.finalize();
  await ended;
  return Buffer.concat(chunks);
}
