import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { characterCount, isChinesePhone, isGeoJsonArea, isResidentIdNumber, isWholeFen, unstorableValue } from '../../src/common/validators';
import { isPeriodMonth } from '../../src/common/dates';

describe('isResidentIdNumber (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  // Worked by hand: 11010519491231002 → weighted sum 167, 167 % 11 = 2 → check char 'X'.
  test('accepts the standard published example 11010519491231002X', () => {
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
  });

  test('rejects a wrong check character', () => {
    expect(isResidentIdNumber('110105194912310021')).toBe(false);
  });

  test('rejects impossible birth dates', () => {
    // 1949-02-30 does not exist; the check character is recomputed so only the date is wrong.
    expect(isResidentIdNumber('110105194902300020')).toBe(false);
  });

  test('rejects wrong lengths and letters in the body', () => {
    expect(isResidentIdNumber('11010519491231002')).toBe(false);
    expect(isResidentIdNumber('1101051949123100AX')).toBe(false);
  });
});

describe('isChinesePhone', () => {
  test.each(['13812345678', '19912345678', '0531-88889999', '010-12345678'])('accepts %s', (value) => {
    expect(isChinesePhone(value)).toBe(true);
  });
  test.each(['12345', '12812345678', '138123456789', 'abc', '+8613812345678'])('rejects %s', (value) => {
    expect(isChinesePhone(value)).toBe(false);
  });
});

describe('isGeoJsonArea', () => {
  const ring = [
    [117.0, 36.6],
    [117.01, 36.6],
    [117.01, 36.61],
    [117.0, 36.6],
  ];
  test('accepts a closed Polygon and a MultiPolygon', () => {
    expect(isGeoJsonArea({ type: 'Polygon', coordinates: [ring] })).toBe(true);
    expect(isGeoJsonArea({ type: 'MultiPolygon', coordinates: [[ring]] })).toBe(true);
  });
  test('rejects open rings, out-of-range coordinates and other types', () => {
    expect(isGeoJsonArea({ type: 'Polygon', coordinates: [ring.slice(0, 3)] })).toBe(false);
    expect(isGeoJsonArea({ type: 'Polygon', coordinates: [[[200, 0], [1, 1], [2, 2], [200, 0]]] })).toBe(false);
    expect(isGeoJsonArea({ type: 'Point', coordinates: [117, 36] })).toBe(false);
    expect(isGeoJsonArea(null)).toBe(false);
  });
});

test('yuan in whole fen: at most 2 decimals as sent, up to the largest budget', () => {
  for (const yuan of [0, 0.01, 0.1, 1200.5, 99.99, 420_000, 9_999_999_999.99]) expect(isWholeFen(yuan)).toBe(true);
  for (const yuan of [0.004, 0.001, 1200.505, 0.1 + 0.2, 9_999_999_999.999, Number.NaN, Number.POSITIVE_INFINITY]) expect(isWholeFen(yuan)).toBe(false);
});

describe('CharLength counts characters as PostgreSQL does', () => {
  test('code points: U+FE0F counts, a character outside the BMP counts once', () => {
    expect(characterCount('a\uFE0F'.repeat(100))).toBe(200);
    expect(characterCount('𠀀'.repeat(100))).toBe(100);
  });

  // class-validator's Length, MinLength and MaxLength (validator.js isLength) skip U+FE0F and U+FE0D,
  // so a text they pass could overflow its varchar(n) column as an INTERNAL_SERVER_ERROR.
  test('no input uses class-validator\'s own length checks', () => {
    const offenders = execSync(`grep -rlE "import \\{[^}]*\\b(Length|MinLength|MaxLength)\\b[^}]*\\} from 'class-validator'" src || true`, { cwd: join(__dirname, '../..'), encoding: 'utf8' }).trim();
    expect(offenders).toBe('');
  });
});

describe('unstorableValue: date-times (activity-extreme-dates.test.ts has the API side)', () => {
  const at = (text: string) => ({ filter: { from: new Date(text) } });
  test('a mutation stores only 1900-2999', () => {
    expect(unstorableValue(at('1900-01-01T00:00:00Z'), true)).toBeNull();
    expect(unstorableValue(at('1899-12-31T23:59:59Z'), true)).toEqual({ path: 'filter.from', reason: 'must lie between 1900-01-01 and 2999-12-31' });
  });
  test('a query compares anything PostgreSQL reads (early and late sentinels), nothing beyond', () => {
    for (const ok of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) expect(unstorableValue(at(ok), false)).toBeNull();
    for (const bad of ['0000-12-31T23:59:59.999Z', '9999-12-31T23:00:00-08:00']) {
      expect(unstorableValue(at(bad), false)).toEqual({ path: 'filter.from', reason: 'must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (UTC)' });
    }
  });
});

test.each([['1900-01', true], ['2999-12', true], ['1899-12', false], ['3000-01', false], ['0000-01', false], ['9999-12', false], ['2026-13', false], ['2026-4', false]])('isPeriodMonth(%s) is %s', (month, expected) => {
  expect(isPeriodMonth(month as string)).toBe(expected);
});
