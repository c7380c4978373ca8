import { seasonalMannKendall } from '../../analytics/stats/mann-kendall';
import { GAP_MIN_DAYS, MIN_TREND_DAYS, collectionGapsIn, coverageOf, coveredDays, isCollectionGap, dataEndNote, gapNote, gapsWithin, scaledVolume, trendBegin, trendBuckets, trendTest, trendValues, uncoveredReasons } from '../../analytics/demand/trend';

const months = ['2016-05-01', '2016-06-01', '2016-07-01', '2016-08-01'];

test('a trend reads from the bucket the data begin in, edge buckets with the days they cover', () => {
  // Data from 2016-06-20: May is not read, June covers 11 of 30 days; `to` on 08-10 covers 10 of 31.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-10', '2016-06-20', [])).toEqual([
    { index: 1, length: 30, covered: 11 },
    { index: 2, length: 31, covered: 31 },
    { index: 3, length: 31, covered: 10 },
  ]);
  // No data in the period: nothing to read.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', null, [])).toEqual([]);
});

test('buckets under the minimum days are left out, at either edge', () => {
  expect(MIN_TREND_DAYS).toEqual({ DAY: 1, WEEK: 3, MONTH: 7 });
  // The month of `to` on its 6th (6 days) is left out, on its 7th kept; likewise data beginning on the 26th or the 25th.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-06', '2016-05-01', []).map((b) => b.index)).toEqual([0, 1, 2]);
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-07', '2016-05-01', []).map((b) => b.index)).toEqual([0, 1, 2, 3]);
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-26', []).map((b) => b.index)).toEqual([1, 2, 3]);
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-25', []).map((b) => b.index)).toEqual([0, 1, 2, 3]);
  // Weeks (Monday starts): `from` on Saturday covers 2 days (left out), on Friday 3 (kept); `to` on Tuesday 2 days.
  const weeks = ['2016-07-04', '2016-07-11', '2016-07-18'];
  expect(trendBuckets(weeks, 'WEEK', '2016-07-09', '2016-07-24', '2016-07-01', []).map((b) => b.index)).toEqual([1, 2]);
  expect(trendBuckets(weeks, 'WEEK', '2016-07-08', '2016-07-24', '2016-07-01', [])).toEqual([{ index: 0, length: 7, covered: 3 }, { index: 1, length: 7, covered: 7 }, { index: 2, length: 7, covered: 7 }]);
  expect(trendBuckets(weeks, 'WEEK', '2016-07-04', '2016-07-19', '2016-07-01', []).map((b) => b.index)).toEqual([0, 1]);
  // Days: only those before the data begin are left out.
  expect(trendBuckets(['2016-07-01', '2016-07-02', '2016-07-03'], 'DAY', '2016-07-01', '2016-07-03', '2016-07-02', [])).toEqual([{ index: 1, length: 1, covered: 1 }, { index: 2, length: 1, covered: 1 }]);
});

test('scaling multiplies before it divides, so a flat rate scales to exactly the whole bucket', () => {
  // 15 × (31 / 15) would be 31.000000000000004, which Mann–Kendall reads as a rise over 31.
  expect(scaledVolume(15, { index: 0, length: 31, covered: 15 })).toBe(31);
  expect(scaledVolume(33, { index: 0, length: 30, covered: 11 })).toBe(90);
});

test('trendTest: one rule for the ranking and the series (plain from 4 points, seasonal from two cycles)', () => {
  expect(trendTest([1, 2, 3], 12)).toBeNull();
  const plain = trendTest([1, 2, 3, 4], 12)!;
  expect({ method: plain.method, n: plain.mk.n, senSlope: plain.senSlope }).toEqual({ method: 'PLAIN', n: 4, senSlope: 1 });
  const seasonal = trendTest(Array.from({ length: 24 }, (_, i) => (i % 12) + Math.floor(i / 12) * 2), 12)!;
  expect({ method: seasonal.method, senSlope: seasonal.senSlope }).toEqual({ method: 'SEASONAL', senSlope: 2 / 12 });
});

test('trendBegin: the scope\'s first day without data before the window; with, where the source as a whole has data from the window\'s first day', () => {
  // No record of the scope before the window: its first day with data in it, whatever the source holds.
  expect(trendBegin('2020-01-01', { before: false, first: '2020-03-10', sourceFirst: '2020-01-01', sourceBefore: '2019-12-31' })).toBe('2020-03-10');
  expect(trendBegin('2020-01-01', { before: false, first: null, sourceFirst: '2020-01-01', sourceBefore: '2019-12-31' })).toBeNull();
  // Records before it, and the source (city-wide) collecting on the window's first day: the whole
  // window, an empty month of the scope's a real zero.
  expect(trendBegin('2020-01-01', { before: true, first: '2020-03-10', sourceFirst: '2020-01-01', sourceBefore: '2019-12-31' })).toBe('2020-01-01');
  // Nothing recorded anywhere from the window's first day until 2020-02-15 (a gap in collection):
  // the trend begins where collection resumed, not at the window's first day.
  expect(trendBegin('2020-01-01', { before: true, first: '2020-03-10', sourceFirst: '2020-02-15', sourceBefore: '2019-12-31' })).toBe('2020-02-15');
  expect(trendBegin('2020-01-01', { before: true, first: null, sourceFirst: null, sourceBefore: '2019-12-31' })).toBeNull();
});

test('trendBegin: an empty start shorter than GAP_MIN_DAYS, counted from the last day with data before the window, is a closure read as zeros', () => {
  // Closed October 1-7 (nothing anywhere on the 1st-7th, records on September 30 and October 8):
  // October from its 1st, the closure a real zero, as the same closure inside a window is.
  expect(trendBegin('2023-10-01', { before: true, first: '2023-10-08', sourceFirst: '2023-10-08', sourceBefore: '2023-09-30' })).toBe('2023-10-01');
  // Counted with the days before the window: 9 empty days (Sep 28 - Oct 6), still a closure...
  expect(trendBegin('2023-10-01', { before: true, first: '2023-10-07', sourceFirst: '2023-10-07', sourceBefore: '2023-09-27' })).toBe('2023-10-01');
  // ...10 (Sep 27 - Oct 6) a gap, though only 6 of them fall in the window: the trend begins where collection resumed.
  expect(GAP_MIN_DAYS).toBe(10);
  expect(trendBegin('2023-10-01', { before: true, first: '2023-10-07', sourceFirst: '2023-10-07', sourceBefore: '2023-09-26' })).toBe('2023-10-07');
});

test('dataEndNote: only where nothing was recorded after the window either; records resuming after it make the empty end a gap or a closure', () => {
  expect(dataEndNote('2020-07-31', '2020-07-20', null)).toBe('nothing was recorded anywhere (same sources, whole city) after 2020-07-20: the days to 2020-07-31 are read as zeros; if their records are not imported yet, end the period on 2020-07-20');
  expect(dataEndNote('2020-07-31', '2020-07-20', '2020-08-15')).toBeNull();
  expect(dataEndNote('2020-07-31', '2020-07-31', null)).toBeNull();
});

test('a gap in collection inside a month: its days are not covered, the month is scaled from the rest', () => {
  // Nothing recorded anywhere 2016-06-10..25 (16 days): June covers 14 of its 30, scaled like an edge month.
  const gap = [{ first: '2016-06-10', last: '2016-06-25' }];
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-01', gap)).toEqual([
    { index: 0, length: 31, covered: 31 },
    { index: 1, length: 30, covered: 14 },
    { index: 2, length: 31, covered: 31 },
    { index: 3, length: 31, covered: 31 },
  ]);
  // 14 days at a flat 3 a day (42) read as the whole month's 90, not a fall to 42.
  expect(scaledVolume(42, { index: 1, length: 30, covered: 14 })).toBe(90);
  // Gaps add up with the edges: data from 2016-06-05 and the gap leave June 5 + 5 = 10 days (5th-9th, 26th-30th).
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-06-05', gap)[0]).toEqual({ index: 1, length: 30, covered: 10 });
  // Weeks: a gap over Monday-Friday leaves 2 days, under the 3 a week needs.
  const weeks = ['2016-07-04', '2016-07-11', '2016-07-18'];
  expect(trendBuckets(weeks, 'WEEK', '2016-07-04', '2016-07-24', '2016-07-01', [{ first: '2016-07-01', last: '2016-07-15' }]).map((b) => b.index)).toEqual([2]);
});

test('a gap swallowing a month (or leaving it under 7 days) leaves it out in the middle, a hole the values keep', () => {
  const whole = [{ first: '2016-05-25', last: '2016-07-03' }];
  const used = trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-01', whole);
  expect(used).toEqual([
    { index: 0, length: 31, covered: 24 },
    { index: 2, length: 31, covered: 28 },
    { index: 3, length: 31, covered: 31 },
  ]);
  // June is a missing observation at its place, not July moved up into it.
  expect(trendValues(used, (index) => [24, 0, 28, 31][index] * 3)).toEqual([93, null, 93, 93]);
  // A gap of 24 of June's days leaves 6: June left out as well.
  expect(trendBuckets(months, 'MONTH', '2016-05-01', '2016-08-31', '2016-05-01', [{ first: '2016-06-04', last: '2016-06-27' }]).map((b) => b.index)).toEqual([0, 2, 3]);
  // Buckets left out before the first used one are no hole: the values start at the first used bucket.
  expect(trendValues([{ index: 2, length: 31, covered: 31 }, { index: 3, length: 31, covered: 31 }], () => 5)).toEqual([5, 5]);
  expect(trendValues([], () => 5)).toEqual([]);
});

test('a gap is at least GAP_MIN_DAYS long (closures are the calendar\'s rhythm); the trend reads the part of it inside its days', () => {
  // Longer than Spring Festival's 9 days off, the longest closure (see trend.ts).
  expect(GAP_MIN_DAYS).toBe(10);
  // Cut to the trend's days: one before its beginning, one across its end, one outside.
  const gaps = [{ first: '2016-01-01', last: '2016-02-10' }, { first: '2016-03-01', last: '2016-03-20' }, { first: '2016-08-20', last: '2016-09-15' }, { first: '2016-10-01', last: '2016-10-30' }];
  expect(gapsWithin(gaps, '2016-02-01', '2016-08-31')).toEqual([{ first: '2016-02-01', last: '2016-02-10' }, { first: '2016-03-01', last: '2016-03-20' }, { first: '2016-08-20', last: '2016-08-31' }]);
  expect(gapsWithin(gaps, null, '2016-08-31')).toEqual([]);
  // The note names the gap and what became of its buckets.
  expect(gapNote({ first: '2016-03-01', last: '2016-03-20' }, 'MONTH')).toBe('nothing was recorded anywhere (same sources, whole city) from 2016-03-01 to 2016-03-20: those days are not read as zeros; a month they fall in is read from its other days, scaled to its length, and left out with fewer than 7 of them');
  expect(gapNote({ first: '2016-03-01', last: '2016-03-20' }, 'DAY')).toBe('nothing was recorded anywhere (same sources, whole city) from 2016-03-01 to 2016-03-20: those days are not read as zeros; they are left out, not a point');
});

test('a month left out in the middle keeps later months in their seasons: the seasonal test and the Sen slopes read places', () => {
  // Three years of demand climbing from January to December and back, no trend from year to year;
  // month 14 (March of year 2) swallowed by a gap.
  const cycle = [12, 14, 15, 17, 18, 20, 21, 23, 24, 26, 27, 29];
  const values: (number | null)[] = Array.from({ length: 36 }, (_, i) => cycle[i % 12]);
  values[14] = null;
  const kept = trendTest(values, 12)!;
  expect(kept).toMatchObject({ method: 'SEASONAL', senSlope: 0 });
  expect(kept.mk).toMatchObject({ n: 35, s: 0, z: 0 });
  expect(kept.mk).toEqual(seasonalMannKendall(values, 12));
  // Closed up, every month after the hole fell into the season before its own: a trend out of nothing.
  const closedUp = trendTest(values.filter((v): v is number => v !== null), 12)!;
  expect(closedUp.mk.z).toBeGreaterThan(1.96);
  // The plain test reads the order only; the Sen slope counts the steps across the hole.
  expect(trendTest([1, 2, null, 4, 5], 12)).toMatchObject({ method: 'PLAIN', senSlope: 1, mk: { n: 4 } });
  expect(trendTest([1, 2, 4, 5], 12)!.senSlope).toBeCloseTo(17 / 12, 12);
  // Fewer than 4 observed months: no trend, whatever the span.
  expect(trendTest([1, null, null, 2, 3], 12)).toBeNull();
});

test('collectionGapsIn: what a chart shades, the trend\'s gaps and an empty start that is one, never the data\'s end', () => {
  const inside = [{ first: '2020-03-01', last: '2020-03-20' }];
  // Collecting from the period's first day: the gaps inside, cut to the period's days.
  expect(collectionGapsIn({ sourceFirst: '2020-01-01', sourceBefore: '2019-12-31', sourceAfter: null, gaps: inside }, '2020-01-01', '2020-03-10')).toEqual([{ first: '2020-03-01', last: '2020-03-10' }]);
  // An empty start of 10+ days (from the last record before): shaded; of 9, a closure: not.
  expect(collectionGapsIn({ sourceFirst: '2020-01-11', sourceBefore: '2019-12-31', sourceAfter: null, gaps: [] }, '2020-01-01', '2020-01-31')).toEqual([{ first: '2020-01-01', last: '2020-01-10' }]);
  expect(collectionGapsIn({ sourceFirst: '2020-01-10', sourceBefore: '2019-12-31', sourceAfter: null, gaps: [] }, '2020-01-01', '2020-01-31')).toEqual([]);
  // No record before at all: collection had not begun.
  expect(collectionGapsIn({ sourceFirst: '2020-01-03', sourceBefore: null, sourceAfter: null, gaps: [] }, '2020-01-01', '2020-01-31')).toEqual([{ first: '2020-01-01', last: '2020-01-02' }]);
  // Nothing in the period: a gap when records follow after 10+ empty days, the data's end when none follow.
  expect(collectionGapsIn({ sourceFirst: null, sourceBefore: '2019-12-31', sourceAfter: '2020-03-01', gaps: [] }, '2020-01-01', '2020-01-31')).toEqual([{ first: '2020-01-01', last: '2020-01-31' }]);
  expect(collectionGapsIn({ sourceFirst: null, sourceBefore: '2019-12-31', sourceAfter: null, gaps: [] }, '2020-01-01', '2020-01-31')).toEqual([]);
  expect(collectionGapsIn({ sourceFirst: null, sourceBefore: '2020-01-01', sourceAfter: '2020-01-08', gaps: [] }, '2020-01-02', '2020-01-07')).toEqual([]);
});

test('an empty run the working-day calendar closes day by day is a closure however long; a longer one, or one without the calendar, a gap', () => {
  const springFestival2020 = [{ first: '2020-01-24', last: '2020-02-02' }];
  expect(isCollectionGap('2020-01-23', '2020-02-03')).toBe(true);
  expect(isCollectionGap('2020-01-23', '2020-02-03', springFestival2020)).toBe(false);
  // One more empty day the calendar does not close (02-03, a working day): a gap.
  expect(isCollectionGap('2020-01-23', '2020-02-04', springFestival2020)).toBe(true);
  expect(collectionGapsIn({ sourceFirst: null, sourceBefore: '2020-01-23', sourceAfter: '2020-02-03', gaps: [], closures: springFestival2020 }, '2020-01-25', '2020-02-01')).toEqual([]);
  expect(collectionGapsIn({ sourceFirst: null, sourceBefore: '2020-01-23', sourceAfter: '2020-02-03', gaps: [] }, '2020-01-25', '2020-02-01')).toEqual([{ first: '2020-01-25', last: '2020-02-01' }]);
});

test('coverageOf: the days of a range with data, by the trend\'s rule (where the data begin, less the gaps, up to the last day over)', () => {
  const data = { before: true, first: '2026-05-01', sourceFirst: '2026-05-01', sourceBefore: '2026-04-30', gaps: [{ first: '2026-05-06', last: '2026-05-31' }] };
  // The gap runs past the range: its days inside are not covered; the reasons name them.
  const may = coverageOf('2026-05-01', '2026-05-30', '2026-07-05', data);
  expect(may).toMatchObject({ days: 30, covered: 5, begin: '2026-05-01', gaps: [{ first: '2026-05-06', last: '2026-05-30' }] });
  expect(uncoveredReasons(may)).toEqual(['nothing was recorded anywhere (same sources, whole city) from 2026-05-06 to 2026-05-30']);
  // The days a trend's bucket covers are the same count (one rule).
  expect(trendBuckets(['2026-05-01'], 'MONTH', '2026-05-01', '2026-05-30', '2026-05-01', may.gaps)).toEqual([]);
  expect(coveredDays('2026-05-01', '2026-05-30', '2026-05-01', may.gaps)).toBe(5);
  // Without a record before the range, it begins on the scope's first day in it.
  const late = coverageOf('2026-04-01', '2026-04-30', '2026-07-05', { before: false, first: '2026-04-21', sourceFirst: '2026-04-01', sourceBefore: null, gaps: [] });
  expect(late).toMatchObject({ days: 30, covered: 10 });
  expect(uncoveredReasons(late)).toEqual(["the area's data begin on 2026-04-21"]);
  // A range running to today ends yesterday (today is not over); one beginning today has no day over.
  expect(coverageOf('2026-06-01', '2026-06-30', '2026-06-30', { ...data, gaps: [] })).toMatchObject({ end: '2026-06-29', days: 29, covered: 29 });
  expect(coverageOf('2026-06-30', '2026-06-30', '2026-06-30', { ...data, gaps: [] })).toMatchObject({ days: 0, covered: 0 });
  // Nothing anywhere in it: no day covered.
  expect(coverageOf('2026-06-01', '2026-06-30', '2026-07-05', { ...data, sourceFirst: null, gaps: [] })).toMatchObject({ begin: null, covered: 0 });
});
