/**
 * What goes wrong with a document that its author can fix: a broken template, or data that
 * does not fit it. Plain classes without dependencies: the workflows' code uses them too.
 */

export interface TemplateProblem {
  /** Where it is, in Word's words: «таблица 1, строка 2, ячейка 1: «…»». */
  place: string;
  message: string;
}

/** The template itself is broken: every problem, each with its place. */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    readonly problems: TemplateProblem[],
  ) {
    super(`шаблон «${template}» не годится: ${problems.map((problem) => `${problem.place} — ${problem.message}`).join('; ')}`);
  }
}

export interface DataProblem {
  /** The data path: `partner.director.name`, `lines[2].spent`. */
  field: string;
  message: string;
}

/** The data does not fit the template: every missing or unusable field. */
export class DocumentDataError extends Error {
  constructor(
    readonly template: string,
    readonly problems: DataProblem[],
  ) {
    super(`данные для шаблона «${template}» неполны: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
  }
}
