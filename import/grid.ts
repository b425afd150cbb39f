/**
 * A table as Word and Excel mean it: a grid of rows and columns in which a merged cell
 * belongs to every position it spans. The readers of .docx and .xlsx both make this; the
 * plan-graph is read from it (import/plan-table.ts).
 */

/** One physical cell, seen at one grid position. */
export interface GridCell {
  /** The cell's text, lines joined by `\n`, not yet cleaned. */
  text: string;
  /** Which physical cell this is: the same for every position a merge covers. */
  key: string;
  /** The first and last grid column the cell spans (0-based). */
  first: number;
  last: number;
}

export interface GridRow {
  /** The row as its reader finds it: «строка 7» (of the table, or of the sheet). */
  label: string;
  /** Positions without a cell (a short row) are `undefined`. */
  cells: (GridCell | undefined)[];
  /** Word marks the header rows it repeats on every page. */
  repeatedHeader?: boolean;
  /** The table the row is in, when it is not the table's own place: a Word table continued in the next one. */
  place?: string;
}

export interface GridTable {
  /** Where the table is, for messages: «таблица 2», «лист «План»». */
  place: string;
  /** Paragraphs before the table, nearest last, empty ones kept (they end the title's block). */
  before: string[];
  rows: GridRow[];
  width: number;
  /** How a column is named in messages: Excel's letters (`C`), or none for Word. */
  columnLetter?: (column: number) => string;
}

/** A file the importer cannot read: the message says why, in Russian, for its author. */
export class ImportFileError extends Error {}

/** `A`, `B`, …, `Z`, `AA`: Excel's name of a 0-based column. */
export function excelColumnLetter(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
