import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { generateServiceRecords, GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { rebuildRollups, refreshRequestDaily, syncWorkCalendarAndRollups } from '../../src/modules/service-data/rollups';
import { clearAllData } from '../../src/seed/demo-city';
import { Migration20261203160000_demand_evidence_demands_only } from '../../migrations/Migration20261203160000_demand_evidence_demands_only';
import { Migration20261231200000_demand_exemplar_latest_record } from '../../migrations/Migration20261231200000_demand_exemplar_latest_record';
import { createDemoCityApp, type TestApp } from '../helpers/test-app';
import { rankDemand, type SqlRunner } from '../../analytics';

let app: TestApp;
let db: pg.Client;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'demand-rollups-'));
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
const TABLES = ['demand_daily', 'demand_monthly', 'demand_grid_daily', 'demand_grid_monthly'];

beforeAll(async () => {
  ({ app, db } = await createDemoCityApp());
});
afterAll(async () => {
  await db?.end();
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const importCsv = (csv: string, batchRows = 1000) =>
  importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'demand.csv', mapping: gongjian, batchRows });
const snapshot = async (table: string) => (await db.query(`select * from ${table} order by 1, 2, 3, 4`)).rows;
/** Every table's rows, read one after another (one client runs one query at a time). */
const snapshotAll = async () => {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) tables[table] = await snapshot(table);
  return tables;
};

test('one record lands in every demand table with its deadline, close-time bin, groups and exemplar', async () => {
  // CIV-MARRIAGE-01 allows 1 working day. Received Friday 2024-03-01 16:00 China time: due by the end of Monday 03-04.
  // R-1 finished Monday 23:00 (on time, 79 h → bin [72, 120) = h6); R-2 finished Tuesday 09:00 (late, 89 h → h6).
  // R-3 is a consultation (CIV-MARRIAGE-03): counted apart. The community 370199001001 is the first demo community.
  const csv = [
    GONGJIAN_CSV_HEADER,
    'R-1,CIV-MARRIAGE-01,2024-03-01 16:00:00,2024-03-04 23:00:00,FINISHED,370199001001,370199001001001,,ELDERLY|WOMEN,COUNTER,5,,',
    'R-2,CIV-MARRIAGE-01,2024-03-01 16:00:00,2024-03-05 09:00:00,FINISHED,370199001001,,,YOUTH,COUNTER,3,,',
    'R-3,CIV-MARRIAGE-03,2024-03-01 17:00:00,2024-03-01 17:10:00,FINISHED,370199001001,,,,COUNTER,,,',
  ].join('\n');
  expect(await importCsv(csv)).toMatchObject({ inserted: 3, rejected: 0 });
  const row = (await db.query(`select d.*, c.code from demand_daily d join request_category c on c.id = d.category_id where d.day = '2024-03-01'`)).rows;
  expect(row).toHaveLength(1);
  expect(row[0]).toMatchObject({
    code: 'CIV-MARRIAGE', source: 1, demands: 2, consultations: 1, finished: 2, timed: 2, on_time: 1, close_seconds_sum: String((79 + 89) * 3600),
    satisfaction_sum: 8, satisfaction_count: 2, satisfied: 1, vulnerable: 1, with_group: 2, g_elderly: 1, g_women: 1, g_youth: 1, g_unknown: 0, h6: 2, h5: 0,
    // The evidence is the latest demand (R-3, later, is a consultation the volume does not count).
    exemplar: 'S:gongjian:R-2',
  });
  expect(new Date(row[0].latest).toISOString()).toBe('2024-03-01T08:00:00.000Z');
  const grid = (await db.query(`select demands, finished, on_time from demand_grid_daily where day = '2024-03-01'`)).rows;
  expect(grid).toEqual([{ demands: 1, finished: 1, on_time: 1 }]);
  const month = (await db.query(`select demands, consultations, h6 from demand_monthly where month = '2024-03-01'`)).rows;
  expect(month).toEqual([{ demands: 2, consultations: 1, h6: 2 }]);
});

test('deadlines count China working days: Spring Festival is not worked, the Saturday worked in lieu is', async () => {
  // CIV-MARRIAGE-01 allows 1 working day. 2026: Spring Festival off 02-15 … 02-23, Saturday 02-14 worked in lieu.
  // SF-1, received Friday 02-13: due by the end of Saturday 02-14; finished Monday 02-16 (a holiday): late.
  //   Counting Monday-Friday it was due Monday 02-16 and would be on time.
  // SF-2, received on the Saturday worked 02-14: due by the end of Tuesday 02-24, the first working day after; finished then: on time.
  //   Counting Monday-Friday it was due Monday 02-16 and would be late.
  const csv = [
    GONGJIAN_CSV_HEADER,
    'SF-1,CIV-MARRIAGE-01,2026-02-13 10:00:00,2026-02-16 10:00:00,FINISHED,370199001001,,,,COUNTER,,,',
    'SF-2,CIV-MARRIAGE-01,2026-02-14 10:00:00,2026-02-24 16:00:00,FINISHED,370199001001,,,,COUNTER,,,',
  ].join('\n');
  expect(await importCsv(csv)).toMatchObject({ inserted: 2, rejected: 0 });
  const onTime = async () => (await db.query(`select day::text, timed, on_time from demand_daily where source = 1 and day between '2026-02-13' and '2026-02-14' order by day`)).rows;
  expect(await onTime()).toEqual([{ day: '2026-02-13', timed: 1, on_time: 0 }, { day: '2026-02-14', timed: 1, on_time: 1 }]);
  const february = (await db.query(`select timed, on_time from demand_monthly where source = 1 and month = '2026-02-01'`)).rows;
  expect(february).toEqual([{ timed: 2, on_time: 1 }]);
  const calendar = (await db.query(`select day::text, workday, holiday from work_calendar where day in ('2026-02-14', '2026-02-16', '2026-02-24') order by day`)).rows;
  expect(calendar).toEqual([{ day: '2026-02-14', workday: true, holiday: '春节' }, { day: '2026-02-16', workday: false, holiday: '春节' }, { day: '2026-02-24', workday: true, holiday: null }]);

  // A database whose roll-ups were counted Monday-Friday (before the calendar, or before its data
  // had these years): the sync at start-up fills the calendar and recomputes the days it moves.
  await db.query('begin');
  await db.query('delete from work_calendar');
  await rebuildRollups(db);
  await db.query('commit');
  expect(await onTime()).toEqual([{ day: '2026-02-13', timed: 1, on_time: 1 }, { day: '2026-02-14', timed: 1, on_time: 0 }]);
  await db.query('begin');
  const sync = await syncWorkCalendarAndRollups(db);
  await db.query('commit');
  expect(sync.refreshed).not.toBeNull();
  expect(sync.refreshed!.from <= '2026-02-13' && sync.refreshed!.to >= '2026-02-14').toBe(true);
  expect(await onTime()).toEqual([{ day: '2026-02-13', timed: 1, on_time: 0 }, { day: '2026-02-14', timed: 1, on_time: 1 }]);
  // What the sync left is what a rebuild gives, table by table; a second sync finds nothing to do.
  const synced = await snapshotAll();
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  for (const table of TABLES) expect({ table, rows: await snapshot(table) }).toEqual({ table, rows: synced[table] });
  // A start with the calendar current reads one digest, nothing more.
  const statements: string[] = [];
  const counting = { query: (sql: string, params?: unknown[]) => (statements.push(sql), db.query(sql, params)) };
  expect(await syncWorkCalendarAndRollups(counting as unknown as pg.Client)).toEqual({ changedDays: 0, refreshed: null });
  expect(statements).toHaveLength(1);

  // Outside the calendar's years (and on an empty calendar) deadlines count Monday-Friday, as before.
  const old = [GONGJIAN_CSV_HEADER, 'OLD-1,CIV-MARRIAGE-01,1999-12-31 10:00:00,2000-01-03 20:00:00,FINISHED,370199001001,,,,COUNTER,,,'].join('\n');
  expect(await importCsv(old)).toMatchObject({ inserted: 1 });
  expect((await db.query(`select on_time from demand_daily where source = 1 and day = '1999-12-31'`)).rows).toEqual([{ on_time: 1 }]);
  await db.query(`delete from service_record where source_id in ('SF-1', 'SF-2', 'OLD-1')`);
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
});

test('incremental roll-ups (import batches and request days) equal a full rebuild, table by table', async () => {
  const file = path.join(tmp, 'city.csv');
  fs.writeFileSync(file, [...generateServiceRecords({ records: 5000, seed: 5, days: 90, startDay: '2024-05-01' })].join(''));
  const summary = await importServiceFile({ db, input: fs.createReadStream(file), fileName: file, mapping: gongjian, batchRows: 700 });
  expect(summary.inserted).toBe(5000);

  // Requests on a grid, on a building and on a community, refreshed day by day as the request module does.
  const category = (await db.query(`select id from request_category where code = 'HOUSING-LIGHTS'`)).rows[0].id;
  const building = (await db.query(`select id, path from area where level = 'BUILDING' order by id limit 1`)).rows[0];
  const gridId = Number(building.path.split('/')[4]);
  const community = Number(building.path.split('/')[3]);
  const insert = (n: number, created: string, area: number, status: string, resolved: string | null, due: string) =>
    db.query(
      `insert into request (created_at, updated_at, number, title, body, channel, category_id, area_id, resident_group, status, level, due_at, resolved_at, satisfaction)
       values ($1, $1, $2, 't', 'b', 'COUNTER', $3, $4, 'ELDERLY', $5, 'COMMUNITY', $6, $7, null)`,
      [created, `DR-${n}`, category, area, status, due, resolved],
    );
  await insert(1, '2024-05-10T02:00:00Z', building.id, 'RESOLVED', '2024-05-11T02:00:00Z', '2024-05-13T02:00:00Z');
  await insert(2, '2024-05-10T03:00:00Z', gridId, 'ORDERED', null, '2024-05-13T02:00:00Z');
  await insert(3, '2024-06-02T03:00:00Z', community, 'CLOSED', '2024-06-09T03:00:00Z', '2024-06-05T03:00:00Z');
  for (const day of ['2024-05-10', '2024-06-02']) {
    await db.query('begin');
    await refreshRequestDaily(db, day, day);
    await db.query('commit');
  }
  const requestCells = (await db.query(`select day::text, grid_id, demands, open, finished, on_time, vulnerable from demand_grid_daily where source = 2 order by day`)).rows;
  expect(requestCells).toEqual([{ day: '2024-05-10', grid_id: gridId, demands: 2, open: 1, finished: 1, on_time: 1, vulnerable: 2 }]);
  const june = (await db.query(`select demands, finished, on_time from demand_monthly where source = 2 and month = '2024-06-01' and community_id = $1`, [community])).rows;
  expect(june).toEqual([{ demands: 1, finished: 1, on_time: 0 }]);

  const incremental = await snapshotAll();
  const services = (await db.query(`select count(*)::int as n from service_record`)).rows[0].n;
  const counted = (await db.query(`select sum(demands + consultations)::int as n from demand_daily where source = 1`)).rows[0].n;
  expect(counted).toBe(services);
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  for (const table of TABLES) expect({ table, rows: await snapshot(table) }).toEqual({ table, rows: incremental[table] });
  // Monthly tables are the sums of the daily ones.
  const check = await db.query(`select (select sum(demands) from demand_daily) = (select sum(demands) from demand_monthly) as a,
    (select sum(h3) from demand_daily) = (select sum(h3) from demand_monthly) as b, (select sum(open) from demand_grid_daily) = (select sum(open) from demand_grid_monthly) as c`);
  expect(check.rows[0]).toEqual({ a: true, b: true, c: true });

  // Migration 20261203160000 turns rows stored with the earlier evidence (any record) into these.
  await db.query(`update demand_daily d set latest = x.latest, exemplar = x.exemplar from (
      select (r.received_at at time zone 'Asia/Shanghai')::date as day, i.category_id, r.community_id, max(r.received_at) as latest, max('S:' || r.source || ':' || r.source_id) as exemplar
      from service_record r join service_item i on i.id = r.item_id group by 1, 2, 3) x
    where d.source = 1 and d.day = x.day and d.category_id = x.category_id and d.community_id = x.community_id`);
  for (const table of ['demand_monthly', 'demand_grid_daily', 'demand_grid_monthly']) await db.query(`update ${table} set exemplar = 'S:stale', latest = now() where source = 1`);
  expect(await snapshot('demand_daily')).not.toEqual(incremental.demand_daily);
  const migration = new Migration20261203160000_demand_evidence_demands_only(app.orm.em.getDriver(), app.orm.config);
  await migration.up();
  for (const query of migration.getQueries()) await db.query(String(query));
  // That migration's exemplar is the greatest reference as text (the meaning then); migration
  // 20261231200000, which runs after it, turns it into the latest demand's, as the roll-ups now keep it.
  const exemplars = new Migration20261231200000_demand_exemplar_latest_record(app.orm.em.getDriver(), app.orm.config);
  await exemplars.up();
  for (const query of exemplars.getQueries()) await db.query(String(query));
  for (const table of TABLES) expect({ table, rows: await snapshot(table) }).toEqual({ table, rows: incremental[table] });
});

test("a cell's exemplar is its latest demand (ties: the longer, then the greater id), not the greatest id as text; batches, a rebuild and the migration agree", async () => {
  // One cell (day × category × community, and its grid), in four imports (four batches, each upserted into the stored rows).
  const row = (id: string, time: string) => `${id},CIV-MARRIAGE-01,2023-01-05 ${time},,OPEN,370199001001,370199001001001,,,COUNTER,,,`;
  const cell = async () =>
    (await db.query(`select 'daily' as t, exemplar, latest from demand_daily where day = '2023-01-05' and source = 1
      union all select 'monthly', exemplar, latest from demand_monthly where month = '2023-01-01' and source = 1
      union all select 'grid daily', exemplar, latest from demand_grid_daily where day = '2023-01-05' and source = 1
      union all select 'grid monthly', exemplar, latest from demand_grid_monthly where month = '2023-01-01' and source = 1 order by 1`)).rows
      .map((r) => ({ t: r.t, exemplar: r.exemplar, latest: new Date(r.latest).toISOString() }));
  const all = (exemplar: string, latest: string) => ['daily', 'grid daily', 'grid monthly', 'monthly'].map((t) => ({ t, exemplar, latest }));
  // E-10 was received last: as text, E-9 is the greater id, and was shown as the cell's latest example.
  expect(await importCsv([GONGJIAN_CSV_HEADER, row('E-9', '10:00:00'), row('E-10', '11:00:00')].join('\n'))).toMatchObject({ inserted: 2 });
  expect(await cell()).toEqual(all('S:gongjian:E-10', '2023-01-05T03:00:00.000Z'));
  // An earlier record in a later batch leaves it.
  await importCsv([GONGJIAN_CSV_HEADER, row('E-8', '09:00:00')].join('\n'));
  expect(await cell()).toEqual(all('S:gongjian:E-10', '2023-01-05T03:00:00.000Z'));
  // Received at the same instant: the longer id (E-100 after E-10, as numbers go), then the greater.
  await importCsv([GONGJIAN_CSV_HEADER, row('E-100', '11:00:00')].join('\n'));
  await importCsv([GONGJIAN_CSV_HEADER, row('E-11', '11:00:00')].join('\n'));
  expect(await cell()).toEqual(all('S:gongjian:E-100', '2023-01-05T03:00:00.000Z'));

  const incremental = await snapshotAll();
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  for (const table of TABLES) expect({ table, rows: await snapshot(table) }).toEqual({ table, rows: incremental[table] });

  // Rows stored with the old meaning (the greatest id as text) are put right by the migration.
  for (const table of TABLES) await db.query(`update ${table} set exemplar = 'S:gongjian:E-9' where source = 1 and exemplar = 'S:gongjian:E-100'`);
  expect((await cell()).map((r) => r.exemplar)).toEqual(Array(4).fill('S:gongjian:E-9'));
  const migration = new Migration20261231200000_demand_exemplar_latest_record(app.orm.em.getDriver(), app.orm.config);
  await migration.up();
  for (const query of migration.getQueries()) await db.query(String(query));
  for (const table of TABLES) expect({ table, rows: await snapshot(table) }).toEqual({ table, rows: incremental[table] });
});

test('a ranking row lists its evidence newest first, records of the same instant as the roll-ups order them (F-10 before F-9)', async () => {
  // Two communities, one demand each at the same instant: one CATEGORY row, two exemplars with the same `latest`.
  const row = (id: string, community: string) => `${id},CIV-MARRIAGE-01,2023-02-20 10:00:00,,OPEN,${community},,,,COUNTER,,,`;
  await importCsv([GONGJIAN_CSV_HEADER, row('F-9', '370199001001'), row('F-10', '370199002001'), row('F-1', '370199001001').replace('02-20 10:00:00', '02-19 09:00:00')].join('\n'));
  // rankDemand reads in parallel: one pg Client takes them one at a time.
  let last: Promise<unknown> = Promise.resolve();
  const sql: SqlRunner = {
    query<R>(text: string, params?: unknown[]) {
      const run = last.then(() => db.query(text, params)) as Promise<{ rows: R[] }>;
      last = run.catch(() => undefined);
      return run;
    },
  };
  const result = await rankDemand(sql, {
    from: '2023-02-01', to: '2023-02-28', areaPaths: null, groupBy: ['CATEGORY'], sources: 'SERVICE_RECORDS', includeConsultations: false, minSupport: 1, topN: 5, now: new Date('2023-03-01T02:00:00Z'),
  });
  expect(result.rows.map((r) => r.evidenceIds)).toEqual([['ServiceRecord:gongjian:F-10', 'ServiceRecord:gongjian:F-9', 'ServiceRecord:gongjian:F-1']]);
});

/** Every roll-up the request side writes, as rows (compared before and after a rebuild). */
const requestRollups = async () => ({ request_daily: await snapshot('request_daily'), ...(await snapshotAll()) });

async function insertRequestOn(client: pg.Client, number: string, created: string, status = 'ORDERED'): Promise<number> {
  const category = (await client.query(`select id from request_category where code = 'HOUSING-LIGHTS'`)).rows[0].id;
  const grid = (await client.query(`select id from area where level = 'GRID' order by id limit 1`)).rows[0].id;
  const { rows } = await client.query(
    `insert into request (created_at, updated_at, number, title, body, channel, category_id, area_id, resident_group, status, level, due_at)
     values ($1, $1, $2, 't', 'b', 'COUNTER', $3, $4, 'ELDERLY', $5, 'COMMUNITY', $1::timestamptz + interval '3 days') returning id`,
    [created, number, category, grid, status],
  );
  return rows[0].id;
}
const insertRequest = (number: string, created: string, status?: string) => insertRequestOn(db, number, created, status);

test('a range refresh (an area move) and a one-day refresh inside it (a request step) at once both succeed, and the roll-ups equal a rebuild', async () => {
  const id = await insertRequest('RACE-1', '2024-09-15T02:00:00Z');
  await insertRequest('RACE-2', '2024-09-03T02:00:00Z');
  const move = new pg.Client({ connectionString: app.databaseUrl });
  const step = new pg.Client({ connectionString: app.databaseUrl });
  await move.connect();
  await step.connect();
  try {
    await move.query('begin');
    await refreshRequestDaily(move, '2024-08-20', '2024-10-10');
    // The step resolves its request and refreshes its day while the move is still open.
    await step.query('begin');
    await step.query(`update request set status = 'RESOLVED', resolved_at = created_at + interval '1 day' where id = $1`, [id]);
    const stepped = refreshRequestDaily(step, '2024-09-15', '2024-09-15').then(() => step.query('commit')).then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await move.query('commit');
    expect(await stepped).toBe('ok');
  } finally {
    await step.query('rollback').catch(() => undefined);
    await move.end();
    await step.end();
  }
  const resolved = (await db.query(`select sum(resolved)::int as n from request_daily where day = '2024-09-15'`)).rows[0].n;
  expect(resolved).toBe(1);
  const incremental = await requestRollups();
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  expect(await requestRollups()).toEqual(incremental);
});

test('a full rebuild waits for an open request step instead of failing on its rows, and writes each demand table once', async () => {
  await insertRequest('REBUILD-1', '2024-11-05T02:00:00Z');
  const step = new pg.Client({ connectionString: app.databaseUrl });
  const rebuild = new pg.Client({ connectionString: app.databaseUrl });
  await step.connect();
  await rebuild.connect();
  const statements: string[] = [];
  const recording = { query: (sql: string, params?: unknown[]) => (statements.push(sql), rebuild.query(sql, params as unknown[])) };
  try {
    await step.query('begin');
    await insertRequestOn(step, 'REBUILD-2', '2024-11-05T03:00:00Z');
    await refreshRequestDaily(step, '2024-11-05', '2024-11-05');
    await rebuild.query('begin');
    const rebuilt = rebuildRollups(recording as never).then(() => rebuild.query('commit')).then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await step.query('commit');
    expect(await rebuilt).toBe('ok');
  } finally {
    await rebuild.query('rollback').catch(() => undefined);
    await step.end();
    await rebuild.end();
  }
  expect((await db.query(`select sum(count)::int as n from request_daily where day = '2024-11-05'`)).rows[0].n).toBe(2);
  // The demand tables come from records and requests in one pass, not the request part first and then everything again.
  for (const table of TABLES) expect({ table, deletes: statements.filter((sql) => sql.startsWith(`delete from ${table}`)).length }).toEqual({ table, deletes: 1 });
});

test('a reset of the demo city (seed --reset) keeps the working-day calendar: it is the country\'s, not the city\'s', async () => {
  const days = async () => (await db.query('select count(*)::int as n, count(*) filter (where not workday)::int as off from work_calendar')).rows[0];
  const before = await days();
  expect(before.n).toBe(14_976);
  await app.orm.em.fork().transactional((em) => clearAllData(em));
  expect(await days()).toEqual(before);
  expect((await db.query('select count(*)::int as n from area')).rows).toEqual([{ n: 0 }]);
});
