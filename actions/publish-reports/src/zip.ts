import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, / separated, no leading /. */
  readonly name: string;
  readonly data: Buffer;
  readonly modified: Date;
}

// Plain zip (no zip64): enough for reports; past these limits the format needs zip64.
const MAX_ENTRIES = 0xffff;
const MAX_BYTES = 0xffffffff;
const UTF8_NAMES = 0x0800;

/** MS-DOS date and time, the zip format's own (2-second resolution, from 1980). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(date.getFullYear(), 1980);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * A zip archive of `entries`, in memory: deflated at `level` (1-9), stored at 0. Used only
 * by the act upload path (act-artifact.ts), where @actions/artifact's own zip stream is not
 * reachable; report folders are small, so holding them in memory is fine.
 */
export function zipArchive(entries: readonly ZipEntry[], level: number): Buffer {
  if (entries.length > MAX_ENTRIES)
    throw new Error(
      `${entries.length} files: more than a zip without zip64 holds (${MAX_ENTRIES})`,
    );
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const method = level === 0 ? 0 : 8;
    const body = method === 0 ? entry.data : deflateRawSync(entry.data, { level });
    if (entry.data.length > MAX_BYTES || offset > MAX_BYTES)
      throw new Error(`${entry.name}: past 4 GiB, more than a zip without zip64 holds`);
    const { time, date } = dosDateTime(entry.modified);
    const crc = crc32(entry.data) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    const shared = { method, time, date, crc, compressed: body.length, size: entry.data.length };
    writeSharedFields(local, 6, { ...shared, nameLength: name.length });
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    writeSharedFields(central, 8, { ...shared, nameLength: name.length });
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface SharedFields {
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly nameLength: number;
}

/**
 * The 22 bytes that a local file header (from offset 6) and its central directory entry
 * (from offset 8) share, in the same order: flags, method, time, date, CRC-32, sizes and
 * the name's length.
 */
function writeSharedFields(header: Buffer, at: number, f: SharedFields): void {
  header.writeUInt16LE(UTF8_NAMES, at);
  header.writeUInt16LE(f.method, at + 2);
  header.writeUInt16LE(f.time, at + 4);
  header.writeUInt16LE(f.date, at + 6);
  header.writeUInt32LE(f.crc, at + 8);
  header.writeUInt32LE(f.compressed, at + 12);
  header.writeUInt32LE(f.size, at + 16);
  header.writeUInt16LE(f.nameLength, at + 20);
}
