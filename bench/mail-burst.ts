/**
 * The 09:00 burst: thousands of reminders due at the same slot, delivered to a real SMTP server
 * (the built-in mail catcher, which writes each letter to disk), side by side in one run with raw
 * pooled nodemailer sending the same letters to the same server.
 *  - raw: one `nodemailer.createTransport({ pool: true, maxConnections, maxMessages: 100 })`, the
 *    letters rendered before the clock starts, all handed to the pool at once (its own queue);
 *  - plangraf: the mail activity as the worker runs it (`createMailActivities` with the SMTP pool
 *    of `createSmtpTransport`, the store's sent log in a real PostgreSQL, the executors' signed
 *    links), `slots` letters at a time as the worker's activity slots allow: each letter looked up
 *    in the sent log, rendered with its links, sent, and recorded.
 * Temporal's scheduling of the activities is not in the figure (bench/runtime.ts measures that).
 * Rounds take turns; each round's letters have keys of their own, and the server must have caught
 * every letter exactly once.
 *
 * Run: node --import tsx bench/mail-burst.ts [letters=4000] [rounds=3] [connections=5] [slots=20]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { inParallel } from '../activities/in-parallel.ts';
import { startMailCatcher } from '../activities/mail-catcher.ts';
import { composeMail, createMailActivities, createSmtpTransport } from '../activities/mail.ts';
import type { TaskNotification } from '../plan/notifications.ts';
import { connectStore } from '../store/database.ts';
import { startEmbeddedPostgres } from '../store/embedded.ts';
import { storeSentLog } from '../store/sent-mail.ts';
import { buildTaskNotification, person } from '../tests/support/notifications.ts';
import { freePort } from '../tests/support/ports.ts';
import { executorActionLinks, LinkSigner } from '../web/links.ts';

const LETTERS = Number(process.argv[2] ?? 4000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONNECTIONS = Number(process.argv[4] ?? 5);
const SLOTS = Number(process.argv[5] ?? 20);
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

const scratch = await mkdtemp(join(tmpdir(), 'plangraf-bench-mail-'));
const pgDir = await mkdtemp(join(tmpdir(), 'plangraf-bench-mail-pg-'));
progress('starting PostgreSQL and the SMTP server');
const postgres = await startEmbeddedPostgres(pgDir, { port: await freePort() });
const store = await connectStore(postgres.url, { max: SLOTS });
/** The Message-ID of every letter the server took, in arrival order. */
const caught: string[] = [];
const catcher = await startMailCatcher({
  port: 0,
  dir: join(scratch, 'caught'),
  onMessage: async (raw) => {
    caught.push(/^Message-ID:\s*(\S+)/im.exec(raw.toString('latin1'))?.[1] ?? '');
  },
});
const FROM = 'plangraf <plangraf@localhost>';
const actionLinks = executorActionLinks(new LinkSigner(randomBytes(32)), 'https://plangraf.example.org');

/** The burst of a round: one reminder to each of `LETTERS` directors, all at the same 09:00. */
function burst(round: string): TaskNotification[] {
  return Array.from({ length: LETTERS }, (_, index) => {
    const director = person(`director:sch-${index}`, 'Сидоров Пётр Петрович', `director-${index}@example.org`);
    return buildTaskNotification('reminder', { key: `task:bench:${index}@sch-${index}:reminder:${round}`, to: [director], task: { task: `9@sch-${index}`, schoolName: `МОУ СОШ № ${index}` } });
  });
}

async function raw(round: string): Promise<number> {
  const messages = burst(round).map((notification) => composeMail(notification, FROM, actionLinks));
  const transport = nodemailer.createTransport({ url: catcher.url, pool: true, maxConnections: CONNECTIONS, maxMessages: 100 });
  const started = performance.now();
  await Promise.all(messages.map((message) => transport.sendMail(message)));
  const elapsed = performance.now() - started;
  transport.close();
  return elapsed;
}

async function plangraf(round: string): Promise<number> {
  const letters = burst(round);
  const { transport, from } = createSmtpTransport({ SMTP_URL: catcher.url, SMTP_MAX_CONNECTIONS: String(CONNECTIONS) });
  const { sendNotification } = createMailActivities({ transport, from, sentLog: storeSentLog(store.pool), actionLinks });
  const started = performance.now();
  await inParallel(letters, SLOTS, (letter) => sendNotification(letter));
  const elapsed = performance.now() - started;
  transport.close();
  return elapsed;
}

const contenders = { raw, plangraf };
const times: Record<keyof typeof contenders, number[]> = { raw: [], plangraf: [] };
try {
  progress('warming up');
  await raw('warm-raw');
  await plangraf('warm-plangraf');
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = (round % 2 === 0 ? ['raw', 'plangraf'] : ['plangraf', 'raw']) as (keyof typeof contenders)[];
    for (const name of order) {
      progress(`round ${round + 1} of ${ROUNDS}: ${name}`);
      const before = caught.length;
      times[name].push(await contenders[name](`${name}-${round}`));
      const these = caught.slice(before);
      const distinct = new Set(these).size;
      if (these.length !== LETTERS || distinct !== LETTERS) throw new Error(`${name}, round ${round + 1}: the server caught ${these.length} letters (${distinct} distinct) of ${LETTERS}`);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rate = (ms: number) => `${((LETTERS / ms) * 1000).toFixed(0)}/s`;
  const line = (label: string, name: keyof typeof contenders) => `${label.padEnd(64)} ${(median(times[name]) / 1000).toFixed(2)} s  ${rate(median(times[name])).padStart(7)}  (rounds: ${times[name].map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`;
  console.log(`${LETTERS} letters due at one 09:00 to a real SMTP server, a pool of ${CONNECTIONS} connections, ${ROUNDS} rounds, median time to deliver them all; every letter caught once:`);
  console.log(line('raw pooled nodemailer, letters rendered before the clock', 'raw'));
  console.log(line(`plangraf's mail activity, ${SLOTS} at a time (sent log, links, render)`, 'plangraf'));
  console.log(`ratio: plangraf ÷ raw = ${(median(times.plangraf) / median(times.raw)).toFixed(2)} (time to deliver the burst)`);
} finally {
  await catcher.stop();
  await store.close();
  await postgres.stop();
  await rm(scratch, { recursive: true, force: true });
  await rm(pgDir, { recursive: true, force: true });
}
