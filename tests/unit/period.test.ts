import { beforeAll, describe, expect, it } from 'vitest';
import { readPeriod } from '../../plan/period.ts';
import { planSpan, resolvePeriod } from '../../plan/plan-span.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { planWithItems } from '../support/build-plan.ts';
import { shippedCalendar } from '../support/calendar.ts';
import { scheduleFixture, taskDates } from '../support/schedule.ts';

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

/** The dates of one item with this period in a plan of that year (or school year). */
function datesOf(when: string, plan: { year?: number; schoolYear?: number } = { year: 2020 }): string[] {
  const fixture = planWithItems([{ id: '1', title: 'Мероприятие', when, executor: 'riro' }], { year: plan.year, schoolYear: plan.schoolYear });
  return taskDates(scheduleFixture(fixture, calendar));
}

describe('the periods of PLAN-FORMAT.md', () => {
  it('gives one month from its first to its last working day', () => {
    expect(datesOf('январь')).toEqual(['1 2020-01-09…2020-01-31']);
    expect(datesOf('май', { year: 2021 })).toEqual(['1 2021-05-04…2021-05-31']);
  });

  it('gives a range of months from the first working day of the first to the last of the last', () => {
    expect(datesOf('Январь-февраль')).toEqual(['1 2020-01-09…2020-02-28']);
    expect(datesOf('с апреля по ноябрь')).toEqual(['1 2020-04-01…2020-11-30']);
  });

  it('gives one occurrence per month of a list', () => {
    expect(datesOf('март, октябрь, ноябрь')).toEqual(['1/1 2020-03-02…2020-03-31', '1/2 2020-10-01…2020-10-30', '1/3 2020-11-02…2020-11-30']);
  });

  it('gives four quarters for «ежеквартально»', () => {
    expect(datesOf('ежеквартально')).toEqual(['1/1 2020-01-09…2020-03-31', '1/2 2020-04-01…2020-06-30', '1/3 2020-07-01…2020-09-30', '1/4 2020-10-01…2020-12-31']);
  });

  it('runs «с апреля» and «с мая 2020 года» to the last working day of the plan', () => {
    expect(datesOf('с апреля')).toEqual(['1 2020-04-01…2020-12-31']);
    expect(datesOf('с мая 2020 года')).toEqual(['1 2020-05-06…2020-12-31']);
  });

  it('spans the whole plan for «в течение года»', () => {
    expect(datesOf('в течение года')).toEqual(['1 2020-01-09…2020-12-31']);
    expect(datesOf('В течение года', { schoolYear: 2022 })).toEqual(['1 2022-09-01…2023-08-31']);
  });

  it('accepts a year after any month when it lies in the plan', () => {
    expect(datesOf('апрель 2020 года')).toEqual(['1 2020-04-01…2020-04-30']);
    expect(datesOf('ноябрь - декабрь 2020 года')).toEqual(['1 2020-11-02…2020-12-31']);
  });

  it('crosses New Year in a school-year plan: «Декабрь-июнь» runs December 2022 to June 2023', () => {
    expect(datesOf('Декабрь-июнь', { schoolYear: 2022 })).toEqual(['1 2022-12-01…2023-06-30']);
    expect(datesOf('январь', { schoolYear: 2022 })).toEqual(['1 2023-01-09…2023-01-31']);
    expect(datesOf('декабрь', { schoolYear: 2022 })).toEqual(['1 2022-12-01…2022-12-30']);
  });

  it('keeps a written date as that day', () => {
    expect(datesOf('29.12.2020')).toEqual(['1 2020-12-29…2020-12-29']);
  });

  it('accepts «по отдельному графику» with no dates', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '1', title: 'Мероприятие', when: 'по отдельному графику', executor: 'riro' }]), calendar);
    expect(taskDates(schedule)).toEqual(['1 —…—']);
    expect(schedule.warnings.map((warning) => warning.message)).toEqual([expect.stringContaining('сроки не заданы')]);
  });
});

describe('periods as people really write them', () => {
  it.each([
    ['ФЕВРАЛЬ - МАРТ'],
    ['февраль-март'],
    ['февраль – март'],
    ['февраль — март'],
    ['  февраль   -   март  '],
    ['Февраль -март 2020 г.'],
    ['февраль - март 2020 года'],
    ['с февраля по март'],
    ['февраль‑март'],
  ])('reads «%s» as February–March', (when) => {
    expect(datesOf(when)).toEqual(['1 2020-02-03…2020-03-31']);
  });

  it('reads a month list with a missing comma: «апрель, август сентябрь»', () => {
    expect(datesOf('апрель, август сентябрь')).toEqual(['1/1 2020-04-01…2020-04-30', '1/2 2020-08-03…2020-08-31', '1/3 2020-09-01…2020-09-30']);
  });

  it('reads months in other cases and with «ё»: «в течение мая», «в апреле»', () => {
    expect(datesOf('в течение мая')).toEqual(['1 2020-05-06…2020-05-29']);
    expect(datesOf('в апреле')).toEqual(['1 2020-04-01…2020-04-30']);
  });

  it('reads quarters and half-years', () => {
    expect(datesOf('II квартал')).toEqual(['1 2020-04-01…2020-06-30']);
    expect(datesOf('1-й квартал 2020 года')).toEqual(['1 2020-01-09…2020-03-31']);
    expect(datesOf('III-IV квартал')).toEqual(['1 2020-07-01…2020-12-31']);
    expect(datesOf('второе полугодие')).toEqual(['1 2020-07-01…2020-12-31']);
  });

  it('reads monthly work as twelve occurrences', () => {
    expect(datesOf('ежемесячно')).toHaveLength(12);
  });

  it('reads a deadline «до 15 марта» as due that day, open from the start of March', () => {
    expect(datesOf('до 16 марта')).toEqual(['1 2020-03-02…2020-03-16']);
    expect(datesOf('до 01.12.2020')).toEqual(['1 2020-12-01…2020-12-01']);
  });

  it('reads a list of dates as one occurrence each', () => {
    expect(datesOf('20.03.2020, 18.09.2020')).toEqual(['1/1 2020-03-20…2020-03-20', '1/2 2020-09-18…2020-09-18']);
    expect(datesOf('с 01.09.2020 по 30.10.2020')).toEqual(['1 2020-09-01…2020-10-30']);
  });

  it('reads a bare year and «ежегодно» as the whole plan', () => {
    expect(datesOf('2020 год')).toEqual(['1 2020-01-09…2020-12-31']);
    expect(datesOf('ежегодно')).toEqual(['1 2020-01-09…2020-12-31']);
    expect(datesOf('в течение 2022-2023 учебного года', { schoolYear: 2022 })).toEqual(['1 2022-09-01…2023-08-31']);
  });

  it('leaves «по мере необходимости» unscheduled, like «по отдельному графику»', () => {
    expect(datesOf('по мере необходимости')).toEqual(['1 —…—']);
  });

  it('reads «в течение первого полугодия»', () => {
    expect(datesOf('в течение первого полугодия')).toEqual(['1 2020-01-09…2020-06-30']);
  });

  it('reads text pasted from Word: soft hyphens, Latin look-alike letters, «в течении»', () => {
    expect(datesOf('фев\u00adраль')).toEqual(['1 2020-02-03…2020-02-28']);
    expect(datesOf('c апреля')).toEqual(['1 2020-04-01…2020-12-31']);
    expect(datesOf('в течении года')).toEqual(['1 2020-01-09…2020-12-31']);
  });

  it('drops a closing remark in brackets', () => {
    expect(datesOf('ежеквартально (отчёт до 5 числа)')).toHaveLength(4);
  });
});

describe('decades of a month (an extension)', () => {
  it.each([
    ['первая декада марта', '1 2026-03-02…2026-03-10'],
    ['во второй декаде апреля', '1 2026-04-13…2026-04-20'],
    ['в третьей декаде марта', '1 2026-03-23…2026-03-31'],
    ['1 декада мая', '1 2026-05-04…2026-05-08'],
    ['1-я декада мая', '1 2026-05-04…2026-05-08'],
    ['I декада сентября', '1 2026-09-01…2026-09-10'],
    ['последняя декада декабря', '1 2026-12-21…2026-12-30'],
    ['в течение третьей декады марта 2026 года', '1 2026-03-23…2026-03-31'],
    ['I-II декада мая', '1 2026-05-04…2026-05-20'],
  ])('reads «%s» from the first to the last working day of that decade', (when, dates) => {
    expect(datesOf(when, { year: 2026 })).toEqual([dates]);
  });

  it('ends the third decade on the last day of the month, 29 February in a leap year', () => {
    expect(datesOf('третья декада февраля', { year: 2024 })).toEqual(['1 2024-02-21…2024-02-29']);
  });

  it('places a decade in the school year as it places a month', () => {
    expect(datesOf('первая декада сентября', { schoolYear: 2025 })).toEqual(['1 2025-09-01…2025-09-10']);
    expect(datesOf('последняя декада декабря', { schoolYear: 2025 })).toEqual(['1 2025-12-22…2025-12-30']);
    expect(datesOf('в третьей декаде марта', { schoolYear: 2025 })).toEqual(['1 2026-03-23…2026-03-31']);
  });

  it('gives one occurrence per decade of a list', () => {
    expect(datesOf('первая декада марта, третья декада июня', { year: 2026 })).toEqual(['1/1 2026-03-02…2026-03-10', '1/2 2026-06-22…2026-06-30']);
  });

  it('moves a decade of days off only, the first of January 2026, to the first working day after it', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '1', title: 'Мероприятие', when: 'первая декада января', executor: 'riro' }], { year: 2026 }), calendar);
    expect(taskDates(schedule)).toEqual(['1 2026-01-12…2026-01-12']);
    expect(schedule.warnings.map((warning) => warning.message)).toEqual(['с 01.01.2026 по 10.01.2026 нет ни одного рабочего дня: срок перенесён на первый рабочий день после — 12.01.2026']);
    expect(datesOf('первая декада января', { year: 2020 })).toEqual(['1 2020-01-09…2020-01-10']);
  });
});

describe('days of a month and ranges of days (an extension)', () => {
  it.each([
    ['с 23 по 27 марта'],
    ['23-27 марта'],
    ['23 – 27 марта'],
    ['с 23 марта по 27 марта'],
    ['23.03-27.03'],
    ['23-27.03'],
    ['с 23.03.2026 по 27.03.2026'],
    ['с 23.03 по 27.03.2026'],
    ['с 23 по 27 марта 2026 года'],
  ])('reads «%s» as 23–27 March, those very days', (when) => {
    expect(datesOf(when, { year: 2026 })).toEqual(['1 2026-03-23…2026-03-27']);
  });

  it('keeps a written day as that day, and says when it is a day off, as for «29.12.2020»', () => {
    const schedule = scheduleFixture(planWithItems([{ id: '1', title: 'Мероприятие', when: 'с 28 февраля по 5 марта', executor: 'riro' }], { year: 2026 }), calendar);
    expect(taskDates(schedule)).toEqual(['1 2026-02-28…2026-03-05']);
    expect(schedule.warnings.map((warning) => warning.message)).toEqual(['28.02.2026 — нерабочий день (суббота)']);
    expect(datesOf('23 марта', { year: 2026 })).toEqual(['1 2026-03-23…2026-03-23']);
  });

  it('gives one occurrence per range of a list', () => {
    expect(datesOf('23.03-27.03, 12.10-16.10', { year: 2026 })).toEqual(['1/1 2026-03-23…2026-03-27', '1/2 2026-10-12…2026-10-16']);
    expect(datesOf('с 23 по 27 марта и с 12 по 16 октября', { year: 2026 })).toEqual(['1/1 2026-03-23…2026-03-27', '1/2 2026-10-12…2026-10-16']);
  });

  it('places days without a year in the school year, across New Year too', () => {
    expect(datesOf('с 23 по 27 марта', { schoolYear: 2025 })).toEqual(['1 2026-03-23…2026-03-27']);
    expect(datesOf('с 28 декабря по 5 января', { schoolYear: 2020 })).toEqual(['1 2020-12-28…2021-01-05']);
    expect(datesOf('с 28.12 по 05.01.2021', { schoolYear: 2020 })).toEqual(['1 2020-12-28…2021-01-05']);
  });

  it('reads «до 15.03» without a year like «до 15 марта»', () => {
    expect(datesOf('до 15.03', { year: 2026 })).toEqual(['1 2026-03-02…2026-03-15']);
  });
});

describe('the forms an acceptance run asked for that were read already', () => {
  it('reads deadlines, a month «в течение», quarters and half-years in a calendar year', () => {
    expect(datesOf('до 15 марта', { year: 2026 })).toEqual(['1 2026-03-02…2026-03-15']);
    expect(datesOf('не позднее 15 марта', { year: 2026 })).toEqual(['1 2026-03-02…2026-03-15']);
    expect(datesOf('в течение марта', { year: 2026 })).toEqual(['1 2026-03-02…2026-03-31']);
    expect(datesOf('1 квартал', { year: 2026 })).toEqual(['1 2026-01-12…2026-03-31']);
    expect(datesOf('I квартал', { year: 2026 })).toEqual(['1 2026-01-12…2026-03-31']);
    expect(datesOf('II полугодие', { year: 2026 })).toEqual(['1 2026-07-01…2026-12-30']);
    expect(datesOf('первое полугодие', { year: 2026 })).toEqual(['1 2026-01-12…2026-06-30']);
    expect(datesOf('март, июнь', { year: 2026 })).toEqual(['1/1 2026-03-02…2026-03-31', '1/2 2026-06-01…2026-06-30']);
  });

  it('reads them in a school year: half-years of the school year, the quarter in its calendar year', () => {
    expect(datesOf('до 15 марта', { schoolYear: 2025 })).toEqual(['1 2026-03-02…2026-03-15']);
    expect(datesOf('первое полугодие', { schoolYear: 2025 })).toEqual(['1 2025-09-01…2025-12-30']);
    expect(datesOf('II полугодие', { schoolYear: 2025 })).toEqual(['1 2026-01-12…2026-05-29']);
    expect(datesOf('I квартал', { schoolYear: 2025 })).toEqual(['1 2026-01-12…2026-03-31']);
  });
});

describe('periods it refuses', () => {
  const errorOf = (when: string, plan: { year?: number; schoolYear?: number } = { year: 2020 }) => {
    const reading = readPeriod(when);
    if (!reading.ok) return reading.error;
    const resolution = resolvePeriod(reading.period, planSpan(plan));
    return resolution.ok ? undefined : resolution.error;
  };

  it('names an unknown word', () => {
    expect(errorOf('фервраль')).toMatch(/^не понимаю «фервраль»; ожидается месяц/);
  });

  it('refuses a month outside the plan', () => {
    expect(errorOf('с мая 2020 года', { year: 2019 })).toBe('с мая 2020 — вне периода плана (январь–декабрь 2019)');
    expect(errorOf('29.12.2021')).toBe('29.12.2021 — вне периода плана (январь–декабрь 2020)');
    expect(errorOf('апрель 2021 года')).toBe('апрель 2021 — вне периода плана (январь–декабрь 2020)');
    expect(errorOf('сентябрь 2023', { schoolYear: 2022 })).toBe('сентябрь 2023 — вне периода плана (сентябрь 2022 – август 2023)');
  });

  it('refuses a range that runs backwards in a calendar-year plan', () => {
    expect(errorOf('ноябрь-февраль')).toBe('период идёт назад: ноябрь 2020 – февраль 2020');
    expect(errorOf('май-сентябрь', { schoolYear: 2022 })).toBe('период идёт назад: май 2023 – сентябрь 2022');
  });

  it('refuses a date that does not exist', () => {
    expect(errorOf('30.02.2020')).toBe('даты 30.02.2020 не существует');
    expect(errorOf('29.02.2021')).toBe('даты 29.02.2021 не существует');
  });

  it('blames the words after a known phrase, not the phrase itself', () => {
    expect(errorOf('ежеквартально до 10 числа')).toBe('после «ежеквартально» не понимаю «до 10 числа»; ожидается «ежеквартально» без продолжения, пояснение можно дать в скобках в конце');
    expect(errorOf('Ежемесячно, до 5 числа')).toMatch(/^после «ежемесячно» не понимаю «до 5 числа»;/);
    expect(errorOf('по отдельному графику до 1 марта')).toMatch(/^после «по отдельному графику» не понимаю «до 1 марта»;/);
    expect(errorOf('в течение года ежемесячно')).toMatch(/^после «в течение года» не понимаю «ежемесячно»;/);
    expect(errorOf('постоянно, в течение года')).toMatch(/^после «постоянно» не понимаю «в течение года»;/);
    expect(errorOf('29.12.2020 до 10 часов')).toMatch(/^после «29.12.2020» не понимаю «до 10 часов»;/);
  });

  it('keeps the remark in closing brackets that the message suggests', () => {
    expect(errorOf('ежеквартально (до 10 числа)')).toBeUndefined();
  });

  it('blames the words after the date of «до», and names the word that wants a date', () => {
    expect(errorOf('до 1 марта включительно')).toMatch(/^после «до 1 марта» не понимаю «включительно»;/);
    expect(errorOf('до 29.12.2020 включительно')).toMatch(/^после «до 29.12.2020» не понимаю «включительно»;/);
    expect(errorOf('до 30.02.2020 включительно')).toBe('даты 30.02.2020 не существует');
    expect(errorOf('не позднее 5 дней')).toBe('после «не позднее» ожидается дата: «не позднее 29.12.2020» или «не позднее 1 марта»');
    expect(errorOf('до 10 числа')).toBe('после «до» ожидается дата: «до 29.12.2020» или «до 1 марта»');
  });

  it('refuses two open starts instead of keeping only the last', () => {
    expect(errorOf('с апреля, с мая')).toBe('«с апреля» нельзя сочетать с другими месяцами');
    expect(errorOf('март, с апреля')).toBe('«с апреля» нельзя сочетать с другими месяцами');
  });

  it('still names the first unknown word in a list of months', () => {
    expect(errorOf('март, окябрь, ноябрь')).toMatch(/^не понимаю «окябрь»; ожидается месяц/);
  });

  it('refuses a decade that is not one of the three, and one without its month', () => {
    expect(errorOf('четвёртая декада марта')).toBe('декады 4 не бывает: в месяце три декады — первая (1–10 число), вторая (11–20), третья (с 21 до конца месяца)');
    expect(errorOf('III-I декада мая')).toBe('декады идут назад: 3 - 1');
    expect(errorOf('в третьей декаде')).toBe('после «декада» ожидается месяц: «третья декада марта»');
    expect(errorOf('третья декада марта 2021 года')).toBe('третья декада марта 2021 — вне периода плана (январь–декабрь 2020)');
  });

  it('refuses a range of days that runs backwards or lacks its month or its end', () => {
    expect(errorOf('с 27 по 23 марта')).toBe('период «с 27 по 23 марта» идёт назад: конец раньше начала');
    expect(errorOf('с 5 марта по 28 февраля')).toBe('период идёт назад: 05.03.2020 – 28.02.2020');
    expect(errorOf('с 28 декабря по 5 января')).toBe('период идёт назад: 28.12.2020 – 05.01.2020');
    expect(errorOf('с 23 по 27')).toBe('«с 23 по 27» — после чисел ожидается месяц: «с 23 по 27 марта», «23-27 марта»');
    expect(errorOf('с 23 марта')).toBe('«с 23 марта» — не указан конец периода: ожидается, например, «с 23 по 27 марта»; от начала месяца до конца плана — «с марта»');
    expect(errorOf('23 марта - апрель')).toBe('«апрель» — ожидается дата: «27 марта», «27.03.2020»');
    expect(errorOf('23-27 марта включительно')).toMatch(/^после «23-27 марта» не понимаю «включительно»;/);
  });

  it('refuses a day of a range that does not exist', () => {
    expect(errorOf('с 30 по 31 февраля')).toBe('даты «31 февраля» не существует');
    expect(errorOf('с 30 февраля по 2 марта')).toBe('даты «30 февраля» не существует');
    expect(errorOf('29.02-01.03.2021')).toBe('даты 29.02.2021 не существует');
    expect(errorOf('23-27 марта 2021 года')).toBe('23.03.2021 – 27.03.2021 — вне периода плана (январь–декабрь 2020)');
  });

  it('refuses an empty period and a dangling dash', () => {
    expect(errorOf('   ')).toMatch(/^период не указан/);
    expect(errorOf('март -')).toMatch(/^после тире ожидается месяц/);
  });
});

describe('a plan laid over another year', () => {
  it('moves every month, and the years written in periods, to that year', () => {
    const fixture = planWithItems([
      { id: '1', title: 'Первое', when: 'январь', executor: 'riro' },
      { id: '2', title: 'Второе', when: 'с мая 2020 года', executor: 'riro' },
      { id: '3', title: 'Третье', when: '29.12.2020', executor: 'riro' },
    ]);
    const schedule = scheduleFixture(fixture, calendar, { year: 2024 });
    expect(taskDates(schedule)).toEqual(['1 2024-01-09…2024-01-31', '2 2024-05-02…2024-12-28', '3 2024-12-29…2024-12-29']);
    // The words of the periods, which letters and pages show, speak of the year the plan runs in.
    expect(schedule.tasks.map((task) => task.period)).toEqual(['январь', 'с мая 2024 года', '29.12.2024']);
    expect(scheduleFixture(fixture, calendar).tasks.map((task) => task.period)).toEqual(['январь', 'с мая 2020 года', '29.12.2020']);
  });

  it('moves decades and days of a month with the plan, and the years written in them', () => {
    const fixture = planWithItems([
      { id: '1', title: 'Первое', when: 'в третьей декаде марта', executor: 'riro' },
      { id: '2', title: 'Второе', when: 'с 23 по 27 марта', executor: 'riro' },
      { id: '3', title: 'Третье', when: 'с 23.03.2020 по 27.03.2020', executor: 'riro' },
      { id: '4', title: 'Четвёртое', when: '23.03-27.03.2020', executor: 'riro' },
      { id: '5', title: 'Пятое', when: 'последняя декада декабря 2020 года', executor: 'riro' },
    ]);
    expect(taskDates(scheduleFixture(fixture, calendar))).toEqual(['1 2020-03-23…2020-03-31', '2 2020-03-23…2020-03-27', '3 2020-03-23…2020-03-27', '4 2020-03-23…2020-03-27', '5 2020-12-21…2020-12-31']);
    const schedule = scheduleFixture(fixture, calendar, { year: 2026 });
    expect(taskDates(schedule)).toEqual(['1 2026-03-23…2026-03-31', '2 2026-03-23…2026-03-27', '3 2026-03-23…2026-03-27', '4 2026-03-23…2026-03-27', '5 2026-12-21…2026-12-30']);
    expect(schedule.tasks.map((task) => task.period)).toEqual(['в третьей декаде марта', 'с 23 по 27 марта', 'с 23.03.2026 по 27.03.2026', '23.03-27.03.2026', 'последняя декада декабря 2026 года']);
  });

  it('moves a school-year plan with its decades and days', () => {
    const fixture = planWithItems([
      { id: '1', title: 'Первое', when: 'последняя декада декабря', executor: 'riro' },
      { id: '2', title: 'Второе', when: 'с 28 декабря по 5 января', executor: 'riro' },
    ], { year: undefined, schoolYear: 2020 });
    expect(taskDates(scheduleFixture(fixture, calendar, { year: 2025 }))).toEqual(['1 2025-12-22…2025-12-30', '2 2025-12-28…2026-01-05']);
  });

  it('warns that a written date falls on a day off there', () => {
    const fixture = planWithItems([{ id: '3', title: 'Третье', when: '29.12.2020', executor: 'riro' }]);
    const schedule = scheduleFixture(fixture, calendar, { year: 2024 });
    expect(schedule.warnings.map((warning) => warning.message)).toEqual(['29.12.2024 — нерабочий день (воскресенье)']);
  });
});
