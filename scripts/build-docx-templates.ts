/**
 * Writes the shipped .docx templates into templates/docx/ from their layouts in
 * scripts/docx-templates/. The output is byte-for-byte reproducible: run it after changing a
 * layout and commit the .docx (a test checks the committed files are up to date).
 *
 * Run: node --import tsx scripts/build-docx-templates.ts [OUT_DIR]
 */
import { Packer, type Document } from 'docx';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PizZip from 'pizzip';
import { analyticNoteLayout } from './docx-templates/analytic-note.ts';
import { contractLayout } from './docx-templates/contract.ts';
import { executionReportLayout } from './docx-templates/execution-report.ts';
import { orderLayout } from './docx-templates/order.ts';
import { subsidyReportLayout } from './docx-templates/subsidy-report.ts';

/** Each template file and its layout. */
export const LAYOUTS: Record<string, () => Document> = {
  'order.docx': orderLayout,
  'contract.docx': contractLayout,
  'execution-report.docx': executionReportLayout,
  'subsidy-report.docx': subsidyReportLayout,
  'analytic-note.docx': analyticNoteLayout,
};

export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/docx/', import.meta.url));

/** A fixed moment for the package's timestamps, so the same layout always gives the same bytes. */
const EPOCH = '2026-01-01T00:00:00Z';

/** The .docx of a layout, with its creation dates and ZIP entry times fixed. */
export async function buildTemplate(layout: () => Document): Promise<Buffer> {
  const zip = new PizZip(await Packer.toBuffer(layout()));
  const core = zip.file('docProps/core.xml');
  if (core) zip.file('docProps/core.xml', core.asText().replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${EPOCH}$2`));
  const fixed = new PizZip();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    // ZIP keeps local wall-clock time: a local midnight is the same bytes in every time zone.
    fixed.file(name, entry.asUint8Array(), { date: new Date(2026, 0, 1), binary: true });
  }
  return fixed.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const out = process.argv[2] ?? TEMPLATES_DIR;
  await mkdir(out, { recursive: true });
  for (const [file, layout] of Object.entries(LAYOUTS)) {
    await writeFile(join(out, file), await buildTemplate(layout));
    process.stderr.write(`${join(out, file)}\n`);
  }
}
