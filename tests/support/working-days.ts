/**
 * Working days counted by hand, one day at a time, from the production calendar's own answer to
 * «is this a working day?»: the independent reckoning the workflow tests compare mail dates with,
 * so they do not check the scheduling code against itself.
 */
import { addDays, type IsoDate } from '../../plan/dates.ts';
import type { ProductionCalendar } from '../../plan/production-calendar.ts';

export interface WorkingDays {
  working(date: IsoDate): boolean;
  onOrAfter(date: IsoDate): IsoDate;
  onOrBefore(date: IsoDate): IsoDate;
  /** The first working day strictly after the date. */
  after(date: IsoDate): IsoDate;
  /** The working day `count` working days before the date. */
  before(date: IsoDate, count: number): IsoDate;
  /** The working day `count` working days after the date. */
  afterCount(date: IsoDate, count: number): IsoDate;
  /** Working days after `from` up to and including `to`. */
  between(from: IsoDate, to: IsoDate): number;
  /** `first`, then every `step` working days, up to and including `last`. */
  every(first: IsoDate, step: number, last: IsoDate): IsoDate[];
}

export function workingDays(calendar: ProductionCalendar): WorkingDays {
  const working = (date: IsoDate) => calendar.isWorkingDay(date);
  const step = (date: IsoDate, direction: 1 | -1) => {
    let day = date;
    while (!working(day)) day = addDays(day, direction);
    return day;
  };
  const afterCount = (date: IsoDate, count: number) => {
    let day = date;
    for (let left = count; left > 0; left -= 1) day = step(addDays(day, 1), 1);
    return day;
  };
  return {
    working,
    onOrAfter: (date) => step(date, 1),
    onOrBefore: (date) => step(date, -1),
    after: (date) => step(addDays(date, 1), 1),
    before(date, count) {
      let day = date;
      for (let left = count; left > 0; left -= 1) day = step(addDays(day, -1), -1);
      return day;
    },
    afterCount,
    between(from, to) {
      let count = 0;
      for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (working(day)) count += 1;
      return count;
    },
    every(first, stepCount, last) {
      const days: IsoDate[] = [];
      for (let day = first; day <= last; day = afterCount(day, stepCount)) days.push(day);
      return days;
    },
  };
}
