/** The layout of templates/docx/subsidy-report.docx: see templates/documents/subsidy-report.ts for its data. */
import { bold, centered, empty, loopTable, officeDocument, para, plain, section, signature } from './blocks.ts';

/** 10 pt: a sum in billions keeps to one line in its column. */
const TABLE_SIZE = 20;

export function subsidyReportLayout() {
  return officeDocument('Отчёт о расходовании средств субсидии', [
    {
      children: [
        centered([bold('ОТЧЁТ № {number}')]),
        centered([bold('о расходовании средств субсидии')]),
        centered('на реализацию {program}'),
        centered('за {period}', { spaceAfter: 360 }),
        plain([bold('Получатель субсидии: '), '{recipient}']),
        plain([bold('Субъект Российской Федерации: '), '{region}']),
        ...section('basis', [plain([bold('Основание: '), '{basis}'])]),
        plain('Сведения о расходовании средств субсидии по направлениям расходов:', { spaceBefore: 240, spaceAfter: 120, keepNext: true }),
        // Money columns fit «9 876 543 210,55» on one line, which must never break (its groups are
        // joined by no-break spaces); soft hyphens (U+00AD) break the long header words.
        loopTable(
          'lines',
          [
            { header: '№ п/п', widthCm: 0.9, cell: '{n}', align: 'center' },
            { header: 'Направление расходов', widthCm: 3.5, cell: '{name}' },
            { header: 'Преду\u00adсмотрено, руб.', widthCm: 2.9, cell: '{planned | money}', align: 'right' },
            { header: 'Израсхо\u00adдовано, руб.', widthCm: 2.9, cell: '{spent | money}', align: 'right' },
            { header: 'Остаток, руб.', widthCm: 2.9, cell: '{rest | money}', align: 'right' },
            { header: 'Испол\u00adнено', widthCm: 1.5, cell: '{percent | percent}', align: 'right' },
            { header: 'Приме\u00adчание', widthCm: 1.9, cell: '{#note}{note}{/note}' },
          ],
          { cells: ['', 'Итого', '{totals.planned | money}', '{totals.spent | money}', '{totals.rest | money}', '{totals.percent | percent}', ''] },
          { size: TABLE_SIZE },
        ),
        para('Предусмотрено средств субсидии: {totals.planned | money} руб. ({totals.planned | inWords}).', { spaceBefore: 240 }),
        para('Всего израсходовано: {totals.spent | money} руб. ({totals.spent | inWords}), или {totals.percent | percent} предусмотренного объёма.'),
        para('Остаток неиспользованных средств субсидии: {totals.rest | money} руб. ({totals.rest | inWords}).'),
        para('Достоверность представленных сведений подтверждаю.', { spaceBefore: 120 }),
        signature('signer'),
        plain('М. П.', { spaceBefore: 120 }),
        ...section('accountant', [signature('accountant')]),
        plain('{date | dateQuoted}', { spaceBefore: 360 }),
        empty(),
      ],
    },
  ]);
}
