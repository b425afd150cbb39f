/**
 * Where a tag sits in a .docx, in words its author can find in Word: «таблица 1, строка 2,
 * ячейка 3» or «абзац 12», with the text around it. docxtemplater reports a tag by its offset
 * in the concatenated text of a part's `<w:t>` runs; this maps that offset back.
 */

/** The parts of a .docx that hold text, in the words Word uses for them. */
const PART_NAMES: [RegExp, string][] = [
  [/^word\/document\.xml$/, 'основной текст'],
  [/^word\/header\d*\.xml$/, 'верхний колонтитул'],
  [/^word\/footer\d*\.xml$/, 'нижний колонтитул'],
  [/^word\/footnotes\.xml$/, 'сноски'],
  [/^word\/endnotes\.xml$/, 'концевые сноски'],
];

export function partName(file: string): string {
  return PART_NAMES.find(([pattern]) => pattern.test(file))?.[1] ?? file;
}

interface Paragraph {
  /** Offset of the paragraph's first character in the part's text. */
  start: number;
  text: string;
  /** «абзац 3» or «таблица 1, строка 2, ячейка 1». */
  where: string;
}

const TOKEN = /<w:tbl>|<w:tbl\s[^>]*>|<\/w:tbl>|<w:tr[\s>]|<w:tc[\s>]|<w:p[\s>]|<w:p\/>|<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g;

/** The paragraphs of a part with their place: a tag is found by the paragraph it falls in. */
export function paragraphsOf(xml: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  const tables: { index: number; row: number; cell: number }[] = [];
  let tableCount = 0;
  let bodyParagraphs = 0;
  let offset = 0;
  let current: Paragraph | undefined;
  for (const match of xml.matchAll(TOKEN)) {
    const token = match[0];
    if (token.startsWith('<w:tbl') && token !== '</w:tbl>') {
      tableCount += 1;
      tables.push({ index: tableCount, row: 0, cell: 0 });
    } else if (token === '</w:tbl>') {
      tables.pop();
    } else if (token.startsWith('<w:tr')) {
      const table = tables.at(-1);
      if (table) {
        table.row += 1;
        table.cell = 0;
      }
    } else if (token.startsWith('<w:tc')) {
      const table = tables.at(-1);
      if (table) table.cell += 1;
    } else if (token.startsWith('<w:p')) {
      const table = tables.at(-1);
      if (!table) bodyParagraphs += 1;
      current = { start: offset, text: '', where: table ? `таблица ${table.index}, строка ${table.row}, ячейка ${table.cell}` : `абзац ${bodyParagraphs}` };
      paragraphs.push(current);
    } else {
      const text = decodeXml(match[1] ?? '');
      if (current) current.text += text;
      offset += text.length;
    }
  }
  return paragraphs;
}

/** «таблица 1, строка 2, ячейка 3: «…{#rows}{n}…»» for an offset in a part's text. */
export function describePlace(xml: string, file: string, offset: number | undefined): string {
  const part = partName(file);
  const found = paragraphAt(xml, offset);
  if (!found) return part;
  const prefix = part === 'основной текст' ? '' : `${part}, `;
  return `${prefix}${found.where}: «${excerpt(found.text, offset! - found.start)}»`;
}

/** The rest of the paragraph from an offset on: what an unclosed tag holds. */
export function textFrom(xml: string, offset: number | undefined): string | undefined {
  const found = paragraphAt(xml, offset);
  return found ? found.text.slice(offset! - found.start) : undefined;
}

function paragraphAt(xml: string, offset: number | undefined): Paragraph | undefined {
  if (offset === undefined) return undefined;
  let found: Paragraph | undefined;
  for (const paragraph of paragraphsOf(xml)) {
    if (paragraph.start > offset) break;
    if (paragraph.text !== '' || paragraph.start === offset) found = paragraph;
  }
  return found;
}

const EXCERPT = 60;

/** The paragraph's text around a position, cut with «…» where it is long. */
function excerpt(text: string, at: number): string {
  if (text.length <= EXCERPT) return text;
  const from = Math.max(0, Math.min(at - EXCERPT / 3, text.length - EXCERPT));
  return `${from > 0 ? '…' : ''}${text.slice(from, from + EXCERPT)}${from + EXCERPT < text.length ? '…' : ''}`;
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (entity, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    }
  });
}
