/**
 * The paperwork commands: check the templates, render one document from data, the contracts
 * and the order of a plan, the report on its execution, and the register of issued documents.
 */
import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadPlanFile, type LoadedPlan } from '../activities/plan-files.ts';
import { connectClient, planKeyOf, planStatus, temporalAddress, WorkflowNotFoundError } from '../client/plan-runs.ts';
import { EXECUTOR_BEHAVIOURS, simulatePlan, SimulationUnavailable, type ExecutorBehaviour } from '../client/simulate.ts';
import { dataProblems } from '../documents/data-problems.ts';
import { closingReportDate } from '../documents/document-dates.ts';
import { DocumentRenderer } from '../documents/document-renderer.ts';
import { DocumentDataError, TemplateError } from '../documents/docx-template.ts';
import { ContractDateAfterTerm, issueContracts, issueExecutionReport, issueOrder, NoContractPairs, type PlanDocumentSource } from '../documents/issue-plan-documents.ts';
import { convertWithLibreOffice, PdfUnavailable } from '../documents/pdf.ts';
import { withReportFiles, type PlanPaperwork, type TaskProgress } from '../documents/plan-documents.ts';
import { listPlanFiles } from '../store/evidence-files.ts';
import { canonicalJson, sha256, type IssuedDocument } from '../documents/register.ts';
import { StoreDocumentRegister } from '../store/register.ts';
import { cliStore } from './store.ts';
import { formatRussianDate, parseIsoDate, type IsoDate } from '../plan/dates.ts';
import { DocumentTemplateId, formatDocumentNumber, DEFAULT_NUMBERING } from '../plan/documents.ts';
import type { ProductionCalendar } from '../plan/production-calendar.ts';
import { formatIssue } from '../plan/issues.ts';
import { pluralRu } from '../plan/russian-words.ts';
import { readYamlSource } from '../plan/yaml-source.ts';
import { TEMPLATES } from '../templates/documents/catalog.ts';
import { dateOf } from '../workflows/clock.ts';
import { parseYearOption, UsageError, type Output } from './output.ts';
import { installQuietRuntime } from './quiet-runtime.ts';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  data: { type: 'string' },
  year: { type: 'string' },
  calendar: { type: 'string', multiple: true },
  date: { type: 'string' },
  number: { type: 'string' },
  pdf: { type: 'boolean', default: false },
  simulate: { type: 'string' },
  plan: { type: 'string' },
  org: { type: 'string' },
  templates: { type: 'string' },
} as const;

function readArgs(argv: string[], positionalNames: string[]) {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== positionalNames.length) throw new UsageError(`ожидается: ${positionalNames.join(' ') || 'без аргументов'}`);
  const date = values.date;
  if (date !== undefined && parseIsoDate(date) === null) throw new UsageError(`--date: ожидается дата ГГГГ-ММ-ДД, а указано «${date}»`);
  return { values, positionals, year: parseYearOption(values.year), date };
}

function templateId(text: string): DocumentTemplateId {
  const parsed = DocumentTemplateId.safeParse(text.replace(/\.docx$/, ''));
  if (!parsed.success) throw new UsageError(`нет шаблона «${text}»; есть: ${DocumentTemplateId.options.join(', ')}`);
  return parsed.data;
}

/** Today in Moscow: documents are dated by the office's calendar, not the machine's zone. */
function today(): IsoDate {
  return dateOf(Date.now(), 'Europe/Moscow');
}

function renderer(values: { templates?: string | undefined }): DocumentRenderer {
  return new DocumentRenderer(values.templates ? { templatesDir: resolve(values.templates) } : {});
}

/** A paperwork failure the user can fix, said in their words; anything else is rethrown. */
function reportFailure(error: unknown, io: Output): number {
  if (error instanceof TemplateError) {
    io.err(`plangraf: шаблон ${error.template} не годится:`);
    for (const problem of error.problems) io.err(`  ${problem.place}: ${problem.message}`);
    return 1;
  }
  if (error instanceof DocumentDataError) {
    io.err(`plangraf: данных не хватает для ${error.template}:`);
    for (const problem of error.problems) io.err(`  ${problem.field}: ${problem.message}`);
    return 1;
  }
  if (error instanceof PdfUnavailable) {
    io.err(`plangraf: ${error.message}`);
    return 1;
  }
  throw error;
}

/** `plangraf templates check|list|sample`. */
export async function templatesCommand(argv: string[], io: Output): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'check') return templatesCheck(rest, io);
  if (action === 'list') {
    const args = readArgs(rest, []);
    for (const definition of Object.values(TEMPLATES)) io.out(`${definition.id.padEnd(18)} ${definition.file.padEnd(24)} ${definition.title}`);
    void args;
    return 0;
  }
  if (action === 'sample') {
    const args = readArgs(rest, ['ШАБЛОН']);
    io.out(stringify(TEMPLATES[templateId(args.positionals[0]!)].sample, { lineWidth: 0 }).trimEnd());
    return 0;
  }
  throw new UsageError('templates: ожидается check, list или sample ШАБЛОН');
}

async function templatesCheck(argv: string[], io: Output): Promise<number> {
  const args = readArgs(argv, []);
  const documents = renderer(args.values);
  let failed = 0;
  for (const definition of Object.values(TEMPLATES)) {
    const problems: string[] = [];
    try {
      for (const problem of await documents.check(definition.id)) problems.push(`${problem.place}: ${problem.message}`);
      if (problems.length === 0) await documents.render(definition.id, definition.sample, { number: formatDocumentNumber(DEFAULT_NUMBERING[definition.id], 2026, 1), date: '2026-03-02' });
    } catch (error) {
      if (error instanceof TemplateError) problems.push(...error.problems.map((problem) => `${problem.place}: ${problem.message}`));
      else if (error instanceof DocumentDataError) problems.push(...error.problems.map((problem) => `образец данных: ${problem.field}: ${problem.message}`));
      else throw error;
    }
    if (problems.length === 0) {
      io.out(`${definition.file}: в порядке — ${definition.title}`);
    } else {
      failed += 1;
      io.err(`${definition.file}: ${problems.length} ${pluralRu(problems.length, ['ошибка', 'ошибки', 'ошибок'])}:`);
      for (const problem of problems) io.err(`  ${problem}`);
    }
  }
  if (failed > 0) io.err(`\n${failed} ${pluralRu(failed, ['шаблон', 'шаблона', 'шаблонов'])} с ошибками: исправьте теги в Word и проверьте снова (plangraf templates check)`);
  return failed > 0 ? 1 : 0;
}

/** Reads a data file (JSON or YAML); a broken file is reported with its line. */
async function readDataFile(path: string, io: Output): Promise<{ ok: true; data: unknown; locate: (field: (string | number)[]) => string } | { ok: false }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.err(`plangraf: ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'нет такого файла' : (error as Error).message}`);
    return { ok: false };
  }
  const source = readYamlSource(text, path);
  if (source.issues.length > 0) {
    for (const issue of source.issues) io.err(formatIssue(issue));
    return { ok: false };
  }
  return { ok: true, data: source.data, locate: (field) => { const at = source.locate(field); return `${path}:${at.line}:${at.col}`; } };
}

/** `plangraf render TEMPLATE --data FILE -o OUT.docx [--number N] [--date D] [--pdf]`. */
export async function renderCommand(argv: string[], io: Output): Promise<number> {
  const args = readArgs(argv, ['ШАБЛОН']);
  const template = templateId(args.positionals[0]!);
  if (!args.values.data || !args.values.out) throw new UsageError('укажите данные и куда сохранить: --data ДАННЫЕ.yaml -o ДОКУМЕНТ.docx');
  const data = await readDataFile(args.values.data, io);
  if (!data.ok) return 1;
  const documents = renderer(args.values);
  const date = args.date ?? today();
  const year = args.year ?? Number(date.slice(0, 4));
  try {
    const parsed = TEMPLATES[template].input.safeParse(data.data);
    if (!parsed.success) {
      const problems = dataProblems(parsed.error);
      parsed.error.issues.forEach((issue, index) => io.err(`${data.locate(issue.path as (string | number)[])}: ошибка: ${problems[index]!.field}: ${problems[index]!.message}`));
      io.err(`\nданные не подходят к шаблону ${TEMPLATES[template].file}: исправьте и повторите (образец: plangraf templates sample ${template})`);
      return 1;
    }
    let content: Buffer;
    let number: string;
    if (args.values.number) {
      // A number given by hand: the document is made as asked, outside the register.
      number = args.values.number;
      content = (await documents.render(template, data.data, { number, date })).content;
    } else {
      const [issued] = await new StoreDocumentRegister(await cliStore()).issue(
        // The same template with the same data is the same document: rendered again, it keeps its number.
        [{ key: `render:${template}:${sha256(canonicalJson(data.data))}`, template, year, date, plan: null, numbering: DEFAULT_NUMBERING[template], input: data.data }],
        async (request, issue) => documents.render(request.template, request.input, issue),
      );
      number = issued!.number;
      content = issued!.content;
      if (!issued!.fresh) io.err(`Документ с этими данными уже зарегистрирован: № ${issued!.number} от ${formatRussianDate(issued!.date)}.`);
    }
    await mkdir(dirname(resolve(args.values.out)), { recursive: true });
    await writeFile(args.values.out, content);
    io.out(`${args.values.out}: ${TEMPLATES[template].title}, № ${number} от ${formatRussianDate(date)}`);
    if (args.values.pdf) await toPdf([resolve(args.values.out)], dirname(resolve(args.values.out)), io);
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

async function loadPlan(file: string, args: { year?: number | undefined; values: { calendar?: string[] | undefined } }, io: Output): Promise<LoadedPlan | undefined> {
  const result = await loadPlanFile(file, { ...(args.year !== undefined ? { year: args.year } : {}), calendars: args.values.calendar ?? [] });
  for (const line of result.lines) io.err(line);
  if (result.ok) return result.loaded;
  const count = result.issues.filter((issue) => issue.severity === 'error').length;
  io.err(`\n${count} ${pluralRu(count, ['ошибка', 'ошибки', 'ошибок'])} — план не принят, документы не созданы.`);
  return undefined;
}

function paperworkOf(loaded: LoadedPlan, year: number | undefined): PlanPaperwork {
  return { plan: loaded.plan, planKey: planKeyOf(loaded, year), span: loaded.schedule.span };
}

/** A `--date` on a day off is allowed (an order may be signed on a Saturday), but said aloud: it is most often a slip. */
function warnIfDayOff(date: IsoDate | undefined, calendar: ProductionCalendar, io: Output): void {
  if (date === undefined || calendar.isWorkingDay(date)) return;
  const before = formatRussianDate(calendar.workingDayOnOrBefore(date));
  const after = formatRussianDate(calendar.workingDayOnOrAfter(date));
  io.err(`plangraf: внимание: --date ${date} (${formatRussianDate(date)}) — нерабочий день по производственному календарю; ближайшие рабочие дни — ${before} и ${after}`);
}

function sourceOf(loaded: LoadedPlan, year: number | undefined): PlanDocumentSource {
  return { paperwork: paperworkOf(loaded, year), calendar: loaded.calendar };
}

/** Copies issued documents into a folder under their human names; returns the copies. */
async function deliver(issued: readonly IssuedDocument[], outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const copies: string[] = [];
  for (const document of issued) {
    const target = join(outDir, document.fileName);
    await writeFile(target, document.content);
    copies.push(target);
  }
  return copies;
}

async function toPdf(files: string[], outDir: string, io: Output): Promise<void> {
  const pdfs = await convertWithLibreOffice(files, outDir);
  io.out(`PDF: ${pdfs.length === 1 ? pdfs[0] : `${pdfs.length} ${pluralRu(pdfs.length, ['файл', 'файла', 'файлов'])} в ${outDir}`}`);
}

function summary(issued: readonly IssuedDocument[]): string {
  const fresh = issued.filter((document) => document.fresh).length;
  const again = issued.length - fresh;
  const changed = issued.filter((document) => document.inputChanged).length;
  return [
    fresh > 0 ? `${fresh} ${pluralRu(fresh, ['новый', 'новых', 'новых'])} (№ ${issued.filter((document) => document.fresh).map((document) => document.number).join(', ')})` : '',
    again > 0 ? `${again} уже ${pluralRu(again, ['был', 'были', 'были'])} в журнале${changed > 0 ? ` (у ${changed} данные в плане с тех пор изменились: действуют зарегистрированные)` : ''}` : '',
  ].filter(Boolean).join('; ');
}

/** `plangraf contracts PLAN -o DIR`: a contract per participant school and its partner. */
export async function contractsCommand(argv: string[], io: Output): Promise<number> {
  const args = readArgs(argv, ['ПЛАН.yaml']);
  if (!args.values.out) throw new UsageError('укажите папку для договоров: -o ПАПКА');
  const loaded = await loadPlan(args.positionals[0]!, args, io);
  if (!loaded) return 1;
  const source = sourceOf(loaded, args.year);
  // A date past the term is refused before anything else is said of it.
  if (args.date === undefined || args.date <= source.paperwork.span.end) warnIfDayOff(args.date, loaded.calendar, io);
  try {
    const documentOffice = await office(args.values);
    const issued = await withProgress(io, (onProgress) => issueContracts(documentOffice, source, { date: args.date, today: today(), onProgress }));
    const copies = await deliver(issued, resolve(args.values.out));
    io.out(`${issued.length} ${pluralRu(issued.length, ['договор', 'договора', 'договоров'])} в ${args.values.out}: ${summary(issued)}`);
    if (args.values.pdf) await toPdf(copies, resolve(args.values.out), io);
    return 0;
  } catch (error) {
    if (error instanceof ContractDateAfterTerm) {
      const end = error.end;
      io.err(`plangraf: --date ${error.date} позже окончания срока действия договоров (${formatRussianDate(end)}): договор нельзя заключить после того, как он перестал действовать. Укажите --date не позднее ${end} или не указывайте её — договоры получат сегодняшнюю дату, пока план действует, иначе первый рабочий день плана.`);
      return 1;
    }
    if (error instanceof NoContractPairs) {
      io.err(`plangraf: ${error.message}`);
      return 1;
    }
    return reportFailure(error, io);
  }
}

/** `plangraf order PLAN -o OUT.docx`: the order approving the schools, curators and working groups. */
export async function orderCommand(argv: string[], io: Output): Promise<number> {
  const args = readArgs(argv, ['ПЛАН.yaml']);
  if (!args.values.out) throw new UsageError('укажите, куда сохранить приказ: -o ПРИКАЗ.docx');
  const loaded = await loadPlan(args.positionals[0]!, args, io);
  if (!loaded) return 1;
  warnIfDayOff(args.date, loaded.calendar, io);
  try {
    const issued = await issueOrder(await office(args.values), sourceOf(loaded, args.year), { date: args.date, today: today() });
    return await saveOne(issued, args.values, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

/**
 * `plangraf report PLAN -o OUT.docx [--simulate on-due|never|early]`: the report on the plan's
 * execution, from the running plan's state, or from a simulated year.
 */
export async function reportCommand(argv: string[], io: Output): Promise<number> {
  const args = readArgs(argv, ['ПЛАН.yaml']);
  if (!args.values.out) throw new UsageError('укажите, куда сохранить отчёт: -o ОТЧЁТ.docx');
  const behaviour = args.values.simulate as ExecutorBehaviour | undefined;
  if (behaviour !== undefined && !EXECUTOR_BEHAVIOURS.includes(behaviour)) throw new UsageError(`--simulate: ${EXECUTOR_BEHAVIOURS.join(', ')}, а указано «${behaviour}»`);
  const loaded = await loadPlan(args.positionals[0]!, args, io);
  if (!loaded) return 1;
  const paperwork = paperworkOf(loaded, args.year);
  let tasks: TaskProgress[];
  let asOf: IsoDate;
  if (behaviour) {
    // Only the simulation needs the native runtime (it runs a worker): installed, it keeps the process alive.
    installQuietRuntime();
    try {
      const simulation = await simulatePlan(loaded, { behaviour, ...(args.year !== undefined ? { year: args.year } : {}) });
      tasks = simulation.status.tasks;
      asOf = closingReportDate(loaded.schedule.span, loaded.calendar);
    } catch (error) {
      if (error instanceof SimulationUnavailable) {
        io.err(`plangraf: ${error.message}`);
        return 1;
      }
      throw error;
    }
  } else {
    let client;
    try {
      client = await connectClient();
    } catch {
      io.err(`plangraf: не удаётся подключиться к Temporal по адресу ${temporalAddress()}. Запустите систему (npm start) или постройте отчёт по модели года: --simulate on-due`);
      return 1;
    }
    try {
      asOf = args.date ?? today();
      tasks = (await planStatus(client, paperwork.planKey, Date.now(), loaded)).tasks;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      io.err(`План «${paperwork.planKey}» не запущен: запустите его (plangraf start ${args.positionals[0]}) или постройте отчёт по модели года: --simulate on-due`);
      return 1;
    } finally {
      await client.connection.close();
    }
  }
  try {
    warnIfDayOff(args.date, loaded.calendar, io);
    // A simulated year has no executors' files; a running plan's are in the store.
    const reported = behaviour ? tasks : withReportFiles(tasks, await listPlanFiles((await cliStore()).pool, paperwork.planKey));
    return await saveOne(await issueExecutionReport(await office(args.values), paperwork, reported, { asOf, date: args.date }), args.values, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** Writes the one document issued to `-o` (and its PDF with `--pdf`), and says its number. */
async function saveOne(issued: IssuedDocument, values: { out?: string | undefined; pdf?: boolean | undefined }, io: Output): Promise<number> {
  const out = resolve(values.out!);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, issued.content);
  io.out(`${values.out}: ${TEMPLATES[issued.template].title}, № ${issued.number} от ${formatRussianDate(issued.date)}${issued.fresh ? '' : ' (уже был в журнале)'}`);
  if (values.pdf) await toPdf([out], dirname(out), io);
  return 0;
}

/** `plangraf register [--plan KEY]`: the issued documents. */
export async function registerCommand(argv: string[], io: Output): Promise<number> {
  const args = readArgs(argv, []);
  const store = await cliStore();
  const register = new StoreDocumentRegister(store);
  const entries = (await register.entries()).filter((entry) => (!args.values.plan || entry.plan === args.values.plan) && (!args.values.org || entry.org === args.values.org));
  if (entries.length === 0) {
    io.out(`Журнал пуст (${store.target}).`);
    return 0;
  }
  // Each organisation numbers its own documents: ДС-2026/001 of two regions are two documents.
  const table = new Table({ head: ['Организация', '№', 'Дата', 'Документ', 'План', 'Файл'], style: { head: [], border: [] } });
  for (const entry of entries) table.push([entry.org || '—', entry.number, formatRussianDate(entry.date), TEMPLATES[entry.template].title, entry.plan ?? '', entry.path]);
  io.out(`${table.toString()}\n${entries.length} ${pluralRu(entries.length, ['документ', 'документа', 'документов'])}; журнал и файлы — в базе данных ${store.target}; скачать — на странице «Документы»`);
  return 0;
}

async function office(values: { templates?: string | undefined }) {
  return { register: new StoreDocumentRegister(await cliStore()), renderer: renderer(values) };
}

/** A progress bar on a terminal for a long run (20 documents or more); nothing in a log. */
async function withProgress<T>(io: Output, run: (onProgress: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  let bar: SingleBar | undefined;
  const onProgress = (done: number, total: number) => {
    if (done === 0) {
      if (!process.stderr.isTTY || total < 20 || io.width === 0) return;
      bar = new SingleBar({ format: 'договоры {bar} {value}/{total} ({eta} с)', stream: process.stderr, hideCursor: true, clearOnComplete: true });
      bar.start(total, 0);
    } else {
      bar?.update(done);
    }
  };
  try {
    return await run(onProgress);
  } finally {
    bar?.stop();
  }
}
