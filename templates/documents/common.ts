/**
 * Pieces the document contracts share: dates, people who sign, organisations.
 */
import { z } from 'zod';
import { parseIsoDate } from '../../plan/dates.ts';

export const IsoDate = z.string().refine((text) => parseIsoDate(text) !== null, { error: (issue) => `«${String(issue.input)}» — не дата; ожидается ГГГГ-ММ-ДД, например 2026-03-02` });

/** A non-empty line of text: what a document prints may not be blank. */
export const Text = z.string().trim().min(1, { error: 'пусто: документ напечатал бы пропуск' });

/** Someone who signs: position and full name (Фамилия Имя Отчество). */
export const Signer = z.object({
  position: Text,
  name: Text,
  /** The name in the genitive, when the automatic declension gets it wrong. */
  nameGenitive: Text.optional(),
});
export type Signer = z.infer<typeof Signer>;

/** A school's director: «в лице директора Петрова Петра Петровича». */
export const Director = z.object({
  name: Text,
  nameGenitive: Text.optional(),
  position: Text.default('директор'),
  positionGenitive: Text.optional(),
});

/** A school as a party of a contract or a line of an order. */
export const School = z.object({
  name: Text,
  shortName: Text.optional(),
  municipality: Text.optional(),
  address: Text.optional(),
  director: Director,
});
export type School = z.infer<typeof School>;

/** Row numbers, as a table's first column shows them. */
export function numbered<T extends object>(rows: readonly T[]): (T & { n: number })[] {
  return rows.map((row, index) => ({ ...row, n: index + 1 }));
}

/** A file name without the characters file systems refuse, and not too long. */
export function safeFileName(text: string): string {
  return text.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/[«»]/g, '').replace(/\s+/g, ' ').trim().slice(0, 120).trim();
}
