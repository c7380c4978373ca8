import { MIN_TREND_DAYS, scaledVolume, trendBegin, trendBuckets, trendTest } from '../../analytics/demand/trend';

const months = ['2016-05-01', '2016-06-01', '2016-07-01', '2016-08-01'];

test('a trend reads from the bucket the data begin in, edge buckets with the days they cover', () => {
  // Data from 2016-06-20: May is not read, June covers 11 of 30 days; `to` on 08-10 covers 10 of 31.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-10', '2016-06-20')).toEqual([
    { index: 1, length: 30, covered: 11 },
    { index: 2, length: 31, covered: 31 },
    { index: 3, length: 31, covered: 10 },
  ]);
  // No data in the period: nothing to read.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', null)).toEqual([]);
});

test('buckets under the minimum days are left out, at either edge', () => {
  expect(MIN_TREND_DAYS).toEqual({ DAY: 1, WEEK: 3, MONTH: 7 });
  // The month of `to` on its 6th (6 days) is left out, on its 7th kept; likewise data beginning on the 26th or the 25th.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-06', '2016-05-01').map((b) => b.index)).toEqual([0, 1, 2]);
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-07', '2016-05-01').map((b) => b.index)).toEqual([0, 1, 2, 3]);
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-26').map((b) => b.index)).toEqual([1, 2, 3]);
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-25').map((b) => b.index)).toEqual([0, 1, 2, 3]);
  // Weeks (Monday starts): `from` on Saturday covers 2 days (left out), on Friday 3 (kept); `to` on Tuesday 2 days.
  const weeks = ['2016-07-04', '2016-07-11', '2016-07-18'];
  expect(trendBuckets(weeks, 'WEEK', '2016-07-09', '2016-07-24', '2016-07-01').map((b) => b.index)).toEqual([1, 2]);
  expect(trendBuckets(weeks, 'WEEK', '2016-07-08', '2016-07-24', '2016-07-01')).toEqual([{ index: 0, length: 7, covered: 3 }, { index: 1, length: 7, covered: 7 }, { index: 2, length: 7, covered: 7 }]);
  expect(trendBuckets(weeks, 'WEEK', '2016-07-04', '2016-07-19', '2016-07-01').map((b) => b.index)).toEqual([0, 1]);
  // Days: only those before the data begin are left out.
  expect(trendBuckets(['2016-07-01', '2016-07-02', '2016-07-03'], 'DAY', '2016-07-01', '2016-07-03', '2016-07-02')).toEqual([{ index: 1, length: 1, covered: 1 }, { index: 2, length: 1, covered: 1 }]);
});

test('scaling multiplies before it divides, so a flat rate scales to exactly the whole bucket', () => {
  // 15 × (31 / 15) would be 31.000000000000004, which Mann–Kendall reads as a rise over 31.
  expect(scaledVolume(15, { index: 0, length: 31, covered: 15 })).toBe(31);
  expect(scaledVolume(33, { index: 0, length: 30, covered: 11 })).toBe(90);
});

test('trendTest: one rule for the ranking and the series (plain from 4 points, seasonal from two cycles)', () => {
  expect(trendTest([1, 2, 3], 12)).toBeNull();
  const plain = trendTest([1, 2, 3, 4], 12)!;
  expect({ seasonal: plain.seasonal, n: plain.mk.n, senSlope: plain.senSlope }).toEqual({ seasonal: false, n: 4, senSlope: 1 });
  const seasonal = trendTest(Array.from({ length: 24 }, (_, i) => (i % 12) + Math.floor(i / 12) * 2), 12)!;
  expect({ seasonal: seasonal.seasonal, senSlope: seasonal.senSlope }).toEqual({ seasonal: true, senSlope: 2 / 12 });
});

test('trendBegin: the scope\'s first day without data before the window; with, where the source as a whole has data from the window\'s first day', () => {
  // No record of the scope before the window: its first day with data in it, whatever the source holds.
  expect(trendBegin('2020-01-01', { before: false, first: '2020-03-10', sourceFirst: '2020-01-01' })).toBe('2020-03-10');
  expect(trendBegin('2020-01-01', { before: false, first: null, sourceFirst: '2020-01-01' })).toBeNull();
  // Records before it, and the source (city-wide) collecting on the window's first day: the whole
  // window, an empty month of the scope's a real zero.
  expect(trendBegin('2020-01-01', { before: true, first: '2020-03-10', sourceFirst: '2020-01-01' })).toBe('2020-01-01');
  // Nothing recorded anywhere from the window's first day until 2020-02-15 (a gap in collection):
  // the trend begins where collection resumed, not at the window's first day.
  expect(trendBegin('2020-01-01', { before: true, first: '2020-03-10', sourceFirst: '2020-02-15' })).toBe('2020-02-15');
  expect(trendBegin('2020-01-01', { before: true, first: null, sourceFirst: null })).toBeNull();
});
