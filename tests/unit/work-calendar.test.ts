import { HOLIDAYS_KNOWN_THROUGH, holidaysOutOfDate, workCalendar } from '../../src/modules/calendar/work-calendar';

/* The working-day calendar's data and rules, without a database (the SQL is tested in demand-rollups). */

test('the calendar holds every day of 2000-2040 once, with the 2026 Spring Festival off and its Saturdays worked', () => {
  const days = workCalendar();
  expect(days).toHaveLength(14_976);
  expect(days[0].day).toBe('2000-01-01');
  expect(days[days.length - 1].day).toBe('2040-12-31');
  const byDay = new Map(days.map((entry) => [entry.day, entry]));
  expect(byDay.get('2026-02-14')).toEqual({ day: '2026-02-14', workday: true, holiday: '春节' });
  expect(byDay.get('2026-02-16')).toEqual({ day: '2026-02-16', workday: false, holiday: '春节' });
  expect(byDay.get('2026-10-01')).toEqual({ day: '2026-10-01', workday: false, holiday: '国庆节' });
  // An ordinary weekend and weekday; a year past the data counts Monday-Friday.
  expect(byDay.get('2026-03-07')).toEqual({ day: '2026-03-07', workday: false, holiday: null });
  expect(byDay.get('2026-03-09')).toEqual({ day: '2026-03-09', workday: true, holiday: null });
  expect(byDay.get('2030-02-04')).toEqual({ day: '2030-02-04', workday: true, holiday: null });
  expect(HOLIDAYS_KNOWN_THROUGH).toBeGreaterThanOrEqual(2026);
});

test('the operator is told when next year\'s holidays are due and not in the data', () => {
  expect(holidaysOutOfDate(new Date('2026-06-01T00:00:00Z'), 2026)).toBeNull();
  // From November (China time) the next year is expected.
  expect(holidaysOutOfDate(new Date('2026-10-31T15:59:00Z'), 2026)).toBeNull();
  expect(holidaysOutOfDate(new Date('2026-10-31T16:00:00Z'), 2026)).toContain("2027's count Monday-Friday");
  expect(holidaysOutOfDate(new Date('2026-12-05T00:00:00Z'), 2027)).toBeNull();
});
