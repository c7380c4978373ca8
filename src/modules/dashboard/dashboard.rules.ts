/**
 * How the monthly street ranking weighs its rates. Beijing's 接诉即办 assessment weighs
 * response, resolution and satisfaction 10% / 45% / 45%; change them here only.
 */
export const RANKING_WEIGHTS = { response: 0.1, resolution: 0.45, satisfaction: 0.45 } as const;

/** A request counts as responded to when first dispatched within this many hours of receipt. */
export const RESPONSE_WINDOW_HOURS = 24;

/** A rating counts as satisfied (满意 or 基本满意) from this score up. */
export const SATISFIED_FROM = 4;

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/*
 * Figures for viewers who may not see personal data (portals, analysts). A window of seconds
 * around one request described that request (its category, status and its resident's rating) as
 * well as a building's figures do, which they are refused. So for them a period is whole China
 * days (below), and a mean or rate of ratings follows the small-cell rule (common/disclosure.ts).
 */

/** Whether an instant is 00:00 China time (a day boundary). */
export function isChinaMidnight(instant: Date): boolean {
  return (instant.getTime() + CHINA_OFFSET_MS) % DAY_MS === 0;
}

/** The 00:00 China time at or before an instant. */
export function chinaMidnightAtOrBefore(instant: Date): Date {
  const shifted = instant.getTime() + CHINA_OFFSET_MS;
  return new Date(shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - CHINA_OFFSET_MS);
}

/** [start, end) in UTC of a China-time calendar month `YYYY-MM`. */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, monthIndex] = month.split('-').map(Number);
  return {
    from: new Date(Date.UTC(year, monthIndex - 1, 1) - CHINA_OFFSET_MS),
    to: new Date(Date.UTC(year, monthIndex, 1) - CHINA_OFFSET_MS),
  };
}

export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10000) / 10000 : null;
}
