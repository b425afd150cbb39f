/**
 * The files the documents pages hand out besides the registered .docx: its PDF, made by
 * LibreOffice where it is installed (and kept a while in this server's memory, by the .docx's
 * SHA-256), and a plan's documents as one .zip archive.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { convertWithLibreOffice, findLibreOffice } from '../../documents/pdf.ts';

let libreOffice: Promise<string | null> | undefined;

/** Whether this server can make PDFs: LibreOffice is looked for once. */
export async function pdfAvailable(): Promise<boolean> {
  libreOffice ??= findLibreOffice();
  return (await libreOffice) !== null;
}

/** PDFs made lately, by their .docx's SHA-256: the contracts' job makes them, the downloads take them. */
const made = new Map<string, Buffer>();
const KEEP = 300;

function keep(hash: string, pdf: Buffer): void {
  made.delete(hash);
  made.set(hash, pdf);
  while (made.size > KEEP) made.delete(made.keys().next().value!);
}

/**
 * The PDFs of the documents, by their .docx's SHA-256: those made lately from memory, the rest
 * in one LibreOffice run.
 * @throws PdfUnavailable when LibreOffice is not installed
 */
export async function pdfsOf(documents: readonly { sha256: string; content: Buffer }[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const missing = [...new Map(documents.filter((document) => !made.has(document.sha256)).map((document) => [document.sha256, document])).values()];
  if (missing.length > 0) {
    const dir = await mkdtemp(join(tmpdir(), 'plangraf-pdf-'));
    try {
      const files = await Promise.all(missing.map(async (document, index) => {
        const file = join(dir, `${index}.docx`);
        await writeFile(file, document.content);
        return file;
      }));
      const pdfs = await convertWithLibreOffice(files, dir);
      for (const [index, document] of missing.entries()) keep(document.sha256, await readFile(pdfs[index]!));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  for (const document of documents) {
    const pdf = made.get(document.sha256);
    if (pdf) result.set(document.sha256, pdf);
  }
  return result;
}

/** `Договор ДС-2026-001 ….docx` → `Договор ДС-2026-001 ….pdf`. */
export function pdfNameOf(fileName: string): string {
  return fileName.replace(/\.docx$/i, '') + '.pdf';
}

/** The files as one .zip archive, in the order given; a name met twice gets a number. */
export function zipOf(files: readonly { name: string; content: Buffer }[]): Buffer {
  const zip = new PizZip();
  const used = new Set<string>();
  for (const file of files) {
    let name = file.name;
    for (let n = 2; used.has(name); n += 1) name = file.name.replace(/(\.[^.]+)?$/, (extension) => ` (${n})${extension}`);
    used.add(name);
    zip.file(name, file.content, { createFolders: false });
  }
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}
