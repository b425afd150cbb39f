/**
 * Who may see and do what, in one place. A plan belongs to an organisation (a region's project
 * office); a user belongs to one with a role:
 *
 * | role | sees | acts |
 * |---|---|---|
 * | administrator | its organisation's plans | on tasks; users, plans, documents |
 * | office | its organisation's plans | on tasks |
 * | viewer | its organisation's plans | — |
 * | curator | the tasks of the schools assigned to them | on those tasks |
 * | municipal | the tasks of the schools of their municipality | on those tasks |
 * | federal | every organisation's plans, and the overview of regions | — |
 *
 * The pages never check this themselves: the middleware hands each request a view of the plans,
 * the register and the mail that holds only what its user may see. What lies outside that view
 * does not exist for the user: a 404, never a 403 that would confirm it.
 */
import type { CaughtMail } from '../activities/mail-catcher.ts';
import type { DocumentRegister, RegisterEntry } from '../documents/register.ts';
import type { ScheduledTask } from '../plan/schedule.ts';
import type { Mailbox } from '../store/caught-mail.ts';
import type { Role } from '../store/users.ts';
import type { Session } from './auth.ts';
import type { PlanView, ServedPlan } from './plans.ts';

/** What a role may do besides reading. */
export const ROLE_RIGHTS: Record<Role, { act: boolean; administer: boolean; allRegions: boolean }> = {
  administrator: { act: true, administer: true, allRegions: false },
  office: { act: true, administer: false, allRegions: false },
  viewer: { act: false, administer: false, allRegions: false },
  curator: { act: true, administer: false, allRegions: false },
  municipal: { act: true, administer: false, allRegions: false },
  federal: { act: false, administer: false, allRegions: true },
};

export type Viewer = Pick<Session, 'org' | 'role' | 'schools' | 'municipality'>;

export function canAct(viewer: Viewer): boolean {
  return ROLE_RIGHTS[viewer.role].act;
}

export function canAdminister(viewer: Viewer): boolean {
  return ROLE_RIGHTS[viewer.role].administer;
}

export function seesAllRegions(viewer: Viewer): boolean {
  return ROLE_RIGHTS[viewer.role].allRegions;
}

/**
 * The organisation whose plan drafts the viewer sees: a region's project office (administrator,
 * office, viewer) sees its own; curators, municipal and federal users see none.
 */
export function draftsOrgOf(viewer: Viewer): string | null {
  return viewer.org !== null && (viewer.role === 'administrator' || viewer.role === 'office' || viewer.role === 'viewer') ? viewer.org : null;
}

/** Whether the viewer changes and starts plan drafts: the administrator of the office. */
export function editsDrafts(viewer: Viewer): boolean {
  return draftsOrgOf(viewer) !== null && canAdminister(viewer);
}

export function seesPlan(viewer: Viewer, plan: Pick<ServedPlan, 'org'>): boolean {
  return seesAllRegions(viewer) || (viewer.org !== null && plan.org === viewer.org);
}

/** The schools of a plan a curator or a municipal coordinator is given; `null`: every school. */
export function schoolsOf(viewer: Viewer, served: ServedPlan): Set<string> | null {
  if (viewer.role === 'curator') return new Set(viewer.schools);
  if (viewer.role === 'municipal') {
    const municipality = viewer.municipality?.trim().toLowerCase() ?? '';
    return new Set((served.loaded.plan.schools ?? []).filter((school) => (school.municipality ?? '').trim().toLowerCase() === municipality && municipality !== '').map((school) => school.id));
  }
  return null;
}

/** A task id's school: `13/2@sch-01` → `sch-01`. */
export function schoolOfTask(task: string): string | null {
  const at = task.lastIndexOf('@');
  return at >= 0 ? task.slice(at + 1) : null;
}

function taskFilter(viewer: Viewer, served: ServedPlan): ((task: string) => boolean) | null {
  const schools = schoolsOf(viewer, served);
  if (!schools) return null;
  return (task) => {
    const school = schoolOfTask(task);
    return school !== null && schools.has(school);
  };
}

/** The plan as the viewer may see it: a curator's holds only their schools' tasks. */
function scopedPlan(viewer: Viewer, served: ServedPlan): ServedPlan {
  const visible = taskFilter(viewer, served);
  if (!visible) return served;
  const tasks = served.loaded.schedule.tasks.filter((task: ScheduledTask) => visible(task.task));
  return { ...served, loaded: { ...served.loaded, schedule: { ...served.loaded.schedule, tasks } } };
}

/** The plans as one user may see them. */
export function viewOfPlans(plans: PlanView, viewer: Viewer): PlanView {
  const visiblePlan = (key: string) => {
    const served = plans.get(key);
    return served && seesPlan(viewer, served) ? served : undefined;
  };
  return {
    list: () => plans.list().filter((served) => seesPlan(viewer, served)).map((served) => scopedPlan(viewer, served)),
    get(key) {
      const served = visiblePlan(key);
      return served ? scopedPlan(viewer, served) : undefined;
    },
    async status(key) {
      const served = visiblePlan(key);
      if (!served) return null;
      const status = await plans.status(key);
      const visible = taskFilter(viewer, served);
      if (!status || !visible) return status;
      const tasks = status.tasks.filter((task) => visible(task.task));
      return { ...status, tasks, total: tasks.length };
    },
    async task(key, task) {
      const served = visiblePlan(key);
      if (!served) return null;
      const visible = taskFilter(viewer, served);
      if (visible && !visible(task)) return null;
      return plans.task(key, task);
    },
    invalidate: (key) => plans.invalidate(key),
    // Whole plans' counts: only for a viewer who sees every task of every plan.
    ...(plans.totals && seesAllRegions(viewer) ? { totals: (keys: readonly string[]) => plans.totals!(keys.filter((key) => visiblePlan(key) !== undefined)) } : {}),
  };
}

/**
 * Whether a registered document is the viewer's: one of a plan they see (or, for a plan that no
 * longer runs, one their organisation numbered); for a curator or a municipal coordinator, only
 * a document that names one of their schools in its key (`ryazan-2020:contract:sch-01:sch-11`).
 */
export function seesDocument(viewer: Viewer, plans: PlanView, entry: Pick<RegisterEntry, 'plan' | 'key' | 'org'>): boolean {
  if (seesAllRegions(viewer)) return true;
  const served = entry.plan === null ? undefined : plans.get(entry.plan);
  // A plan no longer running (an old checkout's, imported): its documents stay with the organisation that numbered them.
  if (!served) return viewer.role !== 'curator' && viewer.role !== 'municipal' && Boolean(entry.org) && entry.org === viewer.org;
  if (!seesPlan(viewer, served)) return false;
  const schools = schoolsOf(viewer, served);
  if (!schools) return true;
  return entry.key.split(':').some((part) => schools.has(part));
}

/** The register as one user may see it: only the documents of their plans (and schools). */
export function viewOfRegister(register: DocumentRegister, plans: PlanView, viewer: Viewer): DocumentRegister {
  const mine = (entry: RegisterEntry) => seesDocument(viewer, plans, entry);
  return {
    issue: (requests, make, now) => register.issue(requests, make, now),
    entries: async () => (await register.entries()).filter(mine),
    async find(key) {
      const entry = await register.find(key);
      return entry && mine(entry) ? entry : undefined;
    },
    verify: (entry) => register.verify(entry),
    async fileContent(hash) {
      const entries = (await register.entries()).filter((entry) => entry.sha256 === hash);
      return entries.some(mine) ? register.fileContent(hash) : undefined;
    },
  };
}

/** The caught letters one user may read: those of their plans (and, for a curator, their schools' tasks). */
export function viewOfMailbox(mailbox: Mailbox, plans: PlanView, viewer: Viewer): Mailbox {
  const mine = (message: CaughtMail) => {
    if (!message.plan) return seesAllRegions(viewer);
    const served = plans.get(message.plan);
    if (!served || !seesPlan(viewer, served)) return false;
    const visible = taskFilter(viewer, served);
    return !visible || (message.task !== '' && visible(message.task));
  };
  return {
    async messages() {
      const keys = seesAllRegions(viewer) ? null : plans.list().filter((served) => seesPlan(viewer, served)).map((served) => served.key);
      return (await mailbox.messages(keys)).filter(mine);
    },
    raw: (message) => (mine(message) ? mailbox.raw(message) : Promise.resolve(undefined)),
  };
}
