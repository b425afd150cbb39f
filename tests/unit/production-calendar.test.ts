import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDate, type IsoDate } from '../../plan/dates.ts';
import { ProductionCalendar, sharedCalendar } from '../../plan/production-calendar.ts';
import { readCalendar } from '../../plan/read-calendar.ts';
import { shippedCalendar, shippedYears } from '../support/calendar.ts';

/** The official totals of the production calendar for a 40-hour week (Минтруд России). */
const OFFICIAL_TOTALS: Record<number, { workingDays: number; hours40: number }> = {
  2018: { workingDays: 247, hours40: 1970 },
  2019: { workingDays: 247, hours40: 1970 },
  2020: { workingDays: 248, hours40: 1979 },
  2021: { workingDays: 247, hours40: 1972 },
  2022: { workingDays: 247, hours40: 1973 },
  2023: { workingDays: 247, hours40: 1973 },
  2024: { workingDays: 248, hours40: 1979 },
  2025: { workingDays: 247, hours40: 1972 },
  2026: { workingDays: 247, hours40: 1972 },
  2027: { workingDays: 247, hours40: 1972 },
};

let calendar: ProductionCalendar;
beforeAll(async () => {
  calendar = await shippedCalendar();
});

describe('the shipped production calendar', () => {
  it('covers every year from 2018 to 2027 and names the source of each', () => {
    expect(calendar.coveredYears()).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    for (const year of calendar.coveredYears()) expect(calendar.sourceOf(year)).toMatch(/Постановление Правительства РФ от \d\d\.\d\d\.\d{4} № \d+/);
  });

  it.each(Object.entries(OFFICIAL_TOTALS))('gives %s the official working days and hours of a 40-hour week', (year, totals) => {
    expect(calendar.totalsOf(Number(year))).toEqual(totals);
  });

  it.each([
    ['2018-04-28', 'working Saturday before the May holidays'],
    ['2018-06-09', 'working Saturday before 12 June'],
    ['2018-12-29', 'working Saturday before New Year'],
    ['2024-04-27', 'working Saturday'],
    ['2024-11-02', 'working Saturday'],
    ['2024-12-28', 'working Saturday'],
    ['2021-02-20', 'working Saturday'],
    ['2025-11-01', 'working Saturday'],
  ])('counts %s as a working day (%s)', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(true);
  });

  it.each([
    ['2021-12-31', 'moved day off'],
    ['2018-04-30', 'moved day off'],
    ['2018-12-31', 'moved day off'],
    ['2024-12-30', 'moved day off'],
    ['2024-12-31', 'moved day off'],
    ['2020-01-07', 'Christmas'],
    ['2023-02-24', 'moved day off after 23 February'],
    ['2022-03-07', 'moved day off before 8 March'],
    ['2026-01-09', 'moved day off'],
  ])('counts %s as a day off (%s)', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it('shortens the working day before a holiday, including a working Saturday', () => {
    expect(calendar.hoursOf('2018-04-28')).toBe(7);
    expect(calendar.hoursOf('2024-11-02')).toBe(7);
    expect(calendar.hoursOf('2024-12-28')).toBe(8);
    expect(calendar.hoursOf('2024-03-07')).toBe(7);
    expect(calendar.hoursOf('2024-03-08')).toBe(0);
  });

  it('tells the kind of each day', () => {
    expect(calendar.kindOf('2024-01-01')).toBe('holiday');
    expect(calendar.kindOf('2024-12-31')).toBe('dayOff');
    expect(calendar.kindOf('2024-12-29')).toBe('weekend');
    expect(calendar.kindOf('2024-12-28')).toBe('working');
    expect(calendar.kindOf('2024-02-22')).toBe('short');
  });
});

describe('working-day arithmetic', () => {
  it('moves a deadline off the 30 April 2018 day off to 3 May, past the 1–2 May holidays', () => {
    expect(calendar.workingDayOnOrAfter('2018-04-29')).toBe('2018-05-03');
  });

  it('finds the last working day of December 2018 on Saturday the 29th', () => {
    expect(calendar.lastWorkingDayOfMonth(2018, 12)).toBe('2018-12-29');
  });

  it('finds the first working day of January after the New Year holidays', () => {
    expect(calendar.firstWorkingDayOfMonth(2020, 1)).toBe('2020-01-09');
    expect(calendar.firstWorkingDayOfMonth(2024, 1)).toBe('2024-01-09');
    expect(calendar.firstWorkingDayOfMonth(2026, 1)).toBe('2026-01-12');
  });

  it('counts working days after an event from the next day', () => {
    expect(calendar.addWorkingDays('2020-02-28', 1)).toBe('2020-03-02');
    expect(calendar.addWorkingDays('2024-12-27', 1)).toBe('2024-12-28');
    expect(calendar.addWorkingDays('2024-12-28', 1)).toBe('2025-01-09');
    expect(calendar.addWorkingDays('2024-12-28', 0)).toBe('2024-12-28');
  });

  it('counts working days back for reminders', () => {
    expect(calendar.subtractWorkingDays('2025-01-09', 1)).toBe('2024-12-28');
    expect(calendar.subtractWorkingDays('2020-03-02', 5)).toBe('2020-02-21');
  });

  it('falls back to weekends and the holidays of ст. 112 ТК РФ for a year it has no data for', () => {
    expect(calendar.hasYear(2031)).toBe(false);
    expect(calendar.isWorkingDay('2031-01-08')).toBe(false);
    expect(calendar.isWorkingDay('2031-01-09')).toBe(true);
    expect(calendar.isWorkingDay('2031-06-12')).toBe(false);
    expect(calendar.isWorkingDay('2031-06-14')).toBe(false);
  });
});

describe("a user's calendar file", () => {
  it('adds a regional holiday to the shipped year and keeps the rest', async () => {
    const reading = readCalendar(
      'year: 2024\nregion: Республика Татарстан\nsource: Закон РТ «О праздничных и памятных днях»\nholidays: [2024-04-10, 2024-06-17, 2024-08-30]\n',
      'tatarstan-2024.yaml',
    );
    expect(reading.ok).toBe(true);
    const regional = new ProductionCalendar(await shippedYears(), reading.ok ? reading.years : []);
    expect(regional.isWorkingDay('2024-04-10')).toBe(false);
    expect(regional.isWorkingDay('2024-04-11')).toBe(true);
    expect(regional.isWorkingDay('2024-12-28')).toBe(true);
    expect(regional.totalsOf(2024).workingDays).toBe(245);
  });

  it('replaces a whole year with replace: true', () => {
    const reading = readCalendar('year: 2030\nreplace: true\nholidays: [2030-01-01]\ndaysOff: [2030-01-02]\nworkingDays: [2030-01-05]\n', 'custom-2030.yaml');
    expect(reading.ok).toBe(true);
    const custom = new ProductionCalendar([], reading.ok ? reading.years : []);
    expect(custom.isWorkingDay('2030-01-02')).toBe(false);
    expect(custom.isWorkingDay('2030-01-05')).toBe(true);
    expect(custom.isWorkingDay('2030-01-07')).toBe(true);
  });

  it('refuses dates that do not exist and weekdays among working weekend days, at their lines', () => {
    const reading = readCalendar(
      ['year: 2024', 'holidays:', '  - 2024-02-30', 'workingDays:', '  - 2024-04-26', 'totals: { workingDays: 250, hours40: 1979 }', ''].join('\n'),
      'bad.yaml',
    );
    expect(reading.ok).toBe(false);
    expect(reading.issues.map((issue) => `${issue.line}:${issue.col} ${issue.path.join('.')}: ${issue.message}`)).toMatchInlineSnapshot(`
      [
        "3:5 holidays.0: «2024-02-30» — такой даты нет; ожидается ГГГГ-ММ-ДД",
        "5:5 workingDays.0: 2024-04-26 — будний день; в workingDays перечисляют только субботы и воскресенья, ставшие рабочими",
      ]
    `);
  });

  it('refuses data whose count disagrees with the totals it states', () => {
    const reading = readCalendar('year: 2024\nholidays: [2024-01-01]\ntotals: { workingDays: 250, hours40: 1979 }\n', 'totals.yaml');
    expect(reading.ok).toBe(false);
    expect(reading.issues.map((issue) => `${issue.line}:${issue.col} ${issue.path.join('.')}: ${issue.message}`)).toEqual([
      '3:9 totals: по данным получается 261 рабочий день и 2088 ч, а в totals указано 250 и 1979 ч',
    ]);
  });
});

describe('working-day counting by yearly running totals', () => {
  /** The straightforward walks, day by day, that the counted methods must agree with. */
  const byWalk = {
    workingDaysBetween(calendar: ProductionCalendar, from: IsoDate, to: IsoDate): number {
      let count = 0;
      for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (calendar.isWorkingDay(day)) count += 1;
      return count;
    },
    addWorkingDays(calendar: ProductionCalendar, date: IsoDate, count: number): IsoDate {
      let day = date;
      for (let left = count; left > 0; left -= 1) day = calendar.nextWorkingDay(day);
      return day;
    },
    subtractWorkingDays(calendar: ProductionCalendar, date: IsoDate, count: number): IsoDate {
      let day = calendar.workingDayOnOrBefore(date);
      for (let left = count; left > 0; left -= 1) day = calendar.workingDayOnOrBefore(addDays(day, -1));
      return day;
    },
  };

  /** mulberry32: the same pseudo-random sequence on every run. */
  function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const FIRST = '2017-01-01';
  const SPAN = 13 * 365 + 3; // 2017-01-01 … 2029-12-31

  /** Random pairs across 2017–2029, and the pairs people get wrong: the same day, reversed, around New Year. */
  function datePairs(random: () => number, count: number): [IsoDate, IsoDate][] {
    const anyDay = () => addDays(FIRST, Math.floor(random() * SPAN));
    const pairs: [IsoDate, IsoDate][] = [];
    for (let i = 0; i < count; i += 1) {
      const from = anyDay();
      pairs.push([from, anyDay()], [from, from], [from, addDays(from, Math.floor(random() * 40) - 20)]);
    }
    for (let year = 2017; year <= 2029; year += 1) {
      for (const [from, to] of [
        [isoDate(year - 1, 12, 31), isoDate(year, 1, 1)],
        [isoDate(year, 1, 1), isoDate(year - 1, 12, 31)],
        [isoDate(year, 1, 1), isoDate(year, 12, 31)],
        [isoDate(year - 1, 12, 31), isoDate(year, 12, 31)],
        [isoDate(year - 1, 12, 28), isoDate(year, 1, 12)],
        [isoDate(year, 12, 31), isoDate(year + 2, 1, 1)],
        [isoDate(year, 2, 28), isoDate(year, 3, 1)],
      ] as [IsoDate, IsoDate][]) {
        pairs.push([from, to]);
      }
    }
    return pairs;
  }

  /** Counts of working days: none, a few, a year or more, and the odd ones (negative, fractional). */
  function counts(random: () => number, count: number): number[] {
    const values = [0, 1, 2, 5, 246, 247, 248, 500, 1000, -1, 1.5];
    for (let i = 0; i < count; i += 1) values.push(random() < 0.7 ? Math.floor(random() * 30) : Math.floor(random() * 1200));
    return values;
  }

  async function regionalCalendar(): Promise<ProductionCalendar> {
    const overrides = [
      'year: 2024\nsource: региональный закон\nholidays: [2024-04-10, 2024-06-17, 2024-08-30]\nworkingDays: [2024-12-29]\n',
      'year: 2020\nsource: перенос\ndaysOff: [2020-12-30, 2020-12-31]\nworkingDays: [2020-12-26, 2020-12-27]\n',
      'year: 2028\nreplace: true\nholidays: [2028-01-01, 2028-01-02]\ndaysOff: [2028-01-03, 2028-12-29]\nworkingDays: [2028-01-08, 2028-12-30]\nshortDays: [2028-12-28]\n',
    ].map((text, i) => {
      const reading = readCalendar(text, `override-${i}.yaml`);
      if (!reading.ok) throw new Error(JSON.stringify(reading.issues));
      return reading.years;
    });
    return new ProductionCalendar(await shippedYears(), overrides.flat());
  }

  const calendars: [string, () => Promise<ProductionCalendar>][] = [
    ['the shipped calendar', async () => new ProductionCalendar(await shippedYears())],
    ['a calendar with a region amending 2020 and 2024 and replacing 2028', regionalCalendar],
    ['a calendar with no data at all (weekends and ст. 112 only)', async () => new ProductionCalendar([])],
  ];

  describe.each(calendars)('on %s', (_name, build) => {
    it('counts the working days between two dates as the day-by-day walk does, over 2017–2029', async () => {
      const calendar = await build();
      const random = seeded(20_240_101);
      for (const [from, to] of datePairs(random, 300)) {
        expect([from, to, calendar.workingDaysBetween(from, to)]).toEqual([from, to, byWalk.workingDaysBetween(calendar, from, to)]);
      }
    });

    it('adds and subtracts working days as the step-by-step walk does, across years', async () => {
      const calendar = await build();
      const random = seeded(2_020);
      const dates = datePairs(random, 40).flat();
      const amounts = counts(random, 40);
      for (let i = 0; i < dates.length; i += 1) {
        const date = dates[i]!;
        for (const count of [amounts[i % amounts.length]!, amounts[(i * 7 + 3) % amounts.length]!]) {
          expect([date, count, calendar.addWorkingDays(date, count)]).toEqual([date, count, byWalk.addWorkingDays(calendar, date, count)]);
          expect([date, count, calendar.subtractWorkingDays(date, count)]).toEqual([date, count, byWalk.subtractWorkingDays(calendar, date, count)]);
        }
      }
    });
  });

  it('counts 2,475 working days in 2017–2026, the sum of the years\' totals, and steps over them both ways', async () => {
    const calendar = await shippedCalendar();
    const days = calendar.workingDaysBetween('2016-12-31', '2026-12-31');
    let sum = 0;
    for (let year = 2017; year <= 2026; year += 1) sum += calendar.totalsOf(year).workingDays;
    expect(days).toBe(2475);
    expect(sum).toBe(2475);
    expect(calendar.addWorkingDays('2016-12-31', days)).toBe(calendar.workingDayOnOrBefore('2026-12-31'));
    expect(calendar.subtractWorkingDays('2026-12-31', days - 1)).toBe(calendar.workingDayOnOrAfter('2017-01-01'));
  });
});

describe('a calendar shared by the workflows of a process', () => {
  it('is built once for the same years, whichever objects carry them, and answers as a calendar of its own', async () => {
    const years = (await shippedYears()).filter((year) => year.year === 2020 || year.year === 2021);
    const first = sharedCalendar(structuredClone(years));
    const again = sharedCalendar(structuredClone(years));
    expect(again).toBe(first);
    const own = new ProductionCalendar(years);
    for (let day = '2020-01-01'; day <= '2021-12-31'; day = addDays(day, 7)) {
      expect([day, first.kindOf(day), first.addWorkingDays(day, 10), first.workingDaysBetween('2020-01-01', day)]).toEqual([day, own.kindOf(day), own.addWorkingDays(day, 10), own.workingDaysBetween('2020-01-01', day)]);
    }
  });

  it('is another calendar for other years or a year amended', async () => {
    const years = (await shippedYears()).filter((year) => year.year === 2020);
    const amended = [{ ...years[0]!, holidays: [...years[0]!.holidays, '2020-04-10'] }];
    expect(sharedCalendar(amended)).not.toBe(sharedCalendar(years));
    expect(sharedCalendar(amended).isWorkingDay('2020-04-10')).toBe(false);
    expect(sharedCalendar(years).isWorkingDay('2020-04-10')).toBe(true);
  });
});
