/**
 * The ZIP writer a render writes its .docx with: what it writes, pizzip, `unzip -t` and
 * LibreOffice read back entry by entry, with the CRCs right; a part left alone keeps the
 * template's compressed bytes; the same changes and date give the same bytes in any time zone.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { convertWithLibreOffice, findLibreOffice } from '../../documents/pdf.ts';
import { crc32, tableCrc32, ZipArchive } from '../../documents/zip-archive.ts';
import { DOCX_DIR, TEMPLATES } from '../../templates/documents/catalog.ts';

const run = promisify(execFile);
const BODY = 'word/document.xml';
const MARCH_2 = () => new Date(2026, 2, 2);

let template: Buffer;
let scratch: string;
beforeAll(async () => {
  template = await readFile(join(DOCX_DIR, 'contract.docx'));
  scratch = await mkdtemp(join(tmpdir(), 'plangraf-zip-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Every entry's content as pizzip reads it, checking each CRC. */
function contentsOf(archive: Buffer): Map<string, Buffer> {
  const zip = new PizZip(archive, { checkCRC32: true });
  return new Map(Object.values(zip.files).map((file) => [file.name, Buffer.from(file.asUint8Array())]));
}

/** Each entry's data as stored, walking the local headers: what the writer copied, read without it. */
function storedOf(archive: Buffer): Map<string, Buffer> {
  const stored = new Map<string, Buffer>();
  for (let at = 0; archive.readUInt32LE(at) === 0x04034b50; ) {
    const nameLength = archive.readUInt16LE(at + 26);
    const data = at + 30 + nameLength + archive.readUInt16LE(at + 28);
    const end = data + archive.readUInt32LE(at + 18);
    stored.set(archive.toString('utf8', at + 30, at + 30 + nameLength), archive.subarray(data, end));
    at = end;
  }
  return stored;
}

/** `unzip -t`: every entry inflated and its CRC checked by Info-ZIP. */
async function unzipTest(archive: Buffer, name: string): Promise<string> {
  const file = join(scratch, name);
  await writeFile(file, archive);
  return (await run('unzip', ['-t', file])).stdout;
}

describe('an archive written again', () => {
  it('holds the changed entry and every other one as they were, read back by pizzip and unzip -t with their CRCs', async () => {
    const body = Buffer.from(new ZipArchive(template).content(BODY).toString().replace('ДОГОВОР', 'Договор «№ 1» & <ёлочки>'));
    const written = new ZipArchive(template).write(new Map([[BODY, body]]), { date: MARCH_2() });
    const before = contentsOf(template);
    const after = contentsOf(written);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, content] of after) expect(content.equals(name === BODY ? body : before.get(name)!), name).toBe(true);
    expect(await unzipTest(written, 'changed.docx')).toMatch(/No errors detected/);
  });

  it('keeps the compressed bytes of every entry it was not given, and of one given what it had', () => {
    const archive = new ZipArchive(template);
    const same = archive.write(new Map([['[Content_Types].xml', Buffer.from(archive.content('[Content_Types].xml'))]]), { date: MARCH_2() });
    const changed = archive.write(new Map([[BODY, Buffer.from('<w:document/>')]]), { date: MARCH_2() });
    const original = storedOf(template);
    for (const [name, stored] of storedOf(same)) expect(stored.equals(original.get(name)!), name).toBe(true);
    for (const [name, stored] of storedOf(changed)) expect(stored.equals(original.get(name)!), name).toBe(name !== BODY);
  });

  it('adds an entry the archive lacks at its end, a Cyrillic name marked as UTF-8', async () => {
    const written = new ZipArchive(template).write(new Map([['customXml/заметка.xml', Buffer.from('<заметка/>')]]), { date: MARCH_2() });
    expect(new ZipArchive(written).names.at(-1)).toBe('customXml/заметка.xml');
    expect(contentsOf(written).get('customXml/заметка.xml')!.toString()).toBe('<заметка/>');
    expect(await unzipTest(written, 'added.docx')).toMatch(/No errors detected/);
  });

  it('dates every entry with the local wall-clock time, to 2 seconds', () => {
    const written = new ZipArchive(template).write(new Map(), { date: new Date(2026, 2, 2, 14, 30, 59) });
    for (const file of Object.values(new PizZip(written).files)) expect(file.date).toEqual(new Date(2026, 2, 2, 14, 30, 58));
  });

  it('is the same bytes for the same changes and date, in Moscow, Vladivostok and New York alike', () => {
    const body = Buffer.from('<w:document>один</w:document>');
    const zone = process.env.TZ;
    const instants: number[] = [];
    const written = ['Europe/Moscow', 'Asia/Vladivostok', 'America/New_York'].map((tz) => {
      process.env.TZ = tz;
      try {
        instants.push(MARCH_2().getTime());
        return new ZipArchive(template).write(new Map([[BODY, body]]), { date: MARCH_2() });
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });
    expect(new Set(instants).size, 'three different midnights').toBe(3);
    expect(Buffer.compare(written[0]!, written[1]!)).toBe(0);
    expect(Buffer.compare(written[0]!, written[2]!)).toBe(0);
  });

  it('refuses what is not a ZIP archive', () => {
    expect(() => new ZipArchive(Buffer.from('%PDF-1.7 not a zip'))).toThrow(/not a ZIP archive/);
    expect(() => new ZipArchive(template.subarray(0, template.length - 30))).toThrow(/not a ZIP archive/);
  });
});

describe('a contract rendered through it', () => {
  it('differs from its template in the body alone, and LibreOffice reads it', async () => {
    const sample = TEMPLATES.contract.sample as { partner: { name: string } };
    const document = await new DocumentRenderer().render('contract', sample, { number: 'ДС-2026/001', date: '2026-03-02' });
    const original = storedOf(template);
    for (const [name, stored] of storedOf(document.content)) expect(stored.equals(original.get(name)!), name).toBe(name !== BODY);
    expect(await unzipTest(document.content, 'contract.docx')).toMatch(/No errors detected/);
    if (!(await findLibreOffice())) return;
    const file = join(scratch, 'contract-rendered.docx');
    await writeFile(file, document.content);
    const [text] = await convertWithLibreOffice([file], scratch, 'txt:Text');
    expect(await readFile(text!, 'utf8')).toContain(sample.partner.name);
  }, 120_000);
});

describe('CRC-32', () => {
  it('is the check value of the ZIP polynomial, by the table as by node:zlib', () => {
    const nine = Buffer.from('123456789');
    expect(tableCrc32(nine)).toBe(0xcbf43926);
    expect(crc32(nine)).toBe(0xcbf43926);
    const body = new ZipArchive(template).content(BODY);
    expect(tableCrc32(body)).toBe(crc32(body));
    if ('crc32' in zlib) expect(crc32).toBe(zlib.crc32);
  });
});
