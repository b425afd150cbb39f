/**
 * The analytic note (аналитическая справка) after a monitoring round: each school's result with
 * its change since the previous round, the findings and the recommendations.
 */
import { z } from 'zod';
import { defineTemplate } from './definition.ts';
import { IsoDate, numbered, safeFileName, Signer, Text } from './common.ts';

const SchoolResult = z.object({
  name: Text,
  municipality: Text,
  /** ШНОР or ШНСУ. */
  kind: Text,
  value: z.number(),
  /** The result of the previous round, when there was one. */
  previous: z.number().optional(),
  note: Text.optional(),
});

const AnalyticNoteInput = z.object({
  /** What the note is about, after «Аналитическая справка»: «по итогам входного мониторинга качества преподавания». */
  subject: Text,
  /** «входной», «промежуточный», «итоговый». */
  round: Text,
  /** When the monitoring was held: «март 2026 г.». */
  period: Text,
  program: Text,
  region: Text.optional(),
  /** What was measured: «доля обучающихся, достигших базового уровня по математике». */
  indicator: Text,
  /** «%», «балла». */
  unit: Text,
  schools: z.array(SchoolResult).min(1, { error: 'в справке нет ни одной школы' }),
  findings: z.array(Text).min(1, { error: 'нет ни одного вывода' }),
  recommendations: z.array(Text).min(1, { error: 'нет ни одной рекомендации' }),
  author: Signer,
});

const AnalyticNoteData = AnalyticNoteInput.extend({
  number: Text,
  date: IsoDate,
  schools: z.array(SchoolResult.extend({ n: z.number(), change: Text, trend: Text, /** The previous result with a decimal comma, «—» without one. */ previousText: Text })),
  findings: z.array(z.object({ n: z.number(), text: Text })),
  recommendations: z.array(z.object({ n: z.number(), text: Text })),
  summary: z.object({
    schools: z.number(),
    compared: z.number(),
    improved: z.number(),
    worsened: z.number(),
    unchanged: z.number(),
    /** The mean of the results, one decimal, as text with a comma. */
    average: Text,
  }),
});

const decimal = (value: number) => String(Math.round(value * 10) / 10).replace('.', ',');

export const analyticNoteTemplate = defineTemplate({
  id: 'analytic-note',
  title: 'Аналитическая справка по итогам мониторинга',
  file: 'analytic-note.docx',
  input: AnalyticNoteInput,
  data: AnalyticNoteData,
  prepare: (input, issue) => {
    const schools = input.schools.map((school) => {
      if (school.previous === undefined) return { ...school, change: '—', trend: 'первое измерение', previousText: '—' };
      const delta = Math.round((school.value - school.previous) * 10) / 10;
      return { ...school, previousText: decimal(school.previous), change: delta > 0 ? `+${decimal(delta)}` : delta < 0 ? `−${decimal(-delta)}` : '0', trend: delta > 0 ? 'рост' : delta < 0 ? 'снижение' : 'без изменений' };
    });
    return {
      ...input,
      ...issue,
      schools: numbered(schools),
      findings: numbered(input.findings.map((text) => ({ text }))),
      recommendations: numbered(input.recommendations.map((text) => ({ text }))),
      summary: {
        schools: schools.length,
        compared: schools.filter((school) => school.previous !== undefined).length,
        improved: schools.filter((school) => school.trend === 'рост').length,
        worsened: schools.filter((school) => school.trend === 'снижение').length,
        unchanged: schools.filter((school) => school.trend === 'без изменений').length,
        average: decimal(schools.reduce((sum, school) => sum + school.value, 0) / schools.length),
      },
    };
  },
  fileName: (data) => safeFileName(`Аналитическая справка ${data.number} ${data.round} мониторинг ${data.period}`),
  sample: {
    subject: 'по итогам входного мониторинга качества подготовки обучающихся школ с низкими результатами обучения',
    round: 'входной',
    period: 'март 2026 г.',
    program: 'мероприятия «Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях»',
    region: 'Рязанская область',
    indicator: 'доля обучающихся 9 классов, достигших базового уровня по математике',
    unit: '%',
    schools: [
      { name: 'МОУ «Ерахтурская средняя школа»', municipality: 'Шиловский муниципальный район', kind: 'ШНОР', value: 61.5, previous: 54 },
      { name: 'МБОУ «Сынтульская средняя школа»', municipality: 'Касимовский муниципальный район', kind: 'ШНСУ', value: 48, previous: 51.2, note: 'смена учителя математики' },
      { name: 'МОУ «Кустаревская средняя школа»', municipality: 'Сасовский муниципальный район', kind: 'ШНСУ', value: 57 },
    ],
    findings: ['В двух школах из трёх результаты выше, чем в прошлом году.', 'Снижение результатов в МБОУ «Сынтульская средняя школа» связано со сменой учителя.'],
    recommendations: ['Кураторам школ включить в планы консультации по подготовке к ОГЭ по математике.', 'Школам-партнёрам провести открытые уроки для учителей математики до конца апреля.'],
    author: { position: 'Руководитель Центра проектирования образовательных систем ОГБУ ДПО «РИРО»', name: 'Морозова Наталья Геннадьевна' },
  },
});
