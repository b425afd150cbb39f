/**
 * The one-time import of an old checkout's var/ files into the store: every record arrives with
 * its numbers and hashes, counters continue after them, and a second start imports nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDocumentRegister, type DocumentMaker, type IssueRequest, type RegisterEntry } from '../../documents/register.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { importVarFiles } from '../../store/import-var.ts';
import { StoreDocumentRegister } from '../../store/register.ts';
import { storeSentLog } from '../../store/sent-mail.ts';
import { keyIdOf, listSigningKeys } from '../../store/signing-keys.ts';
import { storeUsedLinks } from '../../store/used-links.ts';
import { findUser, saveUser } from '../../store/users.ts';
import { hashPassword, verifyPassword } from '../../web/auth.ts';
import { testDatabaseUrl, testStore } from '../support/store.ts';

const make: DocumentMaker = async (request, issue) => ({ content: Buffer.from(`${request.key} № ${issue.number} от ${issue.date}`), fileName: `Договор ${issue.number}.docx` });

function request(key: string, overrides: Partial<IssueRequest> = {}): IssueRequest {
  return { key, template: 'contract', year: 2026, date: '2026-03-02', plan: 'ryazan-2026', numbering: 'ДС-{year}/{n:3}', input: { key }, ...overrides };
}

interface OldCheckout {
  varDir: string;
  /** The register's entries as the old checkout wrote them, the third one's file since lost. */
  entries: RegisterEntry[];
  secret: Buffer;
  passwordHash: string;
}

/** A var/ folder as an old checkout leaves it: register with files, sent log, users, used links, secret. */
async function buildOldCheckout(): Promise<OldCheckout> {
  const varDir = await mkdtemp(join(tmpdir(), 'plangraf-import-'));
  const documents = join(varDir, 'documents');
  const register = new FileDocumentRegister(documents);
  await register.issue([request('ryazan-2026:contract:sch-01:sch-11'), request('ryazan-2026:contract:sch-02:sch-12'), request('ryazan-2026:contract:sch-03:sch-13')], make);
  const entries = await register.entries();
  await rm(join(documents, entries[2]!.path));

  await mkdir(join(varDir, 'mail'));
  const sent = [
    { key: 'ryazan-2026:13/2:assigned:2026-03-02', messageId: '<a1@plangraf>', accepted: ['riro@example.org'], rejected: [], sentAt: '2026-03-02T06:00:00.000Z' },
    { key: 'ryazan-2026:13/2:reminder:2026-03-10', messageId: '<a2@plangraf>', accepted: ['riro@example.org'], rejected: ['old@example.org'], sentAt: '2026-03-10T06:00:00.000Z' },
  ];
  await writeFile(join(varDir, 'mail', 'sent.jsonl'), `${sent.map((entry) => JSON.stringify(entry)).join('\n')}\n{"key":"ryazan-2026:13/2:overdue:2026-03-20","messageId":"<a3@pla`);

  const passwordHash = await hashPassword('пароль-ивановой');
  await writeFile(
    join(varDir, 'office-users.yaml'),
    `users:\n  - login: ivanova\n    name: Иванова О. Ю.\n    passwordHash: ${passwordHash}\n  - login: petrova\n    name: Петрова А. С.\n    passwordHash: ${await hashPassword('старый-пароль')}\n`,
  );

  await mkdir(join(varDir, 'links'));
  await writeFile(join(varDir, 'links', 'used.jsonl'), `${JSON.stringify({ id: 'link-1', at: '2026-03-03T08:00:00.000Z' })}\n${JSON.stringify({ id: 'link-2', at: '2026-03-04T08:00:00.000Z' })}\n`);

  const secret = randomBytes(32);
  await writeFile(join(varDir, 'secret.key'), `${secret.toString('hex')}\n`);
  return { varDir, entries, secret, passwordHash };
}

describe('importing an old checkout’s var files', () => {
  let store: Store;
  let old: OldCheckout;
  const lines: string[] = [];
  const folders: string[] = [];

  beforeAll(async () => {
    store = await testStore();
    old = await buildOldCheckout();
    folders.push(old.varDir);
    // Someone made petrova in the store before the upgrade ran: that user stands.
    await saveUser(store.pool, { login: 'petrova', name: 'Петрова Анна', org: null, role: 'federal', schools: [], municipality: null, passwordHash: await hashPassword('новый-пароль') });
    await importVarFiles(store, old.varDir, { org: 'ryazan', log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await store.close();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('takes the register’s documents with their numbers, dates and files, and says the one whose file is gone was skipped', async () => {
    const register = new StoreDocumentRegister(store);
    // Kept as they were, and now numbered in the organisation that imported them.
    expect(await register.entries()).toEqual(old.entries.slice(0, 2).map((entry) => ({ ...entry, org: 'ryazan' })));
    for (const entry of old.entries.slice(0, 2)) {
      expect(await register.verify(entry)).toBe('ok');
      expect((await register.fileContent(entry.sha256))?.toString()).toBe(`${entry.key} № ${entry.number} от 2026-03-02`);
    }
    expect(await register.find(old.entries[2]!.key)).toBeUndefined();
    expect(lines).toContain(`plangraf: перенёс в базу данных журнал документов из ${join(old.varDir, 'documents', 'register.json')}: 2 документа; пропущено (нет файла): 1`);
  });

  it('continues the numbers after every number the old checkout gave, the skipped one included', async () => {
    const [next] = await new StoreDocumentRegister(store).issue([request('ryazan-2026:contract:sch-04:sch-14')], make);
    expect(next).toMatchObject({ number: 'ДС-2026/004', sequence: 4, fresh: true });
  });

  it('takes the sent log without its torn last line', async () => {
    const sentLog = storeSentLog(store.pool);
    expect(await sentLog.get('ryazan-2026:13/2:reminder:2026-03-10')).toEqual({
      key: 'ryazan-2026:13/2:reminder:2026-03-10',
      messageId: '<a2@plangraf>',
      accepted: ['riro@example.org'],
      rejected: ['old@example.org'],
      sentAt: '2026-03-10T06:00:00.000Z',
    });
    expect(await sentLog.has('ryazan-2026:13/2:assigned:2026-03-02')).toBe(true);
    expect(await sentLog.has('ryazan-2026:13/2:overdue:2026-03-20')).toBe(false);
    expect(lines).toContain(`plangraf: перенёс в базу данных журнал отправленных писем из ${join(old.varDir, 'mail', 'sent.jsonl')}: 2 письма`);
  });

  it('takes the office users as administrators of the organisation with their passwords, and leaves a user the store has alone', async () => {
    const ivanova = await findUser(store.pool, 'ivanova');
    expect(ivanova).toEqual({ login: 'ivanova', name: 'Иванова О. Ю.', org: 'ryazan', role: 'administrator', schools: [], municipality: null, passwordHash: old.passwordHash, disabled: false });
    expect(await verifyPassword('пароль-ивановой', ivanova!.passwordHash)).toBe(true);
    const petrova = await findUser(store.pool, 'petrova');
    expect(petrova).toMatchObject({ name: 'Петрова Анна', role: 'federal', org: null });
    expect(await verifyPassword('новый-пароль', petrova!.passwordHash)).toBe(true);
    expect(lines).toContain(
      `plangraf: перенёс в базу данных пользователей проектного офиса из ${join(old.varDir, 'office-users.yaml')}: 1 (организация «ryazan», роль «администратор»); уже были в базе данных: 1`,
    );
  });

  it('takes the used links, so they do not act again', async () => {
    const links = storeUsedLinks(store);
    expect(await links.has('link-1')).toBe(true);
    expect(await links.once('link-2', async () => ({ acted: true, value: 'again' }))).toBeNull();
    expect(lines).toContain(`plangraf: перенёс в базу данных использованные ссылки из ${join(old.varDir, 'links', 'used.jsonl')}: 2`);
  });

  it('takes the link-signing secret, so links in letters already sent keep verifying', async () => {
    const keys = await listSigningKeys(store.pool);
    expect(keys.map((key) => ({ kid: key.kid, secret: key.secret.toString('hex') }))).toEqual([{ kid: keyIdOf(old.secret), secret: old.secret.toString('hex') }]);
    expect(lines).toContain(`plangraf: перенёс в базу данных ключ подписи ссылок из ${join(old.varDir, 'secret.key')}: ссылки в уже отправленных письмах продолжат работать`);
  });

  it('logs one line per import and records each with what it took', async () => {
    expect(lines).toHaveLength(5);
    const { rows } = await store.pool.query<{ name: string; count: number }>('select name, count from imports order by name');
    expect(rows).toEqual([
      { name: 'var:register', count: 2 },
      { name: 'var:secret', count: 1 },
      { name: 'var:sent-log', count: 2 },
      { name: 'var:used-links', count: 2 },
      { name: 'var:users', count: 1 },
    ]);
  });

  it('imports nothing and logs nothing the second time, even when the files have grown since', async () => {
    const register = new FileDocumentRegister(join(old.varDir, 'documents'));
    await register.issue([request('ryazan-2026:contract:sch-05:sch-15')], make);
    const again: string[] = [];
    await importVarFiles(store, old.varDir, { org: 'ryazan', log: (line) => again.push(line) });
    expect(again).toEqual([]);
    expect(await new StoreDocumentRegister(store).find('ryazan-2026:contract:sch-05:sch-15')).toBeUndefined();
    expect((await new StoreDocumentRegister(store).entries()).map((entry) => entry.number)).toEqual(['ДС-2026/001', 'ДС-2026/002', 'ДС-2026/004']);
  });
});

describe('importing var files that are not all there', () => {
  it('records only the imports whose file was there, so a later upgrade that brings the rest still imports them', async () => {
    const store = await testStore();
    const varDir = await mkdtemp(join(tmpdir(), 'plangraf-import-partial-'));
    try {
      const lines: string[] = [];
      await importVarFiles(store, varDir, { org: 'ryazan', log: (line) => lines.push(line) });
      expect(lines).toEqual([]);
      expect((await store.pool.query('select name from imports')).rows).toEqual([]);

      const secret = randomBytes(32);
      await writeFile(join(varDir, 'secret.key'), secret.toString('hex'));
      await importVarFiles(store, varDir, { org: 'ryazan', log: (line) => lines.push(line) });
      expect(lines).toHaveLength(1);
      expect((await listSigningKeys(store.pool)).map((key) => key.kid)).toEqual([keyIdOf(secret)]);
      expect((await store.pool.query('select name from imports')).rows).toEqual([{ name: 'var:secret' }]);
    } finally {
      await store.close();
      await rm(varDir, { recursive: true, force: true });
    }
  });

  it('reads the register and the users from the folders it is given', async () => {
    const store = await testStore();
    const varDir = await mkdtemp(join(tmpdir(), 'plangraf-import-elsewhere-'));
    try {
      const documentsDir = join(varDir, 'elsewhere', 'register');
      await new FileDocumentRegister(documentsDir).issue([request('a')], make);
      const usersFile = join(varDir, 'elsewhere', 'users.yaml');
      await writeFile(usersFile, `users:\n  - login: sidorov\n    passwordHash: ${await hashPassword('пароль')}\n`);
      const lines: string[] = [];
      await importVarFiles(store, varDir, { documentsDir, usersFile, org: 'tatarstan', log: (line) => lines.push(line) });
      expect(await new StoreDocumentRegister(store).find('a')).toMatchObject({ number: 'ДС-2026/001' });
      expect(await findUser(store.pool, 'sidorov')).toMatchObject({ name: 'sidorov', org: 'tatarstan', role: 'administrator' });
      expect(lines).toHaveLength(2);
    } finally {
      await store.close();
      await rm(varDir, { recursive: true, force: true });
    }
  });
});

describe('two hosts importing at the same moment', () => {
  it('import each file once between them', async () => {
    const url = await testDatabaseUrl();
    const [first, second] = await Promise.all([connectStore(url, { max: 5 }), connectStore(url, { max: 5 })]);
    const old = await buildOldCheckout();
    try {
      const lines: string[] = [];
      const log = (line: string) => lines.push(line);
      await Promise.all([importVarFiles(first, old.varDir, { org: 'ryazan', log }), importVarFiles(second, old.varDir, { org: 'ryazan', log })]);
      expect(lines).toHaveLength(5);
      expect((await new StoreDocumentRegister(first).entries()).map((entry) => entry.number)).toEqual(['ДС-2026/001', 'ДС-2026/002']);
      expect((await first.pool.query('select name from imports')).rowCount).toBe(5);
    } finally {
      await first.close();
      await second.close();
      await rm(old.varDir, { recursive: true, force: true });
    }
  });
});
