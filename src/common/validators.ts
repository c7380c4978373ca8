import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isWellFormedText } from './text';
import { COMPARABLE_INSTANT_RULE, PERIOD_DAYS, PERIOD_DAYS_RULE, PERIOD_MONTH_RULE, isComparableInstant, isPeriodDay, isPeriodMonth, todayInChina } from './dates';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/**
 * A mainland resident ID (GB 11643-1999): 18 characters, a real birth date (not after today in
 * China: nobody is registered before they are born), the ISO 7064 MOD 11-2 check character.
 */
export function isResidentIdNumber(value: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return false;
  const birth = value.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const month = Number(birth.slice(4, 6));
  const day = Number(birth.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  if (`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` > todayInChina()) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  return ID_CHECK_CHARS[sum % 11] === value[17];
}

/** A mainland mobile (1[3-9] + 9 digits) or a landline with area code (0531-88886666). */
export function isChinesePhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value) || /^0\d{2,3}-?\d{7,8}$/.test(value);
}

/** A GeoJSON Polygon or MultiPolygon in WGS-84 with closed rings of at least four positions. */
export function isGeoJsonArea(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const geometry = value as { type?: unknown; coordinates?: unknown };
  const isPosition = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)) && Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90;
  const isRing = (ring: unknown) => {
    if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition)) return false;
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    return first[0] === last[0] && first[1] === last[1];
  };
  const isPolygon = (rings: unknown) => Array.isArray(rings) && rings.length > 0 && rings.every(isRing);
  if (geometry.type === 'Polygon') return isPolygon(geometry.coordinates);
  if (geometry.type === 'MultiPolygon') return Array.isArray(geometry.coordinates) && geometry.coordinates.length > 0 && geometry.coordinates.every(isPolygon);
  return false;
}

function decorator(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions) =>
    (object: object, propertyName: string | symbol) =>
      registerDecorator({
        name,
        target: object.constructor,
        propertyName: String(propertyName),
        options: { message, ...options },
        validator: { validate: (value: unknown) => test(value) },
      });
}

/** Characters as PostgreSQL's varchar(n) counts them: code points (validator.js's isLength skips U+FE0F, so 100 "a\uFE0F" passed as 100 and failed the column). */
export const characterCount = (value: string): number => [...value].length;

/**
 * Text of `min` to `max` characters, counted as the database column counts them (class-validator's
 * Length and MaxLength do not: see characterCount). The messages are class-validator's.
 */
export function CharLength(min: number, max: number, options?: ValidationOptions) {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'charLength',
      target: object.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args) => {
          // With { each: true } the value is the whole list: the message follows the item that failed.
          const texts = (Array.isArray(args.value) ? args.value : [args.value]).filter((text): text is string => typeof text === 'string');
          const tooShort = texts.some((text) => characterCount(text) < min) && !texts.some((text) => characterCount(text) > max);
          return tooShort ? `${args.property} must be longer than or equal to ${min} characters` : `${args.property} must be shorter than or equal to ${max} characters`;
        },
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && characterCount(value) >= min && characterCount(value) <= max },
    });
}

/** Text of at most `max` characters, counted as the database column counts them. */
export const MaxChars = (max: number, options?: ValidationOptions) => CharLength(0, max, options);

export const IsResidentIdNumber = decorator('isResidentIdNumber', (v) => typeof v === 'string' && isResidentIdNumber(v), 'must be a valid 18-character resident ID number');
export const IsChinesePhone = decorator('isChinesePhone', (v) => typeof v === 'string' && isChinesePhone(v), 'must be a mobile number (11 digits) or a landline with area code');
/** Text with something besides white space (a TextInput is trimmed first, and one of only white space would be stored as ''). */
export const IsNotBlank = decorator('isNotBlank', (v) => typeof v === 'string' && v.trim().length > 0, 'must not be blank');
/**
 * Yuan in whole fen: at most 2 decimals, as the number was sent (0.1 + 0.2 computed by a client
 * is not 0.3 and is refused: round to the fen before sending). Money kept to the fen (funding
 * amounts) would otherwise be stored rounded: 0.004 yuan as 0, past a "more than 0" rule.
 */
export function isWholeFen(value: number): boolean {
  return Number.isFinite(value) && Number(value.toFixed(2)) === value;
}

export const IsWholeFen = decorator('isWholeFen', (v) => typeof v === 'number' && isWholeFen(v), 'must be yuan in whole fen (at most 2 decimals)');
export const IsGeoJsonArea = decorator('isGeoJsonArea', isGeoJsonArea, 'must be a GeoJSON Polygon or MultiPolygon with closed rings in WGS-84');

/** A code: letters, digits and dashes only. */
export const CODE_PATTERN = /^[A-Za-z0-9-]+$/;


/** Why PostgreSQL cannot store a string as given, or null when it can. */
function unstorableReason(value: string): string | null {
  // PostgreSQL text cannot hold NUL, and the driver's message with one in it is refused as a protocol violation.
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  // Half of a surrogate pair with no other half: not a character, and stored as U+FFFD, so not what was sent.
  if (!isWellFormedText(value)) return 'must be valid Unicode text (it holds half of a surrogate pair, which would be stored changed)';
  return null;
}

const FIRST_INSTANT = Date.parse(`${PERIOD_DAYS.first}T00:00:00Z`);
const AFTER_LAST_INSTANT = Date.parse(`${PERIOD_DAYS.last}T00:00:00Z`) + 86_400_000;

/**
 * Where in an argument (a string, a date-time, or an input object or list at any depth) a value
 * cannot be stored as given, as a dotted path ('' for the value itself) with the reason, or null
 * when every one can: a string with a NUL character or a lone surrogate; with `datesToStore`
 * (a mutation's arguments), a date-time outside PERIOD_DAYS (the DateTime scalar takes year 0000,
 * and an offset can carry 9999-12-31 into year 10000: PostgreSQL refuses both, and nothing here is
 * dated before 1900). A query's date-times only filter, so an early sentinel stays allowed there
 * (0001-01-01 answers as 1900-01-01 would): only one PostgreSQL cannot compare, outside
 * COMPARABLE_INSTANTS, is refused (it failed in the statement, an INTERNAL_SERVER_ERROR).
 */
export function unstorableValue(value: unknown, datesToStore: boolean, path = ''): { path: string; reason: string } | null {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason === null ? null : { path, reason };
  }
  if (value instanceof Date) {
    if (!datesToStore) return isComparableInstant(value) ? null : { path, reason: COMPARABLE_INSTANT_RULE };
    const time = value.getTime();
    return time >= FIRST_INSTANT && time < AFTER_LAST_INSTANT ? null : { path, reason: PERIOD_DAYS_RULE };
  }
  if (!value || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = unstorableValue(child, datesToStore, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * How deep input objects and lists may nest inside one argument. The deepest input type nests a
 * few levels and a GeoJSON MultiPolygon four; a JSON value nested thousands of levels deep overflowed
 * the stack of the recursive walks over arguments (trimTextInputs, unstorableValue): a RangeError,
 * answered INTERNAL_SERVER_ERROR.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Where in an argument objects and lists nest deeper than MAX_INPUT_DEPTH, as a dotted path to the
 * first value past it, or null when they do not. Walks without recursion, so any depth is measured.
 */
export function tooDeeplyNested(value: unknown, maxDepth = MAX_INPUT_DEPTH): string | null {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (!next.value || typeof next.value !== 'object' || next.value instanceof Date) continue;
    if (next.depth >= maxDepth) return next.path;
    for (const [key, child] of Object.entries(next.value)) pending.push({ value: child, depth: next.depth + 1, path: next.path ? `${next.path}.${key}` : key });
  }
  return null;
}

/** A calendar day (YYYY-MM-DD) within PERIOD_DAYS: the LocalDate scalar takes 0000-01-01, which PostgreSQL refuses. */
export const IsDayInRange = decorator('isDayInRange', (v) => typeof v === 'string' && isPeriodDay(v), PERIOD_DAYS_RULE);
/** A month (YYYY-MM) within PERIOD_DAYS (isPeriodMonth). */
export const IsPeriodMonth = decorator('isPeriodMonth', (v) => typeof v === 'string' && isPeriodMonth(v), PERIOD_MONTH_RULE);
