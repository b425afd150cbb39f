/**
 * Spreadsheets the office downloads (exceljs): a bold header row that stays in view, filters on
 * every column, dates as real dates shown the Russian way (ДД.ММ.ГГГГ), numbers as numbers.
 */
import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import type { IsoDate } from '../plan/dates.ts';

export interface SheetColumn<Row> {
  header: string;
  /** Characters. */
  width: number;
  /** `date` cells take an ISO date and are written as dates; `null` leaves the cell empty. */
  type?: 'text' | 'number' | 'date';
  value: (row: Row) => string | number | IsoDate | null;
}

export interface Sheet<Row> {
  name: string;
  columns: readonly SheetColumn<Row>[];
  rows: readonly Row[];
}

const RUSSIAN_DATE = 'dd.mm.yyyy';

/** A workbook of the sheets, as the bytes of an .xlsx file. */
export async function buildWorkbook(sheets: readonly Sheet<never>[] | readonly Sheet<any>[], meta: { title: string; creator?: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator ?? 'plangraf';
  workbook.title = meta.title;
  for (const sheet of sheets as readonly Sheet<unknown>[]) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({ header: column.header, width: column.width, style: column.type === 'date' ? { numFmt: RUSSIAN_DATE } : {} }));
    for (const row of sheet.rows) {
      worksheet.addRow(
        sheet.columns.map((column) => {
          const value = column.value(row);
          if (value === null || value === '') return null;
          // A date is a calendar day: written at UTC midnight, it is that day in every client.
          if (column.type === 'date') return new Date(`${value}T00:00:00Z`);
          return value;
        }),
      );
    }
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', wrapText: true };
    worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, sheet.rows.length + 1), column: sheet.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a workbook as a download named in Russian (RFC 6266 `filename*`). */
export function workbookResponse(c: Context, fileName: string, content: Buffer): Response {
  return c.body(new Uint8Array(content), 200, {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}
