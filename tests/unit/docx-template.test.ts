/**
 * The shipped .docx templates and what happens when a person edits one in Word: a broken tag
 * or an unknown field is refused with every problem at its place, missing data names the
 * template and the field, and text comes out exactly as given.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { CompiledTemplate, DocumentDataError, TemplateError } from '../../documents/docx-template.ts';
import { documentFilters } from '../../documents/filters.ts';
import { lintTemplate } from '../../documents/template-lint.ts';
import { DOCUMENT_TEMPLATE_IDS } from '../../plan/document-numbering.ts';
import { buildTemplate, LAYOUTS } from '../../scripts/build-docx-templates.ts';
import { DOCX_DIR, TEMPLATES } from '../../templates/documents/catalog.ts';
import { docxText } from '../support/docx-text.ts';

const CONTRACT = join(DOCX_DIR, 'contract.docx');
const ISSUE = { number: 'ДС-2026/001', date: '2026-03-02' };
const filters = documentFilters(() => ({ genitive: new Map() }));

/** The contract template with its body's XML edited, as a person might in Word. */
async function editedContract(edit: (xml: string) => string): Promise<Buffer> {
  const zip = new PizZip(await readFile(CONTRACT));
  zip.file('word/document.xml', edit(zip.file('word/document.xml')!.asText()));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function templateError(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('the template was accepted');
}

const sample = TEMPLATES.contract.sample as { participant: { name: string; director: { name: string } }; partner: { name: string; director: { name: string } } };

describe('the shipped templates', () => {
  it.each(DOCUMENT_TEMPLATE_IDS)('%s agrees with its data contract and renders its sample', async (id) => {
    const renderer = new DocumentRenderer();
    expect(await renderer.check(id)).toEqual([]);
    const document = await renderer.render(id, TEMPLATES[id].sample, ISSUE);
    const text = docxText(document.content);
    expect(text).not.toMatch(/[{}]/);
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
  });

  it.each(Object.keys(LAYOUTS))('%s is the file its layout builds today', async (file) => {
    const built = await buildTemplate(LAYOUTS[file]!);
    expect(Buffer.compare(built, await readFile(join(DOCX_DIR, file))), `templates/docx/${file} is stale: run node --import tsx scripts/build-docx-templates.ts`).toBe(0);
  });
});

describe('a template broken in Word', () => {
  it('is refused with every broken tag at once, each at its paragraph, in Russian', async () => {
    const content = await editedContract((xml) =>
      xml
        .replace('ДОГОВОР № {number}', 'ДОГОВОР № {number')
        .replace('Адрес: {partner.address}', 'Адрес:} {partner.address}')
        .replace('{date | dateQuoted}', '{date | dateQuoted | upper2}'),
    );
    const error = templateError(() => new CompiledTemplate('contract.docx', content, filters));
    expect(error.template).toBe('contract.docx');
    expect(error.problems.map((problem) => `${problem.place} — ${problem.message}`)).toMatchInlineSnapshot(`
      [
        "абзац 1: «ДОГОВОР № {number» — тег «{number» не закрыт: не хватает «}»",
        "таблица 1, строка 1, ячейка 1: «Адрес:} {partner.address}» — лишняя «}» в «}Адрес:»: перед ней нет «{»",
        "абзац 3: «{place}	{date | dateQuoted | upper2}» — неизвестный фильтр «upper2» в «{date | dateQuoted | upper2}»; есть: dateQuoted, dateNumeric, money, rubles, inWords, plural, genitive, acting, initials, capitalize, upper, decimal, percent",
      ]
    `);
  });

  it('is refused for a section closed by another name, and for an unknown filter, with the filters there are', async () => {
    const mismatched = await editedContract((xml) => xml.replace('{/partner.address}', '{/partner.adress}'));
    expect(templateError(() => new CompiledTemplate('contract.docx', mismatched, filters)).problems.map((problem) => problem.message)).toEqual([
      'блок «{#partner.address}» закрыт тегом «{/partner.adress}»; закрывающий тег должен быть «{/partner.address}»',
    ]);
    const unknownFilter = await editedContract((xml) => xml.replace('{date | dateQuoted}', '{date | dateQuotd}'));
    const [problem] = templateError(() => new CompiledTemplate('contract.docx', unknownFilter, filters)).problems;
    expect(problem!.place).toBe('абзац 3: «{place}\t{date | dateQuotd}»');
    expect(problem!.message).toMatch(/^неизвестный фильтр «dateQuotd» в «\{date \| dateQuotd\}»; есть: dateQuoted, dateNumeric, money/);
  });

  it('is refused when it is not a .docx at all', () => {
    expect(templateError(() => new CompiledTemplate('contract.docx', Buffer.from('%PDF-1.7 not a zip'), filters)).problems).toEqual([
      { place: 'файл', message: 'это не документ .docx (не ZIP-архив): сохраните шаблон в Word как «Документ Word (*.docx)»' },
    ]);
  });

  it('is linted for a field its data does not have, naming the fields there are', async () => {
    const content = await editedContract((xml) => xml.replace('в рамках реализации {program}', 'в рамках реализации {programme}'));
    const problems = lintTemplate(new CompiledTemplate('contract.docx', content, filters), TEMPLATES.contract.data);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.place).toMatch(/^абзац 4: «…/);
    expect(problems[0]!.message).toBe('в данных шаблона нет поля «programme»; здесь есть: place, program, validUntil, partner, participant, number, date');
  });

  it('is linted for an optional field printed outside a section on it, and for a group printed as a value', async () => {
    const content = await editedContract((xml) => xml.replace('{#partner.address}', '').replace('{/partner.address}', '').replace('Адрес: {partner.address}', 'Адрес: {partner.address} {partner.director}'));
    const problems = lintTemplate(new CompiledTemplate('contract.docx', content, filters), TEMPLATES.contract.data);
    expect(problems.map((problem) => problem.message)).toEqual([
      'поле «partner.address» может отсутствовать: поставьте его внутрь блока {#partner.address}…{/partner.address}, иначе документ без него не соберётся',
      '«partner.director» — группа полей (name, nameGenitive, position, positionGenitive): выведите нужное поле, например {partner.director.name}',
    ]);
  });

  it('still renders a tag that Word split across runs', async () => {
    const content = await editedContract((xml) => xml.replace('<w:t xml:space="preserve">{place}</w:t>', '<w:t xml:space="preserve">{pla</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">ce}</w:t>'));
    expect(content.includes('{pla')).toBe(false); // compressed; checked through the text below
    const template = new CompiledTemplate('contract.docx', content, filters);
    const data = TEMPLATES.contract.prepare(TEMPLATES.contract.input.parse(TEMPLATES.contract.sample), ISSUE);
    expect(docxText(template.render(data)).split('\n')[2]).toBe('г. Рязань\t«02» марта 2026 г.');
  });
});

describe('data that does not fit', () => {
  it('names the template and every missing or empty field, and renders nothing', async () => {
    const renderer = new DocumentRenderer();
    const input = structuredClone(sample) as Record<string, unknown> & typeof sample;
    delete (input.partner.director as { name?: string }).name;
    input.participant.name = '   ';
    delete input.validUntil;
    const error = await renderer.render('contract', input, ISSUE).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DocumentDataError);
    expect((error as DocumentDataError).template).toBe('contract.docx');
    expect((error as DocumentDataError).problems).toEqual([
      { field: 'validUntil', message: 'нет значения: поле обязательно' },
      { field: 'partner.director.name', message: 'нет значения: поле обязательно' },
      { field: 'participant.name', message: 'пусто: документ напечатал бы пропуск' },
    ]);
  });

  it('is refused while rendering when a printed value is missing, with the field named', async () => {
    const template = new CompiledTemplate('contract.docx', await readFile(CONTRACT), filters);
    const data = TEMPLATES.contract.prepare(TEMPLATES.contract.input.parse(TEMPLATES.contract.sample), ISSUE) as Record<string, unknown>;
    delete data.place;
    expect(() => template.render(data)).toThrow(DocumentDataError);
    try {
      template.render(data);
    } catch (error) {
      expect((error as DocumentDataError).problems).toEqual([{ field: 'place', message: 'нет значения, а шаблон печатает его ({place})' }]);
    }
    // The template is still good for the next document.
    expect(docxText(template.render({ ...data, place: 'г. Касимов' }))).toContain('г. Касимов\t');
  });

  it('explains a sum that is not a sum at its line of the data', async () => {
    const renderer = new DocumentRenderer();
    const input = structuredClone(TEMPLATES['subsidy-report'].sample) as { lines: { spent: unknown }[] };
    input.lines[1]!.spent = 'двести рублей';
    await expect(renderer.render('subsidy-report', input, ISSUE)).rejects.toMatchObject({ problems: [{ field: 'lines[1].spent', message: expect.stringMatching(/^«двести рублей» — не сумма/) }] });
  });
});

describe('text in documents', () => {
  const awkward = {
    ...sample,
    partner: { ...sample.partner, name: 'МБОУ «Школа № 1 & <Лицей> "Эрудит"» им. О\'Нила', director: { ...sample.partner.director, name: 'Ёлкина-Д\'Арк Алёна Сергеевна' } },
    participant: { ...sample.participant, name: `МОУ «${'Очень длинное название общеобразовательной организации '.repeat(2).trim()}»`.slice(0, 100) },
  };

  it('comes out exactly, with & < > " \' and «ёлочки» escaped for Word and a 100-character name whole', async () => {
    expect(awkward.participant.name).toHaveLength(100);
    const document = await new DocumentRenderer().render('contract', awkward, ISSUE);
    const text = docxText(document.content);
    expect(text).toContain(`${awkward.partner.name}, именуемое в дальнейшем «Школа-партнёр»`);
    expect(text).toContain(`${awkward.participant.name}, именуемое в дальнейшем «Школа-участник»`);
    // A double surname with an apostrophe declines in its Russian part; a woman's foreign part stays.
    expect(text).toContain('в лице директора Ёлкиной-Д\'Арк Алёны Сергеевны, действующей на основании Устава');
    expect(text).toContain(`в лице директора Жуковой Светланы Михайловны, действующей на основании Устава`);
    expect(text).toContain(sample.participant.director.name);
    const xml = new PizZip(document.content).file('word/document.xml')!.asText();
    expect(xml).toContain('МБОУ «Школа № 1 &amp; &lt;Лицей&gt;');
  });

  it('is the same bytes for the same data, rendered by a compiled template many times or by a fresh one', async () => {
    const compiled = new DocumentRenderer();
    const inputs = [sample, awkward, { ...sample, place: 'г. Сасово' }, sample];
    const once = [];
    for (const [index, input] of inputs.entries()) once.push((await compiled.render('contract', input, { ...ISSUE, number: `ДС-2026/00${index + 1}` })).content);
    for (const [index, input] of inputs.entries()) {
      const fresh = await new DocumentRenderer().render('contract', input, { ...ISSUE, number: `ДС-2026/00${index + 1}` });
      expect(Buffer.compare(once[index]!, fresh.content), `document ${index + 1}`).toBe(0);
    }
    expect(docxText(once[1]!)).toContain(awkward.partner.name);
    expect(docxText(once[2]!)).toContain('г. Сасово');
  });
});
