/**
 * The store's records on a real PostgreSQL, with two connections standing for two hosts: the
 * document register, the sent log, used links, signing keys, users and sessions, login
 * throttling and plans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMaker, IssueRequest } from '../../documents/register.ts';
import { connectStore, type Store } from '../../store/database.ts';
import { ensureOrganisation } from '../../store/organisations.ts';
import { listPlans, savePlan, findPlan, type StoredPlan } from '../../store/plans.ts';
import { StoreDocumentRegister } from '../../store/register.ts';
import { storeSentLog } from '../../store/sent-mail.ts';
import { addSigningKey, ensureSigningKey, listSigningKeys, retireSigningKey } from '../../store/signing-keys.ts';
import { storeUsedLinks } from '../../store/used-links.ts';
import {
  createSession,
  disableUser,
  endAllSessions,
  endSession,
  findUser,
  loginWait,
  openSession,
  recordLoginFailure,
  saveUser,
  type NewUser,
} from '../../store/users.ts';
import { testDatabaseUrl } from '../support/store.ts';

/** Two hosts on one database. */
let first: Store;
let second: Store;
beforeAll(async () => {
  const url = await testDatabaseUrl();
  first = await connectStore(url, { max: 5 });
  second = await connectStore(url, { max: 5 });
});
afterAll(async () => {
  await first.close();
  await second.close();
});

const make: DocumentMaker = async (request, issue) => ({ content: Buffer.from(`${request.key} № ${issue.number}`), fileName: `Документ ${issue.number}.docx` });

function request(key: string, overrides: Partial<IssueRequest> = {}): IssueRequest {
  return { key, template: 'contract', year: 2026, date: '2026-03-02', plan: 'ryazan-2026', numbering: 'ДС-{year}/{n:3}', input: { key }, ...overrides };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the document register in the store', () => {
  it('returns the registered document for a key issued again, with its number and fresh=false', async () => {
    const register = new StoreDocumentRegister(first);
    const [issued] = await register.issue([request('same-key', { year: 2030 })], make);
    const [again] = await register.issue([request('same-key', { year: 2030 })], make);
    expect(issued).toMatchObject({ number: 'ДС-2030/001', fresh: true });
    expect(again).toMatchObject({ number: issued!.number, sequence: issued!.sequence, fresh: false, inputChanged: false });
    expect(again!.content.equals(issued!.content)).toBe(true);
  });

  it('numbers 30 documents issued at once from two hosts 1 to 30, each number once', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `parallel-${i}`);
    const issued = await Promise.all(keys.map((key, i) => new StoreDocumentRegister(i % 2 === 0 ? first : second).issue([request(key, { year: 2031 })], make)));
    const sequences = issued.map(([document]) => document!.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(issued.map(([document]) => document!.number)).size).toBe(30);
  });

  it('makes one document of a key two hosts issue at the same moment', async () => {
    let made = 0;
    const counting: DocumentMaker = async (request, issue) => {
      made += 1;
      await pause(50);
      return make(request, issue);
    };
    const [[a], [b]] = await Promise.all([new StoreDocumentRegister(first).issue([request('both-hosts', { year: 2032 })], counting), new StoreDocumentRegister(second).issue([request('both-hosts', { year: 2032 })], counting)]);
    expect(made).toBe(1);
    expect(a!.number).toBe('ДС-2032/001');
    expect(b!.number).toBe(a!.number);
    expect([a!.fresh, b!.fresh].sort()).toEqual([false, true]);
    expect((await new StoreDocumentRegister(first).entries()).filter((entry) => entry.key === 'both-hosts')).toHaveLength(1);
  });

  it('verifies a registered document and serves its bytes by their SHA-256', async () => {
    const register = new StoreDocumentRegister(first);
    const [issued] = await register.issue([request('served', { year: 2033 })], make);
    expect(await register.verify(issued!)).toBe('ok');
    expect((await new StoreDocumentRegister(second).fileContent(issued!.sha256))?.toString()).toBe('served № ДС-2033/001');
    expect(await register.verify({ ...issued!, sha256: '0'.repeat(64) })).toBe('missing');
  });
});

describe('the sent log in the store', () => {
  it('finds a message it was told of, on any host', async () => {
    await storeSentLog(first.pool).add('plan:13/2:assigned:2026-03-02', '<m1@plangraf>', { accepted: ['riro@example.org'], rejected: ['old@example.org'] });
    const entry = await storeSentLog(second.pool).get('plan:13/2:assigned:2026-03-02');
    expect(entry).toMatchObject({ key: 'plan:13/2:assigned:2026-03-02', messageId: '<m1@plangraf>', accepted: ['riro@example.org'], rejected: ['old@example.org'] });
    expect(Number.isNaN(Date.parse(entry!.sentAt))).toBe(false);
    expect(await storeSentLog(second.pool).has('plan:13/2:reminder:2026-03-10')).toBe(false);
  });

  it('keeps the first record of a key told twice', async () => {
    const sentLog = storeSentLog(first.pool);
    await sentLog.add('plan:twice', '<first@plangraf>');
    await sentLog.add('plan:twice', '<second@plangraf>');
    expect(await sentLog.get('plan:twice')).toMatchObject({ messageId: '<first@plangraf>', accepted: [], rejected: [] });
  });
});

describe('used links in the store', () => {
  it('acts once for a link two hosts receive at the same moment; the other gets null', async () => {
    let acted = 0;
    const act = async () => {
      acted += 1;
      await pause(50);
      return { acted: true, value: 'done' };
    };
    const outcomes = await Promise.all([storeUsedLinks(first).once('link-twice', act), storeUsedLinks(second).once('link-twice', act)]);
    expect(acted).toBe(1);
    expect(outcomes.sort()).toEqual(['done', null]);
    expect(await storeUsedLinks(second).has('link-twice')).toBe(true);
  });

  it('leaves a link unused when its action says it did not act', async () => {
    const links = storeUsedLinks(first);
    expect(await links.once('link-not-acted', async () => ({ acted: false, value: 'refused' }))).toBe('refused');
    expect(await links.has('link-not-acted')).toBe(false);
    expect(await links.once('link-not-acted', async () => ({ acted: true, value: 'done' }))).toBe('done');
  });
});

describe('signing keys in the store', () => {
  it('makes one first key when two hosts start at the same moment', async () => {
    await Promise.all([first.transaction((client) => ensureSigningKey(client)), second.transaction((client) => ensureSigningKey(client))]);
    expect(await listSigningKeys(first.pool)).toHaveLength(1);
  });

  it('refuses to retire the last active key, and retires one of two', async () => {
    const [only] = await listSigningKeys(first.pool);
    expect(await retireSigningKey(first.pool, only!.kid)).toBe('last');
    const added = await addSigningKey(first.pool);
    expect(await retireSigningKey(first.pool, only!.kid)).toBe('retired');
    expect(await retireSigningKey(first.pool, added)).toBe('last');
    expect(await retireSigningKey(first.pool, 'no-such')).toBe('unknown');
  });

  it('leaves one active key when two hosts retire the last two at the same moment', async () => {
    for (let round = 0; round < 10; round += 1) {
      await addSigningKey(first.pool);
      const active = (await listSigningKeys(first.pool)).filter((key) => key.retiredAt === null);
      expect(active).toHaveLength(2);
      const outcomes = await Promise.all([retireSigningKey(first.pool, active[0]!.kid), retireSigningKey(second.pool, active[1]!.kid)]);
      expect(outcomes.sort()).toEqual(['last', 'retired']);
      expect((await listSigningKeys(second.pool)).filter((key) => key.retiredAt === null)).toHaveLength(1);
    }
  });
});

function buildUser(overrides: Partial<NewUser> = {}): NewUser {
  return { login: 'ivanova', name: 'Иванова О. Ю.', org: 'ryazan', role: 'office', schools: [], municipality: null, passwordHash: 'scrypt$16384$8$1$c2FsdA==$a2V5', ...overrides };
}

describe('users and sessions in the store', () => {
  beforeAll(async () => {
    await ensureOrganisation(first.pool, 'ryazan', 'Рязанская область');
  });

  it('adds a user, then updates it under the same login', async () => {
    expect(await saveUser(first.pool, buildUser({ login: 'smirnov', schools: ['sch-01'], role: 'curator' }))).toBe('added');
    expect(await findUser(second.pool, 'SMIRNOV')).toEqual({ ...buildUser({ login: 'smirnov', schools: ['sch-01'], role: 'curator' }), disabled: false });
    expect(await saveUser(first.pool, buildUser({ login: 'smirnov', name: 'Смирнов П. А.' }))).toBe('updated');
    expect(await findUser(first.pool, 'smirnov')).toMatchObject({ name: 'Смирнов П. А.', role: 'office', schools: [] });
  });

  it('opens a session on any host by its token and gives its user', async () => {
    await saveUser(first.pool, buildUser({ login: 'kuznetsova' }));
    const { token, csrf } = await createSession(first.pool, 'kuznetsova', '10.0.0.5', 8);
    const opened = await openSession(second.pool, token);
    expect(opened?.session).toMatchObject({ login: 'kuznetsova', csrf });
    expect(opened?.user).toMatchObject({ login: 'kuznetsova', org: 'ryazan', role: 'office', disabled: false });
  });

  it('ends a session for every host at once', async () => {
    await saveUser(first.pool, buildUser({ login: 'orlova' }));
    const { token } = await createSession(first.pool, 'orlova', '10.0.0.5', 8);
    await endSession(second.pool, token);
    expect(await openSession(first.pool, token)).toBeNull();
    expect(await openSession(second.pool, token)).toBeNull();
  });

  it('ends every session of a login at once («выйти на всех устройствах»), and only that login’s', async () => {
    await saveUser(first.pool, buildUser({ login: 'volkov' }));
    await saveUser(first.pool, buildUser({ login: 'zaitsev' }));
    const tokens = await Promise.all([createSession(first.pool, 'volkov', '10.0.0.5', 8), createSession(second.pool, 'volkov', '10.0.0.6', 8)]);
    const other = await createSession(first.pool, 'zaitsev', '10.0.0.5', 8);
    expect(await endAllSessions(first.pool, 'volkov')).toBe(2);
    for (const { token } of tokens) expect(await openSession(second.pool, token)).toBeNull();
    expect(await openSession(second.pool, other.token)).not.toBeNull();
  });

  it('opens no session of a disabled user', async () => {
    await saveUser(first.pool, buildUser({ login: 'sokolov' }));
    const { token } = await createSession(first.pool, 'sokolov', '10.0.0.5', 8);
    expect(await disableUser(second.pool, 'sokolov')).toBe(true);
    expect(await openSession(first.pool, token)).toBeNull();
    expect(await findUser(first.pool, 'sokolov')).toMatchObject({ disabled: true });
  });

  it('opens no session for a garbage or unknown token', async () => {
    expect(await openSession(first.pool, 'garbage')).toBeNull();
    expect(await openSession(first.pool, '')).toBeNull();
    expect(await openSession(first.pool, 'A'.repeat(43))).toBeNull();
  });
});

describe('throttling wrong passwords in the store', () => {
  it('makes no wait for the first failures of a login from an address, then a growing one from the third', async () => {
    const waits: number[] = [];
    for (let failure = 1; failure <= 5; failure += 1) {
      await recordLoginFailure(first.pool, 'Petrov', '10.1.0.1');
      waits.push(await loginWait(second.pool, 'petrov', '10.1.0.1'));
    }
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits[2]).toBeGreaterThan(0);
    expect(waits[3]).toBeGreaterThan(waits[2]!);
    expect(waits[4]).toBeGreaterThan(waits[3]!);
  });

  it('does not make the real user wait at their own address for a stranger’s guesses at their login', async () => {
    for (let failure = 0; failure < 10; failure += 1) await recordLoginFailure(first.pool, 'egorova', '203.0.113.66');
    expect(await loginWait(first.pool, 'egorova', '203.0.113.66')).toBeGreaterThan(0);
    expect(await loginWait(first.pool, 'egorova', '10.1.0.2')).toBe(0);
  });

  it('makes an address wait that tried 20 logins, whatever login it tries next', async () => {
    for (let login = 1; login <= 19; login += 1) await recordLoginFailure(first.pool, `guess-${login}`, '203.0.113.99');
    expect(await loginWait(first.pool, 'someone-new', '203.0.113.99')).toBe(0);
    await recordLoginFailure(first.pool, 'guess-20', '203.0.113.99');
    expect(await loginWait(first.pool, 'someone-new', '203.0.113.99')).toBeGreaterThan(0);
    expect(await loginWait(first.pool, 'someone-new', '10.1.0.3')).toBe(0);
  });
});

function buildPlan(overrides: Partial<Omit<StoredPlan, 'registeredAt'>> = {}): Omit<StoredPlan, 'registeredAt'> {
  return { key: 'ryazan-2026', org: 'ryazan', planId: 'ryazan-2026', title: 'План-график Рязанской области', fileName: 'ryazan-2026.yaml', text: 'id: ryazan-2026\n', year: null, calendars: [], ...overrides };
}

describe('plans in the store', () => {
  beforeAll(async () => {
    await ensureOrganisation(first.pool, 'ryazan');
    await ensureOrganisation(first.pool, 'tatarstan');
  });

  it('records a plan under its organisation and updates its text when started again', async () => {
    expect(await savePlan(first.pool, buildPlan())).toBe(true);
    expect(await savePlan(second.pool, buildPlan({ text: 'id: ryazan-2026\n# правка\n' }))).toBe(true);
    expect(await findPlan(second.pool, 'ryazan-2026')).toMatchObject({ org: 'ryazan', text: 'id: ryazan-2026\n# правка\n', year: null, calendars: [] });
  });

  it('refuses another organisation’s plan under a key taken, leaving the first as it was', async () => {
    await savePlan(first.pool, buildPlan({ key: 'shared-key' }));
    expect(await savePlan(second.pool, buildPlan({ key: 'shared-key', org: 'tatarstan', text: 'чужой план' }))).toBe(false);
    expect(await findPlan(first.pool, 'shared-key')).toMatchObject({ org: 'ryazan', text: 'id: ryazan-2026\n' });
  });

  it('lists one organisation’s plans, or every plan', async () => {
    await savePlan(first.pool, buildPlan({ key: 'tatarstan-2026', org: 'tatarstan', planId: 'tatarstan-2026' }));
    expect((await listPlans(first.pool, 'tatarstan')).map((plan) => plan.key)).toEqual(['tatarstan-2026']);
    expect((await listPlans(first.pool, 'ryazan')).map((plan) => plan.key).sort()).toEqual(['ryazan-2026', 'shared-key']);
    expect(await listPlans(first.pool)).toHaveLength(3);
  });
});
