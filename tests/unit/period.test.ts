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

  it('warns that a written date falls on a day off there', () => {
    const fixture = planWithItems([{ id: '3', title: 'Третье', when: '29.12.2020', executor: 'riro' }]);
    const schedule = scheduleFixture(fixture, calendar, { year: 2024 });
    expect(schedule.warnings.map((warning) => warning.message)).toEqual(['29.12.2024 — нерабочий день (воскресенье)']);
  });
});
