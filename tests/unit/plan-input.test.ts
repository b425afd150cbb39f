import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../activities/plan-files.ts';
import { planWithItems, toYaml } from '../support/build-plan.ts';
import { workspace } from '../support/workspace.ts';

/** Loads a plan written as these exact bytes or text. */
async function loadText(content: string | Buffer) {
  const dir = workspace({});
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, content);
  const result = await loadPlanFile(file);
  return { ...result, lines: result.lines.map((line) => line.replace(`${dir}/`, '')) };
}

const PLAN = toYaml(planWithItems([{ id: '1', title: 'Доработка модели', when: 'январь', executor: 'riro', result: 3 }]));

describe('files as editors save them', () => {
  it('reads a file with a BOM and Windows line endings, placing errors at the columns the user sees', async () => {
    const text = '\uFEFF' + PLAN.replace('id: test-plan', 'id: Test Plan').replace(/\n/g, '\r\n');
    const result = await loadText(text);
    expect(result.lines[0]).toMatch(/^plan\.yaml:1:5: ошибка: id: «Test Plan» не годится как идентификатор/);
  });

  it('reads a file with old Mac line endings', async () => {
    const result = await loadText(PLAN.replace(/\n/g, '\r'));
    expect(result.ok).toBe(true);
  });

  it('asks for UTF-8 when the file is in Windows-1251 or UTF-16', async () => {
    const cp1251 = Buffer.from([0x69, 0x64, 0x3a, 0x20, 0x78, 0x0a, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0xcf, 0xeb, 0xe0, 0xed, 0x0a]);
    expect((await loadText(cp1251)).lines).toEqual([expect.stringMatching(/^plan\.yaml: ошибка: файл не в кодировке UTF-8\. .*Windows-1251$/)]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id: x\n', 'utf16le')]);
    expect((await loadText(utf16)).lines).toEqual([expect.stringMatching(/UTF-16$/)]);
  });

  it('treats a field left empty as absent', async () => {
    const result = await loadText(PLAN.replace('year: 2020', 'year: 2020\ntimezone:\nreminders:\nregion:'));
    expect(result.lines).toEqual([]);
    expect(result.ok && result.loaded.plan.timezone).toBe('Europe/Moscow');
  });

  it('keeps item ids and targets as typed: 1.10 stays «1.10», 012 stays «012»', async () => {
    const result = await loadText(PLAN.replace('id: "1"', 'id: 1.10').replace('result: 3', 'result: 012'));
    if (!result.ok) throw new Error(result.lines.join('\n'));
    expect(result.loaded.schedule.tasks[0]).toMatchObject({ task: '1.10', result: '012' });
  });

  it('reads YAML merge keys', async () => {
    const text = PLAN.replace('  - id: "1"', '  - &first\n    id: "1"') + '  - <<: *first\n    id: "2"\n    title: Слияние\n';
    const result = await loadText(text);
    expect(result.lines).toEqual([]);
    expect(result.ok && result.loaded.schedule.tasks[1]).toMatchObject({ task: '2', executor: 'riro', due: '2020-01-31' });
  });
});

describe('YAML mistakes are errors with places, never crashes', () => {
  it.each([
    ['an alias to a missing anchor', PLAN.replace('executor: riro', 'executor: *nobody'), /^plan\.yaml:\d+:\d+: ошибка: YAML: ссылка \*nobody указывает на якорь &nobody, которого нет/],
    ['an alias into itself', PLAN.replace('result: 3', 'result: &r [*r]'), /^plan\.yaml:\d+:\d+: ошибка: YAML: ссылки \(\*якоря\) ссылаются сами на себя/],
    ['an unclosed bracket, at the line it opens', PLAN.replace('executor: riro', 'executor: [riro, coordinator'), /^plan\.yaml:\d+:15: ошибка: items\[0\]\.executor: YAML: не закрыта квадратная скобка/],
    ['a colon inside a value', PLAN.replace('title: Доработка модели', 'title: Приказ: утвердить'), /^plan\.yaml:\d+:\d+: ошибка: items\[0\]\.title: YAML: в значении есть «: »: «title: Приказ: утвердить» — .* заключите всё значение в кавычки/],
  ])('%s', async (_, text, expected) => {
    const result = await loadText(text);
    expect(result.ok).toBe(false);
    expect(result.lines[0]).toMatch(expected);
  });

  it('blames a key shifted right at its own line and column, quoting the line, not the line before with text the file lacks', async () => {
    const text = PLAN.replace('    when: январь', '     when: январь');
    const line = text.split('\n').findIndex((entry) => entry.includes('     when: январь')) + 1;
    const result = await loadText(text);
    expect(result.lines).toEqual([`plan.yaml:${line}:6: ошибка: items[0].when: YAML: неверный отступ: строка «when: январь» сдвинута вправо на 1 пробел относительно соседних полей («title», «executor»): поставьте «when» в столбец 5`]);
  });

  it('blames a key shifted left at its own line, naming the field it is', async () => {
    const text = PLAN.replace('    result: 3', '  result: 3');
    const line = text.split('\n').findIndex((entry) => entry === '  result: 3') + 1;
    const result = await loadText(text);
    expect(result.lines[0]).toBe(`plan.yaml:${line}:3: ошибка: items[0].result: YAML: неверный отступ: строка «result: 3» сдвинута влево на 2 пробела относительно соседних полей («executor»): поставьте «result» в столбец 5`);
  });

  it('quotes the value with the colon as the file has it', async () => {
    const result = await loadText(PLAN.replace('title: Доработка модели', 'title: Приказ: утвердить'));
    expect(result.lines[0]).toMatch(/заключите всё значение в кавычки: title: "Приказ: утвердить"$/);
  });

  it('lists a tab-indented file once per line, not once per echo', async () => {
    const result = await loadText(PLAN.replace(/\n {4}/g, '\n\t\t'));
    const lines = result.lines.map((line) => line.split(':')[1]);
    expect(new Set(lines).size).toBe(lines.length);
    expect(result.lines.length).toBeLessThanOrEqual(13);
  });
});

describe('one mistake, one error', () => {
  it('does not add «no period» when `when` is there but empty or of the wrong type', async () => {
    const result = await loadText(PLAN.replace('when: январь', 'when: [январь]'));
    expect(result.lines).toEqual([expect.stringMatching(/items\[0\]\.when \(пункт «1»\): ожидается текст, а указано список$/)]);
  });

  it('does not add «no executor» when `per` is misspelt', async () => {
    const result = await loadText(PLAN.replace('executor: riro', 'per: школа'));
    expect(result.lines).toEqual([expect.stringMatching(/items\[0\]\.per \(пункт «1»\): per — только «school»/)]);
  });

  it('says an empty list is empty', async () => {
    const result = await loadText(PLAN.replace('executor: riro', 'executor: []'));
    expect(result.lines).toEqual([expect.stringMatching(/items\[0\]\.executor \(пункт «1»\): список не может быть пустым$/)]);
  });
});
