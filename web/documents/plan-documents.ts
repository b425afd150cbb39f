/**
 * A plan's documents page: its documents from the register, each to download (and its PDF where
 * LibreOffice is installed), all of them as one .zip; and, for the office's administrator, the
 * forms that make the order, the contracts of every pair (in the background, with their progress
 * on the page), the execution report and the subsidy report. They are made by the same functions
 * as `plangraf order|contracts|report` (`documents/issue-plan-documents.ts`), into the same
 * register: the same numbers, whichever asks, and asked again, the same documents.
 */
import { shorten } from '../../templates/mail/format.ts';
import type { Hono } from 'hono';
import { DocumentDataError, TemplateError, type DataProblem } from '../../documents/document-errors.ts';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { ContractDateAfterTerm, issueContracts, issueExecutionReport, issueOrder, issueSubsidyReport, NoContractPairs, type PlanDocumentSource } from '../../documents/issue-plan-documents.ts';
import { PdfUnavailable } from '../../documents/pdf.ts';
import { withReportFiles, type SpendingLine } from '../../documents/plan-documents.ts';
import { listPlanFiles } from '../../store/evidence-files.ts';
import type { IssuedDocument, RegisterEntry } from '../../documents/register.ts';
import { formatRussianDate, parseIsoDate, type IsoDate } from '../../plan/dates.ts';
import { pluralRu } from '../../plan/russian-words.ts';
import type { Plan } from '../../plan/schema.ts';
import { TEMPLATES } from '../../templates/documents/catalog.ts';
import { dateOf } from '../../workflows/clock.ts';
import { canAdminister } from '../access.ts';
import type { WebContext, WebEnv } from '../context.ts';
import { DocumentJobs, jobView, type DocumentJob } from './document-jobs.ts';
import { pdfAvailable, pdfNameOf, pdfsOf, zipOf } from './document-files.ts';
import { DOCUMENT_PROGRESS_SCRIPT } from './progress-script.ts';
import { html, type Html } from '../html.ts';
import { errorPage, page } from '../layout.ts';
import type { ServedPlan } from '../plans.ts';
import { attachmentDisposition, contentTypeOf, FILE_STATES, registeredEntry, registerRows } from './documents.ts';
import { documentUrl } from '../tasks/task.ts';

/** What the administrator asks for: the button pressed. */
export const MAKE_ACTIONS = ['order', 'contracts', 'execution-report', 'subsidy-report'] as const;
export type MakeAction = (typeof MAKE_ACTIONS)[number];

/** Adds the plan's documents pages to the office's router (behind its login, CSRF check and audit). */
export function addPlanDocumentPages(office: Hono<WebEnv>): { jobs: DocumentJobs } {
  const jobs = new DocumentJobs();
  const renderer = new DocumentRenderer();
  office.get('/documents/progress.js', (c) => c.body(DOCUMENT_PROGRESS_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'private, max-age=3600' }));
  office.get('/documents/pdf', (c) => documentPdf(c));
  office.get('/plans/:key/documents', (c) => planDocumentsPage(c, jobs));
  office.post('/plans/:key/documents', (c) => makeDocuments(c, jobs, renderer));
  office.get('/plans/:key/documents/job', (c) => jobStatus(c, jobs));
  office.get('/plans/:key/documents.zip', (c) => documentsZip(c));
  return { jobs };
}

/** The address of a plan's documents page. */
export function planDocumentsUrl(key: string, query = ''): string {
  return `/plans/${encodeURIComponent(key)}/documents${query}`;
}

const pdfUrl = (path: string) => `/documents/pdf?path=${encodeURIComponent(path)}`;

/** Today in Moscow: documents are dated by the office's calendar, not the machine's zone. */
function today(): IsoDate {
  return dateOf(Date.now(), 'Europe/Moscow');
}

function sourceOf(served: ServedPlan): PlanDocumentSource {
  return { paperwork: { plan: served.loaded.plan, planKey: served.key, span: served.loaded.schedule.span }, calendar: served.loaded.calendar };
}

function planNotFound(c: WebContext): Response {
  const session = c.get('session');
  return c.html(page({ title: 'План не найден', body: html`<h1>План не найден</h1><p>Такого плана нет или он вам не виден. <a href="/documents">Все документы</a></p>`, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'documents', administer: canAdminister(session) } }), 404);
}

// ---------------------------------------------------------------------------------------------
// What went wrong, in the words of the person who will fix it.

const FIELD_WORDS: Record<string, string> = {
  name: 'название',
  shortName: 'краткое название',
  municipality: 'муниципальное образование',
  address: 'адрес',
  'director.name': 'ФИО директора',
  'director.nameGenitive': 'ФИО директора в родительном падеже',
  'director.position': 'должность директора',
  place: 'место подписания',
  program: 'программа',
  issuer: 'кто издаёт приказ',
  recipient: 'получатель субсидии',
  region: 'регион',
  period: 'период',
  validUntil: 'срок действия',
  'signer.name': 'ФИО подписывающего',
  'signer.position': 'должность подписывающего',
  basis: 'основание (соглашение)',
  lines: 'строки расходов',
};

const LINE_WORDS: Record<string, string> = { name: 'статья расходов', planned: 'сумма по плану', spent: 'израсходовано', note: 'примечание' };

/** A data field in words: `participant.director.name` → «ФИО директора», `lines[1].spent` → «строка 2: израсходовано». */
export function fieldInWords(path: string): string {
  const line = /^lines\[(\d+)\]\.(\w+)$/.exec(path);
  if (line) return `строка ${Number(line[1]) + 1}: ${LINE_WORDS[line[2]!] ?? line[2]}`;
  return FIELD_WORDS[path] ?? path;
}

/**
 * A document's data problem as the page says it: the document and the school it concerns by
 * their names, the field in words. `problem.field` is `<register key>: <path>` for a document of
 * the plan (`ryazan-2020:contract:sch-01:sch-11: participant.director.name`), or the plan's field
 * with its message already in Russian (`paperwork.place`).
 */
export function problemInWords(plan: Plan, planKey: string, problem: DataProblem): string {
  const split = problem.field.indexOf(': ');
  const key = split >= 0 ? problem.field.slice(0, split) : '';
  if (!key.startsWith(`${planKey}:`)) return problem.message;
  const path = problem.field.slice(split + 2);
  const [template, ...parts] = key.slice(planKey.length + 1).split(':');
  const schoolName = (id: string | undefined) => plan.schools.find((school) => school.id === id)?.name ?? id ?? '';
  if (template === 'contract') {
    const [participant, partner] = parts;
    const side = path.startsWith('participant.') ? { id: participant, role: 'школа-участница', rest: path.slice('participant.'.length) } : path.startsWith('partner.') ? { id: partner, role: 'школа-партнёр', rest: path.slice('partner.'.length) } : null;
    const where = `Договор ${schoolName(participant)} и ${schoolName(partner)}`;
    if (side) return `${where}: ${schoolName(side.id)} (${side.role}) — ${fieldInWords(side.rest)}: ${problem.message}`;
    return `${where}: ${fieldInWords(path)}: ${problem.message}`;
  }
  const title = template && template in TEMPLATES ? TEMPLATES[template as keyof typeof TEMPLATES].title : 'Документ';
  return `${title}: ${fieldInWords(path)}: ${problem.message}`;
}

/** The lines the page shows for a refusal the user can act on; `null` for a failure of the server. */
export function explainDocumentError(error: unknown, served: ServedPlan): string[] | null {
  if (error instanceof DocumentDataError) {
    return [
      'Документы не сформированы и не зарегистрированы: в плане не хватает данных. Исправьте план и повторите.',
      ...error.problems.map((problem) => problemInWords(served.loaded.plan, served.key, problem)),
    ];
  }
  if (error instanceof TemplateError) return [`Шаблон ${error.template} не годится: исправьте его и повторите.`, ...error.problems.map((problem) => `${problem.place}: ${problem.message}`)];
  if (error instanceof NoContractPairs) return ['В плане нет пар для договоров: у школ-участниц (ШНОР, ШНСУ) не указана школа-партнёр.'];
  if (error instanceof ContractDateAfterTerm) return [`Дата ${formatRussianDate(error.date)} позже окончания срока действия договоров (${formatRussianDate(error.end)}): договор нельзя заключить после того, как он перестал действовать. Укажите дату не позднее ${formatRussianDate(error.end)} или оставьте поле пустым.`];
  if (error instanceof PdfUnavailable) return ['Документы сформированы, но PDF сделать нельзя: на сервере не установлен LibreOffice. Скачайте документы в формате Word.'];
  return null;
}

// ---------------------------------------------------------------------------------------------
// The page.

export interface PlanDocumentsModel {
  planKey: string;
  planTitle: string;
  rows: readonly { entry: RegisterEntry; file: 'ok' | 'missing' | 'changed' }[];
  csrf: string;
  /** The administrator's forms are shown. */
  canMake: boolean;
  pdf: boolean;
  /** Whether the plan runs (the execution report needs its tasks' states). */
  running: boolean;
  job: DocumentJob | null;
  /** A document just made, for the line at the top. */
  made: RegisterEntry | null;
  problems: readonly string[];
  /** What the forms held when they were refused. */
  form: { date?: string; lines?: string; basis?: string };
}

/** The plan's documents page's body: pure, so a test can read it. */
export function renderPlanDocumentsPage(model: PlanDocumentsModel): Html {
  const base = planDocumentsUrl(model.planKey);
  const jobBox = model.job ? renderJob(model, model.job) : '';
  const problems = model.problems.length > 0 ? html`<div class="flash flash-error" role="alert">${model.problems.map((line) => html`<p>${line}</p>`)}</div>` : '';
  const made = model.made ? html`<p class="flash flash-ok" role="status">Сформировано: ${TEMPLATES[model.made.template]?.title ?? model.made.template} № ${model.made.number} от ${formatRussianDate(model.made.date)}. <a href="${documentUrl(model.made.path)}" download>Скачать</a>${model.pdf ? html` · <a href="${pdfUrl(model.made.path)}" download>PDF</a>` : ''}</p>` : '';
  const forms = model.canMake
    ? html`<div class="actions">
<form method="post" action="${base}"><fieldset><legend>Сформировать документы плана</legend>
<input type="hidden" name="_csrf" value="${model.csrf}">
<label for="documents-date">Дата документов</label>
<input id="documents-date" name="date" type="date" value="${model.form.date ?? ''}">
<p class="muted">Если не указать: приказ и договоры — сегодняшней датой, пока план действует, иначе первым рабочим днём плана; отчёт об исполнении — на сегодня.</p>
${model.pdf ? html`<label><input type="checkbox" name="pdf" value="1"> также PDF</label>` : html`<p class="muted">PDF не делаются: на сервере нет LibreOffice.</p>`}
<p><button type="submit" name="do" value="order">Сформировать приказ</button></p>
<p><button type="submit" name="do" value="contracts">Сформировать договоры (все пары)</button></p>
${model.running ? html`<p><button type="submit" name="do" value="execution-report">Отчёт об исполнении</button></p>` : html`<p class="muted">Отчёт об исполнении строится по состояниям задач: он появится здесь, когда план будет запущен.</p>`}
<p class="muted">Документ, который уже есть в журнале, формируется заново с прежним номером.</p>
</fieldset></form>
<form method="post" action="${base}"><fieldset><legend>Отчёт о расходовании субсидии</legend>
<input type="hidden" name="_csrf" value="${model.csrf}">
<label for="subsidy-lines">Расходы: по строке на статью — «статья; план, руб.; израсходовано, руб.»</label>
<textarea id="subsidy-lines" name="lines" required maxlength="20000" placeholder="Повышение квалификации педагогов; 1 200 000; 1 150 000,50">${model.form.lines ?? ''}</textarea>
<label for="subsidy-basis">Основание (необязательно)</label>
<input id="subsidy-basis" name="basis" type="text" maxlength="500" value="${model.form.basis ?? ''}" placeholder="Соглашение № 073-15-2026-114 от 20.02.2026">
<label for="subsidy-date">Дата отчёта</label>
<input id="subsidy-date" name="date" type="date" value="${model.form.date ?? ''}">
<p><button type="submit" name="do" value="subsidy-report">Отчёт о расходовании субсидии</button></p>
</fieldset></form>
</div>`
    : html`<p class="muted">Формировать документы может администратор проектного офиса; здесь их можно смотреть и скачивать.</p>`;
  const downloads =
    model.rows.length === 0
      ? html`<p class="muted">Документов этого плана пока нет.</p>`
      : html`<p class="downloads"><a href="${base}.zip" download>Скачать всё (.zip)</a>${model.pdf ? html` · <a href="${base}.zip?pdf=1" download>Скачать всё с PDF (.zip)</a>` : ''}</p>
<table class="grid documents"><thead><tr><th>Номер</th><th>Дата</th><th>Документ</th><th>Файл</th><th>Состояние</th><th></th></tr></thead>
<tbody>${model.rows.map(
          ({ entry, file }) => html`<tr data-number="${entry.number}" data-state="${file}">
<td>${entry.number}</td><td>${formatRussianDate(entry.date)}</td><td>${TEMPLATES[entry.template]?.title ?? entry.template}</td><td>${entry.fileName}</td>
<td>${file === 'ok' ? html`<span class="muted">${FILE_STATES.ok}</span>` : html`<strong class="late">${FILE_STATES[file]}</strong>`}</td>
<td>${file === 'missing' ? '' : html`<a href="${documentUrl(entry.path)}" download>Скачать</a>${model.pdf ? html` · <a href="${pdfUrl(entry.path)}" download>PDF</a>` : ''}`}</td>
</tr>`,
        )}</tbody></table>`;
  return html`<p class="muted"><a href="/documents">← журнал всех документов</a></p>
<h1>Документы плана</h1>
${made}${problems}${jobBox}
${forms}
<h2>Выпущенные документы</h2>
${downloads}`;
}

function renderJob(model: PlanDocumentsModel, job: DocumentJob): Html {
  if (job.state === 'running') {
    const status = `${planDocumentsUrl(model.planKey)}/job?id=${encodeURIComponent(job.id)}`;
    return html`<section class="notice" data-job-status="${status}" data-done="${job.done}">
<p><strong>Договоры формируются.</strong> <span data-job-text>${job.pdf === 'making' ? `Договоры готовы (${job.done} из ${job.total}), делаются PDF…` : job.total > 0 ? `Готово ${job.done} из ${job.total}` : 'Проверяются данные…'}</span></p>
<progress max="${job.total || 1}" value="${job.done}">${job.done} из ${job.total}</progress>
<p class="muted">Страницу можно закрыть: договоры сформируются и появятся в журнале. <a href="${planDocumentsUrl(model.planKey, `?job=${encodeURIComponent(job.id)}`)}">Обновить</a></p>
<noscript><meta http-equiv="refresh" content="3"></noscript>
</section>
<script src="/documents/progress.js" defer></script>`;
  }
  if (job.state === 'failed') return html`<div class="flash flash-error" role="alert" data-job-state="failed">${job.problems.map((line) => html`<p>${line}</p>`)}</div>`;
  const fresh = job.issued.filter((document) => document.fresh);
  const numbers = (list: typeof job.issued) => list.map((document) => document.number).join(', ');
  return html`<p class="flash flash-ok" role="status" data-job-state="done">Договоры сформированы: ${job.issued.length}${fresh.length > 0 ? ` (новые № ${numbers(fresh)})` : ''}${fresh.length < job.issued.length ? `; уже были в журнале с прежними номерами: ${numbers(job.issued.filter((document) => !document.fresh))}` : ''}.${job.pdf === 'failed' ? ' PDF сделать не удалось; их можно скачать по ссылкам «PDF» ниже.' : ''}</p>`;
}

async function renderPage(c: WebContext, jobs: DocumentJobs, served: ServedPlan, extra: Partial<Pick<PlanDocumentsModel, 'problems' | 'form' | 'made'>> = {}, status: 200 | 409 | 422 = 200): Promise<Response> {
  const session = c.get('session');
  const deps = c.get('deps');
  const entries = await deps.register.entries();
  const rows = await Promise.all(registerRows(entries, served.key).map(async (entry) => ({ entry, file: await deps.register.verify(entry) })));
  const jobId = c.req.query('job');
  const job = (jobId ? jobs.get(jobId) : undefined) ?? jobs.latest(served.key);
  const madeKey = c.req.query('made');
  const made = extra.made ?? (madeKey ? (entries.find((entry) => entry.key === madeKey && entry.plan === served.key) ?? null) : null);
  const running = (await deps.plans.status(served.key)) !== null;
  const title = served.loaded.plan.title ?? served.key;
  const body = renderPlanDocumentsPage({
    planKey: served.key,
    planTitle: title,
    rows,
    csrf: session.csrf,
    canMake: canAdminister(session),
    pdf: await pdfAvailable(),
    running,
    job: job && (job.state === 'running' || jobId === job.id) ? job : null,
    made,
    problems: extra.problems ?? [],
    form: extra.form ?? {},
  });
  return c.html(page({ title: `Документы плана: ${title}`, body, nav: { plan: served.key, planTitle: title, user: session.name, csrf: session.csrf, current: 'documents', administer: canAdminister(session) } }), status);
}

/** GET /plans/:key/documents[?job=…|made=…]. */
async function planDocumentsPage(c: WebContext, jobs: DocumentJobs): Promise<Response> {
  const served = c.get('deps').plans.get(c.req.param('key') ?? '');
  if (!served) return planNotFound(c);
  return renderPage(c, jobs, served);
}

/** GET /plans/:key/documents/job?id=…: how far the job is, for the page's script. */
function jobStatus(c: WebContext, jobs: DocumentJobs): Response {
  const served = c.get('deps').plans.get(c.req.param('key') ?? '');
  const job = jobs.get(c.req.query('id') ?? '');
  if (!served || !job || job.plan !== served.key) return c.json({ error: 'нет такого задания на этом сервере' }, 404);
  return c.json(jobView(job));
}

// ---------------------------------------------------------------------------------------------
// Making them.

/**
 * The subsidy report's lines from the form: a line per row, «статья; план; израсходовано[;
 * примечание]», the sums as a person writes them (1 200 000,50).
 */
export function spendingLinesOf(text: string): { ok: true; lines: SpendingLine[] } | { ok: false; problems: string[] } {
  const lines: SpendingLine[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((row, index) => {
    if (row.trim() === '') return;
    const cells = row.split(/[;\t]/).map((cell) => cell.trim());
    if (cells.length < 3 || cells.length > 4) {
      problems.push(`Строка ${index + 1}: нужно «статья; план; израсходовано» через точку с запятой, а в ней ${cells.length} ${pluralRu(cells.length, ['часть', 'части', 'частей'])}.`);
      return;
    }
    const [name, planned, spent, note] = cells as [string, string, string, string | undefined];
    lines.push({ name, planned, spent, ...(note ? { note } : {}) });
  });
  if (problems.length === 0 && lines.length === 0) problems.push('Не указано ни одной строки расходов.');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}

/** POST /plans/:key/documents: makes what the button says. */
async function makeDocuments(c: WebContext, jobs: DocumentJobs, renderer: DocumentRenderer): Promise<Response> {
  const session = c.get('session');
  const deps = c.get('deps');
  const served = deps.plans.get(c.req.param('key') ?? '');
  if (!served) return planNotFound(c);
  if (!canAdminister(session)) return c.html(errorPage('Нет прав на это действие', 'Формировать документы может администратор проектного офиса. Обратитесь к нему.'), 403);
  const form = await c.req.parseBody();
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const action = text('do') as MakeAction;
  const dateText = text('date');
  const kept = { date: dateText, lines: text('lines'), basis: text('basis') };
  if (!MAKE_ACTIONS.includes(action)) return renderPage(c, jobs, served, { problems: ['Не понятно, какой документ сформировать: нажмите одну из кнопок.'], form: kept }, 422);
  if (dateText !== '' && parseIsoDate(dateText) === null) return renderPage(c, jobs, served, { problems: [`Дата «${dateText}» не читается: укажите её как ДД.ММ.ГГГГ.`], form: kept }, 422);
  const date = dateText === '' ? undefined : dateText;
  const withPdf = text('pdf') !== '';
  const office = { register: deps.register, renderer };
  const source = sourceOf(served);
  c.set('auditNote', { plan: served.key, details: { document: action } });

  if (action === 'contracts') {
    const job = jobs.start(
      served.key,
      'contracts',
      session.login,
      (onProgress) => issueContracts(office, source, { date, today: today(), onProgress }),
      {
        explain: (error) => explainDocumentError(error, served),
        afterIssued: withPdf
          ? async (issued, running) => {
              running.pdf = 'making';
              try {
                await pdfsOf(issued);
                running.pdf = 'made';
              } catch (error) {
                console.error('plangraf: PDF договоров не сделаны:', error);
                running.pdf = 'failed';
              }
            }
          : undefined,
      },
    );
    return c.redirect(planDocumentsUrl(served.key, `?job=${encodeURIComponent(job.id)}`), 303);
  }

  let issued: IssuedDocument;
  try {
    if (action === 'order') {
      issued = await issueOrder(office, source, { date, today: today() });
    } else if (action === 'execution-report') {
      const status = await deps.plans.status(served.key);
      if (!status) return renderPage(c, jobs, served, { problems: ['План не запущен: отчёт об исполнении строится по состояниям задач идущего плана. Запустите план и повторите.'], form: kept }, 409);
      issued = await issueExecutionReport(office, source.paperwork, withReportFiles(status.tasks, await listPlanFiles(deps.store.pool, served.key)), { asOf: date ?? status.asOf, date });
    } else {
      const lines = spendingLinesOf(text('lines'));
      if (!lines.ok) return renderPage(c, jobs, served, { problems: ['Отчёт не сформирован: исправьте строки расходов.', ...lines.problems], form: kept }, 422);
      issued = await issueSubsidyReport(office, source.paperwork, { lines: lines.lines, basis: text('basis') || undefined, date: date ?? today() });
    }
  } catch (error) {
    const problems = explainDocumentError(error, served);
    if (!problems) throw error;
    return renderPage(c, jobs, served, { problems, form: kept }, 422);
  }
  c.set('auditNote', { plan: served.key, details: { document: action, number: issued.number, fresh: issued.fresh } });
  if (withPdf) {
    try {
      await pdfsOf([issued]);
    } catch (error) {
      console.error('plangraf: PDF не сделан:', error);
    }
  }
  return c.redirect(planDocumentsUrl(served.key, `?made=${encodeURIComponent(issued.key)}`), 303);
}

// ---------------------------------------------------------------------------------------------
// Downloads.

/** Characters of the plan's title in the archive's name: 80 Cyrillic letters are 160 bytes. */
const ZIP_TITLE_LENGTH = 80;

/** GET /plans/:key/documents.zip[?pdf=1]: every document of the plan (and their PDFs) in one archive. */
async function documentsZip(c: WebContext): Promise<Response> {
  const deps = c.get('deps');
  const served = deps.plans.get(c.req.param('key') ?? '');
  if (!served) return planNotFound(c);
  const entries = registerRows(await deps.register.entries(), served.key).reverse();
  const files: { name: string; content: Buffer; sha256: string }[] = [];
  for (const entry of entries) {
    const content = await deps.register.fileContent(entry.sha256);
    if (content) files.push({ name: entry.fileName, content, sha256: entry.sha256 });
  }
  const withPdf = c.req.query('pdf') === '1' && (await pdfAvailable());
  const pdfs = withPdf ? await pdfsOf(files) : new Map<string, Buffer>();
  // Each document followed by its PDF.
  const zip = zipOf(files.flatMap((file) => [file, ...(pdfs.has(file.sha256) ? [{ name: pdfNameOf(file.name), content: pdfs.get(file.sha256)! }] : [])]));
  // A plan's title runs to hundreds of characters; a file name must stay under 255 bytes (UTF-8) everywhere.
  const name = `Документы ${shorten(served.loaded.plan.title ?? served.key, ZIP_TITLE_LENGTH)}.zip`.replace(/[\\/:*?"<>|]+/g, ' ');
  return c.body(new Uint8Array(zip), 200, { 'Content-Type': 'application/zip', 'Content-Disposition': attachmentDisposition(name), 'Content-Length': String(zip.length) });
}

/** GET /documents/pdf?path=<register path>: the registered document as PDF, made by LibreOffice. */
async function documentPdf(c: WebContext): Promise<Response> {
  const session = c.get('session');
  const deps = c.get('deps');
  const notFound = (text: string, status: 404 | 503 = 404) => c.html(page({ title: 'PDF не получить', body: html`<h1>PDF не получить</h1><p>${text}</p><p><a href="/documents">Все документы</a></p>`, nav: { plan: null, user: session.name, csrf: session.csrf, current: 'documents', administer: canAdminister(session) } }), status);
  const entry = registeredEntry(await deps.register.entries(), c.req.query('path'));
  if (!entry) return notFound('В журнале регистрации нет такого документа.');
  if (!(await pdfAvailable())) return notFound('На сервере не установлен LibreOffice: PDF не сделать. Скачайте документ в формате Word.', 503);
  const content = await deps.register.fileContent(entry.sha256);
  if (!content) return notFound(`Документ ${entry.number} есть в журнале, но его файла нет в базе данных.`);
  const pdf = (await pdfsOf([{ sha256: entry.sha256, content }])).get(entry.sha256)!;
  const name = pdfNameOf(entry.fileName);
  return c.body(new Uint8Array(pdf), 200, { 'Content-Type': contentTypeOf(name), 'Content-Disposition': attachmentDisposition(name), 'Content-Length': String(pdf.length) });
}

