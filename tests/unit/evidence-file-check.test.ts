/**
 * The check of evidence files by content: real small files made here (a PDF, a PNG made byte by
 * byte, a .docx put together with pizzip and one made by the docx library, a .xlsx made by
 * exceljs), and what must be refused (a text file renamed to .pdf, a program, old Office files,
 * broken and encrypted archives, a file too big), each with the Russian sentence the executor reads.
 */
import { crc32, deflateSync } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_ACCEPT, EVIDENCE_LIMITS, checkEvidenceFile, checkEvidenceFiles, evidenceHint, type EvidenceCheck } from '../../web/evidence/file-check.ts';
import { buildXlsx } from './import-builders.ts';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/** A 1×1 white PNG: the signature, then IHDR, IDAT and IEND chunks with their CRCs. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))), chunk('IEND', Buffer.alloc(0))]);
}

/** 1×1 images as cameras and editors save them (`file` calls them a JFIF JPEG, a GIF 89a, a lossless WebP). */
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const RELS = `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const contentTypes = (main: string) =>
  `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${main}</Types>`;
const DOCX_PARTS: Record<string, string | Buffer> = {
  '[Content_Types].xml': contentTypes('<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'),
  '_rels/.rels': RELS,
  'word/document.xml': `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>План мероприятий школы на 2026 год</w:t></w:r></w:p></w:body></w:document>`,
};

/** A ZIP of these parts, as pizzip packs them. */
function zipOf(parts: Record<string, string | Buffer>): Buffer {
  const zip = new PizZip();
  for (const [name, content] of Object.entries(parts)) zip.file(name, content);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const docx = (overrides: Record<string, string | Buffer> = {}) => zipOf({ ...DOCX_PARTS, ...overrides });

/** Overwrites the packed bytes of a part, leaving the archive's headers and directory whole. */
function garble(zip: Buffer, part: string): Buffer {
  // The local header comes before the directory, so the name's first place is in it, after its 30 bytes of fixed fields.
  const header = zip.indexOf(part) - 30;
  expect(zip.subarray(header, header + 4).toString('latin1')).toBe('PK\x03\x04');
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  return zip.fill(0xff, start, start + zip.readUInt32LE(header + 18));
}

/** The start of a file Word 97–2003 or Excel saves, or of an Office file under a password: an OLE compound file naming its streams in UTF-16. */
function compoundFile(...streams: string[]): Buffer {
  const names = streams.map((stream) => Buffer.concat([Buffer.from(stream, 'utf16le'), Buffer.alloc(128 - stream.length * 2)]));
  return Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504), Buffer.from('Root Entry', 'utf16le'), Buffer.alloc(108), ...names]);
}

function accepted(check: EvidenceCheck) {
  if (!check.accepted) throw new Error(check.reason);
  return { kind: check.kind, mediaType: check.mediaType, extension: check.extension, fileName: check.fileName };
}

function refusal(check: EvidenceCheck): string {
  if (check.accepted) throw new Error(`${check.name} принят как ${check.mediaType}`);
  return check.reason;
}

describe('the check of an evidence file by its content', () => {
  it('accepts a PDF by its %PDF- header and serves it as application/pdf', () => {
    const check = checkEvidenceFile({ name: 'Протокол заседания.pdf', content: PDF });
    expect(accepted(check)).toEqual({ kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf', fileName: 'Протокол заседания.pdf' });
    expect(check).toMatchObject({ size: PDF.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('accepts PNG, JPEG, GIF and WebP images by their first bytes', () => {
    expect(accepted(checkEvidenceFile({ name: 'скан.png', content: png() }))).toMatchObject({ kind: 'png', mediaType: 'image/png' });
    expect(accepted(checkEvidenceFile({ name: 'фото.JPEG', content: JPEG }))).toMatchObject({ kind: 'jpeg', mediaType: 'image/jpeg', extension: 'jpg', fileName: 'фото.JPEG' });
    expect(accepted(checkEvidenceFile({ name: 'схема.gif', content: GIF }))).toMatchObject({ kind: 'gif', mediaType: 'image/gif' });
    expect(accepted(checkEvidenceFile({ name: 'фото.webp', content: WEBP }))).toMatchObject({ kind: 'webp', mediaType: 'image/webp' });
  });

  it('accepts a Word document put together with pizzip and one made by the docx library as .docx', async () => {
    const made = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Приказ о назначении кураторов')] }] }));
    for (const content of [docx(), made]) {
      expect(accepted(checkEvidenceFile({ name: 'План.docx', content }))).toEqual({
        kind: 'docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
        fileName: 'План.docx',
      });
    }
  });

  it('accepts an Excel workbook made by exceljs as .xlsx', async () => {
    const content = await buildXlsx([{ name: 'Мониторинг', cells: [{ at: 'A1', value: 'Школа' }, { at: 'B1', value: 42 }] }]);
    expect(accepted(checkEvidenceFile({ name: 'Мониторинг.xlsx', content }))).toEqual({
      kind: 'xlsx',
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      extension: 'xlsx',
      fileName: 'Мониторинг.xlsx',
    });
  });

  it('gives a file with a wrong extension or none the extension of its content, and keeps a name whose dot is no extension', () => {
    expect(accepted(checkEvidenceFile({ name: 'скан', content: JPEG })).fileName).toBe('скан.jpg');
    expect(accepted(checkEvidenceFile({ name: 'план.pdf', content: docx() })).fileName).toBe('план.docx');
    expect(accepted(checkEvidenceFile({ name: 'план.doc', content: docx() })).fileName).toBe('план.docx');
    expect(accepted(checkEvidenceFile({ name: 'Приказ от 01.02.2026', content: PDF })).fileName).toBe('Приказ от 01.02.2026.pdf');
    expect(accepted(checkEvidenceFile({ name: 'фото.jpeg', content: JPEG })).fileName).toBe('фото.jpeg');
  });

  it('refuses a text file renamed to .pdf, naming the file and the types accepted', () => {
    expect(refusal(checkEvidenceFile({ name: 'отчёт.pdf', content: Buffer.from('Отчёт о проведении семинара\n', 'utf8') }))).toMatchInlineSnapshot(
      `"Файл «отчёт.pdf» не принят: по содержимому это не PDF (файл переименован или повреждён); принимаются документы Word (.docx), таблицы Excel (.xlsx), PDF и изображения (PNG, JPEG, GIF, WebP)."`,
    );
  });

  it('refuses a program named «протокол.exe»', () => {
    const program = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]);
    expect(refusal(checkEvidenceFile({ name: 'протокол.exe', content: program }))).toMatchInlineSnapshot(
      `"Файл «протокол.exe» не принят: принимаются документы Word (.docx), таблицы Excel (.xlsx), PDF и изображения (PNG, JPEG, GIF, WebP)."`,
    );
  });

  it('refuses an SVG drawing, which a browser would run scripts in', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(refusal(checkEvidenceFile({ name: 'схема.svg', content: svg }))).toContain('не принят: принимаются');
  });

  it('refuses an old Word .doc and an old Excel .xls, saying how to save them', () => {
    expect(refusal(checkEvidenceFile({ name: 'план.doc', content: compoundFile('WordDocument', '1Table') }))).toMatchInlineSnapshot(
      `"Файл «план.doc» не принят: это документ Word старого формата (.doc); сохраните его как .docx или PDF и приложите снова."`,
    );
    expect(refusal(checkEvidenceFile({ name: 'мониторинг.xls', content: compoundFile('Workbook') }))).toMatchInlineSnapshot(
      `"Файл «мониторинг.xls» не принят: это таблица Excel старого формата (.xls); сохраните её как .xlsx или PDF и приложите снова."`,
    );
  });

  it('refuses a Word or Excel file protected by a password', () => {
    expect(refusal(checkEvidenceFile({ name: 'приказ.docx', content: compoundFile('EncryptionInfo', 'EncryptedPackage') }))).toMatchInlineSnapshot(
      `"Файл «приказ.docx» не принят: он защищён паролем; снимите пароль и приложите файл снова."`,
    );
  });

  it('refuses a ZIP archive that is neither a Word document nor an Excel workbook', () => {
    const presentation = zipOf({ '[Content_Types].xml': contentTypes(''), 'ppt/presentation.xml': '<p:presentation/>' });
    const photos = zipOf({ 'фото1.jpg': JPEG, 'фото2.jpg': JPEG });
    for (const content of [presentation, photos]) expect(refusal(checkEvidenceFile({ name: 'материалы.docx', content }))).toContain('не принят: по содержимому это не документ Word (файл переименован или повреждён); принимаются документы Word');
  });

  it('refuses an encrypted ZIP, a .docx cut short, and a .docx whose [Content_Types].xml is garbled or no XML', () => {
    const encrypted = docx();
    for (let at = encrypted.indexOf('PK\x01\x02'); at >= 0; at = encrypted.indexOf('PK\x01\x02', at + 4)) encrypted.writeUInt16LE(encrypted.readUInt16LE(at + 8) | 1, at + 8);
    for (let at = encrypted.indexOf('PK\x03\x04'); at >= 0; at = encrypted.indexOf('PK\x03\x04', at + 4)) encrypted.writeUInt16LE(encrypted.readUInt16LE(at + 6) | 1, at + 6);
    const cut = docx().subarray(0, 200);
    const garbled = garble(docx(), '[Content_Types].xml');
    const notXml = docx({ '[Content_Types].xml': 'это не XML' });
    for (const content of [encrypted, cut, garbled, notXml]) {
      expect(refusal(checkEvidenceFile({ name: 'план.docx', content }))).toBe('Файл «план.docx» не принят: он повреждён или зашифрован, открыть его не удаётся.');
    }
  });

  it('refuses a .docx whose [Content_Types].xml would unpack to megabytes', () => {
    const bomb = docx({ '[Content_Types].xml': contentTypes(' '.repeat(4 * 1024 * 1024)) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(refusal(checkEvidenceFile({ name: 'план.docx', content: bomb }))).toContain('повреждён или зашифрован');
  });

  it('refuses a Word document with macros', () => {
    expect(refusal(checkEvidenceFile({ name: 'план.docm', content: docx({ 'word/vbaProject.bin': Buffer.from([1, 2, 3]) }) }))).toMatchInlineSnapshot(
      `"Файл «план.docm» не принят: в нём макросы; сохраните его как .docx или .xlsx без макросов и приложите снова."`,
    );
  });

  it('refuses an empty file, and a file over 20 MB with its size', () => {
    expect(refusal(checkEvidenceFile({ name: 'скан.pdf', content: Buffer.alloc(0) }))).toMatchInlineSnapshot(`"Файл «скан.pdf» не принят: он пустой."`);
    const big = Buffer.alloc(EVIDENCE_LIMITS.fileBytes + 1);
    PDF.copy(big);
    expect(refusal(checkEvidenceFile({ name: 'скан.pdf', content: big }))).toMatchInlineSnapshot(`"Файл «скан.pdf» не принят: в нём 20,1 МБ, а принимается файл не больше 20 МБ."`);
    const limit = Buffer.alloc(EVIDENCE_LIMITS.fileBytes);
    PDF.copy(limit);
    expect(checkEvidenceFile({ name: 'скан.pdf', content: limit }).accepted).toBe(true);
  });

  it('names the file without the path a browser may send, control characters and direction marks', () => {
    const check = checkEvidenceFile({ name: 'C:\\fakepath\\Протокол\t№ 3\u202Efdp.exe', content: Buffer.from('MZ') });
    expect(check.name).toBe('Протокол № 3 fdp.exe');
    expect(refusal(check)).toMatch(/^Файл «Протокол № 3 fdp\.exe» не принят/);
    expect(accepted(checkEvidenceFile({ name: '../../etc/скан\u0000', content: JPEG })).fileName).toBe('скан.jpg');
  });

  it('accepts the bytes of a Uint8Array that is a window into a larger buffer', () => {
    const larger = Buffer.concat([Buffer.from('junk'), PDF, Buffer.from('junk')]);
    const view = new Uint8Array(larger.buffer, larger.byteOffset + 4, PDF.length);
    const check = checkEvidenceFile({ name: 'a.pdf', content: view });
    expect(check.accepted && check.content.equals(PDF)).toBe(true);
  });
});

describe('the check of the files of one report', () => {
  /** Distinct small PDFs. */
  const pdf = (n: number, size = PDF.length + 10) => {
    const content = Buffer.alloc(size, 0x20);
    PDF.copy(content);
    content.write(`%${n}`, PDF.length);
    return content;
  };

  it('accepts up to 10 files and refuses each one past them by name', () => {
    const files = Array.from({ length: 12 }, (_, i) => ({ name: `скан ${i + 1}.pdf`, content: pdf(i) }));
    const { accepted, refused } = checkEvidenceFiles(files);
    expect(accepted.map((file) => file.name)).toEqual(files.slice(0, 10).map((file) => file.name));
    expect(refused).toMatchInlineSnapshot(`
      [
        {
          "name": "скан 11.pdf",
          "reason": "Файл «скан 11.pdf» не принят: к одному отчёту можно приложить не больше 10 файлов.",
        },
        {
          "name": "скан 12.pdf",
          "reason": "Файл «скан 12.pdf» не принят: к одному отчёту можно приложить не больше 10 файлов.",
        },
      ]
    `);
  });

  it('lets a refused file take no place among the report\'s files', () => {
    const limits = { fileBytes: 1000, files: 2, reportBytes: 10_000 };
    const { accepted, refused } = checkEvidenceFiles([{ name: 'a.pdf', content: pdf(1) }, { name: 'b.txt', content: Buffer.from('текст') }, { name: 'c.pdf', content: pdf(3) }], limits);
    expect(accepted.map((file) => file.name)).toEqual(['a.pdf', 'c.pdf']);
    expect(refused.map((file) => file.name)).toEqual(['b.txt']);
  });

  it('refuses a file that would take the report over its total and accepts a smaller one after it', () => {
    const limits = { fileBytes: 1000, files: 10, reportBytes: 1500 };
    const { accepted, refused } = checkEvidenceFiles([{ name: 'a.pdf', content: pdf(1, 900) }, { name: 'b.pdf', content: pdf(2, 900) }, { name: 'c.pdf', content: pdf(3, 500) }], limits);
    expect(accepted.map((file) => file.name)).toEqual(['a.pdf', 'c.pdf']);
    expect(refused).toEqual([{ name: 'b.pdf', reason: 'Файл «b.pdf» не принят: все файлы одного отчёта вместе должны занимать не больше 0,1 МБ.' }]);
  });

  it('refuses the same bytes attached twice, naming the file they were attached as first', () => {
    const { accepted, refused } = checkEvidenceFiles([{ name: 'план.pdf', content: PDF }, { name: 'план (копия).pdf', content: Buffer.from(PDF) }]);
    expect(accepted.map((file) => file.name)).toEqual(['план.pdf']);
    expect(refused).toEqual([{ name: 'план (копия).pdf', reason: 'Файл «план (копия).pdf» не принят: это тот же файл, что «план.pdf», он уже приложен.' }]);
  });

  it('passes over a file field left empty, but not an empty file with a name', () => {
    const { accepted, refused } = checkEvidenceFiles([{ name: '', content: new Uint8Array(0) }, { name: 'пусто.pdf', content: new Uint8Array(0) }, { name: 'a.pdf', content: PDF }]);
    expect(accepted.map((file) => file.name)).toEqual(['a.pdf']);
    expect(refused.map((file) => file.name)).toEqual(['пусто.pdf']);
  });

  it('tells the page what may be attached', () => {
    expect(evidenceHint()).toMatchInlineSnapshot(
      `"Можно приложить документы Word (.docx), таблицы Excel (.xlsx), PDF и изображения (PNG, JPEG, GIF, WebP): до 10 файлов, каждый до 20 МБ, все вместе до 50 МБ."`,
    );
    expect(EVIDENCE_ACCEPT.split(',')).toEqual(expect.arrayContaining(['.docx', '.xlsx', '.pdf', '.png', '.jpg', '.jpeg', 'application/pdf', 'image/jpeg']));
  });
});
