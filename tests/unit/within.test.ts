import { beforeAll, describe, expect, it } from 'vitest';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';
import { readNumber } from '../../plan/russian-words.ts';
import { deadlineAfter, readWithin } from '../../plan/within.ts';
import { shippedCalendar } from '../support/calendar.ts';

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

describe('reading a relative deadline', () => {
  it.each([
    ['1 рабочий день', 1, 'workingDays'],
    ['3 рабочих дня', 3, 'workingDays'],
    ['в течение трех рабочих дней', 3, 'workingDays'],
    ['в течение трёх рабочих дней со дня подписания', 3, 'workingDays'],
    ['в течение одного рабочего дня после подписания', 1, 'workingDays'],
    ['7 дней', 7, 'calendarDays'],
    ['в течение семи дней после дня первого официального опубликования', 7, 'calendarDays'],
    ['10 календарных дней', 10, 'calendarDays'],
    ['в течение 10 (десяти) рабочих дней', 10, 'workingDays'],
    ['в течение двадцати пяти дней', 25, 'calendarDays'],
    ['2 недели', 2, 'weeks'],
    ['в течение месяца', 1, 'months'],
    ['в течение рабочего дня', 1, 'workingDays'],
    ['месяц', undefined, undefined],
    ['1 месяц', 1, 'months'],
    ['В Течение  Пяти   Рабочих Дней', 5, 'workingDays'],
    ['в течение 3-х рабочих дней', 3, 'workingDays'],
    ['в течение пяти (5) рабочих дней', 5, 'workingDays'],
    ['в трехдневный срок', 3, 'calendarDays'],
    ['в 10-дневный срок со дня получения', 10, 'calendarDays'],
    ['5 раб. дней', 5, 'workingDays'],
    ['14 кал. дней', 14, 'calendarDays'],
    ['не позднее 5 дней', 5, 'calendarDays'],
    ['в течение 5 рабочих дней с момента получения', 5, 'workingDays'],
    ['3 рабочих дня с даты подписания', 3, 'workingDays'],
    ['10 дней от даты получения', 10, 'calendarDays'],
    ['3 рабочих дня по получении', 3, 'workingDays'],
    ['3 рабочих дня (включительно)', 3, 'workingDays'],
  ])('reads «%s»', (phrase, count, unit) => {
    const reading = readWithin(phrase);
    if (count === undefined) expect(reading.ok).toBe(false);
    else expect(reading).toEqual({ ok: true, within: { count, unit } });
  });

  it('refuses what is not a deadline, saying what it expects', () => {
    expect(readWithin('скоро')).toEqual({ ok: false, error: expect.stringMatching(/^не вижу числа в «скоро»; ожидается срок вроде «1 рабочий день»/) });
    expect(readWithin('3 рабочих недели')).toEqual({ ok: false, error: expect.stringMatching(/^не понимаю единицу срока/) });
    expect(readWithin('0 дней')).toEqual({ ok: false, error: expect.stringMatching(/не меньше одного дня/) });
  });

  it('refuses words after the deadline that do not name its event, quoting them as written', () => {
    expect(readWithin('три недели с половиной')).toEqual({
      ok: false,
      error: 'после «три недели» не понимаю «с половиной»; после срока ожидается только событие, от которого он отсчитывается («со дня подписания», «после получения»), пояснение можно дать в скобках',
    });
    expect(readWithin('3 рабочих дня и ещё 2')).toEqual({ ok: false, error: expect.stringMatching(/^после «3 рабочих дня» не понимаю «и ещё 2»; после срока ожидается только событие/) });
    expect(readWithin('В течение Трёх рабочих дней, но не позднее 1 марта')).toEqual({ ok: false, error: expect.stringMatching(/^после «В течение Трёх рабочих дней» не понимаю «но не позднее 1 марта»;/) });
  });

  it.each([
    ['2 недели 3 дня', '2 недели', '3 дня'],
    ['5 дней до срока', '5 дней', 'до срока'],
    ['1 месяц или раньше', '1 месяц', 'или раньше'],
    ['10 дней с половиной', '10 дней', 'с половиной'],
    ['в течение месяца после', 'в течение месяца', 'после'],
    ['в трехдневный срок и ещё', 'в трехдневный срок', 'и ещё'],
    ['не позднее 5 дней включительно', 'не позднее 5 дней', 'включительно'],
  ])('refuses «%s», naming «%s» as read and «%s» as not understood', (phrase, head, rest) => {
    expect(readWithin(phrase)).toEqual({ ok: false, error: expect.stringContaining(`после «${head}» не понимаю «${rest}»;`) });
  });

  it('reads numbers written in words, in any case', () => {
    expect(readNumber(['двадцати', 'пяти', 'дней'])).toEqual({ value: 25, words: 2 });
    expect(readNumber(['сорока', 'двух'])).toEqual({ value: 42, words: 2 });
    expect(readNumber(['пяти', 'двадцати'])).toEqual({ value: 5, words: 1 });
    expect(readNumber(['дней'])).toBeUndefined();
  });
});

describe('counting a deadline as ст. 191–193 ГК РФ say', () => {
  it('starts counting the day after the event', () => {
    expect(deadlineAfter('2020-03-02', { count: 1, unit: 'workingDays' }, calendar)).toBe('2020-03-03');
    expect(deadlineAfter('2020-03-02', { count: 7, unit: 'calendarDays' }, calendar)).toBe('2020-03-10');
  });

  it('skips days off when counting working days', () => {
    expect(deadlineAfter('2020-02-28', { count: 1, unit: 'workingDays' }, calendar)).toBe('2020-03-02');
    expect(deadlineAfter('2020-12-29', { count: 3, unit: 'workingDays' }, calendar)).toBe('2021-01-11');
  });

  it('moves a calendar-day period that ends on a day off to the next working day', () => {
    // 4 March 2020 + 7 days = 11 March, a Wednesday: stays.
    expect(deadlineAfter('2020-03-04', { count: 7, unit: 'calendarDays' }, calendar)).toBe('2020-03-11');
    // 1 March 2020 + 7 days = Sunday 8 March, a holiday; Monday 9 March is a day off too.
    expect(deadlineAfter('2020-03-01', { count: 7, unit: 'calendarDays' }, calendar)).toBe('2020-03-10');
    // 23 April 2018 + 7 days = Monday 30 April, a moved day off; then 1–2 May.
    expect(deadlineAfter('2018-04-23', { count: 7, unit: 'calendarDays' }, calendar)).toBe('2018-05-03');
  });

  it('ends a month period on the same date of the last month, or its last day', () => {
    expect(deadlineAfter('2021-01-29', { count: 1, unit: 'months' }, calendar)).toBe('2021-03-01');
    expect(deadlineAfter('2021-03-15', { count: 1, unit: 'months' }, calendar)).toBe('2021-04-15');
  });
});
