/**
 * What an executor sees after clicking a link in a letter: the task and a form, to report it
 * done with its result and files (the report goes to the office's check, «на проверке») or to
 * ask for more time. Opening the link changes nothing (mail scanners follow links); only sending
 * the form acts, once. A forged, expired or void link gets a page that says so and changes
 * nothing; a used one shows what was sent by it, when and by whom, and where the task stands now.
 */
import type { Context } from 'hono';
import { reportTask, requestExtension, TaskActionRefused } from '../../client/plan-runs.ts';
import { saveReportFiles } from '../../store/evidence-files.ts';
import { checkEvidenceFiles, evidenceHint, EVIDENCE_ACCEPT, type EvidenceUpload, type RefusedEvidence } from '../evidence/file-check.ts';
import { formatRussianDate } from '../../plan/dates.ts';
import { occurrenceIdOf, taskNames } from '../../plan/task-names.ts';
import type { TaskHistoryEntry, TaskStatus } from '../../workflows/messages.ts';
import { addressOf, type WebDeps } from '../context.ts';
import { recordAudit } from '../../store/audit.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { HISTORY_LABELS, russianDatesIn } from './task.ts';
import { STATE_NAMES } from '../pages/common.ts';
import type { ActionLink } from '../links.ts';

type Checked = { ok: true; link: ActionLink; id: string; task: TaskStatus } | { ok: false; response: Response };

/** A page that says why the link does nothing, with the status a browser and a test can read. */
function refusal(c: Context, status: 403 | 404 | 409 | 410, title: string, text: string): Response {
  return c.html(page({ title, body: html`<div class="card" data-refusal="${String(status)}"><h1>${title}</h1><p>${text}</p><p class="muted">Ничего не изменено. Если нужна помощь, обратитесь в проектный офис.</p></div>` }), status);
}

/** Everything a link must pass before its page is shown or its form acted on. */
async function check(c: Context, deps: WebDeps): Promise<Checked> {
  const token = c.req.param('token') ?? '';
  // The signature first; the expiry once the task says what day it is on its plan's clock.
  const checked = deps.signer.checkAction(token, Number.NEGATIVE_INFINITY);
  if (!checked.ok) return { ok: false, response: refusal(c, 403, 'Ссылка недействительна', 'Эта ссылка повреждена или не была выдана системой: её не удалось проверить.') };
  const { link, id } = checked;
  const expired = () => ({ ok: false as const, response: refusal(c, 410, 'Срок действия ссылки истёк', 'Ссылка из письма действует месяц после срока задачи. Воспользуйтесь ссылкой из более нового письма или обратитесь в проектный офис.') });
  if (await deps.usedLinks.has(id)) return { ok: false, response: await usedLinkPage(c, deps, link, id) };
  if (!deps.plans.get(link.plan)) return { ok: false, response: refusal(c, 404, 'План не найден', 'Эта ссылка относится к плану, которого нет на этом сервере.') };
  const task = await deps.plans.task(link.plan, link.task);
  if (!task) return { ok: false, response: refusal(c, 404, 'Задача не найдена', 'Задача из этой ссылки не запущена.') };
  const today = Date.parse(`${task.asOf ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  if (link.expires * 1000 <= today) return expired();
  if (task.executor.id !== link.executor) return { ok: false, response: refusal(c, 410, 'Задача передана другому исполнителю', 'Исполнитель задачи сменился, поэтому ссылка больше не действует.') };
  return { ok: true, link, id, task };
}

/** The task the link is about, with its plan: an executor may work in several. */
function taskCard(deps: WebDeps, link: ActionLink, task: TaskStatus): Html {
  const plan = deps.plans.get(link.plan);
  const when = plan ? taskNames(plan.loaded.plan, plan.loaded.schedule.tasks).occurrence(occurrenceIdOf(task.task)) : '';
  return html`<dl class="fields">
<dt>План-график</dt><dd>${plan?.loaded.plan.title ?? 'план проектного офиса'}</dd>
<dt>Мероприятие</dt><dd>${task.title}</dd>
<dt>Пункт плана</dt><dd>${task.item}${when ? `, ${when}` : ''}</dd>
<dt>Период</dt><dd>${task.period}</dd>
<dt>Срок исполнения</dt><dd>${task.due ? formatRussianDate(task.due) : 'не установлен'}</dd>
${task.target ? html`<dt>Прогнозируемый результат</dt><dd>${task.target}</dd>` : ''}
<dt>Исполнитель</dt><dd>${task.executor.name}${task.schoolName ? html`, ${task.schoolName}` : ''}</dd>
</dl>`;
}

function form(c: Context, deps: WebDeps, link: ActionLink, task: TaskStatus, values: { result?: string; comment?: string; to?: string; reason?: string } = {}): Html {
  const token = c.req.param('token') ?? '';
  const csrf = deps.signer.formToken(token);
  if (link.action === 'complete') {
    return html`<form method="post" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${csrf}">
${task.returned ? html`<p class="flash flash-error" data-returned="yes">Отчёт возвращён на доработку ${formatRussianDate(task.returned.on)}: «${task.returned.reason.replace(/[.!]+$/, '')}»</p>` : ''}
<label for="result">Результат: что сделано</label>
<textarea id="result" name="result" required maxlength="2000" placeholder="${task.target ? `Например: ${task.target}` : 'Например: 10 договоров подписано'}">${values.result ?? ''}</textarea>
<label for="comment">Комментарий (необязательно)</label>
<textarea id="comment" name="comment" maxlength="4000">${values.comment ?? ''}</textarea>
<label for="files">Файлы: план, протокол, скан приказа (необязательно)</label>
<input id="files" name="files" type="file" multiple accept="${EVIDENCE_ACCEPT}">
<p class="muted">${evidenceHint()}</p>
<p><button type="submit">Сообщить о выполнении</button></p>
${task.checked ? html`<p class="muted">Отчёт проверит проектный офис: задача будет снята с контроля, когда он примет отчёт, или вернётся к вам с замечаниями.</p>` : ''}
</form>`;
  }
  return html`<form method="post">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="to">Новый срок</label>
<input id="to" name="to" type="date" required value="${values.to ?? ''}" min="${task.due ?? ''}">
<label for="reason">Почему нужен другой срок</label>
<textarea id="reason" name="reason" required maxlength="2000">${values.reason ?? ''}</textarea>
<p><button type="submit">Попросить перенести срок</button></p>
<p class="muted">Срок переносит проектный офис; о решении вы получите письмо.</p>
</form>`;
}

const TITLES = { complete: 'Сообщить о выполнении', extend: 'Попросить перенести срок' } as const;

/** GET: the task and the form; nothing changes. */
export async function actionPage(c: Context, deps: WebDeps): Promise<Response> {
  const checked = await check(c, deps);
  if (!checked.ok) return checked.response;
  const { link, task } = checked;
  if (task.state === 'done') return refusal(c, 409, 'Задача уже выполнена', `Задача отмечена выполненной ${task.doneOn ? formatRussianDate(task.doneOn) : ''}: «${task.result ?? ''}».`);
  if (task.state === 'review' && link.action === 'complete') return onReview(c, deps, link, task);
  const pending = task.extensionRequest && link.action === 'extend' ? html`<p class="flash flash-ok">Просьба перенести срок на ${formatRussianDate(task.extensionRequest.to)} уже отправлена ${formatRussianDate(task.extensionRequest.on)}; проектный офис её рассматривает.</p>` : '';
  return c.html(page({ title: TITLES[link.action], body: html`<div class="card"><h1>${TITLES[link.action]}</h1>${taskCard(deps, link, task)}${pending}${form(c, deps, link, task)}</div>` }));
}

/** POST: acts once, through the task's workflow, which has the last word on what it accepts. */
export async function actOnLink(c: Context, deps: WebDeps): Promise<Response> {
  const checked = await check(c, deps);
  if (!checked.ok) return checked.response;
  const { link, id, task } = checked;
  const body = await c.req.parseBody({ all: true });
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const attached = (name: string) => [body[name]].flat().filter((value): value is File => value instanceof File && (value.size > 0 || value.name !== ''));
  if (!deps.signer.checkFormToken(c.req.param('token') ?? '', field('_csrf'))) return refusal(c, 403, 'Форма устарела', 'Откройте ссылку из письма ещё раз и отправьте форму с той страницы.');
  if (task.state === 'done') return refusal(c, 409, 'Задача уже выполнена', `Задача отмечена выполненной ${task.doneOn ? formatRussianDate(task.doneOn) : ''}: «${task.result ?? ''}».`);
  if (task.state === 'review' && link.action === 'complete') return onReview(c, deps, link, task);

  const values = { result: field('result'), comment: field('comment'), to: field('to'), reason: field('reason') };
  // The files first: a refused one sends nothing, and the page keeps what was typed.
  const uploads = link.action === 'complete' ? await uploadedFiles() : [];
  const files = checkEvidenceFiles(uploads);
  if (files.refused.length > 0) {
    return c.html(page({ title: TITLES[link.action], flash: { kind: 'error', text: 'Отчёт не отправлен: приложите файлы ещё раз без тех, что не приняты.' }, body: html`<div class="card"><h1>${TITLES[link.action]}</h1>${refusedList(files.refused)}${taskCard(deps, link, task)}${form(c, deps, link, task, values)}</div>` }), 422);
  }
  type Outcome = { ok: true; status: TaskStatus } | { ok: false; message: string };
  const outcome = await deps.usedLinks.once<Outcome>(id, async () => {
    try {
      const status =
        link.action === 'complete'
          ? await reportTask(deps.client, link.plan, link.task, { result: values.result, ...(values.comment.trim() ? { comment: values.comment } : {}), by: link.executor })
          : await requestExtension(deps.client, link.plan, link.task, { to: values.to, reason: values.reason, by: link.executor });
      if (files.accepted.length > 0) {
        await saveReportFiles(deps.store, { planKey: link.plan, task: link.task, report: status.reports ?? 1, reportedBy: link.executor, files: files.accepted.map((file) => ({ fileName: file.fileName, mediaType: file.mediaType, content: file.content })) });
      }
      // The workflow's own record of what was just sent (its last entry by this executor), with the files' names.
      const entry = [...status.history].reverse().find((candidate) => SENT_KINDS.includes(candidate.kind) && (candidate.to ?? []).includes(link.executor));
      const sent: SentThroughLink | undefined = entry ? { ...entry, files: files.accepted.map((file) => file.fileName) } : undefined;
      return { acted: true, value: { ok: true, status }, sent };
    } catch (error) {
      if (error instanceof TaskActionRefused) return { acted: false, value: { ok: false, message: error.message } };
      throw error;
    }
  });
  if (outcome === null) return refusal(c, 410, 'Ссылка уже использована', 'По этой ссылке уже отправлен ответ; каждая ссылка действует один раз.');
  if (!outcome.ok) {
    return c.html(page({ title: TITLES[link.action], flash: { kind: 'error', text: `Не принято: ${russianDatesIn(outcome.message)}` }, body: html`<div class="card"><h1>${TITLES[link.action]}</h1>${taskCard(deps, link, task)}${form(c, deps, link, task, values)}</div>` }), 422);
  }
  deps.plans.invalidate(link.plan);
  await recordAudit(deps.store.pool, { login: null, org: deps.plans.get(link.plan)?.org ?? null, address: addressOf(c), action: `link.${link.action}`, plan: link.plan, task: link.task, details: { executor: link.executor, ...values, ...(files.accepted.length > 0 ? { files: files.accepted.map((file) => `${file.fileName} (${file.sha256})`) } : {}) } });
  const sent = files.accepted.length > 0 ? html`<p>Приложено файлов: ${String(files.accepted.length)} — ${files.accepted.map((file) => file.fileName).join(', ')}.</p>` : '';
  const done = link.action !== 'complete'
    ? null
    : outcome.status.state === 'review'
      ? html`<h1>Спасибо! Отчёт отправлен на проверку</h1><p>Результат: «${outcome.status.result ?? ''}». Проектный офис проверит отчёт: когда он его примет, задача будет снята с контроля; если понадобится доработка, вы получите письмо.</p>${sent}`
      : html`<h1>Спасибо! Задача отмечена выполненной</h1><p>Результат: «${outcome.status.result ?? ''}». Проектный офис видит его в плане-графике.</p>${sent}`;
  const asked = html`<h1>Просьба отправлена</h1><p>Вы попросили перенести срок на ${formatRussianDate(values.to)}. Проектный офис рассмотрит её; о решении вы получите письмо.</p>`;
  return c.html(page({ title: TITLES[link.action], body: html`<div class="card" data-done="${link.action}" data-state="${outcome.status.state}">${done ?? asked}${taskCard(deps, link, outcome.status)}</div>` }));

  /** The files of the form's file field, read; an empty field (no file chosen) is none. */
  async function uploadedFiles(): Promise<EvidenceUpload[]> {
    return Promise.all(attached('files').map(async (file) => ({ name: file.name, content: new Uint8Array(await file.arrayBuffer()) })));
  }
}

function refusedList(refused: readonly RefusedEvidence[]): Html {
  return html`<ul class="refused" data-refused="${String(refused.length)}">${refused.map((file) => html`<li>${file.reason}</li>`)}</ul>`;
}

/** The report waits for the office: the form would be refused, so the page says where it stands. */
function onReview(c: Context, deps: WebDeps, link: ActionLink, task: TaskStatus): Response {
  return c.html(
    page({
      title: 'Отчёт на проверке',
      body: html`<div class="card" data-refusal="409" data-state="review"><h1>Отчёт на проверке</h1><p>Отчёт от ${task.reportedOn ? formatRussianDate(task.reportedOn) : ''} — «${task.result ?? ''}» — проверяет проектный офис. Когда он примет отчёт, задача будет снята с контроля; если понадобится доработка, вы получите письмо с новой ссылкой.</p>${taskCard(deps, link, task)}</div>`,
    }),
    409,
  );
}

/** What the workflow records of an executor's report or request. */
const SENT_KINDS: readonly TaskHistoryEntry['kind'][] = ['reported', 'completed', 'extension-request'];

/** What a used link keeps of what was sent through it: the workflow's record, and the files' names. */
type SentThroughLink = TaskHistoryEntry & { files?: string[] };

/**
 * A used link: what was sent by it (the task's history keeps each report and request with its
 * author and minute), and where the task stands now. Nothing can be sent again.
 */
async function usedLinkPage(c: Context, deps: WebDeps, link: ActionLink, id: string): Promise<Response> {
  const plan = deps.plans.get(link.plan);
  const task = plan ? await deps.plans.task(link.plan, link.task) : null;
  if (!task) return refusal(c, 410, 'Ссылка уже использована', 'По этой ссылке уже отправлен ответ; каждая ссылка действует один раз.');
  // Kept with the link when it was used; for links used before that, the executor's last such entry.
  const kept = (await deps.usedLinks.sentThrough?.(id))?.sent as SentThroughLink | undefined;
  const kinds: readonly TaskHistoryEntry['kind'][] = link.action === 'complete' ? ['reported', 'completed'] : ['extension-request'];
  const sent = kept ?? [...task.history].reverse().find((entry) => kinds.includes(entry.kind) && (entry.to ?? []).includes(link.executor));
  const names = new Map<string, string>([[task.executor.id, task.executor.name]]);
  for (const person of plan?.loaded.plan.people ?? []) names.set(person.id, person.name);
  const what = sent
    ? html`<dl class="fields" data-sent="${sent.kind}">
<dt>Что отправлено</dt><dd>${HISTORY_LABELS[sent.kind]}${sent.detail ? html`: «${russianDatesIn(sent.detail)}»` : ''}</dd>
<dt>Когда</dt><dd>${formatRussianDate(sent.date)}, ${sent.time}</dd>
<dt>Кем</dt><dd>${(sent.to ?? []).map((id) => names.get(id) ?? id).join(', ')}</dd>
${kept?.files && kept.files.length > 0 ? html`<dt>Файлы</dt><dd>${kept.files.join(', ')}</dd>` : ''}
</dl>`
    : '';
  const now = task.state === 'review' ? `на проверке в проектном офисе с ${task.reportedOn ? formatRussianDate(task.reportedOn) : ''}` : task.state === 'done' ? `выполнена${task.doneOn ? ` ${formatRussianDate(task.doneOn)}` : ''}, снята с контроля` : STATE_NAMES[task.state];
  return c.html(
    page({
      title: 'Ссылка уже использована',
      body: html`<div class="card" data-refusal="410" data-used="yes"><h1>Ссылка уже использована</h1><p>По этой ссылке уже отправлен ответ; каждая ссылка действует один раз.</p>${what}<p data-now="${task.state}">Задача сейчас: <strong>${now}</strong>.</p>${task.returned ? html`<p>Отчёт возвращён на доработку ${formatRussianDate(task.returned.on)}: «${task.returned.reason.replace(/[.!]+$/, '')}». Ссылка для нового отчёта — в письме о возврате.</p>` : ''}${taskCard(deps, link, task)}</div>`,
    }),
    410,
  );
}
