/**
 * The report on the spending of the subsidy (отчёт о расходовании средств субсидии): lines with
 * planned and spent sums, their totals in figures and in words.
 */
import { z } from 'zod';
import { toKopecks } from '../../documents/russian-format.ts';
import { defineTemplate } from './definition.ts';
import { IsoDate, numbered, safeFileName, Signer, Text } from './common.ts';

/** A sum in roubles: 1234567.89, "1 234 567,89". Kept as kopecks-exact text with two decimals. */
const Money = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return kopecksToText(toKopecks(value));
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

function kopecksToText(kopecks: number): string {
  const sign = kopecks < 0 ? '-' : '';
  const absolute = Math.abs(kopecks);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

const SpendingLine = z.object({
  /** What the money was for: «Повышение квалификации педагогических работников». */
  name: Text,
  planned: Money,
  spent: Money,
  note: Text.optional(),
});

const SubsidyReportInput = z.object({
  /** Who received the subsidy: «ОГБУ ДПО «Рязанский институт развития образования»». */
  recipient: Text,
  region: Text,
  /** The program, in the genitive after «на реализацию». */
  program: Text,
  /** «2026 год». */
  period: Text,
  /** The agreement the subsidy was given under: «Соглашение № 073-15-2026-114 от 20.02.2026». */
  basis: Text.optional(),
  lines: z.array(SpendingLine).min(1, { error: 'в отчёте нет ни одной строки расходов' }),
  signer: Signer,
  accountant: Signer.optional(),
});

const MoneyText = z.string();

const SubsidyReportData = SubsidyReportInput.extend({
  number: Text,
  date: IsoDate,
  lines: z.array(SpendingLine.extend({ n: z.number(), planned: MoneyText, spent: MoneyText, rest: MoneyText, percent: z.number() })),
  totals: z.object({ planned: MoneyText, spent: MoneyText, rest: MoneyText, percent: z.number() }),
});

const percentOf = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

export const subsidyReportTemplate = defineTemplate({
  id: 'subsidy-report',
  title: 'Отчёт о расходовании средств субсидии',
  file: 'subsidy-report.docx',
  input: SubsidyReportInput,
  data: SubsidyReportData,
  prepare: (input, issue) => {
    const lines = input.lines.map((line) => {
      const planned = toKopecks(line.planned);
      const spent = toKopecks(line.spent);
      return { ...line, rest: kopecksToText(planned - spent), percent: percentOf(spent, planned) };
    });
    const planned = input.lines.reduce((sum, line) => sum + toKopecks(line.planned), 0);
    const spent = input.lines.reduce((sum, line) => sum + toKopecks(line.spent), 0);
    return {
      ...input,
      ...issue,
      lines: numbered(lines),
      totals: { planned: kopecksToText(planned), spent: kopecksToText(spent), rest: kopecksToText(planned - spent), percent: percentOf(spent, planned) },
    };
  },
  fileName: (data) => safeFileName(`Отчёт ${data.number} о расходовании средств субсидии за ${data.period}`),
  sample: {
    recipient: 'ОГБУ ДПО «Рязанский институт развития образования»',
    region: 'Рязанская область',
    program: 'мероприятия «Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях»',
    period: '2026 год',
    basis: 'Соглашение № 073-15-2026-114 от 20.02.2026',
    lines: [
      { name: 'Повышение квалификации педагогических работников школ-участниц', planned: 600000, spent: 598750.5 },
      { name: 'Проведение межрегионального семинара', planned: '400 000,00', spent: '386 139,39' },
      { name: 'Приобретение учебно-методической литературы', planned: 250000, spent: 249678, note: 'экономия по итогам закупки' },
    ],
    signer: { position: 'Ректор ОГБУ ДПО «РИРО»', name: 'Пахомова Ирина Геннадьевна' },
    accountant: { position: 'Главный бухгалтер', name: 'Климова Татьяна Юрьевна' },
  },
});
