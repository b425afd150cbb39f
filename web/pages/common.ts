/** What the office's plan pages share: finding the plan of the address, its navigation, the names of states. */
import type { PlanStatus, TaskState } from '../../workflows/messages.ts';
import { canAdminister } from '../access.ts';
import type { WebContext, WebDeps } from '../context.ts';
import { html } from '../html.ts';
import { page, type PageShell } from '../layout.ts';
import type { ServedPlan } from '../plans.ts';

/** How the pages name a task's state. `dueSoon` is an active task due this week. */
export const STATE_NAMES: Record<TaskState | 'dueSoon', string> = {
  planned: 'запланирована',
  waiting: 'ждёт предыдущих',
  active: 'в работе',
  dueSoon: 'срок на этой неделе',
  overdue: 'просрочена',
  review: 'на проверке',
  done: 'выполнена',
  unscheduled: 'без сроков',
};

/** The CSS class of a state's colour (`state-due-soon`). */
export function stateClass(state: TaskState | 'dueSoon'): string {
  return `state-${state === 'dueSoon' ? 'due-soon' : state}`;
}

export type PlanPage = { ok: true; served: ServedPlan; status: PlanStatus | null; shell: (title: string, current: NonNullable<PageShell['nav']>['current']) => Pick<PageShell, 'nav'> } | { ok: false; response: Response };

/** The plan named in the address and its state; a 404 page for a plan this server does not show. */
export async function planPage(c: WebContext, deps: WebDeps): Promise<PlanPage> {
  const key = c.req.param('key') ?? '';
  const served = deps.plans.get(key);
  const session = c.get('session');
  if (!served) {
    return { ok: false, response: c.html(page({ title: 'План не найден', body: html`<h1>План не найден</h1><p>Такого плана на этом сервере нет. <a href="/plans">Все планы</a></p>`, nav: { plan: null, user: session.name, csrf: session.csrf } }), 404) };
  }
  const status = await deps.plans.status(key);
  return {
    ok: true,
    served,
    status,
    shell: (_title, current) => ({ nav: { plan: key, planTitle: served.loaded.plan.title ?? key, user: session.name, csrf: session.csrf, current, administer: canAdminister(session) } }),
  };
}

/** The page a plan that is not started yet shows instead of its states. */
export function notStarted(served: ServedPlan) {
  return html`<p class="flash flash-error">План «${served.loaded.plan.title ?? served.key}» ещё не запущен: запустите его из черновика на странице «Планы» (или на сервере командой <code>plangraf start ${served.file}</code>).</p>`;
}
