/**
 * Documents made in the background of a page server: the contracts of every pair of a plan take
 * a while, so the page that asks for them returns at once and shows their progress. A job lives
 * in this server's memory only; what it makes is numbered and registered in the shared store, so
 * every page server lists and serves the documents, whichever made them.
 */
import { randomBytes } from 'node:crypto';
import type { IssuedDocument } from '../../documents/register.ts';

export interface DocumentJob {
  id: string;
  plan: string;
  /** What is made: «договоры». */
  kind: 'contracts';
  /** Who asked (a login). */
  by: string;
  state: 'running' | 'done' | 'failed';
  /** The documents issued so far (new or registered before), of `total`; `total` is 0 until the data is checked. */
  done: number;
  total: number;
  /** The PDFs being made after the documents, when asked for. */
  pdf: 'no' | 'making' | 'made' | 'failed';
  /** The documents' register keys and numbers, once all are issued. */
  issued: { key: string; number: string; path: string; fresh: boolean }[];
  /** What went wrong, in Russian, for the page: the lines of a data problem, or one line. */
  problems: string[];
  startedAt: number;
  finishedAt: number | null;
}

export interface DocumentJobView {
  state: DocumentJob['state'];
  done: number;
  total: number;
  pdf: DocumentJob['pdf'];
}

/** Jobs are kept this long after they end, for the page that shows how they ended. */
const KEEP_MS = 60 * 60 * 1000;

export class DocumentJobs {
  private readonly jobs = new Map<string, DocumentJob>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Starts `work` for `plan` unless a job of that plan and kind is already running here (then
   * that one is returned, and nothing is started twice).
   */
  start(
    plan: string,
    kind: DocumentJob['kind'],
    by: string,
    work: (progress: (done: number, total: number) => void) => Promise<IssuedDocument[]>,
    options: { explain: (error: unknown) => string[] | null; afterIssued?: (issued: IssuedDocument[], job: DocumentJob) => Promise<void> },
  ): DocumentJob {
    this.forgetOld();
    const running = [...this.jobs.values()].find((job) => job.plan === plan && job.kind === kind && job.state === 'running');
    if (running) return running;
    const job: DocumentJob = { id: randomBytes(9).toString('base64url'), plan, kind, by, state: 'running', done: 0, total: 0, pdf: 'no', issued: [], problems: [], startedAt: this.now(), finishedAt: null };
    this.jobs.set(job.id, job);
    void (async () => {
      try {
        const issued = await work((done, total) => {
          job.done = done;
          job.total = total;
        });
        job.issued = issued.map((document) => ({ key: document.key, number: document.number, path: document.path, fresh: document.fresh }));
        await options.afterIssued?.(issued, job);
        job.state = 'done';
      } catch (error) {
        const explained = options.explain(error);
        if (!explained) console.error('plangraf: документы не сформированы:', error);
        job.problems = explained ?? ['Документы не сформированы из-за ошибки на сервере; подробности — в журнале сервера. Уже выпущенные документы остались в журнале регистрации: повторите, и они вернутся с теми же номерами.'];
        job.state = 'failed';
      } finally {
        job.finishedAt = this.now();
      }
    })();
    return job;
  }

  get(id: string): DocumentJob | undefined {
    return this.jobs.get(id);
  }

  /** The newest job of a plan (running or recently ended), if this server has one. */
  latest(plan: string): DocumentJob | undefined {
    return [...this.jobs.values()].filter((job) => job.plan === plan).sort((a, b) => b.startedAt - a.startedAt)[0];
  }

  /** Waits until the job ends (tests, and a server shutting down). */
  async settled(id: string, pollMs = 50): Promise<DocumentJob | undefined> {
    for (;;) {
      const job = this.jobs.get(id);
      if (!job || job.state !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_MS) this.jobs.delete(id);
  }
}

/** What the status endpoint says of a job: no ids of documents, only how far it is. */
export function jobView(job: DocumentJob): DocumentJobView {
  return { state: job.state, done: job.done, total: job.total, pdf: job.pdf };
}
