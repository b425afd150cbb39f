/**
 * The page shell every page shares: the head, the office's navigation for a plan, a message
 * after an action, and the stylesheet. Pages give their title and body.
 */
import { html, raw, type Html } from './html.ts';

export interface PageShell {
  title: string;
  body: Html;
  /** The office's navigation, for a logged-in user looking at a plan. */
  nav?: { plan: string | null; planTitle?: string; user: string; csrf: string; current?: 'year' | 'indicators' | 'documents' | 'mail' | 'plans' | 'regions' | 'users'; allRegions?: boolean; administer?: boolean };
  /** A line at the top after an action: «Срок перенесён». */
  flash?: { kind: 'ok' | 'error'; text: string } | null;
}

export function page({ title, body, nav, flash }: PageShell): string {
  return html`<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — plangraf</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
${nav ? navigation(nav) : html`<header class="top"><span class="brand">plangraf</span></header>`}
<main>
${flash ? html`<p class="flash flash-${flash.kind}" role="status">${flash.text}</p>` : ''}
${body}
</main>
</body>
</html>
`.value;
}

/** A page that says what went wrong and where to go, in Russian, for any status. */
export function errorPage(title: string, text: string): string {
  return page({ title, body: html`<div class="card"><h1>${title}</h1><p>${text}</p><p><a href="/">На главную</a></p></div>` });
}

function navigation(nav: NonNullable<PageShell['nav']>): Html {
  const link = (href: string, label: string, key: NonNullable<PageShell['nav']>['current']) => html`<a href="${href}"${nav.current === key ? raw(' aria-current="page"') : ''}>${label}</a>`;
  const plan = nav.plan === null ? null : encodeURIComponent(nav.plan);
  return html`<header class="top">
<a class="brand" href="/">plangraf</a>
<nav>
${plan ? [link(`/plans/${plan}/year`, 'Год', 'year'), link(`/plans/${plan}/indicators`, 'Показатели', 'indicators')] : link('/', 'Год', 'year')}
${link('/documents', 'Документы', 'documents')}
${link('/mail', 'Почта', 'mail')}
${link('/plans', 'Планы', 'plans')}
${nav.allRegions ? link('/regions', 'Регионы', 'regions') : ''}
${nav.administer ? link('/users', 'Пользователи', 'users') : ''}
</nav>
<form class="logout" method="post" action="/logout"><input type="hidden" name="_csrf" value="${nav.csrf}"><span>${nav.user}</span> <button type="submit">Выйти</button> <button type="submit" formaction="/logout/everywhere" title="Завершить все сеансы этого пользователя: на других компьютерах и в других браузерах">Выйти на всех устройствах</button></form>
</header>
${nav.planTitle ? html`<p class="plan-title">${nav.planTitle}</p>` : ''}`;
}

/** The stylesheet: plain CSS, no build step. State colours are shared by the timeline, the tables and the legends. */
export const STYLESHEET = `
:root { --planned: #c9ced6; --active: #3b82c4; --due-soon: #e0a100; --overdue: #c62828; --done: #2e7d32; --review: #5e9c62; --waiting: #8e7cc3; --unscheduled: #eeeeee; --ink: #1f1f1f; --muted: #5f6b7a; --line: #d9dee5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "Segoe UI", Arial, Helvetica, sans-serif; color: var(--ink); background: #f7f8fa; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #ffffff; border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; color: #1f6f43; text-decoration: none; font-size: 16px; }
header.top nav { display: flex; gap: 16px; flex: 1; }
header.top nav a { color: var(--ink); text-decoration: none; padding: 4px 2px; }
header.top nav a[aria-current="page"] { border-bottom: 2px solid #1f6f43; font-weight: 600; }
header.top .logout { display: flex; gap: 8px; align-items: center; color: var(--muted); }
.plan-title { margin: 0; padding: 8px 24px; background: #ffffff; border-bottom: 1px solid var(--line); color: var(--muted); }
main { padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 8px 0 16px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
a { color: #1a5fa8; }
.flash { padding: 8px 12px; border-radius: 4px; margin: 0 0 16px; }
.flash-ok { background: #e6f4ea; border: 1px solid #a8d5b5; }
.notice { background: #fff8e1; border: 1px solid #f0d890; padding: 8px 12px; border-radius: 4px; }
.flash-error { background: #fdecea; border: 1px solid #f1b0a9; }
table.grid { border-collapse: collapse; width: 100%; background: #ffffff; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
table.grid th { background: #eef1f5; font-weight: 600; }
form.inline { display: inline; }
fieldset { border: 1px solid var(--line); background: #ffffff; border-radius: 4px; margin: 0 0 16px; padding: 12px 16px; }
legend { font-weight: 600; padding: 0 4px; }
label { display: block; margin: 6px 0 2px; }
input[type=text], input[type=password], input[type=date], select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #b8c0cc; border-radius: 4px; min-width: 260px; }
textarea { width: 100%; max-width: 640px; min-height: 72px; }
button { font: inherit; padding: 6px 14px; border-radius: 4px; border: 1px solid #1f6f43; background: #1f6f43; color: #ffffff; cursor: pointer; }
button.secondary { background: #ffffff; color: var(--ink); border-color: #b8c0cc; }
.muted { color: var(--muted); }
.card { background: #ffffff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; max-width: 720px; }
.state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; color: #ffffff; white-space: nowrap; }
.state-planned { background: var(--planned); color: var(--ink); } .state-active { background: var(--active); } .state-due-soon { background: var(--due-soon); color: var(--ink); }
.state-overdue { background: var(--overdue); } .state-done { background: var(--done); } .state-review { background: var(--review); } .state-waiting { background: var(--waiting); } .state-unscheduled { background: var(--unscheduled); color: var(--ink); }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 16px; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; align-items: start; }
.actions fieldset { margin: 0; min-width: 0; }
.actions select, .actions textarea, .actions input[type=date] { min-width: 0; width: 100%; }
.late { color: var(--overdue); }
section.request { background: #f4f0fb; border: 1px solid var(--waiting); border-radius: 6px; padding: 8px 16px 12px; margin: 16px 0; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin: 0 0 12px; }
form.filters label { margin: 0; }
form.filters select, form.filters input[type=text] { min-width: 200px; }
pre.mail-text { white-space: pre-wrap; word-break: break-word; background: #ffffff; border: 1px solid var(--line); border-radius: 4px; padding: 12px 16px; max-width: 900px; font: 13px/1.5 Consolas, "Courier New", monospace; }
.tl-summary { margin: 0 0 8px; }
.tl-exports, .tl-feeds { margin: 0 0 12px; }
form.tl-filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin: 0 0 8px; }
form.tl-filters label { margin: 0 0 2px; }
form.tl-filters select { min-width: 180px; }
.tl-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; padding: 0; margin: 8px 0 12px; }
.timeline { background: #ffffff; border: 1px solid var(--line); border-radius: 4px; }
.tl-row { display: grid; grid-template-columns: minmax(240px, 30%) 1fr; border-bottom: 1px solid var(--line); }
.tl-row:last-child { border-bottom: 0; }
.tl-head { background: #eef1f5; font-weight: 600; }
.tl-label { padding: 4px 8px; border-right: 1px solid var(--line); font-size: 13px; min-width: 0; }
.tl-title { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.tl-meta { display: block; color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tl-track, .tl-months { display: block; width: 100%; align-self: center; }
.tl-months text { font-size: 12px; fill: var(--muted); font-weight: 400; }
.tl-grid { stroke: var(--line); stroke-width: 1; }
.tl-today { stroke: var(--overdue); stroke-width: 2; }
.tl-months .tl-today-label { fill: var(--overdue); font-size: 11px; font-weight: 600; }
.tl-bar text { font-size: 11px; fill: var(--ink); paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
.tl-bar .tl-frame { fill: none; stroke: var(--ink); stroke-opacity: 0.35; }
.tl-bar:hover .tl-frame, .tl-bar:focus .tl-frame { stroke-opacity: 1; stroke-width: 2; }
.tl-bar[data-state="overdue"] .tl-frame { stroke: var(--overdue); stroke-opacity: 1; stroke-width: 2; }
.seg-done { fill: var(--done); } .seg-review { fill: var(--review); } .seg-overdue { fill: var(--overdue); } .seg-due-soon { fill: var(--due-soon); } .seg-active { fill: var(--active); } .seg-planned { fill: var(--planned); } .seg-unscheduled { fill: var(--unscheduled); }
.tl-marker { text-decoration: none; }
.ind-completion { font-size: 15px; }
.ind-results { font-size: 12px; }
ul.evidence, ul.refused { margin: 4px 0 12px; padding-left: 20px; } ul.refused li { color: var(--overdue); }
section.review { background: #ffffff; border: 1px solid var(--review); border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
/* A phone: one column; the letter's page (a link opened from mail) must read without zooming. */
@media (max-width: 480px) {
  main { padding: 12px 10px 32px; }
  header.top { flex-wrap: wrap; gap: 8px 12px; padding: 8px 10px; }
  header.top nav { flex-wrap: wrap; gap: 6px 12px; }
  .card { padding: 12px; max-width: none; }
  dl.fields { grid-template-columns: 1fr; gap: 0; }
  dl.fields dt { margin-top: 8px; }
  .actions { grid-template-columns: 1fr; }
  input[type=text], input[type=password], input[type=date], input[type=file], select, textarea { min-width: 0; width: 100%; max-width: none; }
  button { width: 100%; padding: 10px; }
  table.grid { display: block; overflow-x: auto; }
}
`;
