/**
 * .docx to PDF (and to plain text, for checks) through LibreOffice in headless mode, where it
 * is installed. Many files go through one LibreOffice start: it costs seconds to start, and
 * milliseconds a document after that.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** LibreOffice is not installed: the message says how to install it. */
export class PdfUnavailable extends Error {
  constructor() {
    super('для --pdf нужен LibreOffice, а он не установлен: apt-get install libreoffice-writer-nogui fonts-liberation2 (или bash scripts/setup-libreoffice.sh); документы .docx сохранены');
  }
}

const CANDIDATES = ['soffice', 'libreoffice'];

/** The LibreOffice command on this machine (PLANGRAF_SOFFICE names it, and then only it), or `null`. */
export async function findLibreOffice(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  for (const name of env.PLANGRAF_SOFFICE ? [env.PLANGRAF_SOFFICE] : CANDIDATES) {
    const found = await new Promise<boolean>((resolve) => execFile(name, ['--version'], { timeout: 60_000 }, (error) => resolve(!error)));
    if (found) return name;
  }
  return null;
}

/**
 * Converts .docx files into `format` (`pdf`, or `txt:Text` for plain text) in `outDir`; returns
 * the paths written, in the order given.
 * @throws PdfUnavailable when LibreOffice is not installed
 */
export async function convertWithLibreOffice(files: readonly string[], outDir: string, format = 'pdf'): Promise<string[]> {
  if (files.length === 0) return [];
  const soffice = await findLibreOffice();
  if (!soffice) throw new PdfUnavailable();
  // A profile of its own: two conversions at once would otherwise fight over the user's.
  const profile = await mkdtemp(join(tmpdir(), 'plangraf-lo-'));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', format, '--outdir', outDir, ...files],
        { timeout: 120_000 + files.length * 5_000, maxBuffer: 16 * 1024 * 1024 },
        (error, _stdout, stderr) => (error ? reject(new Error(`LibreOffice не смог преобразовать документы: ${stderr || error.message}`)) : resolve()),
      );
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  const extension = format.split(':')[0]!;
  return files.map((file) => join(outDir, `${basename(file).replace(/\.docx$/i, '')}.${extension}`));
}
