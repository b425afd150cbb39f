/**
 * The year a plan-graph's title names: «в 2018 году», «на 2018 год» make a calendar-year plan;
 * «на 2020/2021 учебный год», «2020-2021 учебный год» a school-year plan.
 */

export type PlanYear = { year: number } | { schoolYear: number };

/** «2020/2021 учебный год», «2022-2023учебный год», «2020–21 уч. год», «2020/2021 уч.г.» */
const SCHOOL_YEAR = /(?<![\d.])((?:19|20)\d{2})\s*(?:[-–—/]|\s)\s*((?:19|20)?\d{2})\s*(?:г\.?\s*г\.?\s*)?(?:учебн\S*|уч\.?)\s*(?:год\S*|г\.?)?/i;
/** «в 2018 году», «на 2018 год», «2018 год», «2018 г.» — not the year of a date «29.12.2020 г.» */
const CALENDAR_YEAR = /(?<![\d./-])((?:19|20)\d{2})\s*(?:год(?:а|у|ом)?(?![а-яё])|г\.|г(?![а-яё]))/i;

/**
 * The year a text names, school years first (their words hold a calendar year too).
 * @example yearOfText('План мероприятий на 2020/2021 учебный год') // { schoolYear: 2020 }
 * @example yearOfText('План-график реализации мероприятий в 2018 году') // { year: 2018 }
 */
export function yearOfText(text: string): PlanYear | undefined {
  const school = SCHOOL_YEAR.exec(text);
  if (school) {
    const first = Number(school[1]);
    const secondText = school[2]!;
    const second = secondText.length === 2 ? Math.floor(first / 100) * 100 + Number(secondText) : Number(secondText);
    if (second === first + 1) return { schoolYear: first };
  }
  const calendar = CALENDAR_YEAR.exec(text);
  return calendar ? { year: Number(calendar[1]) } : undefined;
}

/** A section heading that is a year and nothing else: «2020 год», «2021 г.», «2022». */
export function yearOfHeading(text: string): number | undefined {
  const match = /^((?:19|20)\d{2})\s*(?:год|г\.?)?$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
