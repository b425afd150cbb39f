/** The layout of templates/docx/execution-report.docx: see templates/documents/execution-report.ts for its data. */
import { bold, centered, empty, loopTable, officeDocument, para, plain, section, signature } from './blocks.ts';

/** The text width of a landscape A4 page with 2 cm margins. */
const WIDTH_CM = 25.7;

export function executionReportLayout() {
  return officeDocument('Отчёт о выполнении плана-графика', [
    {
      landscape: true,
      children: [
        centered([bold('ОТЧЁТ № {number}')]),
        centered([bold('о выполнении плана-графика')], { spaceAfter: 120 }),
        centered('{title}'),
        centered('{#region}{region}, {/region}{period}'),
        centered('по состоянию на {asOf | dateQuoted}', { spaceAfter: 240 }),
        loopTable('rows', [
          { header: '№ п/п', widthCm: 0.9, cell: '{n}', align: 'center' },
          { header: '№ пункта плана', widthCm: 1.7, cell: '{item}', align: 'center' },
          { header: 'Мероприятие', widthCm: 6.1, cell: '{title}' },
          { header: 'Срок по плану', widthCm: 2.5, cell: '{period}', align: 'center' },
          { header: 'Контрольная дата', widthCm: 2.8, cell: '{due}', align: 'center' },
          { header: 'Исполнитель', widthCm: 3.0, cell: '{executor}' },
          { header: 'Плановый результат', widthCm: 2.8, cell: '{target}' },
          { header: 'Фактический результат', widthCm: 3.4, cell: '{actual}' },
          // An activity past its date stands out in bold, whatever its state says.
          { header: 'Состояние', widthCm: 2.5, cell: ['{#overdue}', bold('{state}'), '{/overdue}{^overdue}{state}{/overdue}'] },
        ]),
        plain('Полужирным шрифтом выделено состояние мероприятий, срок исполнения которых истёк.', { spaceBefore: 60, spaceAfter: 240 }),
        para([bold('Итого'), ' по состоянию на {asOf | dateQuoted} из {totals.activities | plural:"мероприятия":"мероприятий":"мероприятий"} плана-графика:'], { keepNext: true }),
        para('выполнено в полном объёме — {totals.done} ({totals.percentDone | percent});', { keepNext: true }),
        para('не выполнено в установленный срок — {totals.overdue};', { keepNext: true }),
        para('выполняется, срок исполнения не истёк, — {totals.inProgress}.', { keepNext: true }),
        para('Исполнителями выполнено {totals.tasksDone} из {totals.tasks | plural:"задачи":"задач":"задач"} (мероприятие учитывается отдельно по каждому сроку исполнения и каждой общеобразовательной организации).'),
        ...section('signer', [signature('signer', { widthCm: WIDTH_CM })]),
        plain('{date | dateQuoted}', { spaceBefore: 240 }),
        empty(),
      ],
    },
  ]);
}
