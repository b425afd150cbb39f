/**
 * The mail activity against a real SMTP server (the mail catcher on 127.0.0.1) through real
 * nodemailer. Each test uses its own keys and addresses, so tests never read each other's mail.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaughtMail, startMailCatcher, type CaughtMail, type MailCatcher } from '../../activities/mail-catcher.ts';
import { createFileSentLog, createMailActivities, createMemorySentLog, createSmtpTransport, messageIdFor, type SentLog } from '../../activities/mail.ts';
import { MailFailure, type Notification } from '../../plan/notifications.ts';
import { connectStore } from '../../store/database.ts';
import { StoreDocumentRegister } from '../../store/register.ts';
import { storeSentLog } from '../../store/sent-mail.ts';
import { buildDigest, buildOneOfEach, buildTaskNotification, person } from '../support/notifications.ts';
import { testDatabaseUrl } from '../support/store.ts';

const TEST_TIMEOUT = 15_000;
const NASTY_TITLE = `Отчёт «Итоги года» & <b>"план"</b> 'школ'`;

let workDir: string;
let catcher: MailCatcher;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'plangraf-mail-'));
  catcher = await startMailCatcher({
    port: 0,
    dir: join(workDir, 'caught'),
    rejectRecipients: (address) => address.startsWith('rejected-'),
    deferRecipients: (address) => address.startsWith('deferred-'),
  });
});

afterAll(async () => {
  await catcher?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Activities sending through the shared catcher, with a fresh memory log unless given one. */
function activitiesFor(sentLog: SentLog = createMemorySentLog(), env: Record<string, string> = {}, documents?: Parameters<typeof createMailActivities>[0]['documents']) {
  const { transport, from } = createSmtpTransport({ SMTP_URL: catcher.url, ...env });
  return { activities: createMailActivities({ transport, from, sentLog, ...(documents ? { documents } : {}) }), close: () => transport.close() };
}

async function caught(messageId: string): Promise<CaughtMail[]> {
  return (await catcher.messages()).filter((mail) => mail.messageId === messageId);
}

/** The notification's recipients renamed after the test, so no two tests share an address. */
function addressedTo<N extends Notification>(n: N, tag: string, overrides: Partial<Pick<Notification, 'to' | 'cc'>> = {}): N {
  const rename = (recipient: Notification['to'][number]) => ({ ...recipient, email: `${tag}-${recipient.email}` });
  return { ...n, key: `${tag}:${n.key}`, to: overrides.to ?? n.to.map(rename), cc: overrides.cc ?? n.cc.map(rename) };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the send to fail');
}

describe('sendNotification through a real SMTP server', () => {
  it(
    'delivers an assigned task with its Message-ID, Date, plangraf headers, text, HTML and the deadline as .ics',
    async () => {
      const n = addressedTo(buildTaskNotification('assigned', { task: { title: NASTY_TITLE } }), 'assigned');
      const { activities, close } = activitiesFor();
      const report = await activities.sendNotification(n);
      close();

      const messageId = messageIdFor(n.key);
      expect(messageId).toMatch(/^<[0-9a-f]{32}@plangraf>$/);
      expect(report).toEqual({ messageId, accepted: ['assigned-riro@example.org', 'assigned-rcoko@example.org'], rejected: [], duplicate: false });

      const [mail, ...others] = await caught(messageId);
      expect(others).toHaveLength(0);
      expect(mail).toMatchObject({
        date: '2020-10-01T06:00:00.000Z',
        from: '"plangraf" <plangraf@localhost>',
        to: ['assigned-riro@example.org'],
        cc: ['assigned-rcoko@example.org'],
        kind: 'assigned',
        plan: 'ryazan-2020',
        task: '13/2',
        subject: `Поручение: ${NASTY_TITLE}, октябрь (срок 30.10.2020)`,
        attachments: [{ filename: 'Срок исполнения 30.10.2020.ics', contentType: 'text/calendar' }],
      });
      expect(mail!.text).toContain(`Вам поручено мероприятие «${NASTY_TITLE}» (октябрь).`);
      expect(mail!.text).toContain('отправлено автоматически системой plangraf');
      expect(mail!.html).toContain('Отчёт «Итоги года» &amp; &lt;b&gt;&quot;план&quot;&lt;/b&gt; &#39;школ&#39;');

      const parsed = await simpleParser(await readFile(mail!.file));
      expect(parsed.headers.get('x-plangraf-key')).toBe(n.key);
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
      const ics = parsed.attachments[0]!.content.toString('utf8');
      expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(ics).toMatch(/\r\nEND:VCALENDAR\r?\n?$/);
      expect(ics).toContain('\r\nMETHOD:PUBLISH\r\n');
      expect(ics).toContain('\r\nUID:task-ryazan-2020-13/2@plangraf\r\n');
      expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20201030\r\n');
      expect(ics).toContain('\r\nDTEND;VALUE=DATE:20201031\r\n');
      // Unfold the long lines (RFC 5545 §3.1) before reading the texts.
      const unfolded = ics.replace(/\r\n[ \t]/g, '');
      expect(unfolded).toContain(`SUMMARY:Срок: Отчёт «Итоги года» & <b>"план"</b> 'школ'`);
      expect(unfolded).toMatch(/DESCRIPTION:Мероприятие: .*\\nПериод: март\\, октябрь\\, ноябрь\\n/);
      expect(unfolded).not.toContain('13/2:');
      expect(unfolded).toContain('Прогнозируемый результат: 100% школ-участниц');
    },
    TEST_TIMEOUT,
  );

  it(
    'delivers every kind, with the .ics only where a deadline is set or moved',
    async () => {
      const { activities, close } = activitiesFor();
      for (const n of buildOneOfEach().map((one) => addressedTo(one, `kind-${one.kind}`))) {
        const report = await activities.sendNotification(n);
        const [mail] = await caught(report.messageId);
        expect(mail, n.kind).toBeDefined();
        expect(mail!.kind).toBe(n.kind);
        // The plan by its title in the body; its key only in the X-Plangraf-Plan header.
        expect(mail!.subject).not.toContain('ryazan-2020');
        expect(mail!.plan).toBe('ryazan-2020');
        expect(mail!.text).toContain('plangraf');
        expect(mail!.html).toContain('plangraf');
        expect(mail!.attachments.map((attachment) => attachment.contentType)).toEqual(['assigned', 'extended', 'reassigned', 'rescheduled'].includes(n.kind) ? ['text/calendar'] : []);
        expect(mail!.task).toBe(n.kind === 'digest' ? '' : '13/2');
      }
      close();
    },
    TEST_TIMEOUT,
  );

  it(
    'sends a key once: the retry reports a duplicate and the server gets one message',
    async () => {
      const n = addressedTo(buildTaskNotification('reminder'), 'twice');
      const { activities, close } = activitiesFor();
      const first = await activities.sendNotification(n);
      const second = await activities.sendNotification(n);
      close();
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ ...first, duplicate: true });
      expect(await caught(first.messageId)).toHaveLength(1);
    },
    TEST_TIMEOUT,
  );

  it(
    'remembers sent keys across worker restarts in the file sent log',
    async () => {
      const dir = join(workDir, 'sent-log');
      const n = addressedTo(buildTaskNotification('overdue'), 'restart');
      const before = activitiesFor(createFileSentLog(dir));
      await before.activities.sendNotification(n);
      before.close();

      const after = activitiesFor(createFileSentLog(dir));
      const again = await after.activities.sendNotification(n);
      after.close();
      expect(again.duplicate).toBe(true);
      expect(again.accepted).toEqual(['restart-riro@example.org']);
      expect(await caught(messageIdFor(n.key))).toHaveLength(1);
      const lines = (await readFile(join(dir, 'sent.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.map((line) => JSON.parse(line).key)).toEqual([n.key]);
    },
    TEST_TIMEOUT,
  );

  it(
    'remembers sent keys across worker restarts and hosts in the store\'s sent log',
    async () => {
      const url = await testDatabaseUrl();
      const n = addressedTo(buildTaskNotification('overdue'), 'store-restart');
      const first = await connectStore(url, { max: 2 });
      const before = activitiesFor(storeSentLog(first.pool));
      const sent = await before.activities.sendNotification(n);
      before.close();
      await first.close();

      // A worker started afresh, on another host: a connection of its own to the same store.
      const second = await connectStore(url, { max: 2 });
      try {
        const after = activitiesFor(storeSentLog(second.pool));
        const again = await after.activities.sendNotification(n);
        after.close();
        expect(again).toEqual({ ...sent, duplicate: true });
        expect(again.accepted).toEqual(['store-restart-riro@example.org']);
        expect(await caught(messageIdFor(n.key))).toHaveLength(1);
        expect(await storeSentLog(second.pool).get(n.key)).toMatchObject({ key: n.key, messageId: messageIdFor(n.key), accepted: ['store-restart-riro@example.org'] });
      } finally {
        await second.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'attaches a registered document with the bytes the store\'s register keeps under its SHA-256, not a file of this host',
    async () => {
      const store = await connectStore(await testDatabaseUrl(), { max: 2 });
      try {
        const register = new StoreDocumentRegister(store);
        const [document] = await register.issue(
          [{ key: 'ryazan-2020:contract:sch-01:sch-11', template: 'contract', year: 2020, date: '2020-10-01', plan: 'ryazan-2020', numbering: 'ДС-{year}/{n:3}', input: {} }],
          async (_request, issue) => ({ content: Buffer.from(`договор ${issue.number}`), fileName: 'Договор ДС-2020 001.docx' }),
        );
        const attachment = { title: 'Договор о сотрудничестве (сетевом партнёрстве)', number: document!.number, date: document!.date, fileName: document!.fileName, path: document!.path, sha256: document!.sha256 };
        const n = addressedTo(buildTaskNotification('assigned', { attachments: [attachment] }), 'attached');
        const { activities, close } = activitiesFor(createMemorySentLog(), {}, register);
        await activities.sendNotification(n);
        close();
        const [mail] = await caught(messageIdFor(n.key));
        expect(mail!.attachments.map((item) => item.filename)).toContain('Договор ДС-2020 001.docx');
        const parsed = await simpleParser(await readFile(mail!.file));
        expect(parsed.attachments.find((item) => item.filename === 'Договор ДС-2020 001.docx')!.content.toString()).toBe('договор ДС-2020/001');

        // A document the register does not have is a store being restored: a retry, not a letter without it.
        const unknown = addressedTo(buildTaskNotification('assigned', { attachments: [{ ...attachment, sha256: '0'.repeat(64) }] }), 'not-attached');
        const missing = activitiesFor(createMemorySentLog(), {}, register);
        const error = await failureOf(missing.activities.sendNotification(unknown));
        missing.close();
        expect(error).not.toBeInstanceOf(ApplicationFailure);
        expect(error.message).toContain('есть в журнале, но его файла нет в базе данных');
        expect(await caught(messageIdFor(unknown.key))).toEqual([]);
      } finally {
        await store.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'fails for good with MailRecipientRejected when the server refuses every recipient',
    async () => {
      const n = addressedTo(buildTaskNotification('assigned'), 'all-rejected', { to: [person('riro', 'Иванова Ольга Юрьевна', 'rejected-riro@example.org')], cc: [] });
      const { activities, close } = activitiesFor();
      const error = await failureOf(activities.sendNotification(n));
      close();
      expect(error).toBeInstanceOf(ApplicationFailure);
      const failure = error as ApplicationFailure;
      expect(failure.type).toBe(MailFailure.recipientRejected);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.details).toEqual(['rejected-riro@example.org']);
      // The office reads this reason in the «undeliverable» letter: the letter by its subject, the task by its name.
      expect(failure.message).toMatch(/^почтовый сервер отклонил всех получателей письма «Поручение: Проведение углубленного мониторинга образовательных…, октябрь \(срок 30\.10\.2020\)»: rejected-riro@example\.org \(550 /);
      expect(await caught(messageIdFor(n.key))).toHaveLength(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'still delivers when the server refuses one copy recipient, and reports it',
    async () => {
      const n = addressedTo(buildTaskNotification('assigned'), 'partial', {
        to: [person('riro', 'Иванова Ольга Юрьевна', 'partial-riro@example.org')],
        cc: [person('rcoko', 'Петров Иван Сергеевич', 'rejected-partial-rcoko@example.org'), person('curator', 'Сидоров Пётр Петрович', 'partial-curator@example.org')],
      });
      const { activities, close } = activitiesFor();
      const report = await activities.sendNotification(n);
      close();
      expect(report).toEqual({
        messageId: messageIdFor(n.key),
        accepted: ['partial-riro@example.org', 'partial-curator@example.org'],
        rejected: ['rejected-partial-rcoko@example.org'],
        duplicate: false,
      });
      const [mail] = await caught(report.messageId);
      expect(mail!.envelopeTo).toEqual(['partial-riro@example.org', 'partial-curator@example.org']);
      expect(mail!.cc).toEqual(['rejected-partial-rcoko@example.org', 'partial-curator@example.org']);
    },
    TEST_TIMEOUT,
  );

  it(
    'throws a plain, retryable Error when the server only defers (4xx) every recipient',
    async () => {
      const n = addressedTo(buildTaskNotification('reminder'), 'deferred', { to: [person('riro', 'Иванова Ольга Юрьевна', 'deferred-riro@example.org')], cc: [] });
      const { activities, close } = activitiesFor();
      const error = await failureOf(activities.sendNotification(n));
      close();
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/^не удалось отправить письмо «.*» \(временная ошибка, возможна повторная попытка\): EENVELOPE: 450 /);
    },
    TEST_TIMEOUT,
  );

  it(
    'sends nothing and fails for good when no recipient has an address',
    async () => {
      const n = buildTaskNotification('assigned', { key: 'no-address', to: [person('riro', 'Иванова Ольга Юрьевна', ' ')], cc: [] });
      const { activities, close } = activitiesFor();
      const error = await failureOf(activities.sendNotification(n));
      close();
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect((error as ApplicationFailure).type).toBe(MailFailure.recipientRejected);
      expect((error as ApplicationFailure).nonRetryable).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    'reads the transport from SMTP_HOST, SMTP_PORT, SMTP_SECURE and MAIL_FROM',
    async () => {
      const { transport, from, target } = createSmtpTransport({ SMTP_HOST: catcher.host, SMTP_PORT: String(catcher.port), SMTP_SECURE: 'false', MAIL_FROM: 'Проектный офис <office@example.org>' });
      expect(target).toBe(`smtp://${catcher.host}:${catcher.port}`);
      const n = addressedTo(buildDigest(), 'env');
      const report = await createMailActivities({ transport, from, sentLog: createMemorySentLog() }).sendNotification(n);
      transport.close();
      const [mail] = await caught(report.messageId);
      expect(mail!.from).toBe('"Проектный офис" <office@example.org>');
      expect(mail!.subject).toMatch(/^Еженедельная сводка 26\.10\.2020–01\.11\.2020/);
    },
    TEST_TIMEOUT,
  );

  it('refuses, in Russian, an environment without a server or with a bad port', () => {
    expect(() => createSmtpTransport({})).toThrow('почтовый сервер не задан: укажите SMTP_URL или SMTP_HOST');
    expect(() => createSmtpTransport({ SMTP_HOST: 'mail.example.org', SMTP_PORT: 'двадцать пять' })).toThrow('SMTP_PORT=двадцать пять: ожидается номер порта от 1 до 65535');
    expect(() => createSmtpTransport({ SMTP_URL: 'http://mail.example.org' })).toThrow('SMTP_URL: схема http: не поддерживается, нужна smtp: или smtps:');
  });

  it(
    'lists the stored messages from disk as the catcher indexed them',
    async () => {
      const fromDisk = await readCaughtMail(join(workDir, 'caught'));
      const indexed = await catcher.messages();
      expect(fromDisk.map((mail) => mail.messageId)).toEqual(indexed.map((mail) => mail.messageId));
      expect(fromDisk.map((mail) => mail.subject)).toEqual(indexed.map((mail) => mail.subject));
      expect(await readCaughtMail(join(workDir, 'nothing-here'))).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe('a dead mail server', () => {
  it(
    'gives a plain, retryable Error at once when the server is down',
    async () => {
      const stopped = await startMailCatcher({ port: 0, dir: join(workDir, 'stopped') });
      await stopped.stop();
      const { transport, from } = createSmtpTransport({ SMTP_URL: stopped.url });
      const started = Date.now();
      const error = await failureOf(createMailActivities({ transport, from, sentLog: createMemorySentLog() }).sendNotification(buildTaskNotification('assigned', { key: 'server-down' })));
      transport.close();
      expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT);
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/^не удалось отправить письмо «.*» \(временная ошибка, возможна повторная попытка\): (ESOCKET|ECONNECTION)/);
    },
    TEST_TIMEOUT,
  );

  it(
    'gives up on a server that never greets after the greeting timeout, retryably',
    async () => {
      const sockets = new Set<Socket>();
      const silent: Server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      try {
        const { transport, from } = createSmtpTransport({ SMTP_URL: `smtp://127.0.0.1:${port}` }, { timeoutMs: 1_000 });
        const started = Date.now();
        const error = await failureOf(createMailActivities({ transport, from, sentLog: createMemorySentLog() }).sendNotification(buildTaskNotification('assigned', { key: 'silent-server' })));
        transport.close();
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(error).not.toBeInstanceOf(ApplicationFailure);
        expect(error.message).toMatch(/\(временная ошибка, возможна повторная попытка\): ETIMEDOUT/);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    },
    TEST_TIMEOUT,
  );
});

describe('the file sent log', () => {
  it('skips a line a crash cut short and keeps appending after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plangraf-sent-'));
    try {
      await writeFile(join(dir, 'sent.jsonl'), `${JSON.stringify({ key: 'a', messageId: '<a@plangraf>', accepted: ['x@example.org'], rejected: [], sentAt: '2020-10-01T06:00:00.000Z' })}\n{"key":"b","messa`);
      const log = createFileSentLog(dir);
      expect(await log.has('a')).toBe(true);
      expect(await log.has('b')).toBe(false);
      await log.add('b', '<b@plangraf>', { accepted: ['y@example.org'], rejected: [] });
      await log.add('c', '<c@plangraf>');
      const reread = createFileSentLog(dir);
      expect(await reread.get('b')).toMatchObject({ key: 'b', messageId: '<b@plangraf>', accepted: ['y@example.org'] });
      expect(await reread.has('c')).toBe(true);
      expect(await reread.get('a')).toMatchObject({ accepted: ['x@example.org'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
