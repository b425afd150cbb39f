/**
 * The floor of bench/documents.ts without a JavaScript zip library: the template's archive read
 * once, then per document one entry DEFLATEd by node:zlib and every other entry's compressed bytes
 * copied as they are. Enough of the ZIP format for a .docx: no ZIP64, no encryption, no comments.
 */
import { crc32, deflateRawSync } from 'node:zlib';

interface Entry {
  name: Buffer;
  method: number;
  time: number;
  date: number;
  crc: number;
  size: number;
  /** The entry's data as it is stored, compressed or not. */
  stored: Buffer;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DEFLATE = 8;

export class RawZip {
  private readonly entries: Entry[] = [];

  /** @throws Error when `archive` has no end-of-central-directory record */
  constructor(archive: Buffer) {
    let end = archive.length - 22;
    while (end >= 0 && archive.readUInt32LE(end) !== END) end -= 1;
    if (end < 0) throw new Error('not a ZIP archive');
    let at = archive.readUInt32LE(end + 16);
    for (let count = archive.readUInt16LE(end + 10); count > 0; count -= 1) {
      if (archive.readUInt32LE(at) !== CENTRAL) throw new Error(`no central directory entry at ${at}`);
      const nameLength = archive.readUInt16LE(at + 28);
      const local = archive.readUInt32LE(at + 42);
      const data = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
      this.entries.push({
        name: archive.subarray(at + 46, at + 46 + nameLength),
        method: archive.readUInt16LE(at + 10),
        time: archive.readUInt16LE(at + 12),
        date: archive.readUInt16LE(at + 14),
        crc: archive.readUInt32LE(at + 16),
        size: archive.readUInt32LE(at + 24),
        stored: archive.subarray(data, data + archive.readUInt32LE(at + 20)),
      });
      at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    }
  }

  /** The archive with the entry `name` holding `content`, DEFLATEd at `level`. */
  with(name: string, content: string, level = 6): Buffer {
    const bytes = Buffer.from(content, 'utf8');
    const replaced: Entry = { ...this.entryNamed(name), method: DEFLATE, crc: crc32(bytes), size: bytes.length, stored: deflateRawSync(bytes, { level }) };
    const entries = this.entries.map((entry) => (entry.name.toString() === name ? replaced : entry));
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const entry of entries) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(LOCAL, 0);
      local.writeUInt16LE(20, 4);
      writeCommon(local, 8, entry);
      local.writeUInt16LE(entry.name.length, 26);
      parts.push(local, entry.name, entry.stored);
      const record = Buffer.alloc(46);
      record.writeUInt32LE(CENTRAL, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      writeCommon(record, 10, entry);
      record.writeUInt16LE(entry.name.length, 28);
      record.writeUInt32LE(offset, 42);
      central.push(record, entry.name);
      offset += 30 + entry.name.length + entry.stored.length;
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...parts, directory, end]);
  }

  private entryNamed(name: string): Entry {
    const entry = this.entries.find((each) => each.name.toString() === name);
    if (!entry) throw new Error(`no ${name} in the archive`);
    return entry;
  }
}

/** Method, time, date, CRC and sizes: the same fields, in the same order, in both headers. */
function writeCommon(header: Buffer, at: number, entry: Entry): void {
  header.writeUInt16LE(entry.method, at);
  header.writeUInt16LE(entry.time, at + 2);
  header.writeUInt16LE(entry.date, at + 4);
  header.writeUInt32LE(entry.crc >>> 0, at + 6);
  header.writeUInt32LE(entry.stored.length, at + 10);
  header.writeUInt32LE(entry.size, at + 14);
}
