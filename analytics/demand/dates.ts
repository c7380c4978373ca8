/** Calendar arithmetic on YYYY-MM-DD strings (China days), done in UTC so no zone shifts a day. */
const DAY_MS = 86_400_000;

export function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayString(dayNumber(day) + n);
}

/** Days from `from` to `to`, both included. */
export function daysInclusive(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

export function monthEnd(month: string): string {
  return addDays(addMonths(month, 1), -1);
}

/** The China day of an instant. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The days of [from, to] that have passed at `now`, in China time: the whole period when it is
 * over; when it runs to today or later, the days before today and the part of today gone by
 * (records of the rest cannot have come in yet). 0 when it has not begun.
 */
export function elapsedDays(from: string, to: string, now: Date): number {
  const today = chinaDay(now);
  if (to < today) return daysInclusive(from, to);
  if (today < from) return 0;
  const sinceMidnight = (now.getTime() + 8 * 3600_000) % 86_400_000;
  return daysInclusive(from, today) - 1 + sinceMidnight / 86_400_000;
}

export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && dayString(dayNumber(value)) === value;
}

/**
 * Splits [from, to] into whole months (read from a monthly roll-up) and the days at either end
 * (read from the daily one), so a long period reads few rows.
 */
export function splitPeriod(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  let firstFull = monthStart(from) === from ? from : addMonths(monthStart(from), 1);
  const lastFull = monthEnd(monthStart(to)) === to ? monthStart(to) : addMonths(monthStart(to), -1);
  if (firstFull > lastFull) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < firstFull) days.push([from, addDays(firstFull, -1)]);
  if (to > monthEnd(lastFull)) days.push([addMonths(lastFull, 1), to]);
  firstFull = monthStart(firstFull);
  return { months: [firstFull, lastFull], days };
}
