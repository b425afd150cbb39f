/**
 * The tables of a Word document (.docx), read from its own XML (`word/document.xml`) as Word
 * lays them out: `w:gridSpan` spans columns, `w:vMerge` continues the cell above, `w:gridBefore`
 * leaves columns out; automatic numbering («1.», «2.1.») is counted as Word counts it.
 * Pure after unzip: the caller gives the file's bytes.
 */
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import PizZip from 'pizzip';
import { ImportFileError, type GridCell, type GridRow, type GridTable } from './grid.ts';

/** WordprocessingML, in its transitional and its strict namespace. */
const W_NAMESPACES = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);

/** How many paragraphs before a table (empty ones too: they separate the title from the text above it) are kept. */
const PARAGRAPHS_BEFORE = 12;

/**
 * Every top-level table of the document, in order, each with the paragraphs before it.
 * @throws ImportFileError when the bytes are not a Word document (.doc, a broken zip, another zip)
 */
export function readDocxTables(bytes: Uint8Array): GridTable[] {
  const zip = openZip(bytes);
  const documentXml = zip.file('word/document.xml')?.asText();
  if (documentXml === undefined) throw new ImportFileError('в архиве нет word/document.xml — это не документ Word (.docx)');
  const document = parseXml(documentXml, 'word/document.xml');
  const numberingXml = zip.file('word/numbering.xml')?.asText();
  const numbering = new Numbering(numberingXml === undefined ? undefined : parseXml(numberingXml, 'word/numbering.xml'));
  const body = childElements(document.documentElement as unknown as Element).find((element) => isW(element, 'body'));
  if (!body) throw new ImportFileError('в документе нет тела (w:body) — файл повреждён');

  const tables: GridTable[] = [];
  let paragraphs: string[] = [];
  for (const block of blocks(body)) {
    if (isW(block, 'p')) {
      paragraphs.push(paragraphText(block, numbering));
    } else {
      tables.push({ place: `таблица ${tables.length + 1}`, before: paragraphs.slice(-PARAGRAPHS_BEFORE), rows: readRows(block, numbering), width: 0 });
      paragraphs = [];
    }
  }
  for (const table of tables) table.width = Math.max(0, ...table.rows.map((row) => row.cells.length));
  return tables;
}

function openZip(bytes: Uint8Array): PizZip {
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new ImportFileError('это документ старого формата Word (.doc); откройте его в Word или LibreOffice и сохраните как .docx');
  }
  try {
    return new PizZip(bytes);
  } catch {
    throw new ImportFileError('файл повреждён или это не документ Word (.docx): его не открыть как архив');
  }
}

function parseXml(text: string, name: string) {
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch {
    throw new ImportFileError(`${name} в файле повреждён — это не XML`);
  }
}

/** Paragraphs and tables of the body in order, through content controls (`w:sdt`) and custom XML. */
function* blocks(parent: Element): Generator<Element> {
  for (const element of childElements(parent)) {
    if (isW(element, 'p') || isW(element, 'tbl')) yield element;
    else if (isW(element, 'sdt') || isW(element, 'sdtContent') || isW(element, 'customXml')) yield* blocks(element);
  }
}

function readRows(table: Element, numbering: Numbering): GridRow[] {
  const rows: GridRow[] = [];
  const trs = wrapped(table, 'tr');
  trs.forEach((tr, rowIndex) => {
    const trPr = childW(tr, 'trPr');
    let column = Number(wVal(trPr && childW(trPr, 'gridBefore')) ?? 0);
    const cells: (GridCell | undefined)[] = [];
    const previous = rows.at(-1);
    wrapped(tr, 'tc').forEach((tc, cellIndex) => {
      const tcPr = childW(tc, 'tcPr');
      const span = Math.max(1, Number(wVal(tcPr && childW(tcPr, 'gridSpan')) ?? 1) || 1);
      const vMerge = tcPr && childW(tcPr, 'vMerge');
      const hMerge = tcPr && childW(tcPr, 'hMerge');
      const left = cells[column - 1];
      const above = previous?.cells[column];
      let cell: GridCell;
      if (vMerge && wVal(vMerge) !== 'restart' && above) {
        // A continued vertical merge: the cell above, reaching down into this row.
        cell = { ...above, first: column, last: column + span - 1 };
      } else if (hMerge && wVal(hMerge) !== 'restart' && left) {
        cell = left;
        left.last = column + span - 1;
      } else {
        cell = { text: cellText(tc, numbering), key: `${rowIndex}:${cellIndex}`, first: column, last: column + span - 1 };
      }
      for (let offset = 0; offset < span; offset += 1) cells[column + offset] = cell;
      column += span;
    });
    rows.push({ label: `строка ${rowIndex + 1}`, cells, ...(isOn(trPr && childW(trPr, 'tblHeader')) ? { repeatedHeader: true } : {}) });
  });
  return rows;
}

/** Rows of a table or cells of a row, through content controls that wrap them. */
function wrapped(parent: Element, name: string): Element[] {
  return childElements(parent).flatMap((element) => (isW(element, name) ? [element] : isW(element, 'sdt') || isW(element, 'sdtContent') || isW(element, 'customXml') ? wrapped(element, name) : []));
}

/** The text of a cell: its paragraphs (those of nested tables too) as lines. */
function cellText(tc: Element, numbering: Numbering): string {
  const lines: string[] = [];
  const walk = (element: Element) => {
    for (const child of childElements(element)) {
      if (isW(child, 'p')) lines.push(paragraphText(child, numbering));
      else if (!isW(child, 'tcPr')) walk(child);
    }
  };
  walk(tc);
  return lines.join('\n');
}

/** A paragraph's visible text: its list number, runs, tabs as spaces, breaks as line ends; deleted and hidden text left out. */
function paragraphText(p: Element, numbering: Numbering): string {
  let text = '';
  const walk = (element: Element) => {
    for (const child of childElements(element)) {
      const name = wName(child);
      if (name === undefined) {
        walk(child);
        continue;
      }
      switch (name) {
        case 't':
          text += child.textContent ?? '';
          break;
        case 'tab':
        case 'ptab':
          text += ' ';
          break;
        case 'br':
        case 'cr':
          text += '\n';
          break;
        case 'softHyphen':
          text += '\u00ad';
          break;
        case 'noBreakHyphen':
          text += '-';
          break;
        case 'r':
          if (!isHidden(child)) walk(child);
          break;
        // Properties, tracked deletions and field codes are not what the reader sees.
        case 'pPr':
        case 'rPr':
        case 'del':
        case 'moveFrom':
        case 'instrText':
        case 'delText':
          break;
        default:
          walk(child);
      }
    }
  };
  walk(p);
  const label = numbering.labelOf(p);
  return label ? `${label} ${text}` : text;
}

function isHidden(run: Element): boolean {
  const rPr = childW(run, 'rPr');
  return isOn(rPr && childW(rPr, 'vanish'));
}

/** A switch of WordprocessingML (ST_OnOff): on when present, unless its value says off. */
function isOn(element: Element | undefined): boolean {
  return element !== undefined && !['0', 'false', 'off'].includes(wVal(element) ?? 'true');
}

interface Level {
  start: number;
  format: string;
  text: string;
}

/**
 * Word's automatic list numbering: a paragraph with `w:numPr` shows a label made from its
 * list's counters («%1.%2.» → «2.1.»). Counted in document order, per list; bullets show nothing.
 */
class Numbering {
  private readonly levels = new Map<string, Map<number, Level>>();
  private readonly counters = new Map<string, number[]>();

  constructor(document: ReturnType<typeof parseXml> | undefined) {
    if (!document) return;
    const root = document.documentElement as unknown as Element;
    const abstracts = new Map<string, Map<number, Level>>();
    for (const abstract of childElements(root).filter((element) => isW(element, 'abstractNum'))) {
      abstracts.set(wAttr(abstract, 'abstractNumId') ?? '', readLevels(childElements(abstract)));
    }
    for (const num of childElements(root).filter((element) => isW(element, 'num'))) {
      const base = abstracts.get(wVal(childW(num, 'abstractNumId')) ?? '') ?? new Map<number, Level>();
      const levels = new Map(base);
      for (const override of childElements(num).filter((element) => isW(element, 'lvlOverride'))) {
        const level = Number(wAttr(override, 'ilvl') ?? 0);
        const replaced = childW(override, 'lvl');
        if (replaced) for (const [index, value] of readLevels([replaced])) levels.set(index, value);
        const start = wVal(childW(override, 'startOverride'));
        if (start !== undefined && levels.has(level)) levels.set(level, { ...levels.get(level)!, start: Number(start) });
      }
      this.levels.set(wAttr(num, 'numId') ?? '', levels);
    }
  }

  /** The label the paragraph shows, counting it; `undefined` when it is not numbered or is a bullet. */
  labelOf(p: Element): string | undefined {
    const pPr = childW(p, 'pPr');
    const numPr = pPr && childW(pPr, 'numPr');
    if (!numPr) return undefined;
    const numId = wVal(childW(numPr, 'numId'));
    const level = Number(wVal(childW(numPr, 'ilvl')) ?? 0);
    const levels = numId === undefined ? undefined : this.levels.get(numId);
    const own = levels?.get(level);
    if (!levels || !own || own.format === 'bullet' || own.format === 'none') return undefined;
    const counters = this.counters.get(numId!) ?? [];
    for (let index = 0; index < level; index += 1) counters[index] ??= levels.get(index)?.start ?? 1;
    counters[level] = counters[level] === undefined ? own.start : counters[level]! + 1;
    counters.length = level + 1;
    this.counters.set(numId!, counters);
    return own.text.replace(/%(\d)/g, (_, digit: string) => formatCounter(counters[Number(digit) - 1] ?? 1, levels.get(Number(digit) - 1)?.format ?? 'decimal')).trim() || undefined;
  }
}

function readLevels(elements: readonly Element[]): Map<number, Level> {
  const levels = new Map<number, Level>();
  for (const lvl of elements.filter((element) => isW(element, 'lvl'))) {
    levels.set(Number(wAttr(lvl, 'ilvl') ?? 0), {
      start: Number(wVal(childW(lvl, 'start')) ?? 1),
      format: wVal(childW(lvl, 'numFmt')) ?? 'decimal',
      text: wVal(childW(lvl, 'lvlText')) ?? '',
    });
  }
  return levels;
}

function formatCounter(value: number, format: string): string {
  if (format === 'lowerLetter' || format === 'upperLetter') {
    const letter = String.fromCharCode(96 + (((value - 1) % 26) + 1));
    return format === 'upperLetter' ? letter.toUpperCase() : letter;
  }
  if (format === 'russianLower' || format === 'russianUpper') {
    const letter = 'абвгдежзиклмнопрстуфхцчшщэюя'[(value - 1) % 28]!;
    return format === 'russianUpper' ? letter.toUpperCase() : letter;
  }
  if (format === 'upperRoman' || format === 'lowerRoman') {
    const roman = toRoman(value);
    return format === 'lowerRoman' ? roman.toLowerCase() : roman;
  }
  return String(value);
}

function toRoman(value: number): string {
  const digits: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let rest = value;
  let text = '';
  for (const [amount, letters] of digits) {
    for (; rest >= amount; rest -= amount) text += letters;
  }
  return text;
}

function childElements(parent: Element): Element[] {
  const elements: Element[] = [];
  for (let node: Node | null = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) elements.push(node as Element);
  }
  return elements;
}

/** The local name of a WordprocessingML element; `undefined` for elements of other vocabularies. */
function wName(element: Element): string | undefined {
  return W_NAMESPACES.has(element.namespaceURI ?? '') ? (element.localName ?? undefined) : undefined;
}

function isW(element: Element, name: string): boolean {
  return wName(element) === name;
}

function childW(parent: Element, name: string): Element | undefined {
  return childElements(parent).find((element) => isW(element, name));
}

function wAttr(element: Element, name: string): string | undefined {
  for (const namespace of W_NAMESPACES) {
    if (element.hasAttributeNS(namespace, name)) return element.getAttributeNS(namespace, name) ?? undefined;
  }
  return undefined;
}

function wVal(element: Element | undefined): string | undefined {
  return element === undefined ? undefined : wAttr(element, 'val');
}
