import { risingReason } from '../../analytics/demand/rank';

describe('the topic of the month\'s "rising" reason quotes a slope that reads above 0', () => {
  it('keeps one decimal where it shows the slope as positive', () => {
    expect(risingReason(3.4567, 0.0004, 2.25)).toBe('rising: Mann–Kendall z = 3.46 (p = 0.000), Sen slope +2.3 a month');
  });

  it('adds decimals for a small positive slope instead of "+0.0"', () => {
    expect(risingReason(2.1, 0.0357, 0.04)).toBe('rising: Mann–Kendall z = 2.10 (p = 0.036), Sen slope +0.04 a month');
    expect(risingReason(2.1, 0.0357, 0.0003)).toBe('rising: Mann–Kendall z = 2.10 (p = 0.036), Sen slope +0.0003 a month');
  });
});
