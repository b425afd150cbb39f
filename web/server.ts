/**
 * The pages as a running server over the shared store and Temporal: the users and sessions,
 * the signing keys, the plans and their register, and an HTTP listener. `plangraf web` runs it
 * on its own (any number of them, on any hosts); `plangraf up` runs it in the main job.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import type { Store } from '../store/database.ts';
import { storeMailbox } from '../store/caught-mail.ts';
import { ensureOrganisation } from '../store/organisations.ts';
import { StoreDocumentRegister } from '../store/register.ts';
import { storeUsedLinks } from '../store/used-links.ts';
import { findUser, listUsers, saveUser } from '../store/users.ts';
import { createWebApp } from './app.ts';
import { hashPassword, OfficeAuth } from './auth.ts';
import { storeKeyring } from './keyring.ts';
import { LinkSigner } from './links.ts';
import { PlanDirectory } from './plans.ts';

export interface WebServerOptions {
  store: Store;
  client: Client;
  /** Whether the «Почта» page shows the letters the built-in catcher keeps (embedded mode). */
  caughtMail: boolean;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** How the pages are reached from outside; defaults to the address listened on. */
  publicUrl?: string;
  /** The task queue plans started from the pages run on (PLANGRAF_TASK_QUEUE by default). */
  taskQueue?: string;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const { store } = options;
  const host = options.host ?? '127.0.0.1';
  const keyring = await storeKeyring(store);
  let resolveListening!: (info: AddressInfo) => void;
  const listening = new Promise<AddressInfo>((resolve) => (resolveListening = resolve));
  const deps = {
    plans: await PlanDirectory.fromStore(store, options.client),
    client: options.client,
    store,
    auth: new OfficeAuth(store),
    signer: new LinkSigner(keyring),
    usedLinks: storeUsedLinks(store),
    register: new StoreDocumentRegister(store),
    mailbox: options.caughtMail ? storeMailbox(store.pool) : null,
    publicUrl: options.publicUrl ?? '',
    secureCookies: (options.publicUrl ?? '').startsWith('https:'),
    ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}),
  };
  const app = createWebApp(deps);
  const server: ServerType = serve({ fetch: app.fetch, hostname: host, port: options.port }, (info) => resolveListening(info));
  const info = await listening;
  const url = `http://${host}:${info.port}`;
  if (!options.publicUrl) deps.publicUrl = url;
  return {
    url,
    port: info.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        keyring.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // A browser's kept-alive connection must not hold the server open.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 3_000).unref();
      }),
  };
}

/**
 * The first user of the main job: `office`, administrator of the embedded organisation, with a
 * random password that is kept in `var/office-password.txt` (mode 600) for the newcomer to read
 * and printed by `plangraf up`. Made once: when the store has any user, nothing changes.
 */
export async function ensureFirstUser(store: Store, org: { id: string; name: string }, passwordFile: string): Promise<{ login: string; password: string | null }> {
  if ((await listUsers(store.pool)).length > 0) {
    const password = await readFile(passwordFile, 'utf8').then((text) => text.trim(), () => null);
    return { login: (await findUser(store.pool, 'office'))?.login ?? 'office', password };
  }
  await ensureOrganisation(store.pool, org.id, org.name);
  const password = randomBytes(9).toString('base64url');
  await saveUser(store.pool, { login: 'office', name: 'Проектный офис', org: org.id, role: 'administrator', schools: [], municipality: null, passwordHash: await hashPassword(password) });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return { login: 'office', password };
}
