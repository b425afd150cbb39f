/**
 * The `plangraf` command. Each command is a function of its arguments that returns an
 * exit status; what the user reads is Russian, what goes wrong by the user's hand is a
 * message, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { loadPlanFile } from '../activities/plan-files.ts';
import { pluralRu } from '../plan/russian-words.ts';
import { renderScheduleTable } from './schedule-table.ts';
import { parseYearOption, terminalOutput, UsageError, type Output } from './output.ts';
import { upCommand } from './up.ts';
import { keysCommand, orgsCommand, serveCommand, usersCommand, webCommand, workerCommand } from './web-commands.ts';
import { closeCliStore } from './store.ts';
import { StoreUnavailable } from '../store/database.ts';
import { SettingsError } from '../client/temporal-settings.ts';
import { PlanIsDraft } from '../client/plan-registry.ts';
import { contractsCommand, orderCommand, registerCommand, renderCommand, reportCommand, templatesCommand } from './document-commands.ts';
import { completeCommand, extendCommand, simulateCommand, startCommand, statusCommand } from './run-commands.ts';
import { importCommand } from './import-command.ts';
import { changeCommand } from './change-command.ts';
import { formatRussianDate } from '../plan/dates.ts';
import type { Plan } from '../plan/schema.ts';

const USAGE = `plangraf — план-график региональной программы на производственном календаре

Использование:
  plangraf up
      всё сразу: сервер Temporal (SQLite в var/), PostgreSQL (в var/postgres), обработчик, перехват почты, страницы и пример плана на текущий год
  plangraf validate ПЛАН.yaml [--year ГОД] [--calendar ФАЙЛ …]
      проверить план: все ошибки с файлом, строкой и полем; код выхода 1, если есть ошибки
  plangraf schedule ПЛАН.yaml [--json] [--year ГОД] [--calendar ФАЙЛ …]
      сроки каждой задачи по производственному календарю; --json — массив для других программ
  plangraf import ПЛАН.docx|ПЛАН.xlsx -o ПЛАН.yaml [--id ID] [--year ГОД]
      перенести план-график из таблицы Word или Excel в файл плана (черновик: впишите недостающие адреса и исполнителей)
  plangraf start ПЛАН.yaml [--year ГОД] [--org ОРГ]
      запустить план в Temporal для организации (проектного офиса региона; по умолчанию PLANGRAF_ORG или main): задачи, письма исполнителям, напоминания, эскалации (повторный запуск ничего не дублирует)
      --done ЗАДАЧА[=РЕЗУЛЬТАТ],… — запуск посреди года: эти задачи уже выполнены (без результата — плановый), писем по ним не будет; по остальным просроченным каждый исполнитель получит одно письмо
  plangraf status ПЛАН.yaml [--year ГОД] [--json]
      как идёт год: задача, исполнитель, срок, состояние, дни просрочки, результат
  plangraf complete ПЛАН.yaml ЗАДАЧА --result РЕЗУЛЬТАТ [--comment КОММЕНТАРИЙ]
      отметить задачу выполненной (например, ЗАДАЧА = 13/2@sch-01)
  plangraf extend ПЛАН.yaml ЗАДАЧА --to ГГГГ-ММ-ДД --reason ПРИЧИНА
      перенести срок задачи; проектный офис получит уведомление
  plangraf change ПЛАН.yaml [--year ГОД] [--org ОРГ]
      изменить запущенный план по новой версии файла: новые задачи начнутся, перенесённые сроки и смена исполнителя дойдут до исполнителей, выполненные задачи останутся как были; изменение, которое сдвигает выполненную задачу, удаляет начатую или ломает зависимости, не принимается с объяснением
  plangraf simulate ПЛАН.yaml --complete on-due|never|early [--json]
      прогнать год плана на тестовом сервере Temporal и показать все письма, которые уйдут

Процессы (сколько угодно каждого, на любых серверах; общие Temporal и база данных):
  plangraf worker
      обработчик задач: письма, напоминания, документы
  plangraf web [--port 8080]
      страницы проектного офиса для всех планов из базы данных; ссылки исполнителей из писем
  plangraf serve ПЛАН.yaml … [--year ГОД] [--org ОРГ] [--port 8080]
      то же для названных планов (записывает их в базу данных)

Организации, пользователи, ключи:
  plangraf orgs add ОРГ --name "Название" | list
      организации (проектные офисы регионов)
  plangraf users add ЛОГИН --name "Имя" [--org ОРГ] [--role РОЛЬ] [--schools sch-01,…] [--municipality "…"]
      добавить пользователя (пароль — из PLANGRAF_PASSWORD или новый, показывается один раз); РОЛЬ:
      administrator, office, viewer, curator (--schools), municipal (--municipality), federal (все регионы)
  plangraf users list [--org ОРГ] | disable ЛОГИН | logout ЛОГИН
      пользователи; отключить (история сохраняется); завершить все сеансы пользователя
  plangraf keys list | rotate | retire КЛЮЧ
      ключи подписи ссылок: новый ключ; вывести старый (его ссылки перестанут действовать)

Документы (номера, журнал регистрации и файлы — в базе данных):
  plangraf contracts ПЛАН.yaml -o ПАПКА [--date ГГГГ-ММ-ДД] [--pdf]
      договоры о сотрудничестве: по одному на каждую школу-участницу и её школу-партнёра
  plangraf order ПЛАН.yaml -o ПРИКАЗ.docx [--date ГГГГ-ММ-ДД] [--pdf]
      приказ об утверждении перечня школ-участниц, кураторов и муниципальных рабочих групп
  plangraf report ПЛАН.yaml -o ОТЧЁТ.docx [--simulate on-due|never|early] [--pdf]
      отчёт о выполнении плана-графика: по запущенному плану или по модели года
  plangraf render ШАБЛОН --data ДАННЫЕ.yaml -o ДОКУМЕНТ.docx [--number №] [--date ГГГГ-ММ-ДД] [--pdf]
      документ по шаблону из своих данных (ШАБЛОН: order, contract, execution-report, subsidy-report, analytic-note)
  plangraf templates check | list | sample ШАБЛОН
      проверить шаблоны по их описаниям данных; список шаблонов; образец данных для шаблона
  plangraf register [--plan КЛЮЧ] [--org ОРГ]
      журнал регистрации выданных документов
  plangraf help

Параметры:
  --year ГОД        разложить план на другой год (для плана учебного года — год его начала)
  --calendar ФАЙЛ   свой производственный календарь (регион, год) поверх встроенного; можно несколько
  --json            вывести результат в JSON (расписание — в формате PLAN-FORMAT.md)
  --pdf             сохранить также PDF (через LibreOffice)
  --templates ПАПКА взять шаблоны .docx из своей папки вместо templates/docx

Temporal: TEMPORAL_ADDRESS (по умолчанию 127.0.0.1:7233), TEMPORAL_NAMESPACE, TLS — TEMPORAL_TLS_CERT,
  TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME; Temporal Cloud — TEMPORAL_API_KEY.
База данных: DATABASE_URL (postgres://…); без неё — встроенный PostgreSQL этой папки (var/postgres).

В репозитории запускайте как: npm run -s plangraf -- <команда> …`;

export { UsageError };

/** Runs one command line; returns the exit status. */
export async function runCli(argv: string[], io: Output = terminalOutput): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(rest, io);
      case 'schedule':
        return await scheduleCommand(rest, io);
      case 'import':
        return await importCommand(rest, io);
      case 'start':
        return await startCommand(rest, io);
      case 'status':
        return await statusCommand(rest, io);
      case 'complete':
        return await completeCommand(rest, io);
      case 'extend':
        return await extendCommand(rest, io);
      case 'change':
        return await changeCommand(rest, io);
      case 'simulate':
        return await simulateCommand(rest, io);
      case 'up':
        return await upCommand(rest, io);
      case 'templates':
        return await templatesCommand(rest, io);
      case 'render':
        return await renderCommand(rest, io);
      case 'contracts':
        return await contractsCommand(rest, io);
      case 'order':
        return await orderCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'register':
        return await registerCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'users':
        return await usersCommand(rest, io);
      case 'orgs':
        return await orgsCommand(rest, io);
      case 'keys':
        return await keysCommand(rest, io);
      case 'worker':
        return await workerCommand(rest, io);
      case 'web':
        return await webCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        throw new UsageError(`неизвестная команда «${command}»`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`plangraf: ${translateArgsError(error as Error)}\n\n${USAGE}`);
      return 2;
    }
    // The store or Temporal settings are the user's to mend: a sentence, not a stack trace.
    if (error instanceof StoreUnavailable || error instanceof SettingsError || error instanceof PlanIsDraft) {
      io.err(`plangraf: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await closeCliStore();
  }
}

const PLAN_OPTIONS = {
  year: { type: 'string' },
  calendar: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
} as const;

function readPlanArgs(args: string[]) {
  const { values, positionals } = parseArgs({ args, options: PLAN_OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'укажите файл плана' : 'укажите один файл плана');
  const year = parseYearOption(values.year);
  return { file: positionals[0]!, year, calendars: values.calendar ?? [], json: values.json };
}

async function load(args: ReturnType<typeof readPlanArgs>, io: Output) {
  const result = await loadPlanFile(args.file, { ...(args.year !== undefined ? { year: args.year } : {}), calendars: args.calendars });
  for (const line of result.lines) io.err(line);
  if (!result.ok) {
    const count = result.issues.filter((issue) => issue.severity === 'error').length;
    io.err(`\n${count} ${pluralRu(count, ['ошибка', 'ошибки', 'ошибок'])} — план не принят. Исправьте и проверьте снова: plangraf validate ${args.file}`);
  }
  return result;
}

async function validateCommand(argv: string[], io: Output): Promise<number> {
  const args = readPlanArgs(argv);
  const result = await load(args, io);
  if (!result.ok) return 1;
  const { plan, schedule } = result.loaded;
  const scheduled = schedule.tasks.filter((task) => task.start !== null);
  const first = scheduled.map((task) => task.start!).sort()[0];
  const last = scheduled.map((task) => task.due!).sort().at(-1);
  const warnings = result.issues.length;
  io.out(
    `${args.file}: план «${plan.id}» в порядке — ${plan.items.length} ${pluralRu(plan.items.length, ['пункт', 'пункта', 'пунктов'])}, ` +
      `${schedule.tasks.length} ${pluralRu(schedule.tasks.length, ['задача', 'задачи', 'задач'])}` +
      (first && last ? `, с ${formatRussianDate(first)} по ${formatRussianDate(last)}` : '') +
      shiftNote(plan, args.year) +
      (warnings > 0 ? `; ${warnings} ${pluralRu(warnings, ['предупреждение', 'предупреждения', 'предупреждений'])}` : ''),
  );
  return 0;
}

async function scheduleCommand(argv: string[], io: Output): Promise<number> {
  const args = readPlanArgs(argv);
  const result = await load(args, io);
  if (!result.ok) return 1;
  const { plan, schedule } = result.loaded;
  if (args.json) io.out(JSON.stringify(schedule.tasks, null, 2));
  else io.out(`${plan.title ?? plan.id}${shiftNote(plan, args.year)}\n${renderScheduleTable(plan, schedule, io.width)}`);
  return 0;
}

/** « (план на 2020 год разложен на 2026 год)» when `--year` moved the plan, and with it the years its periods name. */
function shiftNote(plan: Plan, year: number | undefined): string {
  const own = plan.year ?? plan.schoolYear!;
  if (year === undefined || year === own) return '';
  return plan.year !== undefined ? ` (план на ${own} год разложен на ${year} год)` : ` (план на ${own}/${own + 1} учебный год разложен на ${year}/${year + 1})`;
}

function translateArgsError(error: Error): string {
  const message = error.message;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `неизвестный параметр ${unknown[1]}`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `после ${missing[1]} нужно значение`;
  if (/Unexpected argument/.test(message)) return 'лишний аргумент';
  return message;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  // `npm run plangraf` runs in the package root; paths the user typed are relative to where they typed them.
  if (process.env.npm_lifecycle_event === 'plangraf' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  // `plangraf schedule … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  runCli(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
      // The command has said its last word: a handle some library left open must not keep the process alive.
      setTimeout(() => process.exit(status), 10_000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`plangraf: внутренняя ошибка — это ошибка программы, а не ваша. Сообщите разработчикам:\n${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
