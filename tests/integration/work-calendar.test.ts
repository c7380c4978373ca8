import { Readable } from 'node:stream';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { Role } from '../../src/modules/identity/role';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { rebuildRollups, syncWorkCalendarAndRollups } from '../../src/modules/service-data/rollups';
import { HOLIDAYS_KNOWN_THROUGH, holidaysOutOfDate } from '../../src/modules/calendar/work-calendar';
import { clearAllData, seedDemoCity } from '../../src/seed/demo-city';
import { accountViewer, portalViewer } from '../helpers/access-fixtures';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';

/**
 * The built-in calendar (chinese-days 1.5.7) knows the holidays through 2026. In December the
 * State Council has announced the next year's, and deadlines reaching into January need them now:
 * an administrator enters them (adjustWorkCalendar), and the on-time counts follow.
 */
let app: TestApp;
let db: pg.Client;
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
const TABLES = ['demand_daily', 'demand_monthly', 'demand_grid_daily', 'demand_grid_monthly'];

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

const snapshot = async (table: string) => (await db.query(`select * from ${table} order by 1, 2, 3, 4`)).rows;
/** Every table's rows, read one after another (one client runs one query at a time). */
const snapshotAll = async () => {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) tables[table] = await snapshot(table);
  return tables;
};
const adjustments = async () => (await db.query('select day::text, workday, holiday from work_calendar_adjustment order by day')).rows;

const ADJUST = `mutation($input: AdjustWorkCalendarInput!) {
  adjustWorkCalendar(input: $input) { changedDays recomputedFrom recomputedTo holidaysKnownThrough days { day workday holiday adjusted } }
}`;
// 元旦 2027 as an administrator would enter it: Friday 1 January to Sunday 3 January.
const NEW_YEAR_2027 = [
  { day: '2027-01-01', workday: false, holiday: '元旦' },
  { day: '2027-01-02', workday: false, holiday: '元旦' },
  { day: '2027-01-03', workday: false, holiday: '元旦' },
];

test('the built-in calendar stops at 2026, and the start-up warning says how to go on', async () => {
  expect(HOLIDAYS_KNOWN_THROUGH).toBe(2026);
  const answer = await app.execute(`{ workCalendar(from: "2026-12-31", to: "2027-01-04") { holidaysKnownThrough days { day workday holiday adjusted } } }`);
  expect(answer.errors).toBeUndefined();
  expect(answer.data.workCalendar.holidaysKnownThrough).toBe(2026);
  expect(answer.data.workCalendar.days.map((d: any) => [d.day, d.workday, d.adjusted])).toEqual([
    ['2026-12-31', true, false],
    ['2027-01-01', true, false], // a Friday: Monday-Friday, for want of 2027's holidays
    ['2027-01-02', false, false],
    ['2027-01-03', false, false],
    ['2027-01-04', true, false],
  ]);
  expect(holidaysOutOfDate(new Date('2026-12-06T02:00:00Z'))).toMatch(/adjustWorkCalendar/);
  expect(holidaysOutOfDate(new Date('2026-12-06T02:00:00Z'), 2027)).toBeNull();
});

test('a day off set by hand moves the deadlines and recomputes the on-time counts, as a rebuild would', async () => {
  // CIV-MARRIAGE-01 allows 1 working day. Received Thursday 2026-11-19, finished Monday 11-23:
  // late when Friday the 20th is a working day, on time when the counters closed that day (a typhoon).
  const csv = [GONGJIAN_CSV_HEADER, 'TY-1,CIV-MARRIAGE-01,2026-11-19 10:00:00,2026-11-23 10:00:00,FINISHED,370199001001,,,,COUNTER,,,'].join('\n');
  const imported = await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'ty.csv', mapping: gongjian, batchRows: 100 });
  expect(imported).toMatchObject({ inserted: 1, rejected: 0 });
  const onTime = async () => (await db.query(`select timed, on_time from demand_daily where source = 1 and day = '2026-11-19'`)).rows;
  expect(await onTime()).toEqual([{ timed: 1, on_time: 0 }]);

  const typhoon = [{ day: '2026-11-20', workday: false, holiday: '台风停工' }];
  const answer = await app.execute(ADJUST, { input: { set: typhoon } });
  expect(answer.errors).toBeUndefined();
  const result = answer.data.adjustWorkCalendar;
  expect(result).toMatchObject({ changedDays: 1, holidaysKnownThrough: 2026, days: [{ ...typhoon[0], adjusted: true }] });
  expect(result.recomputedFrom <= '2026-11-19' && result.recomputedTo >= '2026-11-20').toBe(true);
  expect(await onTime()).toEqual([{ timed: 1, on_time: 1 }]);

  // What the adjustment left is what a rebuild gives; a restart's sync keeps the days set by hand.
  const adjusted = await snapshotAll();
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect(await snapshotAll()).toEqual(adjusted);
  await db.query('begin');
  expect(await syncWorkCalendarAndRollups(db)).toEqual({ changedDays: 0, refreshed: null });
  await db.query('commit');
  expect((await db.query(`select workday, holiday from work_calendar where day = '2026-11-20'`)).rows).toEqual([{ workday: false, holiday: '台风停工' }]);

  // Cleared, the day goes back to the built-in calendar, and so does the count.
  const cleared = await app.execute(ADJUST, { input: { clear: ['2026-11-20'] } });
  expect(cleared.data.adjustWorkCalendar).toMatchObject({ changedDays: 1, days: [{ day: '2026-11-20', workday: true, holiday: null, adjusted: false }] });
  expect(await onTime()).toEqual([{ timed: 1, on_time: 0 }]);
  expect(await adjustments()).toEqual([]);
});

test('next year\'s holidays entered as announced: the calendar knows that year, a restart and a reset keep them', async () => {
  const answer = await app.execute(ADJUST, { input: { set: NEW_YEAR_2027 } });
  expect(answer.errors).toBeUndefined();
  expect(answer.data.adjustWorkCalendar).toMatchObject({ changedDays: 3, holidaysKnownThrough: 2027, days: NEW_YEAR_2027.map((d) => ({ ...d, adjusted: true })) });
  const read = await app.execute(`{ workCalendar(from: "2026-12-31", to: "2027-01-04") { holidaysKnownThrough days { day workday } } }`);
  expect(read.data.workCalendar).toEqual({
    holidaysKnownThrough: 2027,
    days: [['2026-12-31', true], ['2027-01-01', false], ['2027-01-02', false], ['2027-01-03', false], ['2027-01-04', true]].map(([day, workday]) => ({ day, workday })),
  });
  // Setting the same days again changes nothing and recomputes nothing.
  expect((await app.execute(ADJUST, { input: { set: NEW_YEAR_2027 } })).data.adjustWorkCalendar).toMatchObject({ changedDays: 0, recomputedFrom: null, recomputedTo: null });
  // A reset of the demo city keeps them: the calendar is the country's.
  await clearAllData(app.orm.em.fork());
  expect(await adjustments()).toEqual(NEW_YEAR_2027);
  await seedDemoCity(app.orm.em.fork(), { scale: 'small' });
  const cleared = await app.execute(ADJUST, { input: { clear: NEW_YEAR_2027.map((d) => d.day) } });
  expect(cleared.data.adjustWorkCalendar).toMatchObject({ changedDays: 3, holidaysKnownThrough: 2026 });
  expect(await adjustments()).toEqual([]);
});

test('a weekend day worked in lieu counts as a working day', async () => {
  // Received Friday 2026-11-13 10:00 with 1 working day, finished Monday 11-16 10:00: on time when
  // the next working day is Monday, late when Saturday the 14th is worked in lieu (调休上班).
  const csv = [GONGJIAN_CSV_HEADER, 'IL-1,CIV-MARRIAGE-01,2026-11-13 10:00:00,2026-11-16 10:00:00,FINISHED,370199001001,,,,COUNTER,,,'].join('\n');
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'il.csv', mapping: gongjian, batchRows: 100 })).toMatchObject({ inserted: 1 });
  const onTime = async () => (await db.query(`select on_time from demand_daily where source = 1 and day = '2026-11-13'`)).rows;
  expect(await onTime()).toEqual([{ on_time: 1 }]);
  const inLieu = await app.execute(ADJUST, { input: { set: [{ day: '2026-11-14', workday: true, holiday: '台风停工' }] } });
  expect(inLieu.errors).toBeUndefined();
  expect(await onTime()).toEqual([{ on_time: 0 }]);
  const row = (await app.execute(`{ workCalendar(from: "2026-11-14", to: "2026-11-14") { days { day workday holiday adjusted } } }`)).data.workCalendar.days;
  expect(row).toEqual([{ day: '2026-11-14', workday: true, holiday: '台风停工', adjusted: true }]);
  await app.execute(ADJUST, { input: { clear: ['2026-11-14'] } });
  expect(await onTime()).toEqual([{ on_time: 1 }]);
});

test('bad input is refused with the field named, and changes nothing', async () => {
  const before = await adjustments();
  const calendarBefore = (await db.query(`select md5(string_agg(day::text || workday::text || coalesce(holiday, ''), ',' order by day)) as digest from work_calendar`)).rows;
  const cases: [string, Record<string, unknown>, string][] = [
    ['nothing to do', {}, 'input'],
    ['a weekday off with no holiday named', { set: [{ day: '2027-01-01', workday: false }] }, 'input.set.0.holiday'],
    ['a weekend day worked with no holiday named', { set: [{ day: '2027-02-06', workday: true }] }, 'input.set.0.holiday'],
    ['a day given twice', { set: [NEW_YEAR_2027[0]], clear: ['2027-01-01'] }, 'input.clear.0'],
    ['a day outside the calendar\'s years', { set: [{ day: '2041-01-01', workday: false, holiday: '元旦' }] }, 'input.set.0.day'],
    ['a blank holiday', { set: [{ day: '2027-01-01', workday: false, holiday: '  ' }] }, 'input.set.0.holiday'],
    ['a holiday name too long', { set: [{ day: '2027-01-01', workday: false, holiday: '元'.repeat(21) }] }, 'input.set.0.holiday'],
    ['too many days', { clear: Array.from({ length: 401 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10)) }, 'input.clear'],
  ];
  for (const [label, input, field] of cases) {
    const answer = await app.execute(ADJUST, { input });
    expect({ label, error: answer.errors?.[0].extensions }).toMatchObject({ label, error: { code: 'BAD_USER_INPUT', field } });
  }
  const query = await app.execute(`{ workCalendar(from: "2027-01-01", to: "2028-12-31") { holidaysKnownThrough } }`);
  expect(query.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  const backwards = await app.execute(`{ workCalendar(from: "2027-01-10", to: "2027-01-01") { holidaysKnownThrough } }`);
  expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  expect(await adjustments()).toEqual(before);
  expect((await db.query(`select md5(string_agg(day::text || workday::text || coalesce(holiday, ''), ',' order by day)) as digest from work_calendar`)).rows).toEqual(calendarBefore);
});

test('only an administrator of everything adjusts the calendar; anyone signed in, portals too, reads it', async () => {
  const staff = accountViewer(Role.COMMUNITY_STAFF, ['1.2.3.']);
  const bound = accountViewer(Role.DISTRICT_ADMIN, ['1.']);
  for (const viewer of [staff, bound, portalViewer()]) {
    const refused = await app.execute(ADJUST, { input: { set: NEW_YEAR_2027 } }, viewer);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
  expect(await adjustments()).toEqual([]);
  const read = await app.execute(`{ workCalendar(from: "2026-10-01", to: "2026-10-07") { days { workday holiday } } }`, undefined, portalViewer());
  expect(read.errors).toBeUndefined();
  expect(read.data.workCalendar.days.every((d: any) => d.workday === false && d.holiday === '国庆节')).toBe(true);
  // This year by default.
  const thisYear = await app.execute(`{ workCalendar { days { day } } }`, undefined, staff);
  const year = new Date(app.clock.now().getTime() + 8 * 3600_000).getUTCFullYear();
  expect(thisYear.data.workCalendar.days[0].day).toBe(`${year}-01-01`);
  expect(thisYear.data.workCalendar.days.at(-1).day).toBe(`${year}-12-31`);
});

const daysOff = (from: string, to: string, holiday: string) => {
  const out: { day: string; workday: boolean; holiday: string }[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push({ day: new Date(t).toISOString().slice(0, 10), workday: false, holiday });
  return out;
};

test('a long closure extended: records received before it are recomputed too, as a rebuild would', async () => {
  // CIV-SUBSIDY-01 allows 20 working days. With 03-09…04-30 closed, a record received 02-25 is due
  // in late May; closing 05-06…05-31 as well moves that deadline, though 02-25 lies more than
  // 2 × 20 + 14 calendar days before the first day the second adjustment moves.
  const csv = [GONGJIAN_CSV_HEADER,
    'LC-1,CIV-SUBSIDY-01,2026-02-25 10:00:00,2026-06-10 10:00:00,FINISHED,370199001001,,,,COUNTER,,,',
    'LC-2,CIV-SUBSIDY-01,2026-03-05 10:00:00,2026-06-10 10:00:00,FINISHED,370199001001,,,,COUNTER,,,',
  ].join('\n');
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'lc.csv', mapping: gongjian, batchRows: 100 })).toMatchObject({ inserted: 2 });
  expect((await app.execute(ADJUST, { input: { set: daysOff('2026-03-09', '2026-04-30', '封控停工') } })).errors).toBeUndefined();
  const extended = await app.execute(ADJUST, { input: { set: daysOff('2026-05-06', '2026-05-31', '封控停工') } });
  expect(extended.errors).toBeUndefined();
  expect(extended.data.adjustWorkCalendar.recomputedFrom <= '2026-02-25').toBe(true);
  const onTime = async () => (await db.query(`select day::text, on_time from demand_daily where source = 1 and day in ('2026-02-25', '2026-03-05') order by day`)).rows;
  expect(await onTime()).toEqual([{ day: '2026-02-25', on_time: 1 }, { day: '2026-03-05', on_time: 1 }]);
  const incremental = await snapshotAll();
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect(await snapshotAll()).toEqual(incremental);
  // Given back, the records are late again, everywhere.
  await app.execute(ADJUST, { input: { clear: [...daysOff('2026-03-09', '2026-04-30', ''), ...daysOff('2026-05-06', '2026-05-31', '')].map((d) => d.day) } });
  expect(await onTime()).toEqual([{ day: '2026-02-25', on_time: 0 }, { day: '2026-03-05', on_time: 0 }]);
  await db.query(`delete from service_record where source_id in ('LC-1', 'LC-2')`);
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
});

test('two administrators entering the same days in opposite orders at once both succeed', async () => {
  const year = daysOff('2027-01-01', '2027-12-31', '演练').slice(0, 400);
  for (let round = 0; round < 3; round++) {
    const answers = await Promise.all([app.execute(ADJUST, { input: { set: year } }), app.execute(ADJUST, { input: { set: [...year].reverse() } })]);
    expect(answers.map((answer) => answer.errors?.[0].extensions?.code ?? 'OK')).toEqual(['OK', 'OK']);
  }
  expect((await db.query(`select count(*)::int as n from work_calendar where day between '2027-01-01' and '2027-12-31' and not workday`)).rows[0].n).toBe(365);
  await app.execute(ADJUST, { input: { clear: year.map((d) => d.day) } });
  expect(await adjustments()).toEqual([]);
});

test('a local closure does not announce a year\'s holidays; one end of a span reads a year within the calendar', async () => {
  const typhoon = await app.execute(ADJUST, { input: { set: [{ day: '2027-07-15', workday: false, holiday: '台风停工' }] } });
  expect(typhoon.data.adjustWorkCalendar.holidaysKnownThrough).toBe(2026);
  await app.execute(ADJUST, { input: { clear: ['2027-07-15'] } });
  const late = await app.execute(`{ workCalendar(from: "2040-06-01") { days { day } } }`);
  expect(late.errors).toBeUndefined();
  expect([late.data.workCalendar.days[0].day, late.data.workCalendar.days.at(-1).day]).toEqual(['2040-06-01', '2040-12-31']);
  const early = await app.execute(`{ workCalendar(to: "2000-03-01") { days { day } } }`);
  expect([early.data.workCalendar.days[0].day, early.data.workCalendar.days.at(-1).day]).toEqual(['2000-01-01', '2000-03-01']);
});

test('a statutory holiday counts however it is spelled (国庆, 国庆节, 清明节, 春节假期, 五一)', async () => {
  for (const holiday of ['国庆', '国庆节', '清明节', '春节假期', '五一劳动节']) {
    const answer = await app.execute(ADJUST, { input: { set: [{ day: '2027-10-04', workday: false, holiday }] } });
    expect({ holiday, known: answer.data.adjustWorkCalendar.holidaysKnownThrough }).toEqual({ holiday, known: 2027 });
  }
  await app.execute(ADJUST, { input: { clear: ['2027-10-04'] } });
  expect(await adjustments()).toEqual([]);
});

test('without the BRIN index (dropped by hand) an adjustment still recomputes, by a full read', async () => {
  const csv = [GONGJIAN_CSV_HEADER, 'NB-1,CIV-MARRIAGE-01,2026-11-19 10:00:00,2026-11-23 10:00:00,FINISHED,370199001001,,,,COUNTER,,,'].join('\n');
  expect(await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'nb.csv', mapping: gongjian, batchRows: 100 })).toMatchObject({ inserted: 1 });
  const onTime = async () => (await db.query(`select on_time from demand_daily where source = 1 and day = '2026-11-19'`)).rows;
  expect(await onTime()).toEqual([{ on_time: 0 }]);
  await db.query('drop index service_record_received_at_brin');
  try {
    const answer = await app.execute(ADJUST, { input: { set: [{ day: '2026-11-20', workday: false, holiday: '台风停工' }] } });
    expect(answer.errors).toBeUndefined();
    expect(await onTime()).toEqual([{ on_time: 1 }]);
    await app.execute(ADJUST, { input: { clear: ['2026-11-20'] } });
    expect(await onTime()).toEqual([{ on_time: 0 }]);
  } finally {
    await db.query('create index service_record_received_at_brin on service_record using brin (received_at) with (pages_per_range = 32)');
    await db.query(`delete from service_record where source_id = 'NB-1'`);
    await db.query('begin');
    await rebuildRollups(db);
    await db.query('commit');
  }
});
