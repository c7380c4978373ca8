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
