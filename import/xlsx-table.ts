/**
 * The sheets of an Excel workbook (.xlsx) as tables, read with exceljs: a merged range belongs
 * to every cell it covers, and a cell reads as Excel shows it (a date as `29.12.2020`, a percent
 * as `100%`), not as the value's JavaScript text. Pure after unzip: the caller gives the bytes.
 */
import ExcelJS from 'exceljs';
import { excelColumnLetter, ImportFileError, type GridCell, type GridRow, type GridTable } from './grid.ts';

/**
 * Every visible sheet of the workbook, in order, each as one table from its first row.
 * @throws ImportFileError when the bytes are not an Excel workbook (.xls, a broken zip, another zip)
 */
export async function readXlsxTables(bytes: Uint8Array): Promise<GridTable[]> {
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new ImportFileError('это книга старого формата Excel (.xls); откройте её в Excel или LibreOffice и сохраните как .xlsx');
  }
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new ImportFileError('файл повреждён или это не книга Excel (.xlsx): его не открыть как архив');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new ImportFileError('файл повреждён или это не книга Excel (.xlsx): в нём нет листов книги');
  }
  return workbook.worksheets.filter((sheet) => sheet.state === 'visible' || sheet.state === undefined).map(readSheet);
}

function readSheet(sheet: ExcelJS.Worksheet): GridTable {
  const width = sheet.columnCount;
  const merges = new Map<string, { first: number; last: number }>();
  for (const range of (sheet.model as { merges?: string[] }).merges ?? []) {
    const [from, to] = range.split(':');
    const start = sheet.getCell(from!);
    const end = sheet.getCell(to ?? from!);
    merges.set(start.address, { first: Number(start.col) - 1, last: Number(end.col) - 1 });
  }
  const rows: GridRow[] = [];
  for (let rowNumber = 1; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    const cells: (GridCell | undefined)[] = [];
    for (let column = 0; column < width; column += 1) {
      const cell = row.getCell(column + 1);
      const master = cell.isMerged ? cell.master : cell;
      const span = merges.get(master.address);
      cells.push({ text: displayedText(master), key: master.address, first: span?.first ?? column, last: span?.last ?? column });
    }
    rows.push({ label: `строка ${rowNumber}`, cells });
  }
  return { place: `лист «${sheet.name}»`, before: [], rows, width, columnLetter: excelColumnLetter };
}

/** What the cell shows, as text. */
function displayedText(cell: ExcelJS.Cell): string {
  return valueText(cell.value, cell.numFmt);
}

function valueText(value: ExcelJS.CellValue | undefined, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (typeof value === 'number') return numberText(value, numFmt);
  if (value instanceof Date) return dateText(value, numFmt);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return valueText((value as { result?: ExcelJS.CellValue }).result ?? null, numFmt);
  if ('hyperlink' in value) return valueText((value as { text?: ExcelJS.CellValue }).text ?? '', numFmt);
  if ('error' in value) return String(value.error);
  return '';
}

/** `1` with a percent format shows `100%`; other numbers as they are, without float noise. */
function numberText(value: number, numFmt: string | undefined): string {
  if (numFmt?.includes('%')) return `${Number((value * 100).toPrecision(12))}%`;
  return String(Number(value.toPrecision(15)));
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/**
 * Excel's dates are calendar dates that exceljs carries as UTC midnights: read them in UTC, as
 * the cell shows them. A format without the day (`mmmm yyyy`, «Март 2022») shows a month, and
 * the month is what the plan means: «март 2022», due at its end, not on its first day.
 */
function dateText(date: Date, numFmt: string | undefined): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  // Quoted text and [colour]/[locale] blocks are not date tokens.
  const tokens = (numFmt ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  if (/m/i.test(tokens) && !/d/i.test(tokens)) return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  return `${pad(date.getUTCDate())}.${pad(date.getUTCMonth() + 1)}.${date.getUTCFullYear()}`;
}
