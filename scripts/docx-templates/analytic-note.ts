/** The layout of templates/docx/analytic-note.docx: see templates/documents/analytic-note.ts for its data. */
import { bold, centered, empty, leftRight, loopTable, officeDocument, para, section, signature } from './blocks.ts';

const decimal = (field: string) => `{${field} | decimal}`;

/** 10 pt: nine columns share a portrait page. */
const TABLE_SIZE = 20;

export function analyticNoteLayout() {
  return officeDocument('Аналитическая справка по итогам мониторинга', [
    {
      children: [
        centered([bold('АНАЛИТИЧЕСКАЯ СПРАВКА')]),
        centered([bold('{subject}')], { spaceAfter: 240 }),
        leftRight('{date | dateQuoted}', '№ {number}', { spaceAfter: 360 }),
        para('{round | capitalize} мониторинг ({period}) проведён в рамках реализации {program}{#region} ({region}){/region}.'),
        para([
          'Число участников мониторинга — {summary.schools | plural:"общеобразовательная организация":"общеобразовательные организации":"общеобразовательных организаций"}.',
          '{#summary.compared} Для {summary.compared | plural:"организации":"организаций":"организаций"} результаты сопоставлены с предыдущим этапом мониторинга.{/summary.compared}',
          '{^summary.compared} Показатель измерен у всех участников впервые, сопоставление с предыдущим этапом не проводилось.{/summary.compared}',
        ]),
        para('Оцениваемый показатель: {indicator}, {unit}.', { spaceAfter: 240 }),
        centered([bold('Результаты мониторинга по общеобразовательным организациям')], { spaceAfter: 120 }),
        // Soft hyphens (U+00AD) break the long header words where Russian allows.
        loopTable(
          'schools',
          [
            { header: '№ п/п', widthCm: 0.9, cell: '{n}', align: 'center' },
            { header: 'Общеобразо\u00adвательная организация', widthCm: 2.9, cell: '{name}' },
            { header: 'Муници\u00adпальное образование', widthCm: 2.8, cell: '{municipality}' },
            { header: 'Кате\u00adгория', widthCm: 1.4, cell: '{kind}', align: 'center' },
            { header: 'Резуль\u00adтат, {unit}', widthCm: 1.5, cell: decimal('value'), align: 'center' },
            { header: 'Преды\u00adдущий резуль\u00adтат, {unit}', widthCm: 1.5, cell: '{previousText}', align: 'center' },
            { header: 'Изме\u00adнение', widthCm: 1.4, cell: '{change}', align: 'center' },
            { header: 'Дина\u00adмика', widthCm: 1.9, cell: '{trend}', align: 'center' },
            { header: 'Приме\u00adчание', widthCm: 2.2, cell: '{#note}{note}{/note}' },
          ],
          undefined,
          { size: TABLE_SIZE },
        ),
        para('Среднее значение показателя по участникам мониторинга — {summary.average} {unit}.', { spaceBefore: 240 }),
        ...section('summary.compared', [
          para('Динамика результатов по сравнению с предыдущим этапом мониторинга:', { keepNext: true }),
          para('рост — {summary.improved | plural:"организация":"организации":"организаций"};', { keepNext: true }),
          para('снижение — {summary.worsened | plural:"организация":"организации":"организаций"};', { keepNext: true }),
          para('без изменений — {summary.unchanged | plural:"организация":"организации":"организаций"}.'),
        ]),
        centered([bold('Выводы')], { spaceBefore: 240, spaceAfter: 120 }),
        ...section('findings', [para('{n}. {text}')]),
        centered([bold('Рекомендации')], { spaceBefore: 240, spaceAfter: 120 }),
        ...section('recommendations', [para('{n}. {text}')]),
        signature('author', { spaceBefore: 720 }),
        empty(),
      ],
    },
  ]);
}
