import { todayInChina } from '../../src/common/dates';
import { isResidentIdNumber } from '../../src/common/validators';
import { idCheckChar } from '../helpers/fixtures';

/** A resident ID with the given region and birth date (YYYYMMDD), sequence 123, its real check character. */
function idBornOn(birthDate: string): string {
  const first17 = `370102${birthDate}123`;
  return `${first17}${idCheckChar(first17)}`;
}

describe('isResidentIdNumber: the birth date must have happened', () => {
  test('an ID number whose birth date is still to come is no ID number', () => {
    expect(isResidentIdNumber(idBornOn('20850315'))).toBe(false);
    const nextYear = String(Number(todayInChina().slice(0, 4)) + 1);
    expect(isResidentIdNumber(idBornOn(`${nextYear}0101`))).toBe(false);
  });

  test('born today or before is fine', () => {
    expect(isResidentIdNumber(idBornOn(todayInChina().replace(/-/g, '')))).toBe(true);
    expect(isResidentIdNumber(idBornOn('19850315'))).toBe(true);
  });
});
