/**
 * The building blocks of the shipped .docx templates, in Russian office style (ГОСТ Р 7.0.97):
 * Times New Roman, justified text with a first-line indent, centred titles, tables with thin
 * borders. Each tag is written into a single run, so docxtemplater reads it whole; Word keeps
 * tags whole when a user edits around them, and docxtemplater joins them if Word splits them.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopPosition,
  TabStopType,
  TextRun,
  VerticalAlign,
  WidthType,
  type FileChild,
  type ISectionOptions,
} from 'docx';

/** 1 cm in twentieths of a point. */
export const CM = 567;
const FONT = 'Times New Roman';
/** Half-points. */
const BODY_SIZE = 26;
const TABLE_SIZE = 22;

export interface Text {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

type Runs = string | (string | Text)[];

function runs(content: Runs, size?: number, bold = false): TextRun[] {
  const pieces = typeof content === 'string' ? [content] : content;
  return pieces.map((piece) => (typeof piece === 'string' ? new TextRun({ text: piece, bold, size }) : new TextRun({ text: piece.text, bold: piece.bold ?? bold, italics: piece.italic, underline: piece.underline ? {} : undefined, size })));
}

export const bold = (text: string): Text => ({ text, bold: true });

/** A body paragraph: justified, first line indented 1.25 cm. */
export function para(content: Runs, options: { indent?: boolean; keepNext?: boolean; spaceBefore?: number; spaceAfter?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: options.indent === false ? undefined : { firstLine: Math.round(1.25 * CM) },
    spacing: { before: options.spaceBefore, after: options.spaceAfter ?? 0, line: 276 },
    keepNext: options.keepNext,
    children: runs(content),
  });
}

/** A centred line: a title, a heading of a section. */
export function centered(content: Runs, options: { bold?: boolean; spaceBefore?: number; spaceAfter?: number; size?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: options.spaceBefore ?? 0, after: options.spaceAfter ?? 0 },
    keepNext: true,
    children: runs(content, options.size, options.bold ?? false),
  });
}

/** A line with text on the left and on the right margin: «г. Рязань … «29» декабря 2020 г.». */
export function leftRight(left: Runs, right: Runs, options: { spaceBefore?: number; spaceAfter?: number } = {}): Paragraph {
  return new Paragraph({
    tabStops: [{ type: TabStopType.RIGHT, position: TabStopPosition.MAX }],
    spacing: { before: options.spaceBefore ?? 0, after: options.spaceAfter ?? 0 },
    children: [...runs(left), new TextRun({ text: '\t' }), ...runs(right)],
  });
}

/** A paragraph aligned right: the «УТВЕРЖДЕН» block of an appendix. */
export function right(content: Runs, options: { spaceAfter?: number } = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: options.spaceAfter ?? 0 }, children: runs(content) });
}

/** A left-aligned paragraph without indent. */
export function plain(content: Runs, options: { spaceBefore?: number; spaceAfter?: number; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({ spacing: { before: options.spaceBefore ?? 0, after: options.spaceAfter ?? 0 }, keepNext: options.keepNext, children: runs(content) });
}

export const empty = (): Paragraph => new Paragraph({ children: [] });

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function cell(content: Runs | Paragraph[], widthCm: number, options: { header?: boolean; align?: 'left' | 'center' | 'right'; borders?: boolean; size?: number } = {}): TableCell {
  const alignment = options.align === 'center' ? AlignmentType.CENTER : options.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT;
  const children = Array.isArray(content) && content.every((piece) => piece instanceof Paragraph)
    ? (content as Paragraph[])
    : [new Paragraph({ alignment, children: runs(content as Runs, options.size ?? TABLE_SIZE, options.header ?? false) })];
  const border = options.borders === false ? none : thin;
  return new TableCell({
    width: { size: Math.round(widthCm * CM), type: WidthType.DXA },
    verticalAlign: options.header ? VerticalAlign.CENTER : VerticalAlign.TOP,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    borders: { top: border, bottom: border, left: border, right: border },
    children,
  });
}

export interface Column {
  header: string;
  widthCm: number;
  /** What the cell of a data row shows; the first column opens the row loop, the last closes it. */
  cell: Runs;
  align?: 'left' | 'center' | 'right';
}

/**
 * A table with a header row (repeated on every page) and one data row that a loop repeats:
 * `{#rows}` at the start of its first cell, `{/rows}` at the end of its last. Its text is 11 pt;
 * `options.size` (half-points) makes a table of many narrow columns smaller.
 */
export function loopTable(loop: string, columns: readonly Column[], footer?: { cells: Runs[]; bold?: boolean }, options: { size?: number } = {}): Table {
  const size = options.size;
  const header = new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((column) => cell(column.header, column.widthCm, { header: true, align: 'center', size })) });
  const last = columns.length - 1;
  const dataRow = new TableRow({
    cantSplit: true,
    children: columns.map((column, index) => {
      const pieces = typeof column.cell === 'string' ? [column.cell] : [...column.cell];
      if (index === 0) pieces.unshift(`{#${loop}}`);
      if (index === last) pieces.push(`{/${loop}}`);
      return cell(pieces, column.widthCm, { align: column.align ?? 'left', size });
    }),
  });
  const rows = [header, dataRow];
  if (footer) rows.push(new TableRow({ cantSplit: true, children: footer.cells.map((content, index) => cell(typeof content === 'string' ? [{ text: content, bold: footer.bold ?? true }] : content, columns[index]!.widthCm, { align: columns[index]!.align ?? 'left', size })) }));
  return new Table({ layout: TableLayoutType.FIXED, width: { size: Math.round(columns.reduce((sum, column) => sum + column.widthCm, 0) * CM), type: WidthType.DXA }, columnWidths: columns.map((column) => Math.round(column.widthCm * CM)), rows });
}

/** A borderless table of two columns: the parties' details and signatures side by side. */
export function sideBySide(leftColumn: Paragraph[], rightColumn: Paragraph[], widthCm = 8.25): Table {
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: Math.round(widthCm * 2 * CM), type: WidthType.DXA },
    columnWidths: [Math.round(widthCm * CM), Math.round(widthCm * CM)],
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: [new TableRow({ children: [cell(leftColumn, widthCm, { borders: false }), cell(rightColumn, widthCm, { borders: false })] })],
  });
}

/** A paragraph for a table cell or a side-by-side column. */
export function line(content: Runs, options: { bold?: boolean; spaceBefore?: number; align?: 'left' | 'center' } = {}): Paragraph {
  return new Paragraph({ alignment: options.align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT, spacing: { before: options.spaceBefore ?? 0 }, children: runs(content, undefined, options.bold ?? false) });
}

/**
 * What only shows when `tag` has a value, or repeats for each item of a list: `{#tag}` and
 * `{/tag}` stand alone in paragraphs of their own, which docxtemplater drops (paragraphLoop),
 * so an absent value leaves no empty line. Works in a table cell too (the contract's details);
 * a `{#tag}…{/tag}` within one paragraph would leave that paragraph behind, empty.
 */
export function section<Child extends FileChild>(tag: string, children: Child[]): (Child | Paragraph)[] {
  return [plain(`{#${tag}}`), ...children, plain(`{/${tag}}`)];
}

/**
 * The signature of `person` (a data field with `position` and `name`): the position on the
 * left, capitalised as it starts the line («Министр …» from a plan's «министр …»), the line to
 * sign on and the initials on the right, level with the position's last line however many
 * lines the position takes. Borderless, as wide as the text (16.5 cm on a portrait page).
 */
export function signature(person: string, options: { widthCm?: number; spaceBefore?: number } = {}): Table {
  const position = `{${person}.position | capitalize}`;
  const name = `{${person}.name | initials}`;
  const width = options.widthCm ?? 16.5;
  const nameWidth = 7.5;
  const column = (content: Runs, widthCm: number, alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new TableCell({
      width: { size: Math.round(widthCm * CM), type: WidthType.DXA },
      verticalAlign: VerticalAlign.BOTTOM,
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      borders: { top: none, bottom: none, left: none, right: none },
      children: [new Paragraph({ alignment, spacing: { before: options.spaceBefore ?? 480 }, children: runs(content) })],
    });
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: Math.round(width * CM), type: WidthType.DXA },
    columnWidths: [Math.round((width - nameWidth) * CM), Math.round(nameWidth * CM)],
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: [new TableRow({ cantSplit: true, children: [column(position, width - nameWidth, AlignmentType.LEFT), column(`_______________ ${name}`, nameWidth, AlignmentType.RIGHT)] })],
  });
}

/** A page-numbered footer: «— 2 —» in the centre. */
function pageFooter(): Footer {
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: 20 })] })] });
}

/** An A4 document with ГОСТ margins (left 3 cm, right 1.5 cm, top and bottom 2 cm). */
export function officeDocument(title: string, sections: { children: FileChild[]; landscape?: boolean }[]): Document {
  return new Document({
    creator: 'plangraf',
    title,
    description: 'Шаблон plangraf: теги в фигурных скобках заполняются данными плана',
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE }, paragraph: { spacing: { line: 240 } } } } },
    sections: sections.map((section): ISectionOptions => ({
      properties: {
        page: {
          // docx takes the portrait size and swaps width and height itself for a landscape page.
          size: section.landscape ? { width: 11906, height: 16838, orientation: 'landscape' } : { width: 11906, height: 16838 },
          margin: { top: 2 * CM, bottom: 2 * CM, left: section.landscape ? 2 * CM : 3 * CM, right: section.landscape ? 2 * CM : Math.round(1.5 * CM) },
        },
      },
      footers: { default: pageFooter() },
      children: section.children,
    })),
  });
}
