/**
 * A .docx template compiled once and rendered many times with docxtemplater.
 *
 * A broken template is refused with every problem at once, each in Russian with its place in
 * the document; a value the data lacks is an error naming the template and the field, never an
 * empty gap. Compiling once matters for bulk runs (a contract per school): a render then costs
 * the placeholders of the parts that have tags and one DEFLATE of each part that changed, not a
 * parse of the whole document; the other parts keep the compressed bytes of the template.
 */
import Docxtemplater from 'docxtemplater';
import { expressionParser } from './expression-parser.ts';
import PizZip from 'pizzip';
import { DocumentDataError, TemplateError, type DataProblem, type TemplateProblem } from './document-errors.ts';
import { describePlace, textFrom } from './template-places.ts';
import { ZipArchive } from './zip-archive.ts';

/** A filter as a template writes it: `{date | dateQuoted}`, `{count | plural:"договор":"договора":"договоров"}`. */
export type Filter = (input: unknown, ...args: unknown[]) => unknown;

export { DocumentDataError, TemplateError, type DataProblem, type TemplateProblem } from './document-errors.ts';

/** One tag of a template, as the lint walks them. */
export interface TemplateTag {
  /** The expression inside the braces: `partner.director.name | genitive`. */
  expression: string;
  /** `value` prints; `section` repeats or shows its body (`{#x}`), `inverted` shows it when empty (`{^x}`). */
  kind: 'value' | 'section' | 'inverted' | 'raw';
  place: string;
  children: TemplateTag[];
}

interface Part {
  type: string;
  value: string;
  module?: string;
  inverted?: boolean;
  offset?: number;
  subparsed?: Part[];
}

interface Internals {
  compiled: Record<string, { postparsed: Part[] }>;
  rendered: boolean;
  /** The parts a render writes, by the name they are written as. */
  mapper: Record<string, unknown> | undefined;
  scopeManagers: Record<string, unknown>;
  /** Parts docxtemplater keeps parsed and writes back after each render: `[Content_Types].xml`. */
  xmlDocuments: Record<string, unknown>;
}

interface XtError {
  message: string;
  properties?: {
    id?: string;
    xtag?: string;
    context?: string;
    offset?: number | [number, number];
    file?: string;
    explanation?: string;
    openingtag?: string;
    closingtag?: string;
    rootError?: { message?: string };
    errors?: XtError[];
  };
}

/** A missing value met while rendering; turned into a `DocumentDataError`. */
class MissingValue extends Error {
  constructor(readonly tag: string) {
    super(`нет значения для {${tag}}`);
  }
}

/**
 * A docxtemplater module for bulk renders. Parts without a tag (settings, footnotes, the
 * document's properties) are left out of the render, so they stay as the template has them,
 * and the archive writes them with the template's bytes without reading them again. A rendered
 * part is encoded to UTF-8 by Node rather than by docxtemplater's loop in JavaScript, once
 * docxtemplater has repaired the cells and tables its sections emptied (`joinUncorrupt`).
 */
function bulkOutputModule(): DocxtemplaterModule {
  let tagged = new Set<string>();
  return {
    name: 'BulkOutputModule',
    // After docxtemplater's own modules (priority 0 or none): its Render module maps every part,
    // and its modules' postrender (xml:space="preserve") comes before the encoding.
    priority: -100,
    set(options: { compiled?: Internals['compiled'] }) {
      if (options.compiled) tagged = new Set(Object.keys(options.compiled).filter((file) => options.compiled![file]!.postparsed.some((part) => part.type === 'placeholder')));
    },
    getRenderedMap(mapper: Record<string, { from: string }>) {
      for (const [to, { from }] of Object.entries(mapper)) if (!tagged.has(from)) delete mapper[to];
      return mapper;
    },
    // Its declared type has postrender give text; docxtemplater takes bytes as well (its
    // postrender.js), and copies a part given as bytes without joining or encoding it again.
    postrender: ((parts: (string | Uint8Array)[], options: { joinUncorrupt(parts: (string | Uint8Array)[], options: object): (string | Uint8Array)[] }) => {
      if (!parts.every((part) => typeof part === 'string')) return parts; // a module's bytes: docxtemplater joins them
      return [Buffer.from(options.joinUncorrupt(parts, options).join(''), 'utf8')];
    }) as unknown as DocxtemplaterModule['postrender'],
  };
}

type DocxtemplaterModule = Docxtemplater['modules'][number];

/** ZIP keeps local wall-clock time: a local midnight gives the same bytes in every time zone. */
const FIXED_TIMESTAMP = new Date(2026, 0, 1);

const OPTIONS = { paragraphLoop: true, linebreaks: true, errorLogging: false } as const;

export class CompiledTemplate {
  private doc: Docxtemplater | null = null;
  private zip: PizZip | null = null;
  /** The template's archive: what a render writes again, the parts it did not change as they were. */
  private readonly archive: ZipArchive;
  readonly tags: TemplateTag[];

  /**
   * @param name how messages call the template: its file name
   * @param content the .docx file
   * @param filters the filters templates may use; they run synchronously while rendering
   * @throws TemplateError when the file is not a .docx or its tags are broken
   */
  constructor(
    readonly name: string,
    private readonly content: Uint8Array,
    private readonly filters: Record<string, Filter>,
  ) {
    try {
      this.archive = new ZipArchive(content);
    } catch {
      throw notDocx(name);
    }
    const { doc } = this.compile();
    this.tags = Object.entries((doc as unknown as Internals).compiled).flatMap(([file, compiled]) => tagsOf(compiled.postparsed, (offset) => this.place(file, offset)));
  }

  /**
   * Renders the data into a new .docx. The data must already be checked against the
   * template's contract: this only refuses what is still missing. The same data and
   * `timestamp` give the same bytes; make the timestamp a local midnight (`new Date(y, m - 1, d)`)
   * for the same bytes in every time zone.
   * @throws DocumentDataError naming each missing or unusable field
   */
  render(data: object, options: { timestamp?: Date } = {}): Buffer {
    const { doc, zip } = this.doc && this.zip ? { doc: this.doc, zip: this.zip } : this.compile();
    // docxtemplater renders an instance once; its compiled parts are reusable, so the flag is
    // reset rather than the whole document parsed again. An instance that failed is dropped.
    // The map of parts to render and the scopes keep the data they were made with: they go too.
    const internals = doc as unknown as Internals;
    internals.rendered = false;
    internals.mapper = undefined;
    internals.scopeManagers = {};
    this.doc = null;
    try {
      doc.render(data);
    } catch (error) {
      throw this.dataError(error);
    }
    // docxtemplater wrote back the parts it rendered and the XML it keeps parsed; the archive
    // writes again only those that differ from the template. One fixed time for every entry
    // makes the same data give the same bytes, so a document made again has the SHA-256 it was
    // registered with.
    const written = [...Object.keys(internals.mapper ?? {}), ...Object.keys(internals.xmlDocuments)];
    const changes = new Map(written.map((name) => [name, zip.file(name)!.asUint8Array()]));
    const output = this.archive.write(changes, { date: options.timestamp ?? FIXED_TIMESTAMP });
    this.doc = doc;
    this.zip = zip;
    return output;
  }

  private compile(): { doc: Docxtemplater; zip: PizZip } {
    let zip: PizZip;
    try {
      zip = new PizZip(this.content);
    } catch {
      throw notDocx(this.name);
    }
    if (!zip.file('word/document.xml')) throw new TemplateError(this.name, [{ place: 'файл', message: 'в архиве нет word/document.xml: это не документ Word .docx' }]);
    const parser = expressionParser.configure({ filters: this.filters });
    try {
      const doc = new Docxtemplater(zip, {
        ...OPTIONS,
        modules: [bulkOutputModule()],
        parser,
        nullGetter: (part: { value: string; module?: string }) => {
          // An empty section is fine (`{#comment}` without a comment); an empty value is not.
          if (part.module) return '';
          throw new MissingValue(part.value);
        },
      });
      return { doc, zip };
    } catch (error) {
      throw new TemplateError(this.name, this.problemsOf(error));
    }
  }

  private readonly parts = new Map<string, string>();

  private partXml(file: string): string {
    let xml = this.parts.get(file);
    if (xml === undefined) {
      xml = new PizZip(this.content).file(file)?.asText() ?? '';
      this.parts.set(file, xml);
    }
    return xml;
  }

  private place(file: string, offset: number | undefined): string {
    return describePlace(this.partXml(file), file, offset);
  }

  private problemsOf(error: unknown): TemplateProblem[] {
    const errors = (error as XtError).properties?.errors ?? [error as XtError];
    return errors.map((each) => {
      const properties = each.properties ?? {};
      const offset = Array.isArray(properties.offset) ? properties.offset[0] : properties.offset;
      if (properties.id === 'unclosed_tag' && properties.file) {
        // docxtemplater reads an unclosed tag on into the next paragraph; the tag is what its own paragraph holds.
        const rest = textFrom(this.partXml(properties.file), offset);
        if (rest !== undefined) properties.xtag = rest.replace(/^\{/, '').slice(0, 40);
      }
      return { place: properties.file ? this.place(properties.file, offset) : 'шаблон', message: explain(each, Object.keys(this.filters)) };
    });
  }

  private dataError(error: unknown): Error {
    const errors = (error as XtError).properties?.errors ?? [error as XtError];
    const problems: DataProblem[] = [];
    for (const each of errors) {
      const root = (each.properties?.rootError ?? each) as Error & { tag?: string };
      if (root instanceof MissingValue || each instanceof MissingValue) {
        const tag = (root instanceof MissingValue ? root : (each as MissingValue)).tag;
        problems.push({ field: fieldOfTag(tag), message: `нет значения, а шаблон печатает его ({${tag}})` });
      } else if (each.properties?.id === 'scopeparser_execution_failed') {
        problems.push({ field: fieldOfTag(each.properties.xtag ?? ''), message: root.message ?? String(root) });
      } else {
        return error instanceof Error ? error : new Error(String(error));
      }
    }
    return new DocumentDataError(this.name, problems);
  }
}

function notDocx(template: string): TemplateError {
  return new TemplateError(template, [{ place: 'файл', message: 'это не документ .docx (не ZIP-архив): сохраните шаблон в Word как «Документ Word (*.docx)»' }]);
}

/** The field a tag prints: the expression before its filters. */
export function fieldOfTag(expression: string): string {
  return splitFilters(expression).value;
}

/**
 * `total | money` → value `total`, filters `['money']`. Splits on single `|` outside quotes
 * (`||` is «or»).
 */
export function splitFilters(expression: string): { value: string; filters: string[] } {
  const pieces: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expression.length; i += 1) {
    const char = expression[i]!;
    if (quote) {
      if (char === '\\') i += 1;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '|') {
      if (expression[i + 1] === '|') i += 1;
      else {
        pieces.push(expression.slice(start, i));
        start = i + 1;
      }
    }
  }
  pieces.push(expression.slice(start));
  const [value = '', ...filters] = pieces.map((piece) => piece.trim());
  return { value, filters: filters.map((filter) => filter.split(':')[0]!.trim()) };
}

function tagsOf(parts: Part[], placeOf: (offset: number | undefined) => string): TemplateTag[] {
  return parts
    .filter((part) => part.type === 'placeholder')
    .map((part) => ({
      expression: part.value,
      kind: part.module === 'loop' ? (part.inverted ? 'inverted' : 'section') : part.module === 'rawxml' ? 'raw' : 'value',
      place: placeOf(part.offset),
      children: part.subparsed ? tagsOf(part.subparsed, placeOf) : [],
    }));
}

/** docxtemplater's error, said in Russian to the person who edits the template in Word. */
function explain(error: XtError, filters: readonly string[]): string {
  const properties = error.properties ?? {};
  const tag = properties.xtag ?? '';
  switch (properties.id) {
    case 'unclosed_tag':
      return `тег «{${tag}» не закрыт: не хватает «}»`;
    case 'unopened_tag':
      return `лишняя «}» в «${properties.context ?? ''}»: перед ней нет «{»`;
    case 'duplicate_open_tag':
      return `две «{» подряд в «${properties.context ?? tag}»: оставьте одну`;
    case 'duplicate_close_tag':
      return `две «}» подряд в «${properties.context ?? tag}»: оставьте одну`;
    case 'closing_tag_does_not_match_opening_tag':
      return `блок «{#${properties.openingtag}}» закрыт тегом «{/${properties.closingtag}}»; закрывающий тег должен быть «{/${properties.openingtag}}»`;
    case 'unclosed_loop':
      return `блок «{#${tag}}» не закрыт: добавьте «{/${tag}}» там, где он кончается`;
    case 'unopened_loop':
      return `«{/${tag}}» закрывает блок, который не открыт: добавьте «{#${tag}}» или уберите этот тег`;
    case 'unbalanced_loop_tags':
      return `блоки {#…}{/…} перепутаны: открытые последними должны закрываться первыми`;
    case 'loop_position_invalid':
      return `блок «{#${tag}}» начинается и кончается в разных местах таблицы: поставьте открывающий и закрывающий теги в одну строку таблицы или оба вне её`;
    case 'raw_xml_tag_should_be_only_text_in_paragraph':
      return `тег «{@${tag}}» должен стоять один в своём абзаце`;
    case 'scopeparser_compilation_failed': {
      const root = properties.rootError?.message ?? '';
      const filter = /Filter '([^']+)' is not defined/.exec(root);
      if (filter) return `неизвестный фильтр «${filter[1]}» в «{${tag}}»; есть: ${filters.join(', ')}`;
      return `не понимаю выражение «{${tag}}»: ${root}`;
    }
    default:
      return `${properties.explanation ?? error.message}${properties.id ? ` (${properties.id})` : ''}`;
  }
}
