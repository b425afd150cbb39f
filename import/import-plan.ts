/**
 * `plangraf import`: a Word or Excel file's plan-graph table as a plan file of the plan
 * format, with a comment saying where it came from and what is left to fill in.
 * Pure after unzip: it takes the file's bytes and returns the YAML text and the problems.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';
import { hasErrors } from '../plan/issues.ts';
import { describeIssues, readPlan } from '../plan/read-plan.ts';
import { readDocxTables } from './docx-table.ts';
import type { GridTable } from './grid.ts';
import { findPlanTable, planOfTable, yearMessage, type ImportedPlan, type ImportIssue, type ImportOptions } from './plan-table.ts';
import { readXlsxTables } from './xlsx-table.ts';

export type TableFileKind = 'docx' | 'xlsx';

export interface PlanImport {
  /** The plan file's text; absent when there are errors. */
  yaml?: string;
  plan?: ImportedPlan;
  issues: ImportIssue[];
}

/**
 * Reads the plan-graph from a .docx or .xlsx file's bytes and writes it as a plan.
 * @throws ImportFileError when the file is not what its kind says (a .doc, a broken zip)
 * @example (await importPlan(bytes, 'docx', { id: 'konakovo', fileName: 'plan.docx' }, 'plan.yaml')).yaml
 */
export async function importPlan(bytes: Uint8Array, kind: TableFileKind, options: ImportOptions, outputName: string): Promise<PlanImport> {
  const tables: GridTable[] = kind === 'docx' ? readDocxTables(bytes) : await readXlsxTables(bytes);
  const found = findPlanTable(tables);
  if (!found) {
    const what = kind === 'docx' ? (tables.length === 0 ? 'в документе нет ни одной таблицы, а значит, и плана-графика' : `ни в одной из таблиц документа (${tables.length}) не нашёл плана-графика`) : 'ни на одном листе книги не нашёл плана-графика';
    return { issues: [{ severity: 'error', message: `${what}: нужна таблица с заголовком, где есть столбцы мероприятия («Мероприятие», «Наименование мероприятия», «Содержание») и срока («Срок», «Сроки», «Период», «Дата»)` }] };
  }
  const table = planOfTable(found, options);
  // The command line takes the plan's year as `--year`: a year problem says so.
  const imported = { ...table, issues: table.issues.map((issue) => (issue.year ? { ...issue, message: yearMessage(issue.year, { option: '--year' }) } : issue)) };
  if (!imported.plan) return { issues: imported.issues };
  const yaml = planYaml(imported.plan, imported.missing, outputName);
  // What is written must be a plan plangraf accepts: a draft at most, never an invalid one.
  const check = readPlan(yaml, outputName);
  if (!check.ok || hasErrors(check.issues)) {
    const lines = describeIssues(check.issues.filter((issue) => issue.severity === 'error'), check.source.data);
    return { issues: [...imported.issues, ...lines.map((line): ImportIssue => ({ severity: 'error', message: `записанный план не прошёл бы проверку: ${line}` }))] };
  }
  return { yaml, plan: imported.plan, issues: imported.issues };
}

/** The plan as YAML, under a comment on where it came from and what to fill in; empty fields (`email:`) mark the gaps. */
export function planYaml(plan: ImportedPlan, missing: { emails: string[]; executors: string[] }, outputName: string): string {
  const header = [
    `Импортировано командой plangraf import из ${plan.source}.`,
    `Проверить: plangraf validate ${outputName}`,
    ...(missing.emails.length > 0 || missing.executors.length > 0
      ? [
          'Это черновик: сроки можно смотреть (plangraf schedule), но запустить план нельзя, пока не заполнено:',
          ...(missing.emails.length > 0 ? [`  - email у людей (people): ${missing.emails.join(', ')}`] : []),
          ...(missing.executors.length > 0 ? [`  - executor у пунктов (items): ${missing.executors.join(', ')} — id человека из people`] : []),
        ]
      : []),
    'Стоит добавить: office — кто получает сводки и эскалации; region; schools — школы-участницы и партнёры.',
    'Формат плана: README.md, раздел «The plan format».',
  ];
  // Written so that YAML 1.1 readers too (PyYAML, older editors) keep «yes» or «2021-12-29» as text: they come quoted.
  const document = new Document(plan, { version: '1.1' });
  // `executor: [kozhekhov, klyushanova]`, as the plan format writes a list of ids.
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'executor' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return `${header.map((line) => `# ${line}`.trimEnd()).join('\n')}\n${document.toString({ nullStr: '', lineWidth: 0 })}`;
}
