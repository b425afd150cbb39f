/**
 * A letter as a few blocks (paragraphs, label–value fields, headed tables), rendered twice:
 * as simple inline-styled HTML that any mail client shows, and as plain text. The catalog
 * writes each message once; escaping happens here and only here.
 */
import { escapeHtml } from './format.ts';

/** Text, text set in bold, or a link (in plain text: its words, then the address). */
export type Inline = string | { strong: string } | { link: string; url: string };

export type Block =
  | { type: 'paragraph'; parts: Inline[] }
  | { type: 'fields'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { type: 'heading'; text: string }
  | { type: 'table'; columns: string[]; rows: string[][]; empty: string; headline: number }
  | { type: 'actions'; links: ReadonlyArray<{ label: string; url: string }> };

export interface Letter {
  subject: string;
  /** Shown above the greeting, small: which plan the letter is about. */
  preheader: string;
  greeting: string;
  blocks: Block[];
  /** The closing note, said in every letter. */
  footer: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export const paragraph = (...parts: Inline[]): Block => ({ type: 'paragraph', parts });
export const strong = (text: string): Inline => ({ strong: text });
export const fields = (rows: ReadonlyArray<readonly [string, string | null | undefined]>): Block => ({
  type: 'fields',
  // A missing value leaves its row out, so no letter ever says «null».
  rows: rows.filter((row): row is readonly [string, string] => typeof row[1] === 'string' && row[1].trim() !== ''),
});
export const heading = (text: string): Block => ({ type: 'heading', text });
/** @param headline how many leading columns make each row's headline in plain text (the rest are labelled lines) */
export const table = (columns: string[], rows: string[][], empty: string, headline = 2): Block => ({ type: 'table', columns, rows, empty, headline });
/** Buttons in HTML, labelled addresses in text: what the reader can do in one click. */
export const actions = (links: ReadonlyArray<{ label: string; url: string }>): Block => ({ type: 'actions', links });

/** Renders a letter as HTML and as text. */
export function renderLetter(letter: Letter): RenderedMail {
  return { subject: letter.subject, html: toHtml(letter), text: toText(letter) };
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#1f1f1f';
const CELL = 'border:1px solid #c8c8c8;padding:4px 8px;text-align:left;vertical-align:top';

function inlineHtml(parts: Inline[]): string {
  return parts
    .map((part) => (typeof part === 'string' ? escapeHtml(part) : 'strong' in part ? `<strong>${escapeHtml(part.strong)}</strong>` : `<a href="${escapeHtml(part.url)}">${escapeHtml(part.link)}</a>`))
    .join('');
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p style="margin:0 0 12px 0">${inlineHtml(block.parts)}</p>`;
    case 'heading':
      return `<h3 style="margin:20px 0 8px 0;font-size:16px">${escapeHtml(block.text)}</h3>`;
    case 'actions':
      return `<p style="margin:16px 0">${block.links
        .map((link, index) => `<a href="${escapeHtml(link.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 16px;border-radius:4px;text-decoration:none;${index === 0 ? 'background:#1f6f43;color:#ffffff' : 'background:#f0f0f0;color:#1f1f1f;border:1px solid #c8c8c8'}">${escapeHtml(link.label)}</a>`)
        .join('')}</p>`;
    case 'fields': {
      const rows = block.rows.map(
        ([label, value]) =>
          `<tr><td style="padding:3px 12px 3px 0;color:#5f5f5f;vertical-align:top;white-space:nowrap">${escapeHtml(label)}</td>` +
          `<td style="padding:3px 0;vertical-align:top">${escapeHtml(value)}</td></tr>`,
      );
      return `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 12px 0;${FONT}">${rows.join('')}</table>`;
    }
    case 'table': {
      if (block.rows.length === 0) return `<p style="margin:0 0 12px 0;color:#5f5f5f">${escapeHtml(block.empty)}</p>`;
      const head = block.columns.map((column) => `<th style="${CELL};background:#f0f0f0">${escapeHtml(column)}</th>`).join('');
      const body = block.rows.map((row) => `<tr>${row.map((cell) => `<td style="${CELL}">${cell === '' ? '—' : escapeHtml(cell)}</td>`).join('')}</tr>`);
      return `<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;margin:0 0 12px 0;${FONT}"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
    }
  }
}

function toHtml(letter: Letter): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="ru">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(letter.subject)}</title></head>`,
    `<body style="margin:0;padding:16px;background:#ffffff;${FONT}">`,
    `<div style="max-width:720px;${FONT}">`,
    `<p style="margin:0 0 16px 0;font-size:12px;color:#5f5f5f">${escapeHtml(letter.preheader)}</p>`,
    `<p style="margin:0 0 12px 0">${escapeHtml(letter.greeting)}</p>`,
    ...letter.blocks.map(blockHtml),
    `<hr style="border:none;border-top:1px solid #dddddd;margin:20px 0 8px 0">`,
    `<p style="margin:0;font-size:12px;color:#5f5f5f">${escapeHtml(letter.footer)}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function inlineText(parts: Inline[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : 'strong' in part ? part.strong : `${part.link}:\n${part.url}`)).join('');
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return inlineText(block.parts);
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'fields':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'actions':
      return block.links.map((link) => `${link.label}:\n${link.url}`).join('\n\n');
    case 'table': {
      if (block.rows.length === 0) return block.empty;
      // A text table with Cyrillic and long titles never lines up, so each row is an entry:
      // the first columns as its headline, the rest as labelled lines.
      return block.rows
        .map((row, index) => {
          const headline = `${index + 1}. ${row.slice(0, block.headline).filter((cell) => cell !== '').join(' — ')}`;
          const lines = row.slice(block.headline).flatMap((cell, i) => (cell === '' ? [] : [`   ${block.columns[i + block.headline]}: ${cell}`]));
          return [headline, ...lines].join('\n');
        })
        .join('\n');
    }
  }
}

function toText(letter: Letter): string {
  return [letter.preheader, letter.greeting, ...letter.blocks.map(blockText), `-- \n${letter.footer}`].join('\n\n') + '\n';
}
