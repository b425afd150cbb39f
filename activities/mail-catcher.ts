/**
 * The built-in mail catcher: a real SMTP server on this machine that keeps every message as an
 * `.eml` file instead of delivering it. The main job uses it when no SMTP server is configured,
 * the e2e tests use it as the server nodemailer talks to, and a web page can list what it caught.
 *
 * No authentication, no TLS: it listens on 127.0.0.1 unless told otherwise.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One caught message, parsed. */
export interface CaughtMail {
  /** The `.eml` file, absolute or as joined with the directory given. */
  file: string;
  messageId: string;
  /** The Date header as an ISO instant, or '' when the message had none. */
  date: string;
  from: string;
  /** Addresses of the To and Cc headers (lower case). */
  to: string[];
  cc: string[];
  /** The addresses the server actually took in RCPT TO (empty when read back from disk). */
  envelopeTo: string[];
  subject: string;
  /** The X-Plangraf-Kind, -Plan and -Task headers ('' when absent). */
  kind: string;
  plan: string;
  task: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string }>;
}

export interface MailCatcherOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where the `.eml` files go; created when missing. */
  dir: string;
  /** Largest message taken, in bytes (default 10 MiB); a bigger one gets 552. */
  size?: number;
  /** Refuse these recipients for good: 550 on RCPT TO (fault tests). */
  rejectRecipients?: (address: string) => boolean;
  /** Refuse these recipients for now: 450 on RCPT TO (fault tests). */
  deferRecipients?: (address: string) => boolean;
  /** Keeps each message elsewhere too (the shared store), before the server answers 250. */
  onMessage?: (raw: Buffer, envelopeTo: string[]) => Promise<void>;
}

export interface MailCatcher {
  port: number;
  host: string;
  /** `smtp://host:port`, ready for `SMTP_URL`. */
  url: string;
  /** Messages caught since start, in arrival order. */
  messages(): Promise<CaughtMail[]>;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

const DEFAULT_SIZE = 10 * 1024 * 1024;

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function addressList(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const objects = Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address.toLowerCase()] : [])));
}

function header(parsed: ParsedMail, name: string): string {
  const value = parsed.headers.get(name.toLowerCase());
  return typeof value === 'string' ? value : '';
}

/** Reads one stored message. */
export async function parseCaughtMail(file: string, envelopeTo: string[] = []): Promise<CaughtMail> {
  return parseCaughtMessage(await readFile(file), file, envelopeTo);
}

/** Reads one message from its bytes; `file` says where it is kept (a path, or `store:<id>`). */
export async function parseCaughtMessage(raw: Buffer, file: string, envelopeTo: string[] = []): Promise<CaughtMail> {
  const parsed = await simpleParser(raw);
  return {
    file,
    messageId: parsed.messageId ?? '',
    date: parsed.date ? parsed.date.toISOString() : '',
    from: parsed.from?.text ?? '',
    to: addressList(parsed.to),
    cc: addressList(parsed.cc),
    envelopeTo,
    subject: parsed.subject ?? '',
    kind: header(parsed, 'X-Plangraf-Kind'),
    plan: header(parsed, 'X-Plangraf-Plan'),
    task: header(parsed, 'X-Plangraf-Task'),
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    attachments: parsed.attachments.map((attachment) => ({ filename: attachment.filename ?? '', contentType: attachment.contentType })),
  };
}

/** Every message stored in `dir`, oldest first (file names start with the time they arrived). */
export async function readCaughtMail(dir: string): Promise<CaughtMail[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(files.map((name) => parseCaughtMail(join(dir, name))));
}

async function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts the catcher. Each message is written to `<dir>/<time>-<n>.eml` and parsed before the
 * server answers 250, so once `sendMail` resolves, `messages()` already lists it.
 *
 * @example
 * const catcher = await startMailCatcher({ port: 0, dir: 'var/mail/caught' });
 * const { transport } = createSmtpTransport({ SMTP_URL: catcher.url });
 */
export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const { dir } = options;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const caught: CaughtMail[] = [];
  let counter = 0;

  const server = new SMTPServer({
    name: 'plangraf-mail-catcher',
    banner: 'plangraf mail catcher',
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: options.size ?? DEFAULT_SIZE,
    disableReverseLookup: true,
    logger: false,
    // A stop() should not wait long for a client that does not say QUIT.
    closeTimeout: 500,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      if (options.rejectRecipients?.(address.address)) return callback(smtpError(`5.1.1 <${address.address}>: mailbox unavailable`, 550));
      if (options.deferRecipients?.(address.address)) return callback(smtpError(`4.2.1 <${address.address}>: mailbox busy, try again later`, 450));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      readStream(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) return callback(smtpError('5.3.4 message exceeds the size limit', 552));
          counter += 1;
          const stamp = new Date().toISOString().replace(/[:.]/g, '-');
          const file = join(dir, `${stamp}-${String(counter).padStart(4, '0')}.eml`);
          // Letters carry the executors' links: only their owner reads them.
          await writeFile(file, raw, { mode: 0o600 });
          const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
          await options.onMessage?.(raw, envelopeTo);
          try {
            caught.push(await parseCaughtMail(file, envelopeTo));
          } catch {
            // A message mailparser cannot read is still kept on disk; the index just lacks it.
          }
          callback(null, `queued as ${file.split(/[\\/]/).pop()}`);
        })
        .catch((error: Error) => callback(smtpError(`4.3.0 could not store the message: ${error.message}`, 451)));
    },
  });
  // A client that drops the connection is no reason to crash the process.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    port,
    host,
    url: `smtp://${host}:${port}`,
    messages: async () => [...caught],
    stop: () => (stopped ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
