/**
 * Regions and roles as logic: which plans, tasks, documents and letters a user's view holds,
 * and where the login may send a person afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { CaughtMail } from '../../activities/mail-catcher.ts';
import type { RegisterEntry } from '../../documents/register.ts';
import type { Mailbox } from '../../store/caught-mail.ts';
import { canAct, canAdminister, seesDocument, viewOfMailbox, viewOfPlans, type Viewer } from '../../web/access.ts';
import type { PlanView, ServedPlan } from '../../web/plans.ts';
import { brokenNext, safeNext } from '../../web/people/login.ts';
import type { PlanStatus } from '../../workflows/messages.ts';

const TASKS = ['1', '2@sch-01', '2@sch-02', '2@sch-03'];

function served(key: string, org: string): ServedPlan {
  return {
    key,
    org,
    file: `${key}.yaml`,
    loaded: {
      plan: {
        schools: [
          { id: 'sch-01', municipality: 'Шиловский район' },
          { id: 'sch-02', municipality: 'Шиловский район' },
          { id: 'sch-03', municipality: 'Сасовский район' },
        ],
      },
      schedule: { tasks: TASKS.map((task) => ({ task })) },
    },
  } as unknown as ServedPlan;
}

const directory: PlanView = {
  list: () => [served('ryazan-2026', 'ryazan'), served('tver-2026', 'tver')],
  get: (key) => directory.list().find((plan) => plan.key === key),
  status: async (key) => ({ key, total: TASKS.length, tasks: TASKS.map((task) => ({ task, state: 'active' })) }) as unknown as PlanStatus,
  task: async (_key, task) => ({ task }) as never,
  invalidate: () => undefined,
};

const viewer = (role: Viewer['role'], org: string | null, scope: Partial<Viewer> = {}): Viewer => ({ role, org, schools: [], municipality: null, ...scope });

describe("a user's view of the plans", () => {
  it("holds only the organisation's plans; another region's is as absent as one that does not exist", async () => {
    const view = viewOfPlans(directory, viewer('office', 'ryazan'));
    expect(view.list().map((plan) => plan.key)).toEqual(['ryazan-2026']);
    expect(view.get('tver-2026')).toBeUndefined();
    expect(await view.status('tver-2026')).toBeNull();
    expect(await view.task('tver-2026', '1')).toBeNull();
  });

  it('holds every region for the federal role', () => {
    expect(viewOfPlans(directory, viewer('federal', null)).list().map((plan) => plan.key)).toEqual(['ryazan-2026', 'tver-2026']);
  });

  it("holds a curator's schools' tasks alone, in the schedule, the states and the task lookup", async () => {
    const view = viewOfPlans(directory, viewer('curator', 'ryazan', { schools: ['sch-02'] }));
    expect(view.get('ryazan-2026')!.loaded.schedule.tasks.map((task) => task.task)).toEqual(['2@sch-02']);
    const status = await view.status('ryazan-2026');
    expect(status!.tasks.map((task) => task.task)).toEqual(['2@sch-02']);
    expect(status!.total).toBe(1);
    expect(await view.task('ryazan-2026', '2@sch-01')).toBeNull();
    expect(await view.task('ryazan-2026', '1')).toBeNull();
    expect(await view.task('ryazan-2026', '2@sch-02')).toEqual({ task: '2@sch-02' });
  });

  it("holds a municipal coordinator's municipality's schools, whatever the case of its name", () => {
    const view = viewOfPlans(directory, viewer('municipal', 'ryazan', { municipality: 'шиловский РАЙОН' }));
    expect(view.get('ryazan-2026')!.loaded.schedule.tasks.map((task) => task.task)).toEqual(['2@sch-01', '2@sch-02']);
  });
});

describe('rights by role', () => {
  it('let administrators, the office, curators and municipal coordinators act; viewers and the federal operator only read', () => {
    expect((['administrator', 'office', 'curator', 'municipal'] as const).every((role) => canAct(viewer(role, 'ryazan')))).toBe(true);
    expect(canAct(viewer('viewer', 'ryazan'))).toBe(false);
    expect(canAct(viewer('federal', null))).toBe(false);
    expect(canAdminister(viewer('administrator', 'ryazan'))).toBe(true);
    expect(canAdminister(viewer('office', 'ryazan'))).toBe(false);
  });
});

describe('documents and letters by region', () => {
  const entry = (plan: string | null, key: string) => ({ plan, key }) as Pick<RegisterEntry, 'plan' | 'key'>;

  it("show a region's documents to it alone, and a curator only those that name their school", () => {
    expect(seesDocument(viewer('office', 'ryazan'), directory, entry('ryazan-2026', 'ryazan-2026:order'))).toBe(true);
    expect(seesDocument(viewer('office', 'ryazan'), directory, entry('tver-2026', 'tver-2026:order'))).toBe(false);
    expect(seesDocument(viewer('office', 'ryazan'), directory, entry(null, 'render:order:abc'))).toBe(false);
    const curator = viewer('curator', 'ryazan', { schools: ['sch-01'] });
    expect(seesDocument(curator, directory, entry('ryazan-2026', 'ryazan-2026:contract:sch-01:sch-11'))).toBe(true);
    expect(seesDocument(curator, directory, entry('ryazan-2026', 'ryazan-2026:contract:sch-02:sch-11'))).toBe(false);
    expect(seesDocument(curator, directory, entry('ryazan-2026', 'ryazan-2026:order'))).toBe(false);
  });

  it("read a region's caught letters alone, and no letter's bytes outside the view", async () => {
    const letters = [
      { file: 'store:1', plan: 'ryazan-2026', task: '2@sch-01' },
      { file: 'store:2', plan: 'tver-2026', task: '1' },
      { file: 'store:3', plan: 'ryazan-2026', task: '1' },
    ] as CaughtMail[];
    let askedFor: readonly string[] | null | undefined;
    const mailbox: Mailbox = {
      async messages(plans) {
        askedFor = plans;
        return letters.filter((letter) => !plans || plans.includes(letter.plan));
      },
      raw: async () => Buffer.from('raw'),
    };
    const office = viewOfMailbox(mailbox, directory, viewer('office', 'ryazan'));
    expect((await office.messages()).map((letter) => letter.file)).toEqual(['store:1', 'store:3']);
    expect(askedFor).toEqual(['ryazan-2026']);
    expect(await office.raw(letters[1]!)).toBeUndefined();
    const curator = viewOfMailbox(mailbox, directory, viewer('curator', 'ryazan', { schools: ['sch-01'] }));
    expect((await curator.messages()).map((letter) => letter.file)).toEqual(['store:1']);
  });
});

describe('where a login sends a person afterwards', () => {
  it.each([
    ['/plans/ryazan-2026/year?executor=riro', '/plans/ryazan-2026/year?executor=riro'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\\/evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['https://evil.example', '/'],
    ['evil.example', '/'],
    ['/plans\\..\\..', '/'],
    [undefined, '/'],
  ])('sends %j to %j: a path of this site only', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it('takes a line break or another control character for an attempt to split a header', () => {
    expect(brokenNext('/plans\r\nSet-Cookie: x=1')).toBe(true);
    expect(brokenNext('/\t/evil.example')).toBe(true);
    expect(brokenNext('/plans/ryazan-2026/year')).toBe(false);
    expect(brokenNext(undefined)).toBe(false);
  });
});
