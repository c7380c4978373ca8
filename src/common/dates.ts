import { badInput } from './errors';

/** Today's date in China (UTC+8) as YYYY-MM-DD, for "is this term active" questions. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
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

/** Refuses a period day outside PERIOD_DAYS (YYYY-MM-DD strings compare in calendar order). */
export function assertPeriodDay(day: string, field: string): void {
  if (day < PERIOD_DAYS.first || day > PERIOD_DAYS.last) throw badInput(field, `must lie between ${PERIOD_DAYS.first} and ${PERIOD_DAYS.last}`);
}
