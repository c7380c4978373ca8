import { daysFromTo } from '../../src/common/dates';

describe('daysFromTo (the rows of a by-day chart)', () => {
  it('lists every day, both ends included, across a month and a leap day', () => {
    expect(daysFromTo('2024-02-27', '2024-03-02')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });

  it('is one day when from = to, and none when to is before from', () => {
    expect(daysFromTo('2026-12-07', '2026-12-07')).toEqual(['2026-12-07']);
    expect(daysFromTo('2026-12-08', '2026-12-07')).toEqual([]);
  });

  it('crosses a year end', () => {
    expect(daysFromTo('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
  });
});
