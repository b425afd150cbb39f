/**
 * Word and Excel files that look like real plan-graphs, built for the import tests: a
 * title before the table, merged cells, section headings across the table, a header repeated
 * on a «second page», and the debris of pasted text (soft hyphens, line breaks, NBSP).
 */
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPlanFile, type LoadedPlan } from '../../activities/plan-files.ts';


/** A cell: its text (`\n` is a line break inside a paragraph, `\n\n` a new paragraph), and how far it spans. */
export type CellSpec = string | { text: string; rowSpan?: number; columnSpan?: number; autoNumber?: boolean };

export interface DocxSpec {
  /** Paragraphs before the table; `''` is an empty paragraph. */
  before: string[];
  /** The rows; a row whose first cell is `{ header: true }`-marked repeats on every page. */
  rows: { cells: CellSpec[]; header?: boolean }[];
  /** A second table before the plan-graph (an approval stamp, a list of indicators). */
  otherTableFirst?: string[][];
}

/** A .docx made by the `docx` library, as Word would save such a table: rowSpan → w:vMerge, columnSpan → w:gridSpan. */
export async function buildDocx(spec: DocxSpec): Promise<Buffer> {
  const paragraphsOf = (text: string, autoNumber = false) =>
    text.split('\n\n').map(
      (paragraph) =>
        new Paragraph({
          ...(autoNumber ? { numbering: { reference: 'plan-numbers', level: 0 } } : {}),
          children: paragraph.split('\n').map((line, index) => new TextRun({ text: line, ...(index > 0 ? { break: 1 } : {}) })),
        }),
    );
  const tableOf = (rows: DocxSpec['rows']) =>
    new Table({
      rows: rows.map(
        (row) =>
          new TableRow({
            tableHeader: row.header ?? false,
            children: row.cells.map((cell) => {
              const spec = typeof cell === 'string' ? { text: cell } : cell;
              return new TableCell({ children: paragraphsOf(spec.text, spec.autoNumber), ...(spec.rowSpan ? { rowSpan: spec.rowSpan } : {}), ...(spec.columnSpan ? { columnSpan: spec.columnSpan } : {}) });
            }),
          }),
      ),
    });
  const children = [
    ...(spec.otherTableFirst ? [tableOf(spec.otherTableFirst.map((cells) => ({ cells }))), new Paragraph('')] : []),
    ...spec.before.map((text) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(text)] })),
    tableOf(spec.rows),
  ];
  const document = new Document({
    numbering: { config: [{ reference: 'plan-numbers', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT }] }] },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}

export interface XlsxCell {
  /** `A1`-style address. */
  at: string;
  value: ExcelJS.CellValue;
  numFmt?: string;
}

/** A .xlsx made by exceljs: values, merged ranges (`A1:E1`), a sheet name. */
export async function buildXlsx(sheets: { name: string; cells: XlsxCell[]; merges?: string[] }[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    for (const cell of spec.cells) {
      sheet.getCell(cell.at).value = cell.value;
      if (cell.numFmt) sheet.getCell(cell.at).numFmt = cell.numFmt;
    }
    for (const range of spec.merges ?? []) sheet.mergeCells(range);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Rows of an Excel sheet from arrays (`null` leaves a cell empty), from a first row number. */
export function sheetRows(firstRow: number, rows: (ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string })[][]): XlsxCell[] {
  return rows.flatMap((row, rowIndex) =>
    row.flatMap((value, column) => {
      if (value === null || value === undefined) return [];
      const at = `${String.fromCharCode(65 + column)}${firstRow + rowIndex}`;
      return typeof value === 'object' && value !== null && 'numFmt' in value ? [{ at, value: value.value, numFmt: value.numFmt }] : [{ at, value: value as ExcelJS.CellValue }];
    }),
  );
}

/** Writes a plan's text into `dir` and loads it as the command line would; throws with the problems of an invalid one. */
export async function loadPlanText(dir: string, text: string, name: string): Promise<LoadedPlan> {
  const file = join(dir, name);
  await writeFile(file, text);
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) throw new Error(loaded.lines.join('\n'));
  return loaded.loaded;
}

/** What a plan says item by item, and its schedule task by task, date by date: what an import must get right. */
export function planEssence(loaded: LoadedPlan) {
  return {
    year: loaded.plan.year,
    schoolYear: loaded.plan.schoolYear,
    people: loaded.plan.people.map(({ id, name, email }) => ({ id, name, email })),
    items: loaded.plan.items.map(({ id, title, when, executor, result }) => ({ id, title, when, executor, result })),
    schedule: loaded.schedule.tasks.map(({ task, start, due, executor, coExecutors, result }) => ({ task, start, due, executor, coExecutors, result })),
  };
}
