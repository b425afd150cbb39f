/**
 * The contract for the engines plangraf is measured against in bench/documents.ts: the same
 * templates/docx/contract.docx with the tags of its word/document.xml rewritten into each engine's
 * syntax, and each contract's data flattened with plangraf's filters already applied, so that an
 * engine only puts text in its place. Every tag of the contract is a run's text or part of it
 * (`{#partner.address}Адрес: {partner.address}{/partner.address}`), and no other braces occur in
 * its XML, so the tags are rewritten as text; so is a block, whose tags are all in one run once
 * `inlineParagraphBlocks` has moved a block written as paragraphs (its tags alone in the
 * paragraphs around its text, as docxtemplater drops them) into its text's run.
 */
import PizZip from 'pizzip';
import { splitFilters, type Filter } from '../documents/docx-template.ts';

/** `{#partner.address}` opens a block shown when the field is not empty, `{/partner.address}` closes it, `{x | f}` prints. */
type Tag = { kind: 'open' | 'close' | 'value'; expression: string };

/** How an engine writes a printed field and a block shown only when its field is not empty. */
export interface Syntax {
  value(field: string): string;
  /** Without it, a block is printed as one value, its text computed beforehand (`blockField`). */
  block?: { open(field: string): string; close(field: string): string };
}

/**
 * docx-templates with `cmdDelimiter: ['{', '}']`: `{x}` is short for `{INS x}`. Blocks are
 * precomputed text: with `{IF x}…{END-IF}`, a party whose address and district are both absent
 * lost a paragraph — docx-templates 4.15 merged the two emptied paragraphs into one.
 */
export const DOCX_TEMPLATES_SYNTAX: Syntax = { value: (field) => `{${field}}` };

/** easy-template-x's defaults: a block over a value that is not a list is a condition. */
export const EASY_TEMPLATE_X_SYNTAX: Syntax = { value: (field) => `{${field}}`, block: { open: (field) => `{#${field}}`, close: (field) => `{/${field}}` } };

const TAG = /\{([#/]?)([^{}<>]+)\}/g;
/** A block within one run's text: `{#partner.address}Адрес: {partner.address}{/partner.address}`. */
const BLOCK = /\{#([^{}<>]+)\}([^<]*?)\{\/\1\}/g;

/** The flat field a tag's value is put in: `partner.director.name | genitive` → `partner_director_name_genitive`. */
export function flatField(expression: string): string {
  const { value, filters } = splitFilters(expression);
  return [value, ...filters].join('_').replace(/\W+/g, '_');
}

/** The flat field holding a whole block's text, for an engine whose blocks are precomputed. */
export const blockField = (expression: string) => `${flatField(expression)}_block`;

function tagOf(mark: string, expression: string): Tag {
  return { kind: mark === '#' ? 'open' : mark === '/' ? 'close' : 'value', expression: expression.trim() };
}

/** The tags of a document's XML, in order. */
export function tagsOf(xml: string): Tag[] {
  return [...xml.matchAll(TAG)].map((match) => tagOf(match[1]!, match[2]!));
}

/** A paragraph whose only text is the tag `{#x}` or `{/x}`, then the paragraph it names. */
const PARAGRAPH_BLOCK = /<w:p\b(?:(?!<w:p\b)[\s\S])*?\{#([^{}<>]+)\}(?:(?!<w:p\b)[\s\S])*?<\/w:p>(<w:p\b(?:(?!<w:p\b)[\s\S])*?<\/w:p>)<w:p\b(?:(?!<w:p\b)[\s\S])*?\{\/\1\}(?:(?!<w:p\b)[\s\S])*?<\/w:p>/g;

/**
 * The body with each block written as three paragraphs (`{#x}` / the text / `{/x}`) written as
 * the one paragraph of its text, the tags in its run: `{#x}Адрес: {x}{/x}`. The contract shows
 * the same text either way; the peers' rewrite reads blocks within a run.
 */
export function inlineParagraphBlocks(xml: string): string {
  return xml.replace(PARAGRAPH_BLOCK, (_, expression: string, paragraph: string) =>
    paragraph.replace(/(<w:t\b[^>]*>)([\s\S]*<\/w:t>)/, (_match, open: string, rest: string) => {
      const close = rest.lastIndexOf('</w:t>');
      return `${open}{#${expression}}${rest.slice(0, close)}{/${expression}}</w:t>${rest.slice(close + '</w:t>'.length)}`;
    }),
  );
}

/** The .docx with its body's tags written in another engine's syntax. */
export function rewriteTemplate(docx: Uint8Array, syntax: Syntax): Buffer {
  const zip = new PizZip(docx);
  let xml = inlineParagraphBlocks(zip.file('word/document.xml')!.asText());
  if (!syntax.block) xml = xml.replace(BLOCK, (_, expression: string) => syntax.value(blockField(expression.trim())));
  const rewritten = xml.replace(TAG, (_, mark: string, expression: string) => {
    const tag = tagOf(mark, expression);
    const field = flatField(tag.expression);
    return tag.kind === 'value' ? syntax.value(field) : syntax.block![tag.kind](field);
  });
  zip.file('word/document.xml', rewritten);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * Every tag's text for one contract, by flat field, with the filters applied as plangraf's
 * templates apply them; a block's field is its value, empty when the block is not shown, and its
 * `blockField` the text it shows.
 * @throws Error for a filter with arguments (`plural:"…"`), which the contract does not use
 */
export function flatData(xml: string, data: object, filters: Record<string, Filter>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const tag of tagsOf(xml)) {
    if (tag.kind === 'close') continue;
    if (tag.expression.includes(':')) throw new Error(`{${tag.expression}}: filters with arguments are not flattened`);
    const { value, filters: names } = splitFilters(tag.expression);
    let result: unknown = value.split('.').reduce<unknown>((scope, key) => (scope as Record<string, unknown> | undefined)?.[key], data);
    if (tag.kind === 'value') for (const name of names) result = filters[name]!(result);
    flat[flatField(tag.expression)] = result === undefined || result === null ? '' : String(result);
  }
  for (const [, expression, body] of xml.matchAll(BLOCK)) {
    const shown = flat[flatField(expression!.trim())] !== '';
    flat[blockField(expression!.trim())] = shown ? unescapeXml(body!.replace(TAG, (_, _mark: string, inner: string) => escapeXml(flat[flatField(inner.trim())]!))) : '';
  }
  return flat;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const unescapeXml = (text: string) => text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);

/**
 * The least a renderer does for the floor: the XML cut at its tags once, then per contract the
 * pieces joined with the escaped flat values, a block left out when its field is empty.
 */
export function substitution(xml: string): (flat: Record<string, string>) => string {
  const pieces: (string | { kind: Tag['kind']; field: string })[] = [];
  let at = 0;
  for (const match of xml.matchAll(TAG)) {
    const tag = tagOf(match[1]!, match[2]!);
    pieces.push(xml.slice(at, match.index), { kind: tag.kind, field: flatField(tag.expression) });
    at = match.index + match[0].length;
  }
  pieces.push(xml.slice(at));
  return (flat) => {
    let out = '';
    let skipping: string | null = null;
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        if (skipping === null) out += piece;
      } else if (skipping !== null) {
        if (piece.kind === 'close' && piece.field === skipping) skipping = null;
      } else if (piece.kind === 'open') {
        if (!flat[piece.field]) skipping = piece.field;
      } else if (piece.kind === 'value') {
        out += escapeXml(flat[piece.field]!);
      }
    }
    return out;
  };
}
