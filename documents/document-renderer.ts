/**
 * Rendering the program's documents: a template by id, data checked against its contract, the
 * Russian filters, and a compiled template kept for the next document of the same kind.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocumentTemplateId } from '../plan/documents.ts';
import { DOCX_DIR, templateDefinition } from '../templates/documents/catalog.ts';
import type { Issue, TemplateDefinition } from '../templates/documents/definition.ts';
import { dataProblems } from './data-problems.ts';
import { CompiledTemplate, DocumentDataError, TemplateError } from './docx-template.ts';
import { declensionOverridesOf, documentFilters, type DeclensionOverrides } from './filters.ts';
import { lintTemplate } from './template-lint.ts';

export interface RenderedDocument {
  template: DocumentTemplateId;
  /** What the template saw. */
  data: object;
  content: Buffer;
  /** A file name a person recognises, with `.docx`. */
  fileName: string;
}

export interface RendererOptions {
  /** Where the .docx templates are; a user may keep edited copies elsewhere. */
  templatesDir?: string;
}

export class DocumentRenderer {
  private readonly compiled = new Map<DocumentTemplateId, Promise<CompiledTemplate>>();
  private overrides: DeclensionOverrides = { genitive: new Map() };
  private readonly filters = documentFilters(() => this.overrides);
  private readonly templatesDir: string;

  constructor(options: RendererOptions = {}) {
    this.templatesDir = options.templatesDir ?? DOCX_DIR;
  }

  /** The template compiled, once; a broken one is refused with `TemplateError` every time it is asked for. */
  template(id: DocumentTemplateId): Promise<CompiledTemplate> {
    let compiled = this.compiled.get(id);
    if (!compiled) {
      const definition = templateDefinition(id);
      compiled = readFile(join(this.templatesDir, definition.file)).then(
        (content) => new CompiledTemplate(definition.file, content, this.filters),
        (error: NodeJS.ErrnoException) => {
          throw new TemplateError(definition.file, [{ place: 'файл', message: error.code === 'ENOENT' ? `нет файла ${join(this.templatesDir, definition.file)}` : error.message }]);
        },
      );
      this.compiled.set(id, compiled);
    }
    return compiled;
  }

  /** Every problem of a template against its contract: unknown fields, lists printed as values, unguarded optional fields. */
  async check(id: DocumentTemplateId) {
    return lintTemplate(await this.template(id), templateDefinition(id).data);
  }

  /**
   * The input checked against the template's contract.
   * @throws DocumentDataError naming every missing or wrong field
   */
  parseInput<I>(id: DocumentTemplateId, input: unknown): I {
    const definition = templateDefinition(id) as TemplateDefinition<I, object>;
    const parsed = definition.input.safeParse(input);
    if (!parsed.success) throw new DocumentDataError(definition.file, dataProblems(parsed.error));
    return parsed.data;
  }

  /**
   * The document: the input checked, prepared with its number and date, rendered.
   * @throws DocumentDataError for data that does not fit, TemplateError for a broken template
   */
  async render(id: DocumentTemplateId, input: unknown, issue: Issue): Promise<RenderedDocument> {
    const definition = templateDefinition(id);
    const template = await this.template(id);
    const data = definition.prepare(this.parseInput(id, input), issue);
    this.overrides = declensionOverridesOf(data);
    try {
      const [year, month, day] = issue.date.split('-').map(Number) as [number, number, number];
      const content = template.render(data, { timestamp: new Date(year, month - 1, day) });
      return { template: id, data, content, fileName: `${definition.fileName(data)}.docx` };
    } finally {
      this.overrides = { genitive: new Map() };
    }
  }
}
