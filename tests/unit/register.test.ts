/**
 * The register of issued documents: numbers in turn per template and year, the same key issued
 * once, a stable path and a SHA-256 for each document, and no number given twice when several
 * processes issue at once.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDocumentNumber } from '../../plan/document-numbering.ts';
import { FileDocumentRegister, type DocumentMaker, type IssueRequest } from '../../documents/register.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plangraf-register-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A maker that writes the number into the document, so the file says which it is. */
const make: DocumentMaker = async (request, issue) => ({ content: Buffer.from(`${request.key} № ${issue.number} от ${issue.date}`), fileName: `Документ ${issue.number}.docx` });

function request(key: string, overrides: Partial<IssueRequest> = {}): IssueRequest {
  return { key, template: 'contract', year: 2026, date: '2026-03-02', plan: 'ryazan-2026', numbering: 'ДС-{year}/{n:3}', input: { key }, ...overrides };
}

describe('document numbers', () => {
  it('formats the running number into the template\'s format', () => {
    expect(formatDocumentNumber('ДС-{year}/{n:3}', 2026, 7)).toBe('ДС-2026/007');
    expect(formatDocumentNumber('{n}-П', 2026, 12)).toBe('12-П');
    expect(formatDocumentNumber('01-09/{n}', 2020, 1852)).toBe('01-09/1852');
    expect(formatDocumentNumber('ДС-{year}/{n:3}', 2026, 1234)).toBe('ДС-2026/1234');
  });

  it('gives each new document the next number of its template in its year, counting templates and years apart', async () => {
    const register = new FileDocumentRegister(dir);
    const issued = await register.issue(
      [
        request('a'),
        request('b'),
        request('order-1', { template: 'order', numbering: '{n}-П' }),
        request('c'),
        request('d', { year: 2027, date: '2027-01-15' }),
      ],
      make,
    );
    expect(issued.map((document) => document.number)).toEqual(['ДС-2026/001', 'ДС-2026/002', '1-П', 'ДС-2026/003', 'ДС-2027/001']);
    expect(issued.every((document) => document.fresh)).toBe(true);
  });

  it('returns the registered document for a key it has, without taking a number, and says when the data has changed since', async () => {
    const register = new FileDocumentRegister(dir);
    const [first] = await register.issue([request('a')], make);
    const again = await register.issue([request('a'), request('b')], make);
    expect(again.map((document) => [document.number, document.fresh])).toEqual([
      ['ДС-2026/001', false],
      ['ДС-2026/002', true],
    ]);
    expect(again[0]).toMatchObject({ path: first!.path, sha256: first!.sha256, inputChanged: false });
    expect(again[0]!.content.equals(first!.content)).toBe(true);
    const [changed] = await register.issue([request('a', { input: { key: 'a', director: 'другой' } })], make);
    expect(changed).toMatchObject({ number: 'ДС-2026/001', fresh: false, inputChanged: true });
    expect(await register.entries()).toHaveLength(2);
  });

  it('keeps each document at a stable path under the register with its SHA-256', async () => {
    const register = new FileDocumentRegister(dir);
    const [document] = await register.issue([request('ryazan-2026:contract:sch-01:sch-11')], make);
    expect(document!.path).toBe(join('ryazan-2026', 'contract', 'ДС-2026-001.docx'));
    const content = await readFile(join(dir, document!.path));
    expect(content.toString()).toBe('ryazan-2026:contract:sch-01:sch-11 № ДС-2026/001 от 2026-03-02');
    expect(document!.content.equals(content)).toBe(true);
    expect(document!.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect((await register.fileContent(document!.sha256))?.equals(content)).toBe(true);
    expect(await register.verify(document!)).toBe('ok');
    await writeFile(join(dir, document!.path), 'исправлено вручную');
    expect(await register.verify(document!)).toBe('changed');
  });

  it('takes no number for a document that could not be made', async () => {
    const register = new FileDocumentRegister(dir);
    await expect(register.issue([request('a'), request('broken')], async (req, issue) => {
      if (req.key === 'broken') throw new Error('шаблон сломан');
      return make(req, issue);
    })).rejects.toThrow('шаблон сломан');
    const [next] = await register.issue([request('c')], make);
    expect(next!.number).toBe('ДС-2026/001');
  });

  it('refuses a damaged register with a sentence that says what to do, and numbers nothing', async () => {
    await writeFile(join(dir, 'register.json'), '{"version": 1, "entries": [');
    await expect(new FileDocumentRegister(dir).issue([request('a')], make)).rejects.toThrow(/журнал регистрации документов повреждён; восстановите его из копии/);
  });
});

describe('two generations at once', () => {
  it('never give two documents the same number within one process', async () => {
    const register = new FileDocumentRegister(dir);
    const issued = await Promise.all(Array.from({ length: 30 }, (_, index) => register.issue([request(`k-${index}`)], make)));
    const numbers = issued.flat().map((document) => document.number);
    expect(new Set(numbers).size).toBe(30);
    expect([...numbers].sort()).toEqual(Array.from({ length: 30 }, (_, index) => `ДС-2026/${String(index + 1).padStart(3, '0')}`));
  });

  it('never give two documents the same number across processes, and a key asked for by two of them is issued once', async () => {
    const script = join(dir, 'issue.mts');
    await writeFile(
      script,
      `import { FileDocumentRegister } from ${JSON.stringify(join(ROOT, 'documents/register.ts'))};
const [dir, worker] = process.argv.slice(2);
const register = new FileDocumentRegister(dir);
const numbers = [];
for (let index = 0; index < 8; index += 1) {
  const keys = [\`w\${worker}-\${index}\`, \`shared-\${index}\`];
  const issued = await register.issue(keys.map((key) => ({ key, template: 'contract', year: 2026, date: '2026-03-02', plan: 'p', numbering: 'ДС-{year}/{n:3}', input: { key } })), async (request, issue) => ({ content: Buffer.from(issue.number), fileName: 'x.docx' }));
  numbers.push(...issued.map((document) => [document.key, document.number]));
}
process.stdout.write(JSON.stringify(numbers));
`,
    );
    const run = (worker: number) =>
      new Promise<[string, string][]>((resolve, reject) =>
        execFile(process.execPath, ['--import', 'tsx', script, dir, String(worker)], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout) as [string, string][]))),
      );
    const results = (await Promise.all([1, 2, 3, 4].map(run))).flat();
    const byKey = new Map<string, Set<string>>();
    for (const [key, number] of results) byKey.set(key, (byKey.get(key) ?? new Set()).add(number));
    // Every process saw the same number for a shared key; 4 × 8 own keys and 8 shared ones: 40 documents.
    expect([...byKey.values()].every((numbers) => numbers.size === 1)).toBe(true);
    const numbers = [...byKey.values()].map((set) => [...set][0]!);
    expect(numbers).toHaveLength(40);
    expect(new Set(numbers).size).toBe(40);
    expect(await new FileDocumentRegister(dir).entries()).toHaveLength(40);
  }, 90_000);
});
