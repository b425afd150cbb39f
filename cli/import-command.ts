/**
 * `plangraf import FILE.docx|FILE.xlsx -o PLAN.yaml [--id ID] [--year Y]`: the plan-graph table
 * of a Word or Excel file as a plan file. Exit 0 with warnings (a draft's gaps) on stderr, 1 with
 * every error (row, column, text) and nothing written, 2 for wrong usage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportFileError } from '../import/grid.ts';
import { slugify } from '../import/cell-text.ts';
import { importPlan, type TableFileKind } from '../import/import-plan.ts';
import type { ImportIssue } from '../import/plan-table.ts';
import { pluralRu } from '../plan/russian-words.ts';
import { parseYearOption, UsageError, type Output } from './output.ts';

const PLAN_ID = /^[a-z0-9][a-z0-9-]*$/;

export async function importCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' }, id: { type: 'string' }, year: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'укажите файл с планом-графиком: plangraf import ПЛАН.docx -o ПЛАН.yaml' : 'укажите один файл с планом-графиком');
  if (!values.output) throw new UsageError('укажите, куда записать план: -o ПЛАН.yaml');
  if (values.id !== undefined && !PLAN_ID.test(values.id)) throw new UsageError(`--id: нужны латинские строчные буквы, цифры и дефис (например, ryazan-2020), а указано «${values.id}»`);
  const year = parseYearOption(values.year);
  const path = positionals[0]!;
  const file = displayName(path);
  const output = displayName(values.output);

  const kind = kindOf(path);
  if (typeof kind !== 'string') {
    io.err(`plangraf: ${file}: ${kind.message}`);
    return 1;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    io.err(`plangraf: ${file}: ${readError(error as NodeJS.ErrnoException)}`);
    return 1;
  }

  let result;
  try {
    result = await importPlan(bytes, kind, { id: values.id ?? (slugify(basename(path, extname(path))) || 'plan'), ...(year !== undefined ? { year } : {}), fileName: basename(path) }, output);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    io.err(`plangraf: ${file}: ${error.message}`);
    return 1;
  }
  for (const issue of result.issues) io.err(formatImportIssue(file, issue));
  const errors = result.issues.filter((issue) => issue.severity === 'error').length;
  if (errors > 0 || result.yaml === undefined || result.plan === undefined) {
    const yearAsked = result.issues.some((issue) => issue.severity === 'error' && /--year/.test(issue.message));
    io.err(`\n${errors} ${pluralRu(errors, ['ошибка', 'ошибки', 'ошибок'])} — план не записан. Исправьте таблицу в ${file}${yearAsked ? ' (или укажите --year)' : ''} и импортируйте снова.`);
    return 1;
  }
  try {
    await writeFile(values.output, result.yaml);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(`plangraf: ${output}: не удалось записать план: ${code === 'ENOENT' ? `нет папки ${dirname(resolve(values.output))}; создайте её или укажите другую` : readError(error as NodeJS.ErrnoException)}`);
    return 1;
  }
  const { plan } = result;
  const warnings = result.issues.length;
  io.out(
    `${output}: записан план «${plan.id}» из ${file} — ${plan.items.length} ${pluralRu(plan.items.length, ['пункт', 'пункта', 'пунктов'])}, ` +
      `${plan.people.length} ${pluralRu(plan.people.length, ['исполнитель', 'исполнителя', 'исполнителей'])}` +
      (warnings > 0 ? `; ${warnings} ${pluralRu(warnings, ['предупреждение', 'предупреждения', 'предупреждений'])}: это черновик — впишите, чего не хватает, и проверьте: plangraf validate ${output}` : ''),
  );
  return 0;
}

/** `plan.docx: таблица 1, строка 7, столбец «Срок»: ошибка: «фервраль» — не понимаю …` */
export function formatImportIssue(file: string, issue: ImportIssue): string {
  const place = [issue.row, issue.column].filter((part) => part !== undefined).join(', ');
  return `${file}${place ? `: ${place}` : ''}: ${issue.severity === 'error' ? 'ошибка' : 'предупреждение'}: ${issue.text !== undefined ? `«${issue.text}» — ` : ''}${issue.message}`;
}

function kindOf(path: string): TableFileKind | { message: string } {
  const extension = extname(path).toLowerCase();
  if (extension === '.docx') return 'docx';
  if (extension === '.xlsx' || extension === '.xlsm') return 'xlsx';
  if (extension === '.doc') return { message: 'это документ старого формата Word (.doc); откройте его в Word или LibreOffice и сохраните как .docx' };
  if (extension === '.xls') return { message: 'это книга старого формата Excel (.xls); откройте её в Excel или LibreOffice и сохраните как .xlsx' };
  return { message: `план-график читается из документа Word (.docx) или книги Excel (.xlsx), а это «${extension || 'файл без расширения'}»` };
}

function readError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'файл не найден';
  if (error.code === 'EISDIR') return 'это каталог, а нужен файл';
  if (error.code === 'EACCES') return 'нет прав на доступ к файлу';
  return error.message;
}

/** The path as the user would recognise it: relative to the working directory when inside it. */
function displayName(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') ? resolve(path) : rel;
}
