/**
 * Date-time parsing for import mappings, compiled once per format: `YYYY-MM-DD HH:mm:ss`,
 * `MM/DD/YYYY hh:mm:ss A`, `YYYY/M/D H:mm`, `YYYYMMDD`, `YYYY-MM-DDTHH:mm:ssZ`… Tokens: YYYY,
 * MM/M, DD/D, HH/H (24h), hh/h (12h, needs A), mm, ss (optional fraction after it is ignored),
 * A (AM/PM), Z (the text's own offset: `Z`, `+08:00` or `+0800`, used instead of the mapping's
 * timezone); anything else matches itself. A format must hold a year, a month and a day. Returns epoch seconds, or null when the text does not fit or names an
 * impossible date (Feb 30, 25:00) or a year before MIN_YEAR.
 */
export type DateParser = (text: string) => number | null;

/**
 * Years below this are refused: no service record is that old, and Date.UTC would read years
 * 0-99 as 1900-1999 ("0024-03-01" stored as 1924), so such text is a typo, not a date.
 */
export const MIN_YEAR = 1000;

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
  ['Z', '(?<Z>Z|[+-]\\d{2}:?\\d{2})'],
];

/** `+08:00` / `-05:00` → minutes east of UTC. */
export function parseOffset(offset: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!match) throw new Error(`timezone must look like +08:00 (got ${JSON.stringify(offset)})`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * A mapping's `timezone` in minutes east of UTC, refused unless it is a real offset: hours 0-14,
 * minutes 0-59 (+80:00, a slip for +08:00, would shift every row by days).
 */
export function parseMappingOffset(offset: string): number {
  const minutes = parseOffset(offset);
  if (Math.abs(minutes) > 14 * 60 || Number(offset.slice(-2)) > 59) throw new Error(`timezone ${JSON.stringify(offset)} is no UTC offset (hours 0-14, minutes 0-59)`);
  return minutes;
}

export function compileDateFormat(format: string, offsetMinutes: number): DateParser {
  const tokens = new Set<string>();
  let pattern = '';
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([name]) => format.startsWith(name, i));
    if (token) {
      tokens.add(token[0]);
      pattern += token[1];
      i += token[0].length;
    } else {
      pattern += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  // Without a year, month or day the parsed text would be NaN, not a refusal. (Case matters: mm is minutes.)
  if (!tokens.has('YYYY') || !(tokens.has('MM') || tokens.has('M')) || !(tokens.has('DD') || tokens.has('D'))) {
    throw new Error(`date format ${JSON.stringify(format)} needs a year (YYYY), a month (MM or M) and a day (DD or D)`);
  }
  const regex = new RegExp(`^\\s*${pattern}\\s*$`);
  const twelveHour = /h/.test(format.replace(/[^Hh]/g, ''));
  const general: DateParser = (text) => {
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
    if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
    let offset = offsetMinutes;
    if (groups.Z !== undefined && groups.Z !== 'Z') {
      offset = parseOffset(groups.Z);
      if (Math.abs(offset) > 14 * 60) return null;
    } else if (groups.Z === 'Z') offset = 0;
    return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offset * 60;
  };
  const fixed = compileFixedWidth(format, offsetMinutes);
  if (!fixed) return general;
  // Text of exactly the format's width goes through the positional parser; anything else (or
  // anything it refuses) through the general one, so the answers are the general parser's.
  const width = format.length;
  return (text) => (text.length === width ? (fixed(text) ?? general(text)) : general(text));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1];
}

/**
 * A positional parser for formats made only of fixed-width tokens (YYYY MM DD HH mm ss) and
 * literal characters, e.g. `YYYY-MM-DD HH:mm:ss`: no regular expression, no allocation.
 * Null for any other format.
 */
function compileFixedWidth(format: string, offsetMinutes: number): DateParser | null {
  const fields: { at: number; width: number; unit: 'Y' | 'M' | 'D' | 'H' | 'm' | 's' }[] = [];
  const literals: { at: number; code: number }[] = [];
  const widths: Record<string, ['Y' | 'M' | 'D' | 'H' | 'm' | 's', number]> = { YYYY: ['Y', 4], MM: ['M', 2], DD: ['D', 2], HH: ['H', 2], mm: ['m', 2], ss: ['s', 2] };
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([name]) => format.startsWith(name, i));
    if (token) {
      const known = widths[token[0]];
      if (!known) return null;
      fields.push({ at: i, width: known[1], unit: known[0] });
      i += token[0].length;
    } else {
      literals.push({ at: i, code: format.charCodeAt(i) });
      i += 1;
    }
  }
  const units = new Set(fields.map((f) => f.unit));
  if (!units.has('Y') || !units.has('M') || !units.has('D') || units.size !== fields.length) return null;
  const offsetSeconds = offsetMinutes * 60;
  return (text) => {
    for (const literal of literals) if (text.charCodeAt(literal.at) !== literal.code) return null;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const field of fields) {
      let value = 0;
      for (let k = field.at; k < field.at + field.width; k++) {
        const digit = text.charCodeAt(k) - 48;
        if (digit < 0 || digit > 9) return null;
        value = value * 10 + digit;
      }
      if (field.unit === 'Y') year = value;
      else if (field.unit === 'M') month = value;
      else if (field.unit === 'D') day = value;
      else if (field.unit === 'H') hour = value;
      else if (field.unit === 'm') minute = value;
      else second = value;
    }
    if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
    return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetSeconds;
  };
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
