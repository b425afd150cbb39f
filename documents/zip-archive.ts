/**
 * A ZIP archive (a .docx) read once and written again with some entries' contents replaced.
 *
 * A render changes one or two parts of a .docx: the others are written with the compressed bytes
 * and the CRC they had in the template, and only a part whose content changed is DEFLATEd again,
 * by node:zlib. Enough of the ZIP format for office documents: entries stored or DEFLATEd, no
 * ZIP64, no encryption; a data descriptor, an extra field or a comment read is not written back.
 */
import * as zlib from 'node:zlib';

interface Entry {
  key: string;
  /** The name as the archive spells it: bytes, UTF-8 when `flags` has bit 11. */
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  size: number;
  /** The entry's data as it is stored, compressed or not. */
  stored: Buffer;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const LOCAL_LENGTH = 30;
const CENTRAL_LENGTH = 46;
const END_LENGTH = 22;
const STORED = 0;
const DEFLATE = 8;
/** Bits 1–2 say how hard an entry was DEFLATEd, bit 11 that its name is UTF-8: the rest (a data descriptor, encryption) is not written. */
const KEPT_FLAGS = 0x0806;
const UTF8_NAME = 0x0800;

/** CRC-32 of the ZIP format: node:zlib's where it has one (Node ≥ 20.15), else {@link tableCrc32}. */
export const crc32: (data: Uint8Array) => number = (zlib as { crc32?: (data: Uint8Array) => number }).crc32 ?? tableCrc32;

export class ZipArchive {
  private readonly entries: Entry[] = [];
  private readonly byName = new Map<string, Entry>();
  private readonly contents = new Map<string, Buffer>();

  /**
   * Reads the archive's central directory; the entries' data stay where they are until asked for.
   * @throws Error when `archive` is not a ZIP archive, or one with ZIP64 records or encrypted entries
   */
  constructor(archive: Uint8Array) {
    const bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
    const end = endOfDirectory(bytes);
    const count = bytes.readUInt16LE(end + 10);
    let at = bytes.readUInt32LE(end + 16);
    if (count === 0xffff || at === 0xffffffff) throw new Error('ZIP64 archives are not supported');
    for (let left = count; left > 0; left -= 1) {
      if (at + CENTRAL_LENGTH > end || bytes.readUInt32LE(at) !== CENTRAL) throw new Error(`no central directory record at byte ${at}`);
      const flags = bytes.readUInt16LE(at + 8);
      const nameLength = bytes.readUInt16LE(at + 28);
      const storedLength = bytes.readUInt32LE(at + 20);
      const local = bytes.readUInt32LE(at + 42);
      const name = bytes.subarray(at + 46, at + 46 + nameLength);
      const key = name.toString();
      if (flags & 1) throw new Error(`${key} is encrypted`);
      if (local + LOCAL_LENGTH > bytes.length || bytes.readUInt32LE(local) !== LOCAL) throw new Error(`no local header for ${key} at byte ${local}`);
      const data = local + LOCAL_LENGTH + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      if (data + storedLength > bytes.length) throw new Error(`${key} runs past the end of the archive`);
      const entry: Entry = {
        key,
        name,
        flags: flags & KEPT_FLAGS,
        method: bytes.readUInt16LE(at + 10),
        crc: bytes.readUInt32LE(at + 16),
        size: bytes.readUInt32LE(at + 24),
        stored: bytes.subarray(data, data + storedLength),
      };
      this.entries.push(entry);
      this.byName.set(entry.key, entry);
      at += CENTRAL_LENGTH + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
  }

  /** The entries' names, in the archive's order. */
  get names(): string[] {
    return this.entries.map((entry) => entry.key);
  }

  /**
   * An entry's content, inflated once and kept.
   * @throws Error when there is no such entry or its compression is neither stored nor DEFLATE
   */
  content(name: string): Buffer {
    let content = this.contents.get(name);
    if (!content) {
      const entry = this.byName.get(name);
      if (!entry) throw new Error(`no ${name} in the archive`);
      if (entry.method === STORED) content = entry.stored;
      else if (entry.method === DEFLATE) content = zlib.inflateRawSync(entry.stored);
      else throw new Error(`${name} is compressed by method ${entry.method}, not DEFLATE`);
      this.contents.set(name, content);
    }
    return content;
  }

  /**
   * The archive again, every entry dated `date`, the entries of `changes` holding their new
   * content. An entry whose new content equals its old one keeps its compressed bytes; one that
   * changed is DEFLATEd at `level`; a name the archive lacks is added at the end. The same
   * changes and `date` give the same bytes. ZIP dates are local wall-clock time without a zone:
   * a local midnight (`new Date(y, m - 1, d)`) gives the same bytes in every time zone.
   * @example
   * const docx = new ZipArchive(template).write(new Map([['word/document.xml', body]]), { date: new Date(2026, 2, 2) });
   */
  write(changes: ReadonlyMap<string, Uint8Array>, options: { date: Date; level?: number }): Buffer {
    const [time, date] = dosDateTime(options.date);
    const level = options.level ?? 6;
    const entries = this.entries.map((entry) => (this.changed(entry, changes) ? deflated(entry.key, entry.flags & UTF8_NAME, changes.get(entry.key)!, level) : entry));
    for (const [name, content] of changes) {
      if (this.byName.has(name)) continue;
      entries.push(deflated(name, /^[\x20-\x7e]*$/.test(name) ? 0 : UTF8_NAME, content, level));
    }
    let length = END_LENGTH;
    for (const entry of entries) length += LOCAL_LENGTH + CENTRAL_LENGTH + 2 * entry.name.length + entry.stored.length;
    const output = Buffer.alloc(length);
    let at = 0;
    const offsets: number[] = [];
    for (const entry of entries) {
      offsets.push(at);
      output.writeUInt32LE(LOCAL, at);
      output.writeUInt16LE(versionNeeded(entry), at + 4);
      writeCommon(output, at + 6, entry, time, date);
      output.writeUInt16LE(entry.name.length, at + 26);
      output.writeUInt16LE(0, at + 28);
      at += LOCAL_LENGTH;
      at += entry.name.copy(output, at);
      at += entry.stored.copy(output, at);
    }
    const directory = at;
    for (const [i, entry] of entries.entries()) {
      output.writeUInt32LE(CENTRAL, at);
      // Made by version 2.0 on MS-DOS: no Unix permissions to carry, as Word writes it.
      output.writeUInt16LE(20, at + 4);
      output.writeUInt16LE(versionNeeded(entry), at + 6);
      writeCommon(output, at + 8, entry, time, date);
      output.writeUInt16LE(entry.name.length, at + 28);
      // Extra field, comment, disk, internal and external attributes stay zero.
      output.writeUInt32LE(offsets[i]!, at + 42);
      at += CENTRAL_LENGTH;
      at += entry.name.copy(output, at);
    }
    output.writeUInt32LE(END, at);
    output.writeUInt16LE(entries.length, at + 8);
    output.writeUInt16LE(entries.length, at + 10);
    output.writeUInt32LE(at - directory, at + 12);
    output.writeUInt32LE(directory, at + 16);
    return output;
  }

  /** Whether `changes` gives the entry other content; one of another length is not inflated to tell. */
  private changed(entry: Entry, changes: ReadonlyMap<string, Uint8Array>): boolean {
    const content = changes.get(entry.key);
    return content !== undefined && (content.length !== entry.size || !this.content(entry.key).equals(content));
  }
}

/**
 * CRC-32 (the polynomial of ZIP, gzip and PNG) a byte at a time from a table: for Node versions
 * whose zlib has no `crc32`.
 */
export function tableCrc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function deflated(key: string, flags: number, content: Uint8Array, level: number): Entry {
  return { key, name: Buffer.from(key), flags, method: DEFLATE, crc: crc32(content), size: content.length, stored: zlib.deflateRawSync(content, { level }) };
}

/** 2.0 for DEFLATE, 1.0 for stored entries. */
function versionNeeded(entry: Entry): number {
  return entry.method === DEFLATE ? 20 : 10;
}

/** Flags, method, time, date, CRC and both sizes: the same fields, in the same order, in both headers. */
function writeCommon(header: Buffer, at: number, entry: Entry, time: number, date: number): void {
  header.writeUInt16LE(entry.flags, at);
  header.writeUInt16LE(entry.method, at + 2);
  header.writeUInt16LE(time, at + 4);
  header.writeUInt16LE(date, at + 6);
  header.writeUInt32LE(entry.crc >>> 0, at + 8);
  header.writeUInt32LE(entry.stored.length, at + 12);
  header.writeUInt32LE(entry.size, at + 16);
}

/** MS-DOS time and date from the date's local wall-clock time, to 2 seconds; a date before 1980 or after 2107, which DOS cannot say, is its first or last. */
function dosDateTime(when: Date): [time: number, date: number] {
  if (when.getFullYear() < 1980) return [0, (1 << 5) | 1];
  if (when.getFullYear() > 2107) return [(23 << 11) | (59 << 5) | 29, (127 << 9) | (12 << 5) | 31];
  const time = (when.getHours() << 11) | (when.getMinutes() << 5) | (when.getSeconds() >> 1);
  const date = ((when.getFullYear() - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate();
  return [time, date];
}

/** The end-of-central-directory record: the last one, searched back over a comment of up to 64 KiB. */
function endOfDirectory(bytes: Buffer): number {
  const last = Math.max(0, bytes.length - END_LENGTH - 0xffff);
  for (let at = bytes.length - END_LENGTH; at >= last; at -= 1) {
    if (bytes.readUInt32LE(at) === END) return at;
  }
  throw new Error('not a ZIP archive: no end-of-central-directory record');
}
