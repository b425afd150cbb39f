/**
 * Contracts per second in bulk, side by side in one run, every contender making the same
 * contract — templates/docx/contract.docx, same text, same layout — from the same data:
 *  - plangraf: one DocumentRenderer, `render('contract', input, { number, date })` per contract —
 *    the input checked by zod, the filters applied (dates, genitive declension, initials), the
 *    compiled template rendered, the .docx zipped with DEFLATE; and, to show what compiling once
 *    buys, a fresh DocumentRenderer per contract (every COMPILE_EACH_EVERY-th contract, to keep
 *    the run short);
 *  - docx-templates and easy-template-x, each with the contract rewritten into its syntax
 *    (bench/peer-templates.ts) and each contract's data flattened with every filter already
 *    applied in plain JS before the clock starts: a peer only puts text in place, so it does
 *    less work than plangraf. Neither has a way to compile a template once: each call parses it;
 *  - the floor: the template's archive read once, per contract the placeholders of
 *    word/document.xml replaced by the escaped flat values, the archive zipped again with DEFLATE,
 *    by pizzip and, for reference, by plangraf's own ZIP writer (documents/zip-archive.ts), which
 *    DEFLATEs the new body with node:zlib and copies the other entries' compressed bytes.
 * After a warm-up, several rounds; in a round the contenders take turns every TURN contracts, in
 * an order that rotates, so that the load of a shared machine falls on all of them alike. A
 * contender's round is its contracts over its time in that round; the medians of the rounds are
 * compared. Every output of the first round is checked: its body's text must be plangraf's for
 * the same contract and hold both schools' names, its & and < escaped, so no figure comes from a
 * broken render.
 * Run: node --import tsx bench/documents.ts [contracts=400] [rounds=5]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createReport } from 'docx-templates';
import { TemplateHandler } from 'easy-template-x';
import PizZip from 'pizzip';
import { DocumentRenderer } from '../documents/document-renderer.ts';
import { declensionOverridesOf, documentFilters } from '../documents/filters.ts';
import { ZipArchive } from '../documents/zip-archive.ts';
import { DOCX_DIR } from '../templates/documents/catalog.ts';
import { contractTemplate as definition } from '../templates/documents/contract.ts';
import type { Issue } from '../templates/documents/definition.ts';
import { docxText } from '../tests/support/docx-text.ts';
import { DOCX_TEMPLATES_SYNTAX, EASY_TEMPLATE_X_SYNTAX, flatData, inlineParagraphBlocks, rewriteTemplate, substitution } from './peer-templates.ts';

const CONTRACTS = Number(process.argv[2] ?? 400);
const ROUNDS = Number(process.argv[3] ?? 5);
const WARM_UP = Math.min(CONTRACTS, 100);
const TURN = 50;
/** A fresh renderer reads and compiles the template for each contract: 5 times slower, so it renders a quarter of them. */
const COMPILE_EACH_EVERY = 4;

type ContractInput = typeof definition.sample;
type School = ContractInput['partner'];
const sample = definition.sample;

// Distinct contracts: towns, school numbers, directors of both genders, some names with
// & < > " ' that must be escaped, addresses and districts present or not.
const TOWNS = [
  ['Шиловская', 'Шиловский муниципальный район', 'р. п. Шилово'],
  ['Касимовская', 'Касимовский муниципальный район', 'г. Касимов'],
  ['Сасовская', 'Сасовский муниципальный район', 'г. Сасово'],
  ['Скопинская', 'Скопинский муниципальный район', 'г. Скопин'],
  ['Рыбновская', 'Рыбновский муниципальный район', 'г. Рыбное'],
  ['Спасская', 'Спасский муниципальный район', 'г. Спасск-Рязанский'],
  ['Пронская', 'Пронский муниципальный район', 'р. п. Пронск'],
] as const;
const MEN = { surnames: ['Орлов', 'Кузнецов', 'Соловьёв', 'Лебедев', 'Морозов', 'Бонч-Бруевич'], names: ['Максим', 'Пётр', 'Илья', 'Андрей', 'Денис'], patronymics: ['Андреевич', 'Сергеевич', 'Петрович', 'Олегович'] };
const WOMEN = { surnames: ['Жукова', 'Смирнова', "Ёлкина-Д'Арк", 'Васильева', 'Фёдорова', 'Черных'], names: ['Светлана', 'Ольга', 'Алёна', 'Мария', 'Анна'], patronymics: ['Михайловна', 'Ивановна', 'Сергеевна', 'Николаевна'] };

function director(i: number): School['director'] {
  const people = i % 2 === 0 ? WOMEN : MEN;
  const pick = (list: readonly string[], step: number) => list[Math.floor(i / step) % list.length]!;
  return { name: `${pick(people.surnames, 1)} ${pick(people.names, 3)} ${pick(people.patronymics, 7)}`, ...(i % 3 === 0 ? { position: 'директор' } : {}) };
}

function contract(i: number): { input: ContractInput; issue: Issue } {
  const [town, municipality, settlement] = TOWNS[i % TOWNS.length]!;
  const [otherTown, otherMunicipality] = TOWNS[(i * 3 + 1) % TOWNS.length]!;
  const number = 1 + (i % 97);
  const partnerName = i % 5 === 0 ? `Муниципальное бюджетное общеобразовательное учреждение «Школа № ${number} & <Лицей> "Эрудит"» им. О'Нила` : `Муниципальное бюджетное общеобразовательное учреждение «${town} средняя школа № ${number}»`;
  return {
    input: {
      ...sample,
      place: settlement,
      validUntil: i % 2 === 0 ? '2026-12-31' : '2027-06-30',
      partner: { name: partnerName, shortName: `МБОУ «${town} СШ № ${number}»`, ...(i % 4 === 3 ? {} : { municipality }), ...(i % 3 === 0 ? {} : { address: `391${String(100 + (i % 900)).padStart(3, '0')}, Рязанская область, ${settlement}, ул. Школьная, д. ${1 + (i % 40)}` }), director: director(i) },
      participant: { name: `Муниципальное общеобразовательное учреждение «${otherTown} основная школа № ${1 + ((i * 7) % 89)}»`, municipality: otherMunicipality, ...(i % 2 === 0 ? { address: `391${String(200 + (i % 700)).padStart(3, '0')}, Рязанская область, ул. Центральная, д. ${2 + (i % 30)}` } : {}), director: director(i + 1) },
    },
    issue: { number: `ДС-2026/${String(i + 1).padStart(4, '0')}`, date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}` },
  };
}

const contracts = Array.from({ length: CONTRACTS }, (_, i) => contract(i));

// What the peers and the floor get: each contract's tags as text, computed before any clock starts.
const content = await readFile(join(DOCX_DIR, definition.file));
const xml = inlineParagraphBlocks(new PizZip(content).file('word/document.xml')!.asText());
const checker = new DocumentRenderer();
const flats = contracts.map(({ input, issue }) => {
  const data = definition.prepare(checker.parseInput('contract', input), issue);
  return flatData(xml, data, documentFilters(() => declensionOverridesOf(data)));
});

const docxTemplatesTemplate = rewriteTemplate(content, DOCX_TEMPLATES_SYNTAX);
const easyTemplate = rewriteTemplate(content, EASY_TEMPLATE_X_SYNTAX);
const easyHandler = new TemplateHandler();
const renderer = new DocumentRenderer();
const substitute = substitution(xml);
const floorZip = new PizZip(content);
const archive = new ZipArchive(content);
const FLOOR_DATE = new Date(2026, 0, 1);

interface Contender {
  name: string;
  /** The contracts it renders in a round: all, or every n-th. */
  every: number;
  render(i: number): Promise<Uint8Array>;
}

const CONTENDERS: Contender[] = [
  { name: 'plangraf: one DocumentRenderer, compiled once', every: 1, render: async (i) => (await renderer.render('contract', contracts[i]!.input, contracts[i]!.issue)).content },
  { name: `plangraf: a DocumentRenderer per contract (every ${COMPILE_EACH_EVERY}th)`, every: COMPILE_EACH_EVERY, render: async (i) => (await new DocumentRenderer().render('contract', contracts[i]!.input, contracts[i]!.issue)).content },
  {
    name: 'docx-templates 4.15, values precomputed',
    every: 1,
    // Its fastest correct settings, measured: the commands are bare field names, so `runJs` looks
    // each up instead of eval (`noSandbox: true`, 15–25 % slower) or a vm sandbox (the default,
    // ~2.5× slower); no re-indenting, no xml:space added (every run of the template has it), no
    // line-break pass (no value has one). DEFLATE level 6 like the others: its default 1 measured
    // no faster on this body.
    render: (i) =>
      createReport({
        template: docxTemplatesTemplate,
        data: flats[i]!,
        cmdDelimiter: ['{', '}'],
        runJs: ({ sandbox }) => ({ modifiedSandbox: sandbox, result: sandbox[sandbox.__code__ as string] }),
        processLineBreaks: false,
        indentXml: false,
        preserveSpace: false,
        compressionLevel: 6,
      }),
  },
  { name: 'easy-template-x 7.2, values precomputed', every: 1, render: (i) => easyHandler.process(easyTemplate, flats[i]!) },
  {
    name: 'floor: substitute, zip again with pizzip',
    every: 1,
    render: async (i) => {
      floorZip.file('word/document.xml', substitute(flats[i]!));
      return floorZip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
    },
  },
  { name: 'floor: substitute, zip again with node:zlib', every: 1, render: async (i) => archive.write(new Map([['word/document.xml', Buffer.from(substitute(flats[i]!))]]), { date: FLOOR_DATE }) },
];

/** The contracts from `from` up to `to` that a contender renders. */
function indicesOf(contender: Contender, from: number, to: number): number[] {
  const indices = [];
  for (let i = Math.ceil(from / contender.every) * contender.every; i < to; i += contender.every) indices.push(i);
  return indices;
}

/** Renders the contracts, keeping the outputs when asked; returns the seconds it took. */
async function batch(contender: Contender, indices: number[], outputs?: Map<number, Uint8Array>): Promise<number> {
  const start = performance.now();
  for (const i of indices) {
    const output = await contender.render(i);
    outputs?.set(i, output);
  }
  return (performance.now() - start) / 1000;
}

/** Every output must say what plangraf's says for the same contract, both schools named, its `&` and `<` escaped. */
function check(contender: Contender, outputs: Map<number, Uint8Array>, expected: Map<number, string>): void {
  for (const [i, output] of outputs) {
    const body = new PizZip(output).file('word/document.xml')!.asText();
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)|<(?![/?!A-Za-z])/i.test(body)) throw new Error(`${contender.name}: contract ${i + 1} has & or < unescaped`);
    // A peer leaves an emptied paragraph where plangraf drops a block's paragraphs: the text is what counts.
    const text = withoutEmptyParagraphs(docxText(Buffer.from(output)));
    const want = withoutEmptyParagraphs(expected.get(i)!);
    const { partner, participant } = contracts[i]!.input;
    if (!want.includes(partner.name) || !want.includes(participant.name)) throw new Error(`plangraf's contract ${i + 1} lacks a school's name`);
    if (text !== want) {
      const line = text.split('\n').findIndex((each, n) => each !== want.split('\n')[n]);
      throw new Error(`${contender.name}: contract ${i + 1} differs from plangraf's at paragraph ${line + 1}: «${text.split('\n')[line]}» instead of «${want.split('\n')[line]}»`);
    }
  }
}

const withoutEmptyParagraphs = (text: string) => text.split('\n').filter((line) => line.trim() !== '').join('\n');
const progress = (text: string) => process.stderr.write(`… ${text}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

progress(`warming up on ${WARM_UP} contracts`);
const expected = new Map<number, string>();
for (const contender of CONTENDERS) {
  const outputs = new Map<number, Uint8Array>();
  await batch(contender, indicesOf(contender, 0, WARM_UP), outputs);
  if (contender === CONTENDERS[0]) for (const [i, output] of outputs) expected.set(i, docxText(Buffer.from(output)));
  check(contender, outputs, expected);
}
for (let i = WARM_UP; i < CONTRACTS; i += 1) expected.set(i, docxText(Buffer.from((await checker.render('contract', contracts[i]!.input, contracts[i]!.issue)).content)));

const rates = new Map<Contender, number[]>(CONTENDERS.map((contender) => [contender, []]));
const sizes = new Map<Contender, number>();
for (let round = 0; round < ROUNDS; round += 1) {
  progress(`round ${round + 1} of ${ROUNDS}`);
  const seconds = new Map<Contender, number>(CONTENDERS.map((contender) => [contender, 0]));
  const outputs = new Map<Contender, Map<number, Uint8Array>>(CONTENDERS.map((contender) => [contender, new Map()]));
  for (let from = 0, turn = round; from < CONTRACTS; from += TURN, turn += 1) {
    for (let k = 0; k < CONTENDERS.length; k += 1) {
      const contender = CONTENDERS[(turn + k) % CONTENDERS.length]!;
      const took = await batch(contender, indicesOf(contender, from, Math.min(from + TURN, CONTRACTS)), round === 0 ? outputs.get(contender) : undefined);
      seconds.set(contender, seconds.get(contender)! + took);
    }
  }
  for (const contender of CONTENDERS) {
    rates.get(contender)!.push(indicesOf(contender, 0, CONTRACTS).length / seconds.get(contender)!);
    if (round > 0) continue;
    check(contender, outputs.get(contender)!, expected);
    sizes.set(contender, median([...outputs.get(contender)!.values()].map((output) => output.length)));
  }
}

const [plangraf] = CONTENDERS;
const floor = CONTENDERS.find((contender) => contender.name.includes('pizzip'))!;
const rateOf = (contender: Contender) => median(rates.get(contender)!);
const times = (ratio: number) => `${ratio.toFixed(2)}×`;
console.log(`${CONTRACTS} distinct contracts, ${ROUNDS} rounds, median contracts/s; × plangraf and × the floor (pizzip) are ratios of those medians:`);
const width = Math.max(...CONTENDERS.map((contender) => contender.name.length));
for (const contender of CONTENDERS) {
  const rate = rateOf(contender);
  const rounds = rates.get(contender)!.map((value) => value.toFixed(0)).join(', ');
  console.log(`${contender.name.padEnd(width)}  ${rate.toFixed(1).padStart(7)}/s  ${times(rate / rateOf(plangraf!)).padStart(6)} plangraf  ${times(rate / rateOf(floor)).padStart(6)} floor  ${String(sizes.get(contender)).padStart(6)} B  (rounds: ${rounds})`);
}
const peers = CONTENDERS.filter((contender) => contender.name.includes('precomputed'));
const fastestPeer = peers.reduce((best, each) => (rateOf(each) > rateOf(best) ? each : best));
console.log(
  `plangraf 1.00; the floor ${times(rateOf(floor) / rateOf(plangraf!))} faster; ${peers.map((peer) => `${peer.name.split(' ')[0]} ${times(rateOf(peer) / rateOf(plangraf!))}`).join(', ')}; ` +
    `compiling once ${times(rateOf(plangraf!) / rateOf(CONTENDERS[1]!))} faster than per contract. ` +
    `plangraf is ${rateOf(plangraf!) >= rateOf(fastestPeer) ? 'ahead of every peer' : `behind ${fastestPeer.name.split(' ')[0]}`}, though the peers get every filter's result precomputed and nothing validated.`,
);
