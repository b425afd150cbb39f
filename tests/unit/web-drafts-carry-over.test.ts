/**
 * A new version of a draft from a Word table keeps what the office entered and a table cannot
 * say: addresses, positions, ids, schools, region, office, paperwork, reminders.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPlanSource } from '../../activities/plan-files.ts';
import { carryOver, nameKey } from '../../web/drafts/carry-over.ts';
import { draftFromUpload } from '../../web/drafts/draft-upload.ts';
import { toYaml } from '../support/build-plan.ts';
import { buildDocx } from './import-builders.ts';

async function tableDraft(rows: string[][]): Promise<string> {
  const docx = await buildDocx({
    before: ['План-график мероприятий на 2027 год'],
    rows: [{ cells: ['№', 'Наименование мероприятия', 'Срок', 'Ответственный исполнитель', 'Ожидаемый результат'], header: true }, ...rows.map((cells) => ({ cells }))],
  });
  const upload = await draftFromUpload('План.docx', new Uint8Array(docx), { id: 'carry' });
  if (!upload.ok) throw new Error(upload.errors.join('\n'));
  expect(upload.fromTable).toBe(true);
  return upload.text;
}

const PREVIOUS = toYaml({
  id: 'carry',
  year: 2027,
  title: 'План',
  region: 'Рязанская область',
  office: 'coordinator',
  reminders: { before: [3], overdueEvery: 1 },
  paperwork: { place: 'г. Рязань', signer: 'chief' },
  people: [
    { id: 'coordinator', name: 'Иванова О. Ю.', position: 'методист', email: 'ivanova@example.org' },
    { id: 'petrov', name: 'Петров П. П.', email: 'petrov@example.org', organization: 'РИРО' },
    { id: 'chief', name: 'Руководитель Р. Р.', email: 'chief@example.org' },
  ],
  schools: [{ id: 'sch-01', name: 'МОУ СОШ № 1', kind: 'ШНОР', director: { name: 'Сидоров С. С.', email: 'sidorov@example.org' } }],
  items: [
    { id: '1', title: 'Совещание', when: 'январь', executor: 'coordinator', result: 'протокол', reminders: { before: [1] } },
    { id: '2', title: 'Анализ', when: 'март', executor: 'petrov' },
  ],
});

describe('a new version from a table keeps what the table cannot say', () => {
  it('keeps people’s ids, addresses and positions, the schools, region, office, paperwork and reminders, and says what it kept', async () => {
    const uploaded = await tableDraft([
      ['1', 'Совещание с руководителями', 'февраль', 'Иванова О.Ю.', 'протокол'],
      ['2', 'Анализ результатов', 'апрель', 'Петров П. П.', '3'],
      ['3', 'Отчёт', 'декабрь', 'Иванова О. Ю.', 'отчёт'],
    ]);
    const { text, kept } = carryOver(PREVIOUS, uploaded);
    const plan = parse(text);
    expect(plan.people).toEqual([
      // The name as the new table writes it.
      { id: 'coordinator', name: 'Иванова О.Ю.', email: 'ivanova@example.org', position: 'методист' },
      { id: 'petrov', name: 'Петров П. П.', email: 'petrov@example.org', organization: 'РИРО' },
      { id: 'chief', name: 'Руководитель Р. Р.', email: 'chief@example.org' },
    ]);
    expect(plan.items.map((item: { executor: unknown; when: string }) => [item.when, item.executor])).toEqual([['февраль', 'coordinator'], ['апрель', 'petrov'], ['декабрь', 'coordinator']]);
    expect(plan.items[0].reminders).toEqual({ before: [1] });
    expect(plan).toMatchObject({ region: 'Рязанская область', office: 'coordinator', reminders: { before: [3], overdueEvery: 1 }, paperwork: { place: 'г. Рязань', signer: 'chief' } });
    expect(plan.schools).toHaveLength(1);
    expect(kept).toEqual([
      'адреса и должности людей: Иванова О.Ю., Петров П. П.',
      'люди, которых нет в таблице: Руководитель Р. Р.',
      'школы: 1',
      'регион',
      'проектный офис',
      'оформление документов (paperwork)',
      'напоминания',
      'напоминания и документы пунктов «1»',
    ]);
    // The version reads as a plan with nothing left to fill in.
    const load = await loadPlanSource({ text, fileName: 'carry.yaml', calendars: [] });
    expect(load.ok ? load.issues.filter((issue) => issue.severity !== 'warning' || /email|executor/.test(issue.message)) : load.lines).toEqual([]);
  });

  it('keeps an executor the office chose for a row whose cell the table leaves empty', async () => {
    const uploaded = await tableDraft([
      ['1', 'Совещание', 'январь', 'Иванова О. Ю.', 'протокол'],
      ['2', 'Анализ', 'март', '', '3'],
    ]);
    const { text, kept } = carryOver(PREVIOUS, uploaded);
    expect(parse(text).items.map((item: { executor: unknown }) => item.executor)).toEqual(['coordinator', 'petrov']);
    expect(kept).toContain('исполнители пунктов «2», которых нет в таблице');
  });

  it('keeps nothing when there was nothing to keep', async () => {
    const uploaded = await tableDraft([['1', 'Совещание', 'январь', 'Иванова О. Ю.', 'протокол']]);
    expect(carryOver(uploaded, uploaded)).toEqual({ text: uploaded, kept: [] });
  });

  it('compares names without regard to case, «ё» and the spaces of initials', () => {
    expect(nameKey('Королёва  А.Б.')).toBe(nameKey('королева А. Б.'));
  });
});
