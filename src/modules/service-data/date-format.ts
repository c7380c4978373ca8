/**
 * Date-time parsing for import mappings, compiled once per format: `YYYY-MM-DD HH:mm:ss`,
 * `MM/DD/YYYY hh:mm:ss A`, `YYYY/M/D H:mm`, `YYYYMMDD`… Tokens: YYYY, MM/M, DD/D, HH/H (24h),
 * hh/h (12h, needs A), mm, ss (optional fraction after it is ignored), A (AM/PM); anything
 * else matches itself. Returns epoch seconds, or null when the text does not fit or names an
 * impossible date (Feb 30, 25:00).
 */
export type DateParser = (text: string) => number | null;

const TOKENS: [string, string][] = [
  ['YYYY', '(?<Y>\\d{4})'],
  ['MM', '(?<M>\\d{2})'],
  ['M', '(?<M>\\d{1,2})'],
  ['DD', '(?<D>\\d{2})'],
  ['D', '(?<D>\\d{1,2})'],
  ['HH', '(?<H>\\d{2})'],
  ['H', '(?<H>\\d{1,2})'],
  ['hh', '(?<h>\\d{2})'],
  ['h', '(?<h>\\d{1,2})'],
  ['mm', '(?<m>\\d{2})'],
  ['ss', '(?<s>\\d{2})(?:\\.\\d{1,6})?'],
  ['A', '(?<A>AM|PM|am|pm)'],
];

/** `+08:00` / `-05:00` → minutes east of UTC. */
export function parseOffset(offset: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!match) throw new Error(`timezone must look like +08:00 (got ${JSON.stringify(offset)})`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

export function compileDateFormat(format: string, offsetMinutes: number): DateParser {
  let pattern = '';
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([name]) => format.startsWith(name, i));
    if (token) {
      pattern += token[1];
      i += token[0].length;
    } else {
      pattern += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  const regex = new RegExp(`^\\s*${pattern}\\s*$`);
  const twelveHour = /h/.test(format.replace(/[^Hh]/g, ''));
  return (text) => {
    const groups = regex.exec(text)?.groups;
    if (!groups) return null;
    const year = Number(groups.Y);
    const month = Number(groups.M);
    const day = Number(groups.D);
    let hour = Number(groups.H ?? groups.h ?? 0);
    const minute = Number(groups.m ?? 0);
    const second = Number(groups.s ?? 0);
    if (twelveHour) {
      if (hour < 1 || hour > 12 || !groups.A) return null;
      hour = (hour % 12) + (groups.A.toUpperCase() === 'PM' ? 12 : 0);
    }
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
    return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60;
  };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Tries each parser in turn (a mapping may list several formats). */
export function firstOf(parsers: DateParser[]): DateParser {
  if (parsers.length === 1) return parsers[0];
  return (text) => {
    for (const parse of parsers) {
      const value = parse(text);
      if (value !== null) return value;
    }
    return null;
  };
}
