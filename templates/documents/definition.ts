/**
 * What every document template declares: its file, its data contract, how its data is prepared
 * for the template, how its documents are numbered and named.
 */
import type { z } from 'zod';
import type { DocumentTemplateId } from '../../plan/documents.ts';
import type { IsoDate } from '../../plan/dates.ts';

/** What the register gives a document when it is issued. */
export interface Issue {
  number: string;
  date: IsoDate;
}

export interface TemplateDefinition<Input = unknown, Data extends object = object, Raw = Input> {
  id: DocumentTemplateId;
  /** What the document is, in Russian: «Договор о сотрудничестве (сетевом партнёрстве)». */
  title: string;
  /** The .docx under templates/docx/. */
  file: string;
  /**
   * The data a user gives (`plangraf render … --data`) or plangraf builds from a plan, without
   * the number and date, which the register assigns.
   */
  input: z.ZodType<Input, Raw>;
  /** What the template sees: the input with its number, date and what is derived from it (totals, row numbers). */
  data: z.ZodType<Data>;
  prepare(input: Input, issue: Issue): Data;
  /** A file name a person recognises, without the extension: «Договор ДС-2026-007 МОУ Ерахтурская СШ». */
  fileName(data: Data): string;
  /** Sample input: shown by `plangraf templates sample`, rendered by `templates check` and the tests. */
  sample: Raw;
}

/** Declares a template with its types checked and inferred. */
export function defineTemplate<Input, Data extends object, Raw>(definition: TemplateDefinition<Input, Data, Raw>): TemplateDefinition<Input, Data, Raw> {
  return definition;
}
