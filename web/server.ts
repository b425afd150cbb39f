/**
 * The pages as a running server: the office's users, the secret, the plans, the Temporal client,
 * and an HTTP listener. `plangraf serve` runs it on its own; `plangraf up` runs it in the main job.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import { stringify } from 'yaml';
import type { MailCatcher } from '../activities/mail-catcher.ts';
import { DocumentRegister } from '../documents/register.ts';
import { createWebApp } from './app.ts';
import { hashPassword, OfficeAuth, readUsersFile, type OfficeUser } from './auth.ts';
import { LinkSigner, loadSecret, UsedLinks } from './links.ts';
import { PlanDirectory, type ServedPlan } from './plans.ts';

export interface WebServerOptions {
  plans: ServedPlan[];
  client: Client;
  /** Where the secret, the used links and (by default) the users live. */
  varDir: string;
  documentsDir: string;
  /** The office's users: PLANGRAF_USERS, or `<varDir>/office-users.yaml`. */
  usersFile: string;
  catcher: Pick<MailCatcher, 'messages'> | null;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** How the pages are reached from outside; defaults to the address listened on. */
  publicUrl?: string;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const secret = await loadSecret(options.varDir);
  const users = await readUsersFile(options.usersFile);
  const host = options.host ?? '127.0.0.1';
  let resolveListening!: (info: AddressInfo) => void;
  const listening = new Promise<AddressInfo>((resolve) => (resolveListening = resolve));
  const deps = {
    plans: new PlanDirectory(options.plans, options.client),
    client: options.client,
    auth: new OfficeAuth({ users, secret }),
    signer: new LinkSigner(secret),
    usedLinks: new UsedLinks(join(options.varDir, 'links', 'used.jsonl')),
    register: new DocumentRegister(options.documentsDir),
    catcher: options.catcher,
    publicUrl: options.publicUrl ?? '',
    secureCookies: (options.publicUrl ?? '').startsWith('https:'),
  };
  const app = createWebApp(deps);
  const server: ServerType = serve({ fetch: app.fetch, hostname: host, port: options.port }, (info) => resolveListening(info));
  const info = await listening;
  const url = `http://${host}:${info.port}`;
  if (!options.publicUrl) deps.publicUrl = url;
  return {
    url,
    port: info.port,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * The users file of the main job: made on first start with the user `office` and a random
 * password, which is kept next to it for the newcomer to read (and printed by `plangraf up`).
 */
export async function ensureEmbeddedUsers(usersFile: string): Promise<{ login: string; password: string | null }> {
  try {
    await readFile(usersFile, 'utf8');
    const passwordFile = join(dirname(usersFile), 'office-password.txt');
    const password = await readFile(passwordFile, 'utf8').then((text) => text.trim(), () => null);
    return { login: 'office', password };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const password = randomBytes(9).toString('base64url');
  const users: OfficeUser[] = [{ login: 'office', name: 'Проектный офис', passwordHash: await hashPassword(password) }];
  await mkdir(dirname(usersFile), { recursive: true });
  await writeFile(usersFile, `# Пользователи проектного офиса: plangraf users add ЛОГИН добавляет ещё одного.\n${stringify({ users })}`, { mode: 0o600 });
  await writeFile(join(dirname(usersFile), 'office-password.txt'), `${password}\n`, { mode: 0o600 });
  return { login: 'office', password };
}

/** Adds a user (or sets a new password) in a users file, made when missing. */
export async function addUser(usersFile: string, user: { login: string; name: string; password: string }): Promise<'added' | 'updated'> {
  const users: OfficeUser[] = existsSync(usersFile) ? await readUsersFile(usersFile) : [];
  const entry: OfficeUser = { login: user.login, name: user.name, passwordHash: await hashPassword(user.password) };
  const existing = users.findIndex((candidate) => candidate.login === user.login);
  if (existing >= 0) users[existing] = entry;
  else users.push(entry);
  await mkdir(dirname(usersFile), { recursive: true });
  await writeFile(usersFile, `# Пользователи проектного офиса: plangraf users add ЛОГИН добавляет ещё одного.\n${stringify({ users })}`, { mode: 0o600 });
  return existing >= 0 ? 'updated' : 'added';
}
