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
