/** The exported YAML's header says what is still missing, and nothing once all is filled in. */
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../web/drafts/draft-edits.ts';
import { exportedText } from '../../web/drafts/draft-export.ts';
import { draftFromUpload } from '../../web/drafts/draft-upload.ts';
import { buildDocx } from './import-builders.ts';

async function imported(): Promise<string> {
  const docx = await buildDocx({
    before: ['План-график мероприятий на 2027 год'],
    rows: [
      { cells: ['№', 'Наименование мероприятия', 'Срок', 'Ответственный исполнитель', 'Ожидаемый результат'], header: true },
      { cells: ['1', 'Совещание', 'январь', 'Иванова О. Ю.', 'протокол'] },
      { cells: ['2', 'Отчёт', 'декабрь', '', 'отчёт'] },
    ],
  });
  const upload = await draftFromUpload('План.docx', new Uint8Array(docx), { id: 'export' });
  if (!upload.ok) throw new Error(upload.errors.join('\n'));
  return upload.text;
}

const header = (text: string) => text.split('\n').filter((line) => line.startsWith('#'));

describe('the exported YAML of a draft', () => {
  it('lists what is still missing, as of the version', async () => {
    const text = await imported();
    const half = applyEdits(text, { plan: {}, items: new Map([[1, { executor: 'ivanova' }]]), people: new Map() }).text;
    expect(header(exportedText(half)).filter((line) => /черновик|  - /.test(line))).toEqual([
      '# Это черновик: сроки можно смотреть (plangraf schedule), но запустить план нельзя, пока не заполнено:',
      '#   - email у людей (people): ivanova',
    ]);
  });

  it('drops the draft lines and the advice once everything is filled in, and keeps the rest of the header', async () => {
    const text = await imported();
    const filled = applyEdits(text, { plan: { region: 'Рязанская область', office: 'ivanova' }, items: new Map([[1, { executor: 'ivanova' }]]), people: new Map([[0, { email: 'ivanova@example.org' }]]) }).text;
    const withSchools = `${filled}schools:\n  - id: sch-01\n    name: МОУ СОШ № 1\n    kind: ШНОР\n    director: { name: Сидоров С. С., email: sidorov@example.org }\n`;
    const lines = header(exportedText(withSchools));
    expect(lines.some((line) => /черновик|не заполнено|Стоит добавить/.test(line))).toBe(false);
    expect(lines[0]).toMatch(/^# Импортировано командой plangraf import из /);
    expect(exportedText(withSchools).split('\n').filter((line) => !line.startsWith('#'))).toEqual(withSchools.split('\n').filter((line) => !line.startsWith('#')));
  });

  it('leaves a file without the importer’s header as it is', () => {
    const text = '# мой план\nid: x\nyear: 2027\nitems: []\n';
    expect(exportedText(text)).toBe(text);
  });
});
