/**
 * The store's schema as numbered migrations. Each is applied once, in order, inside a
 * transaction, under an advisory lock: two hosts starting at once migrate once, the second
 * waits and finds nothing left to do. A migration, once released, is never edited: a change is
 * a new migration at the end.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'organisations, users, sessions, login failures, audit log',
    sql: `
create table organisations (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);
create table users (
  login text primary key,
  name text not null,
  org text references organisations (id),
  role text not null check (role in ('administrator', 'office', 'viewer', 'curator', 'municipal', 'federal')),
  schools text[] not null default '{}',
  municipality text,
  password_hash text not null,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  check (role = 'federal' or org is not null)
);
create unique index users_login_lower on users (lower(login));
create table sessions (
  id_hash text primary key,
  login text not null references users (login) on delete cascade,
  csrf text not null,
  address text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_login on sessions (login);
create table login_failures (
  id bigserial primary key,
  login text not null,
  address text not null,
  at timestamptz not null default now()
);
create index login_failures_pair on login_failures (login, address, at);
create index login_failures_address on login_failures (address, at);
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  login text,
  org text,
  address text,
  action text not null,
  plan text,
  task text,
  details jsonb not null default '{}'
);
create index audit_log_org_at on audit_log (org, at);
`,
  },
  {
    version: 2,
    name: 'signing keys and used links',
    sql: `
create table signing_keys (
  kid text primary key,
  secret bytea not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
create table used_links (
  id text primary key,
  used_at timestamptz not null default now()
);
`,
  },
  {
    version: 3,
    name: 'sent mail and caught mail',
    sql: `
create table sent_mail (
  key text primary key,
  message_id text not null,
  accepted text[] not null default '{}',
  rejected text[] not null default '{}',
  sent_at timestamptz not null default now()
);
create table caught_mail (
  id bigserial primary key,
  received_at timestamptz not null default now(),
  plan text not null default '',
  envelope_to text[] not null default '{}',
  raw bytea not null
);
create index caught_mail_plan on caught_mail (plan, id);
`,
  },
  {
    version: 4,
    name: 'the document register, its counters and files',
    sql: `
create table document_counters (
  org text not null,
  template text not null,
  year integer not null,
  last integer not null,
  primary key (org, template, year)
);
create table document_files (
  sha256 text primary key,
  content bytea not null
);
create table documents (
  key text primary key,
  org text not null,
  template text not null,
  number text not null,
  sequence integer not null,
  year integer not null,
  date date not null,
  plan text,
  path text not null unique,
  file_name text not null,
  sha256 text not null references document_files (sha256),
  input_hash text not null,
  issued_at timestamptz not null default now(),
  unique (org, template, year, sequence)
);
create index documents_plan on documents (plan, issued_at);
`,
  },
  {
    version: 5,
    name: 'plans and their organisations; imports of var/ files',
    sql: `
create table plans (
  key text primary key,
  org text not null references organisations (id),
  plan_id text not null,
  title text not null,
  file_name text not null,
  source text not null,
  year integer,
  calendars jsonb not null default '[]',
  registered_at timestamptz not null default now()
);
create index plans_org on plans (org);
create table imports (
  name text primary key,
  count integer not null,
  at timestamptz not null default now()
);
`,
  },
  {
    version: 6,
    name: 'plan drafts and their versions',
    sql: `
create table plan_drafts (
  id bigserial primary key,
  org text not null references organisations (id),
  plan_id text not null,
  title text not null,
  created_at timestamptz not null default now(),
  started_key text,
  started_at timestamptz,
  started_by text
);
create index plan_drafts_org on plan_drafts (org, id);
create table plan_draft_versions (
  draft bigint not null references plan_drafts (id) on delete cascade,
  version integer not null,
  source text not null,
  file_name text not null,
  author text not null,
  saved_at timestamptz not null default now(),
  summary text[] not null default '{}',
  primary key (draft, version)
);
`,
  },
  {
    version: 7,
    name: 'one-time password links and users\' last logins',
    sql: `
create table password_links (
  id_hash text primary key,
  login text not null references users (login) on delete cascade,
  created_by text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_links_login on password_links (login);
alter table users add column last_login_at timestamptz;
`,
  },
  {
    version: 8,
    name: 'the read model of running plans: task states and plan states',
    sql: `
create table plan_task_states (
  plan_key text not null,
  task text not null,
  revision bigint not null,
  state text not null,
  overdue_from date,
  progress jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (plan_key, task)
);
create table plan_states (
  plan_key text primary key,
  revision bigint not null,
  version bigint not null default 0,
  plan_id text not null,
  title text not null,
  timezone text not null,
  clock_shift_ms bigint not null default 0,
  started integer not null,
  total integer not null,
  changes jsonb,
  done integer not null default 0,
  overdue_from_counts jsonb not null default '{}',
  progress jsonb not null default '[]',
  updated_at timestamptz not null default now()
);
`,
  },
  {
    version: 9,
    name: 'evidence files: each file once by its SHA-256, and the files of a task\'s reports',
    sql: `
create table evidence_contents (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null check (octet_length(content) > 0),
  stored_at timestamptz not null default now()
);
-- Scans, images and Office files are compressed already: keep them out of line without trying again.
alter table evidence_contents alter column content set storage external;
create table evidence_reports (
  plan_key text not null,
  task text not null,
  report integer not null check (report > 0),
  reported_at timestamptz not null default now(),
  reported_by text,
  primary key (plan_key, task, report)
);
create table evidence_files (
  plan_key text not null,
  task text not null,
  report integer not null,
  position integer not null,
  sha256 text not null references evidence_contents (sha256),
  file_name text not null check (file_name <> ''),
  media_type text not null check (media_type <> ''),
  size integer not null check (size > 0),
  primary key (plan_key, task, report, position),
  foreign key (plan_key, task, report) references evidence_reports (plan_key, task, report) on delete cascade
);
`,
  },
  {
    version: 10,
    name: 'what was sent through each used link, for the page the link shows afterwards',
    sql: `
alter table used_links add column sent jsonb;
`,
  },
  {
    version: 11,
    name: "the read model's tasks numbered by the write that changed them, so a page server reads only what changed since it last read",
    sql: `
alter table plan_task_states add column seq bigint not null default 0;
create index plan_task_states_changes on plan_task_states (plan_key, seq);
alter table plan_states add column task_count integer not null default 0;
update plan_states s set task_count = (select count(*) from plan_task_states t where t.plan_key = s.plan_key);
alter table plan_states drop column progress;
`,
  },
];
