/**
 * The mail the built-in catcher kept, in embedded mode: what went to whom and when, each
 * letter as its recipient reads it, with working links and its attachments. With a real SMTP
 * server the letters are gone from here, and the page says where they went.
 */
import { simpleParser } from 'mailparser';
import type { CaughtMail } from '../../activities/mail-catcher.ts';
import type { NotificationKind } from '../../plan/notifications.ts';
import { taskNames, type TaskNames } from '../../plan/task-names.ts';
import { canAdminister } from '../access.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { html, type Html } from '../html.ts';
import { page, type PageShell } from '../layout.ts';
import { attachmentDisposition } from '../documents/documents.ts';
import { taskUrl } from '../tasks/task.ts';

/** What each kind of letter is called in the list. */
export const MAIL_KIND_NAMES: Record<NotificationKind, string> = {
  assigned: 'начало задачи',
  'late-at-start': 'просроченные к запуску',
  reminder: 'напоминание',
  overdue: 'просрочка',
  escalation: 'эскалация',
  extended: 'перенос срока',
  rescheduled: 'сроки изменены в плане',
  reassigned: 'новый исполнитель',
  undeliverable: 'не доставлено',
  document: 'документ',
  'extension-requested': 'просьба о переносе',
  'extension-declined': 'отказ в переносе',
  returned: 'отчёт возвращён',
  reopened: 'задача возобновлена',
  digest: 'сводка за неделю',
};

const MOSCOW = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** An instant as Moscow time: `02.03.2026 09:00`; '' for none. */
export function moscowTime(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : MOSCOW.format(at).replace(',', '');
}

const URL_PATTERN = /https?:\/\/[^\s<>"'«»]+/g;

/**
 * Plain text with its http(s) addresses as links, everything escaped: an executor's link in a
 * letter stays clickable, and nothing in a letter becomes markup. Punctuation that ends a
 * sentence is not part of the address.
 */
export function linkify(text: string): Html {
  const parts: Html[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const at = match.index;
    parts.push(html`${text.slice(last, at)}<a href="${url}" rel="noreferrer noopener" target="_blank">${url}</a>`);
    last = at + url.length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

/** The query of the list: one plan, one task, letters to (or copied to) an address or its part. */
export interface MailFilter {
  plan?: string;
  task?: string;
  to?: string;
}

/** The caught letters that pass the filter, newest first. */
export function filterMail(messages: readonly CaughtMail[], filter: MailFilter): CaughtMail[] {
  const to = filter.to?.trim().toLowerCase();
  return messages
    .map((message, index) => ({ message, index }))
    .filter(({ message }) => !filter.plan || message.plan === filter.plan)
    .filter(({ message }) => !filter.task || message.task === filter.task)
    .filter(({ message }) => !to || [...message.to, ...message.cc].some((address) => address.includes(to)))
    .sort((a, b) => (a.message.date < b.message.date ? 1 : a.message.date > b.message.date ? -1 : b.index - a.index))
    .map(({ message }) => message);
}

function kindName(kind: string): string {
  return MAIL_KIND_NAMES[kind as NotificationKind] ?? kind;
}

function messageUrl(message: CaughtMail): string {
  return `/mail/message?id=${encodeURIComponent(message.messageId)}`;
}

/** How the pages name plans and tasks: by title, and by activity, occurrence and school; ids only where nothing better is known. */
export interface MailNames {
  plan(key: string): string;
  task(plan: string, task: string): string;
}

const ID_NAMES: MailNames = { plan: (key) => key, task: (_plan, task) => task };

/** What a person calls an attachment's type: «событие календаря», not `text/calendar`. */
const CONTENT_TYPE_NAMES: Record<string, string> = {
  'text/calendar': 'событие для календаря',
  'application/pdf': 'документ PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'документ Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'таблица Excel',
  'application/zip': 'архив',
  'text/plain': 'текст',
};

export function contentTypeName(type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  if (CONTENT_TYPE_NAMES[bare]) return CONTENT_TYPE_NAMES[bare];
  if (bare.startsWith('image/')) return 'изображение';
  return 'файл';
}

function taskLink(message: CaughtMail, served: (key: string) => boolean, names: MailNames): Html | string {
  if (!message.task) return '';
  const name = message.plan ? names.task(message.plan, message.task) : message.task;
  return message.plan && served(message.plan) ? html`<a href="${taskUrl(message.plan, message.task)}">${name}</a>` : name;
}

/** The list page's body: pure, so a test can read it. */
export function renderMailList(model: { messages: readonly CaughtMail[]; total: number; filter: MailFilter; plans: readonly string[]; served: (key: string) => boolean; names?: MailNames }): Html {
  const { filter } = model;
  const names = model.names ?? ID_NAMES;
  const form = html`<form class="filters" method="get" action="/mail">
<label for="mail-plan">План</label>
<select id="mail-plan" name="plan"><option value="">все</option>${model.plans.map((plan) => html`<option value="${plan}"${plan === filter.plan ? html` selected` : ''}>${names.plan(plan)}</option>`)}</select>
<label for="mail-to">Получатель</label>
<input id="mail-to" name="to" type="text" value="${filter.to ?? ''}" placeholder="адрес или его часть">
${filter.task ? html`<input type="hidden" name="task" value="${filter.task}">` : ''}
<button type="submit" class="secondary">Показать</button>
</form>`;
  const table =
    model.messages.length === 0
      ? html`<p class="muted">${model.total === 0 ? 'Писем пока нет.' : 'Таких писем нет.'}</p>`
      : html`<table class="grid mail"><thead><tr><th>Дата (МСК)</th><th>Кому</th><th>Копия</th><th>Тема</th><th>Вид</th><th>План</th><th>Задача</th></tr></thead>
<tbody>${model.messages.map(
          (message) => html`<tr data-kind="${message.kind}">
<td>${moscowTime(message.date)}</td><td>${message.to.join(', ')}</td><td>${message.cc.join(', ')}</td>
<td><a href="${messageUrl(message)}">${message.subject || '(без темы)'}</a>${message.attachments.length > 0 ? html` <span class="muted">(вложений: ${String(message.attachments.length)})</span>` : ''}</td>
<td>${kindName(message.kind)}</td><td>${message.plan ? names.plan(message.plan) : ''}</td><td>${taskLink(message, model.served, names)}</td>
</tr>`,
        )}</tbody></table>`;
  return html`<h1>Почта</h1>
<p class="muted">Письма, пойманные встроенным почтовым сервером: они никуда не отправлены, а сохранены здесь. Новые сверху.</p>
${form}
${table}`;
}

/** One letter's body: headers, its text with working links, its attachments. */
export function renderMailMessage(message: CaughtMail, served: (key: string) => boolean, names: MailNames = ID_NAMES): Html {
  const id = encodeURIComponent(message.messageId);
  return html`<p class="muted"><a href="/mail">← вся почта</a></p>
<h1>${message.subject || '(без темы)'}</h1>
<dl class="fields">
<dt>Дата</dt><dd>${moscowTime(message.date)} (МСК)</dd>
<dt>От</dt><dd>${message.from}</dd>
<dt>Кому</dt><dd>${message.to.join(', ')}</dd>
${message.cc.length > 0 ? html`<dt>Копия</dt><dd>${message.cc.join(', ')}</dd>` : ''}
${message.kind ? html`<dt>Вид</dt><dd>${kindName(message.kind)}</dd>` : ''}
${message.plan ? html`<dt>План</dt><dd>${names.plan(message.plan)}</dd>` : ''}
${message.task ? html`<dt>Задача</dt><dd>${taskLink(message, served, names)}</dd>` : ''}
</dl>
${message.html ? html`<p><a href="/mail/message?id=${id}&amp;format=html" target="_blank" rel="noopener">HTML-версия</a></p>` : ''}
${message.attachments.length > 0
    ? html`<h2>Вложения</h2><ul>${message.attachments.map(
        (attachment) => html`<li><a href="/mail/attachment?id=${id}&amp;name=${encodeURIComponent(attachment.filename)}" download>${attachment.filename || '(без имени)'}</a> <span class="muted">${contentTypeName(attachment.contentType)}</span></li>`,
      )}</ul>`
    : ''}
<h2>Текст письма</h2>
<pre class="mail-text">${message.text ? linkify(message.text) : html`<span class="muted">(в письме нет текстовой части)</span>`}</pre>`;
}

/** Plans by title and tasks by name, from the plans this user sees; a plan no longer served keeps its key. */
function mailNames(deps: WebDeps): MailNames {
  const namers = new Map<string, TaskNames>();
  const namer = (key: string) => {
    const served = deps.plans.get(key);
    if (!served) return undefined;
    if (!namers.has(key)) namers.set(key, taskNames(served.loaded.plan, served.loaded.schedule.tasks));
    return namers.get(key);
  };
  return {
    plan: (key) => deps.plans.get(key)?.loaded.plan.title ?? key,
    task: (key, task) => namer(key)?.task(task) ?? task,
  };
}

function shell(c: WebContext): Pick<PageShell, 'nav'> {
  const session = c.get('session');
  return { nav: { plan: null, user: session.name, csrf: session.csrf, current: 'mail', administer: canAdminister(session) } };
}

/** The page shown instead when letters go to a real SMTP server. */
function notCaught(c: WebContext): Response {
  return c.html(
    page({
      title: 'Почта',
      body: html`<h1>Почта</h1><p>Письма отправляются через почтовый сервер из настроек (<code>SMTP_URL</code> или <code>SMTP_HOST</code>): их копии здесь не хранятся. Что и кому отправлено по задаче, видно в её истории.</p>`,
      ...shell(c),
    }),
  );
}

function missing(c: WebContext, text: string): Response {
  return c.html(page({ title: 'Письмо не найдено', body: html`<h1>Письмо не найдено</h1><p>${text}</p><p><a href="/mail">Вся почта</a></p>`, ...shell(c) }), 404);
}

/** GET /mail[?plan=&to=&task=]: the caught letters, newest first. */
export async function mailPage(c: WebContext, deps: WebDeps): Promise<Response> {
  if (!deps.mailbox) return notCaught(c);
  const all = await deps.mailbox.messages();
  const filter: MailFilter = { plan: c.req.query('plan') || undefined, task: c.req.query('task') || undefined, to: c.req.query('to') || undefined };
  const plans = [...new Set([...deps.plans.list().map((plan) => plan.key), ...all.flatMap((message) => (message.plan ? [message.plan] : []))])];
  const body = renderMailList({ messages: filterMail(all, filter), total: all.length, filter, plans, served: (key) => deps.plans.get(key) !== undefined, names: mailNames(deps) });
  return c.html(page({ title: 'Почта', body, ...shell(c) }));
}

async function findMessage(deps: WebDeps, id: string | undefined): Promise<CaughtMail | null> {
  if (!deps.mailbox || !id) return null;
  return (await deps.mailbox.messages()).find((message) => message.messageId === id) ?? null;
}

/**
 * GET /mail/message?id=<Message-ID>: one letter. With `&format=html`, its HTML part alone,
 * sandboxed by its own Content-Security-Policy: it runs no script and cannot act as the page.
 */
export async function mailMessage(c: WebContext, deps: WebDeps): Promise<Response> {
  if (!deps.mailbox) return notCaught(c);
  const message = await findMessage(deps, c.req.query('id'));
  if (!message) return missing(c, 'Такого письма среди пойманных нет: возможно, ссылка устарела.');
  if (c.req.query('format') === 'html') {
    if (!message.html) return missing(c, 'У этого письма нет HTML-версии.');
    return c.body(message.html, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
  }
  return c.html(page({ title: message.subject || 'Письмо', body: renderMailMessage(message, (key) => deps.plans.get(key) !== undefined, mailNames(deps)), ...shell(c) }));
}

/** GET /mail/attachment?id=<Message-ID>&name=<file name>: an attachment of a caught letter, read from the letter as kept. */
export async function mailAttachment(c: WebContext, deps: WebDeps): Promise<Response> {
  if (!deps.mailbox) return notCaught(c);
  const message = await findMessage(deps, c.req.query('id'));
  if (!message) return missing(c, 'Такого письма среди пойманных нет: возможно, ссылка устарела.');
  const name = c.req.query('name') ?? '';
  let parsed;
  try {
    const raw = await deps.mailbox.raw(message);
    if (!raw) return missing(c, 'Письмо больше не хранится.');
    parsed = await simpleParser(raw);
  } catch {
    return missing(c, 'Письмо больше не читается.');
  }
  const attachment = parsed.attachments.find((candidate) => (candidate.filename ?? '') === name);
  if (!attachment) return missing(c, `В письме нет вложения «${name}».`);
  return c.body(new Uint8Array(attachment.content), 200, {
    'Content-Type': attachment.contentType || 'application/octet-stream',
    'Content-Disposition': attachmentDisposition(name || 'attachment'),
  });
}
