import { badInput } from './errors';

/** Today's date in China (UTC+8) as YYYY-MM-DD, for "is this term active" questions. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const CHINA_OFFSET = '+08:00';

/** [start, end) of a calendar month in China time, for comparisons of instants (activities, ledger entries). */
export function monthRange(month: string): { from: Date; to: Date } {
  const [year, mon] = month.split('-').map(Number);
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  return { from: new Date(`${month}-01T00:00:00${CHINA_OFFSET}`), to: new Date(`${next}-01T00:00:00${CHINA_OFFSET}`) };
}

/** [start, end) of a calendar year in China time. */
export function yearRange(year: number): { from: Date; to: Date } {
  return { from: new Date(`${year}-01-01T00:00:00${CHINA_OFFSET}`), to: new Date(`${year + 1}-01-01T00:00:00${CHINA_OFFSET}`) };
}

/** An end date must not come before its start date (both YYYY-MM-DD). */
export function assertDateOrder(start: string | null | undefined, end: string | null | undefined, field: string): void {
  if (start && end && end < start) throw badInput(field, `must not be before the start date ${start}`);
}

/** The China-time calendar day of an instant, YYYY-MM-DD. */
export function chinaDayOf(instant: Date): string {
  return todayInChina(instant);
}

/**
 * The days a period asked of the figures and analytics may start and end on. Wide enough for any
 * record here; the bound keeps their month and baseline arithmetic inside what Date represents
 * (a period in December 9999 has no month end) and refuses a mistyped year with a clear error.
 */
export const PERIOD_DAYS = { first: '1900-01-01', last: '2999-12-31' } as const;

/** What a day outside PERIOD_DAYS is told. */
export const PERIOD_DAYS_RULE = `must lie between ${PERIOD_DAYS.first} and ${PERIOD_DAYS.last}`;

/** Whether a day (YYYY-MM-DD: such strings compare in calendar order) lies within PERIOD_DAYS. */
export function isPeriodDay(day: string): boolean {
  return day >= PERIOD_DAYS.first && day <= PERIOD_DAYS.last;
}

/** Whether `text` is a day of the calendar written YYYY-MM-DD (2027-02-30 and 2027-13-45 are not). */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** A month, YYYY-MM with a real month (01-12). */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** What a month that is not one, or lies outside PERIOD_DAYS, is told. */
export const PERIOD_MONTH_RULE = `must be a month YYYY-MM between ${PERIOD_DAYS.first.slice(0, 7)} and ${PERIOD_DAYS.last.slice(0, 7)}`;

/**
 * Whether `month` is YYYY-MM within PERIOD_DAYS: the pattern alone takes 0000-01 (PostgreSQL has no
 * year 0) and 9999-12 (whose end, 10000-01-01, is no date), and Date.UTC reads years 0-99 as 19xx.
 */
export function isPeriodMonth(month: string): boolean {
  return MONTH_PATTERN.test(month) && isPeriodDay(`${month}-01`);
}

/**
 * The instants a query may compare stored times with: what PostgreSQL reads as written (the ORM
 * sends toISOString(): year 0000 is refused, and from year 10000 on it is written +010000-…). No
 * stored time lies outside PERIOD_DAYS, but a filter may start from an early sentinel (0001-01-01)
 * or run to a late one (9999-12-31T23:59:59Z) and gets the same answer as from 1900 or to 3000.
 */
export const COMPARABLE_INSTANTS = { first: '0001-01-01T00:00:00.000Z', last: '9999-12-31T23:59:59.999Z' } as const;

/** What a date-time outside COMPARABLE_INSTANTS is told. */
export const COMPARABLE_INSTANT_RULE = `must lie between ${COMPARABLE_INSTANTS.first.slice(0, 19)}Z and ${COMPARABLE_INSTANTS.last.slice(0, 19)}Z (UTC)`;

const FIRST_COMPARABLE = Date.parse(COMPARABLE_INSTANTS.first);
const LAST_COMPARABLE = Date.parse(COMPARABLE_INSTANTS.last);

/** Whether PostgreSQL can compare stored times with `instant` (see COMPARABLE_INSTANTS). */
export function isComparableInstant(instant: Date): boolean {
  const time = instant.getTime();
  return time >= FIRST_COMPARABLE && time <= LAST_COMPARABLE;
}

/** Refuses a period day outside PERIOD_DAYS. */
export function assertPeriodDay(day: string, field: string): void {
  if (!isPeriodDay(day)) throw badInput(field, PERIOD_DAYS_RULE);
}

const DAY_MS = 86_400_000;

/** The day `days` calendar days after (or, negative, before) `day`; both YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included, oldest first (a chart's rows, zeros included). */
export function daysFromTo(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The number of days from `from` to `to`, both included. */
export function periodLength(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
}

/** The longest period the demand figures and suggestions take: ten years. */
export const MAX_PERIOD_DAYS = 3660;

/** A period as the demand figures and suggestions take it: from/to, or the last N days. */
export interface PeriodInput {
  from?: string | null;
  to?: string | null;
  lastDays?: number | null;
}

/**
 * The period asked for, checked: from and to (each a day within PERIOD_DAYS, to not before
 * from), or the last `lastDays` days up to today in China; at most MAX_PERIOD_DAYS either way.
 */
export function resolvePeriod(now: Date, input: PeriodInput): { from: string; to: string } {
  if (input.lastDays != null) {
    if (input.from || input.to) throw badInput('input.lastDays', 'give either lastDays or from and to');
    if (!Number.isInteger(input.lastDays) || input.lastDays < 1 || input.lastDays > MAX_PERIOD_DAYS) throw badInput('input.lastDays', `must be 1-${MAX_PERIOD_DAYS}`);
    const to = todayInChina(now);
    return { from: addDays(to, -(input.lastDays - 1)), to };
  }
  if (!input.from) throw badInput('input.from', 'give from and to, or lastDays');
  if (!input.to) throw badInput('input.to', 'give from and to, or lastDays');
  assertPeriodDay(input.from, 'input.from');
  assertPeriodDay(input.to, 'input.to');
  if (input.to < input.from) throw badInput('input.to', `the period is empty: ${input.to} is before ${input.from}`);
  if (periodLength(input.from, input.to) > MAX_PERIOD_DAYS) throw badInput('input.to', `a period is at most ${MAX_PERIOD_DAYS} days`);
  return { from: input.from, to: input.to };
}
