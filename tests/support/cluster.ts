/**
 * A deployment of several hosts on one machine for the cluster tests: `plangraf worker` and
 * `plangraf web` as processes of their own, each with a `var/` folder of its own
 * (PLANGRAF_VAR), all on one Temporal and one PostgreSQL. And a visitor of the pages that keeps
 * its cookie, as a browser would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export { freePort } from './ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Host {
  pid: number;
  /** What the process printed so far, both streams (for failure messages). */
  output(): string;
  /** SIGKILL: no shutdown, no drain, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the process to end. */
  stop(): Promise<void>;
}

/** Runs `plangraf <args>` as a host and resolves when it prints `ready` (a line it prints once serving). */
export async function startHost(args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 90_000): Promise<Host> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`plangraf ${args.join(' ')} did not get ready in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const read = (chunk: string) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.setEncoding('utf8').on('data', read);
    child.stderr!.setEncoding('utf8').on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`plangraf ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid!,
    output: () => output,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}


export interface PageResponse {
  status: number;
  location: string | null;
  text: string;
  body: Buffer;
}

/** A person at a browser: one cookie jar, redirects not followed (the tests look at them). */
export class Visitor {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<PageResponse> {
    return this.request(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<PageResponse> {
    return this.request(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  }

  /** Logs in on the pages at `base`; throws unless the login page lets them in. */
  async login(base: string, login: string, password: string): Promise<void> {
    const form = await this.get(`${base}/login`);
    const outcome = await this.post(`${base}/login`, { _csrf: csrfOf(form.text), next: '/plans', login, password });
    if (outcome.status !== 303) throw new Error(`login of ${login} at ${base}: ${outcome.status}\n${outcome.text.slice(0, 500)}`);
  }

  /** The cookie of another visitor: the same browser going to another page server. */
  copyCookiesFrom(other: Visitor): void {
    for (const [name, value] of other.cookies) this.cookies.set(name, value);
  }

  private async request(url: string, init: RequestInit): Promise<PageResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { Cookie: cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, location: response.headers.get('location'), text: body.toString('utf8'), body };
  }
}

/** The CSRF token of the first form on a page. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error(`no form on the page:\n${page.slice(0, 500)}`);
  return match[1]!;
}
