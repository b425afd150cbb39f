/**
 * The register page and its downloads (only registered documents, served from the register,
 * never a file of the address's choosing), and the caught mail in the store: newest first in
 * Moscow time, filtered, each letter with its links clickable and escaped, its HTML part
 * sandboxed, its attachments read from the letter as kept.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaughtMail } from '../../activities/mail-catcher.ts';
import { FileDocumentRegister, type DocumentMaker, type DocumentRegister, type IssueRequest, type RegisterEntry } from '../../documents/register.ts';
import type { Store } from '../../store/database.ts';
import { saveCaughtMail, storeMailbox } from '../../store/caught-mail.ts';
import { StoreDocumentRegister } from '../../store/register.ts';
import type { WebDeps, WebEnv } from '../../web/context.ts';
import type { Session } from '../../web/auth.ts';
import { attachmentDisposition, contentTypeOf, documentFile, documentsPage, registeredEntry, registerRows, renderDocumentsPage } from '../../web/documents/documents.ts';
import { filterMail, linkify, mailAttachment, mailMessage, mailPage, moscowTime, renderMailList, renderMailMessage } from '../../web/pages/mail.ts';
import { testStore } from '../support/store.ts';

const SESSION: Session = { login: 'ivanova', name: 'Иванова О. Ю.', org: 'test', role: 'office', schools: [], municipality: null, csrf: 'csrf-token', expires: Number.MAX_SAFE_INTEGER };
const AWKWARD = 'Школа & <Сад> "Ромашка"';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plangraf-web-documents-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A store of the test's own: its register numbers from 1 and holds only the test's documents. */
let stores: Store[] = [];
async function freshStore(): Promise<Store> {
  const store = await testStore();
  stores.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(stores.map((store) => store.close()));
  stores = [];
});

function buildEntry(overrides: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    key: 'test-plan:contract:sch-01:sch-11', template: 'contract', number: 'ДС-2020/001', sequence: 1, year: 2020, date: '2020-03-02', plan: 'test-plan',
    path: 'test-plan/contract/ДС-2020-001.docx', fileName: 'Договор ДС-2020-001.docx', sha256: 'x', inputHash: 'y', issuedAt: '2020-03-02T06:00:00.000Z', ...overrides,
  };
}

function app(deps: Partial<WebDeps>): Hono<WebEnv> {
  const full = { plans: { get: () => undefined, list: () => [] }, mailbox: null, ...deps } as unknown as WebDeps;
  const hono = new Hono<WebEnv>();
  hono.use('*', async (c, next) => {
    c.set('session', SESSION);
    await next();
  });
  hono.get('/documents', (c) => documentsPage(c, full));
  hono.get('/documents/file', (c) => documentFile(c, full));
  hono.get('/mail', (c) => mailPage(c, full));
  hono.get('/mail/message', (c) => mailMessage(c, full));
  hono.get('/mail/attachment', (c) => mailAttachment(c, full));
  return hono;
}

const makeDocument: DocumentMaker = async (request, issue) => ({ content: Buffer.from(`${request.key} № ${issue.number}`), fileName: request.template === 'contract' ? `Договор ${AWKWARD}.docx` : 'Приказ 1-П.docx' });

/** A contract and an order of `plan`, issued on the 2nd and 3rd of March 2020. */
function twoDocuments(plan: string): IssueRequest[] {
  return [
    { key: `${plan}:contract:sch-01:sch-11`, template: 'contract', year: 2020, date: '2020-03-02', plan, numbering: 'ДС-{year}/{n:3}', input: {} },
    { key: `${plan}:order:participants`, template: 'order', year: 2020, date: '2020-03-03', plan, numbering: '{n}-П', input: {} },
  ];
}

/** The store's register with two documents of `test-plan` issued, and a secret in `dir` that no address may reach. */
async function issuedRegister(): Promise<{ register: DocumentRegister; store: Store }> {
  const store = await freshStore();
  const register = new StoreDocumentRegister(store);
  await writeFile(join(dir, 'secret.key'), 'секрет');
  await register.issue(twoDocuments('test-plan'), makeDocument);
  return { register, store };
}

/** A register's methods, bound, so a test can replace one of them. */
function bound(register: DocumentRegister): DocumentRegister {
  return {
    issue: register.issue.bind(register),
    entries: register.entries.bind(register),
    find: register.find.bind(register),
    verify: register.verify.bind(register),
    fileContent: register.fileContent.bind(register),
  };
}

describe('downloading a registered document', () => {
  it('finds only a path the register holds, exactly as it holds it', () => {
    const entries = [buildEntry()];
    expect(registeredEntry(entries, 'test-plan/contract/ДС-2020-001.docx')).toEqual(entries[0]);
    for (const path of ['../secret.key', 'test-plan/../../secret.key', '/etc/passwd', join(dir, 'test-plan/contract/ДС-2020-001.docx'), 'test-plan/contract/ДС-2020-002.docx', './test-plan/contract/ДС-2020-001.docx', '', undefined, 'a\0b']) {
      expect(registeredEntry(entries, path), String(path)).toBeNull();
    }
  });

  it('serves a register entry that points outside the register\'s folder from the register, never from the disk', async () => {
    const { register } = await issuedRegister();
    const [contract] = await register.entries();
    for (const path of ['../secret.key', join(dir, 'secret.key')]) {
      const entries = async () => [{ ...contract!, path }];
      const response = await app({ register: { ...bound(register), entries } }).request(`/documents/file?path=${encodeURIComponent(path)}`);
      expect(await response.text(), path).toBe('test-plan:contract:sch-01:sch-11 № ДС-2020/001');
    }
  });

  it('names the file for the browser in UTF-8 that no quote can break', () => {
    expect(attachmentDisposition('Договор "Ромашка".docx')).toBe("attachment; filename*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%20%22%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0%22.docx");
    expect(attachmentDisposition("it's (1).docx")).toBe("attachment; filename*=UTF-8''it%27s%20%281%29.docx");
    expect(contentTypeOf('Договор.DOCX')).toBe(DOCX);
    expect(contentTypeOf('x.bin')).toBe('application/octet-stream');
  });

  it('serves a registered file as an attachment with its name and type', async () => {
    const { register } = await issuedRegister();
    const [contract] = await register.entries();
    const response = await app({ register }).request(`/documents/file?path=${encodeURIComponent(contract!.path)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(DOCX);
    expect(response.headers.get('Content-Disposition')).toBe(attachmentDisposition(`Договор ${AWKWARD}.docx`));
    expect(await response.text()).toBe('test-plan:contract:sch-01:sch-11 № ДС-2020/001');
  });

  it('answers 404 for a path outside the register, and for a registered file that is gone', async () => {
    const { register } = await issuedRegister();
    for (const path of ['../secret.key', join(dir, 'secret.key'), '..%2Fsecret.key', 'register.json']) {
      const response = await app({ register }).request(`/documents/file?path=${encodeURIComponent(path)}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('секрет');
    }
    // The store keeps a document's bytes as long as its entry; a register in a folder can lose a file.
    const folder = new FileDocumentRegister(join(dir, 'register'));
    await folder.issue(twoDocuments('test-plan'), makeDocument);
    const [contract] = await folder.entries();
    await rm(join(folder.dir, contract!.path));
    const gone = await app({ register: folder }).request(`/documents/file?path=${encodeURIComponent(contract!.path)}`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('есть в журнале, но его файла нет');
  });
});

describe('the register page', () => {
  it('lists newest first and keeps one plan on request', () => {
    const older = buildEntry({ number: '1', issuedAt: '2020-03-02T06:00:00.000Z' });
    const newer = buildEntry({ number: '2', issuedAt: '2020-03-05T06:00:00.000Z', plan: 'other-plan' });
    const same = buildEntry({ number: '3', issuedAt: '2020-03-05T06:00:00.000Z' });
    expect(registerRows([older, newer, same]).map((entry) => entry.number)).toEqual(['3', '2', '1']);
    expect(registerRows([older, newer, same], 'test-plan').map((entry) => entry.number)).toEqual(['3', '1']);
  });

  it('shows each document\'s number, date, title, plan, file and whether the file is intact, escaped', () => {
    const page = renderDocumentsPage({
      rows: [
        { entry: buildEntry({ fileName: `Договор ${AWKWARD}.docx` }), file: 'ok' },
        { entry: buildEntry({ number: 'ДС-2020/002', path: 'b.docx' }), file: 'changed' },
        { entry: buildEntry({ number: 'ДС-2020/003', path: 'c.docx' }), file: 'missing' },
      ],
      plans: [{ key: 'test-plan', title: `План ${AWKWARD}` }],
      plan: null,
      total: 3,
    }).value;
    expect(page).not.toMatch(/<Сад>/);
    expect(page).toContain('<td>ДС-2020/001</td><td>02.03.2020</td><td>Договор о сотрудничестве (сетевом партнёрстве)</td>');
    expect(page).toContain('<td>Договор Школа &amp; &lt;Сад&gt; &quot;Ромашка&quot;.docx</td>');
    expect(page).toContain('>План Школа &amp; &lt;Сад&gt; &quot;Ромашка&quot;</a>');
    expect(page).toContain('<strong class="late">файл изменён</strong>');
    expect(page).toContain('<strong class="late">файла нет</strong>');
    expect(page.match(/>Скачать</g)).toHaveLength(2);
  });

  it('verifies each file of the register it serves', async () => {
    const { register, store } = await issuedRegister();
    const [, order] = await register.entries();
    // Someone changed the bytes in the database behind the register's back.
    await store.pool.query('update document_files set content = $2 where sha256 = $1', [order!.sha256, Buffer.from('исправлено вручную')]);
    const page = await (await app({ register }).request('/documents?plan=test-plan')).text();
    expect(page).toMatch(/<tr data-state="changed">\s*<td>1-П<\/td>/);
    expect(page).toMatch(/<tr data-state="ok">\s*<td>ДС-2020\/001<\/td>/);
    expect(page.indexOf('1-П')).toBeLessThan(page.indexOf('ДС-2020/001'));
  });
});

function caught(overrides: Partial<CaughtMail> = {}): CaughtMail {
  return {
    file: '/nowhere.eml', messageId: '<m1@plangraf>', date: '2020-03-02T06:00:00.000Z', from: 'Проектный офис <office@example.org>', to: ['director01@example.org'], cc: [], envelopeTo: [],
    subject: 'Новая задача', kind: 'assigned', plan: 'test-plan', task: '13@sch-01', text: 'Здравствуйте', html: '', attachments: [], ...overrides,
  };
}

describe('the caught mail', () => {
  it('makes http(s) addresses in a letter\'s text links and escapes everything else', () => {
    const markup = linkify('Отметьте выполнение: https://plan.example.org/act/abc.def?x=1&y=2.\nНе ссылка: javascript:alert(1) <b>жирный</b> (см. http://example.org/a)').value;
    expect(markup).toContain('<a href="https://plan.example.org/act/abc.def?x=1&amp;y=2" rel="noreferrer noopener" target="_blank">https://plan.example.org/act/abc.def?x=1&amp;y=2</a>.');
    expect(markup).toContain('<a href="http://example.org/a" rel="noreferrer noopener" target="_blank">http://example.org/a</a>)');
    expect(markup).toContain('javascript:alert(1) &lt;b&gt;жирный&lt;/b&gt;');
    expect(linkify('https://example.org/"onmouseover="alert(1)').value).toBe('<a href="https://example.org/" rel="noreferrer noopener" target="_blank">https://example.org/</a>&quot;onmouseover=&quot;alert(1)');
  });

  it('gives dates in Moscow time whatever the server\'s zone', () => {
    expect(moscowTime('2020-03-02T06:00:00.000Z')).toBe('02.03.2020 09:00');
    expect(moscowTime('')).toBe('');
  });

  it('lists newest first, by plan, task, or an address in To or Cc', () => {
    const messages = [
      caught({ messageId: '<1>', date: '2020-03-02T06:00:00.000Z' }),
      caught({ messageId: '<2>', date: '2020-03-05T06:00:00.000Z', plan: 'other-plan', to: ['riro@example.org'], cc: ['coordinator@example.org'] }),
      caught({ messageId: '<3>', date: '2020-03-04T06:00:00.000Z', task: '1' }),
    ];
    const ids = (list: CaughtMail[]) => list.map((message) => message.messageId);
    expect(ids(filterMail(messages, {}))).toEqual(['<2>', '<3>', '<1>']);
    expect(ids(filterMail(messages, { plan: 'test-plan' }))).toEqual(['<3>', '<1>']);
    expect(ids(filterMail(messages, { to: 'COORDINATOR@' }))).toEqual(['<2>']);
    expect(ids(filterMail(messages, { task: '1' }))).toEqual(['<3>']);
  });

  it('shows the list escaped, with the kind in Russian and a link to the task', () => {
    const page = renderMailList({ messages: [caught({ subject: `Договор: ${AWKWARD}`, cc: ['riro@example.org'] })], total: 1, filter: { to: '"><script>' }, plans: ['test-plan'], served: () => true }).value;
    expect(page).toContain('<td>02.03.2020 09:00</td><td>director01@example.org</td><td>riro@example.org</td>');
    expect(page).toContain('<a href="/mail/message?id=%3Cm1%40plangraf%3E">Договор: Школа &amp; &lt;Сад&gt; &quot;Ромашка&quot;</a>');
    expect(page).toContain('<td>начало задачи</td><td>test-plan</td><td><a href="/plans/test-plan/task?t=13%40sch-01">13@sch-01</a></td>');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(page).not.toContain('<script>');
  });

  it('shows one letter: headers, text with working links, the HTML version and attachments', () => {
    const page = renderMailMessage(caught({ text: 'Ссылка: https://plan.example.org/act/tok', html: '<p>x</p>', attachments: [{ filename: `Договор ${AWKWARD}.docx`, contentType: DOCX }] }), () => true).value;
    expect(page).toContain('<pre class="mail-text">Ссылка: <a href="https://plan.example.org/act/tok"');
    expect(page).toContain('<a href="/mail/message?id=%3Cm1%40plangraf%3E&amp;format=html"');
    expect(page).toContain(`<a href="/mail/attachment?id=%3Cm1%40plangraf%3E&amp;name=${encodeURIComponent(`Договор ${AWKWARD}.docx`)}" download>Договор Школа &amp; &lt;Сад&gt; &quot;Ромашка&quot;.docx</a>`);
  });

  it('says where mail goes when there is no catcher', async () => {
    const response = await app({}).request('/mail');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Письма отправляются через почтовый сервер из настроек');
  });

  it('serves a letter\'s HTML part under a sandbox and its attachment from the letter the store keeps', async () => {
    const raw = await new MailComposer({
      from: 'office@example.org', to: 'director01@example.org', subject: 'Новая задача', messageId: '<m1@plangraf>', date: new Date('2020-03-02T06:00:00Z'),
      headers: { 'X-Plangraf-Kind': 'assigned', 'X-Plangraf-Plan': 'test-plan', 'X-Plangraf-Task': '13@sch-01' },
      text: 'Отметьте выполнение: https://plan.example.org/act/tok', html: '<p>Отметьте <a href="https://plan.example.org/act/tok">выполнение</a></p>',
      attachments: [{ filename: `Договор ${AWKWARD}.docx`, content: Buffer.from('docx bytes'), contentType: DOCX }],
    }).compile().build();
    const store = await freshStore();
    await saveCaughtMail(store.pool, raw, ['director01@example.org']);
    const served = app({ mailbox: storeMailbox(store.pool) });

    const page = await (await served.request('/mail/message?id=%3Cm1%40plangraf%3E')).text();
    expect(page).toContain('<a href="https://plan.example.org/act/tok" rel="noreferrer noopener" target="_blank">');

    const htmlVersion = await served.request('/mail/message?id=%3Cm1%40plangraf%3E&format=html');
    expect(htmlVersion.headers.get('Content-Security-Policy')).toMatch(/^sandbox;/);
    expect(await htmlVersion.text()).toContain('<a href="https://plan.example.org/act/tok">выполнение</a>');

    const attachment = await served.request(`/mail/attachment?id=%3Cm1%40plangraf%3E&name=${encodeURIComponent(`Договор ${AWKWARD}.docx`)}`);
    expect(attachment.status).toBe(200);
    expect(attachment.headers.get('Content-Type')).toBe(DOCX);
    expect(attachment.headers.get('Content-Disposition')).toBe(attachmentDisposition(`Договор ${AWKWARD}.docx`));
    expect(await attachment.text()).toBe('docx bytes');

    expect((await served.request('/mail/attachment?id=%3Cm1%40plangraf%3E&name=..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await served.request('/mail/message?id=%3Cnone%3E')).status).toBe(404);
  });
});
