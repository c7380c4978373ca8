/**
 * The roll-ups outside the bulk import: every request step, area move and inline import leaves
 * every roll-up table equal to what a full rebuild (npm run rollups:rebuild) computes from the raw
 * rows, across China midnights, a reopen after its month ended and writes at the same moment; and
 * serviceStats and the dashboard agree with SQL over the raw rows.
 */
import pg from 'pg';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { rebuildRollups } from '../../src/modules/service-data/rollups';
import { UPDATE_AREA } from '../operations/areas';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, createGrid, dbId, type World } from '../helpers/fixtures';
import { hold, waiters } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let db: pg.Client;
let lights: string;
let repair: string;
const TABLES = ['request_daily', 'service_daily', 'demand_daily', 'demand_monthly', 'demand_grid_daily', 'demand_grid_monthly'];

beforeAll(async () => {
  app = await createTestApp();
  lights = await categoryId(app, 'HOUSING-LIGHTS');
  repair = await categoryId(app, 'HOUSING-REPAIR');
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});
afterEach(() => app.clock.reset());

async function snapshot(): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) tables[table] = (await db.query(`select * from ${table} order by 1, 2, 3, 4, 5`)).rows;
  return tables;
}

/** The roll-ups as the writes left them, then as a rebuild leaves them: equal, table by table. */
async function expectRebuildChangesNothing(): Promise<void> {
  const incremental = await snapshot();
  await db.query('begin');
  await rebuildRollups(db);
  await db.query('commit');
  const rebuilt = await snapshot();
  for (const table of TABLES) expect({ table, rows: incremental[table] }).toEqual({ table, rows: rebuilt[table] });
}

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

const STEP_INPUT: Record<string, string> = {
  dispatchRequest: 'DispatchRequestInput!', takeRequest: 'TakeRequestInput', startRequest: 'PlainStepInput', resolveRequest: 'PlainStepInput',
  resumeRequest: 'PlainStepInput', rateRequest: 'RateRequestInput!', closeOutRequest: 'CloseOutRequestInput!', rejectRequest: 'ReasonStepInput!',
  returnRequest: 'ReasonStepInput!', suspendRequest: 'ReasonStepInput!', reopenRequest: 'ReasonStepInput!', escalateRequest: 'ReasonStepInput!',
};
const step = (mutation: string, id: string, input: Record<string, unknown> = {}) =>
  app.execute(`mutation($id: ID!, $input: ${STEP_INPUT[mutation]}) { ${mutation}(id: $id, input: $input) { id status } }`, { id, input });
async function stepOk(mutation: string, id: string, input: Record<string, unknown> = {}) {
  const result = await step(mutation, id, input);
  if (result.errors) throw new Error(`${mutation}: ${JSON.stringify(result.errors)}`);
  return result.data[mutation];
}
const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
const createRequest = async (w: World, input: Record<string, unknown> = {}): Promise<string> =>
  (await ok(CREATE_REQUEST, { input: { title: '楼道灯坏了', body: '楼道灯不亮', channel: 'VISIT', categoryId: lights, areaId: w.gridId, residentGroup: 'ELDERLY', ...input } })).createRequest.id;

test('every step of the loop, on requests received either side of a China midnight and reopened after their month ended, leaves the roll-ups equal to a rebuild', async () => {
  const w = await buildWorld(app);
  app.clock.set(new Date('2026-03-31T15:59:59.999Z')); // 23:59:59.999 on 31 March in China
  const a = await createRequest(w);
  app.clock.set(new Date('2026-03-31T16:00:00.000Z')); // 00:00 on 1 April
  const b = await createRequest(w, { areaId: w.buildingId, residentGroup: null, categoryId: repair });
  const c = await createRequest(w, { areaId: w.communityId, residentGroup: 'GENERAL' });
  await expectRebuildChangesNothing();

  app.clock.set(new Date('2026-04-01T02:00:00Z'));
  for (const id of [a, b]) {
    await stepOk('dispatchRequest', id, { assigneePersonId: w.partyMemberId });
    await stepOk('takeRequest', id);
    await stepOk('startRequest', id);
  }
  await stepOk('suspendRequest', b, { reason: '等配件' });
  app.clock.set(new Date('2026-04-02T02:00:00Z'));
  await stepOk('resumeRequest', b);
  await stepOk('returnRequest', b, { reason: '不归我管' });
  await stepOk('escalateRequest', b, { reason: '上交街道' });
  await stepOk('resolveRequest', a);
  await stepOk('rateRequest', a, { satisfaction: 5 });
  await stepOk('closeOutRequest', a, { reason: '居民满意' });
  await stepOk('rejectRequest', c, { reason: '重复' });
  await expectRebuildChangesNothing();

  // a was received in March and is reopened in April: its March day (and month) change.
  app.clock.set(new Date('2026-04-06T02:00:00Z'));
  await stepOk('reopenRequest', a, { reason: '又坏了' });
  await expectRebuildChangesNothing();
  await stepOk('dispatchRequest', a, { assigneePersonId: w.partyMemberId });
  await stepOk('takeRequest', a);
  await stepOk('resolveRequest', a);
  await stepOk('rateRequest', a, { satisfaction: 2 });
  await expectRebuildChangesNothing();

  // Moves: the building to another grid of its community, then the grid to the other community.
  const second = await createGrid(app, w.communityId, '幸福里第二网格');
  await ok(UPDATE_AREA, { id: w.buildingId, input: { parentId: second } });
  await expectRebuildChangesNothing();
  await ok(UPDATE_AREA, { id: w.gridId, input: { parentId: w.otherCommunityId } });
  await expectRebuildChangesNothing();
});

test('steps and new requests sent at the same moment, on days either side of month ends, leave the roll-ups equal to a rebuild', async () => {
  const w = await buildWorld(app);
  const ids: string[] = [];
  const instants = ['2026-05-31T15:59:59Z', '2026-05-31T16:00:00Z', '2026-06-15T03:00:00Z', '2026-06-30T15:59:59Z', '2026-06-30T16:00:00Z'];
  for (const [i, instant] of instants.entries()) {
    app.clock.set(new Date(instant));
    const areas = [w.gridId, w.buildingId, w.otherGridId, w.communityId];
    ids.push(...(await Promise.all([0, 1, 2].map((k) => createRequest(w, { areaId: areas[(i + k) % areas.length], residentGroup: ['ELDERLY', null, 'GENERAL'][k] })))));
  }
  app.clock.set(new Date('2026-07-01T05:00:00Z'));
  const plan: [string, Record<string, unknown>][] = [
    ['dispatchRequest', { assigneePersonId: w.partyMemberId }], ['takeRequest', {}], ['resolveRequest', {}], ['rateRequest', { satisfaction: 4 }], ['closeOutRequest', { reason: '办结' }],
  ];
  for (const [mutation, input] of plan) {
    const results = await Promise.all([...ids.map((id) => step(mutation, id, input)), app.execute(CREATE_REQUEST, { input: { title: '新', body: '新', channel: 'VISIT', categoryId: repair, areaId: w.gridId } })]);
    expect(results.filter((r) => r.errors)).toEqual([]);
  }
  await expectRebuildChangesNothing();
  app.clock.set(new Date('2026-07-03T05:00:00Z'));
  const reopened = await Promise.all(ids.map((id) => step('reopenRequest', id, { reason: '不满意' })));
  expect(reopened.filter((r) => r.errors)).toEqual([]);
  // The same request twice at once: one wins, the other is refused, the roll-ups hold the winner.
  const [first, again] = await Promise.all([step('escalateRequest', ids[0], { reason: '上交' }), step('dispatchRequest', ids[0], { assigneePersonId: w.partyMemberId })]);
  expect([first, again].filter((r) => r.errors)).toHaveLength(1);
  await expectRebuildChangesNothing();
});

test('a request written in a building while its grid moves to another community: both succeed without a deadlock, and the roll-ups equal a rebuild', async () => {
  const w = await buildWorld(app);
  const retries = transactionRetriesSoFar();
  // The move takes the roll-ups lock, then waits here (its grid's row) before it locks the subtree.
  const release = await hold(app, 'select 1 from area where id = $1 for update', [dbId(w.gridId)]);
  let moved!: Promise<any>;
  let created!: Promise<any>;
  try {
    moved = app.execute(UPDATE_AREA, { id: w.gridId, input: { parentId: w.otherCommunityId } });
    await waiters(app, 1);
    created = app.execute(CREATE_REQUEST, { input: { title: '屋顶漏水', body: '屋顶漏水', channel: 'VISIT', categoryId: repair, areaId: w.buildingId } });
    await waiters(app, 2);
  } finally {
    await release();
  }
  const [move, create] = await Promise.all([moved, created]);
  expect({ move: move.errors, create: create.errors }).toEqual({ move: undefined, create: undefined });
  // Not rolled back by PostgreSQL as a deadlock and run again (a second later, or TRY_AGAIN on the third).
  expect(transactionRetriesSoFar() - retries).toBe(0);
  const [{ community }] = (await db.query(`select community_id as community from request_daily where community_id in ($1, $2)`, [dbId(w.communityId), dbId(w.otherCommunityId)])).rows;
  expect(community).toBe(dbId(w.otherCommunityId));
  await expectRebuildChangesNothing();
});

const IMPORT = `mutation ($records: [ServiceRecordInput!]!, $source: String!) { importServiceRecords(records: $records, source: $source) { status inserted duplicates rejected } }`;
const STATS = `query($input: ServiceStatsInput!) { serviceStats(input: $input) { from to
  total { serviceCount consultations demands open finished averageCloseHours satisfactionCount requestCount demandTotal }
  rows { key serviceCount consultations demands open finished averageCloseHours satisfactionCount requestCount demandTotal } } }`;

test('serviceStats and the dashboard, records and requests either side of a China midnight, agree with SQL over the raw rows', async () => {
  const w = await buildWorld(app);
  const [{ code: communityCode }] = (await db.query(`select code from area where id = $1`, [dbId(w.communityId)])).rows;
  const [{ code: gridCode }] = (await db.query(`select code from area where id = $1`, [dbId(w.gridId)])).rows;
  const items = (await db.query(`(select code from service_item where active and is_consultation order by id limit 1) union all (select code from service_item where active and not is_consultation order by id limit 2)`)).rows.map((r) => r.code);
  const records = [
    ['2026-08-31T15:59:59.999Z', '2026-09-01T01:00:00Z', 'FINISHED'],
    ['2026-08-31T16:00:00Z', '2026-09-02T01:00:00Z', 'FINISHED'],
    ['2026-08-31T16:00:00.500Z', null, 'OPEN'],
    ['2026-09-01T15:59:59Z', '2026-09-01T16:00:00Z', 'CANCELLED'],
    ['2026-09-01T16:00:00Z', null, 'OPEN'],
  ].map(([receivedAt, finishedAt, status], i) => ({
    sourceId: `edge-${i}`, itemCode: items[i % items.length], receivedAt, finishedAt, status, communityCode, gridCode,
    satisfaction: status === 'FINISHED' ? 4 + (i % 2) : null, residentGroups: i % 2 ? ['ELDERLY', 'DISABLED'] : [],
  }));
  expect((await ok(IMPORT, { records, source: 'review-edge' })).importServiceRecords).toMatchObject({ status: 'SUCCEEDED', inserted: 5 });
  for (const instant of ['2026-08-31T15:59:59.999Z', '2026-08-31T16:00:00Z', '2026-09-01T15:59:59.999Z', '2026-09-01T16:00:00Z']) {
    app.clock.set(new Date(instant));
    await createRequest(w);
  }
  app.clock.set(new Date('2026-09-05T04:00:00Z'));
  await expectRebuildChangesNothing();

  const stats = (await ok(STATS, { input: { areaId: w.streetId, from: '2026-08-31', to: '2026-09-01', groupBy: 'DAY' } })).serviceStats;
  const raw = (await db.query(
    `with r as (select (r.received_at at time zone 'Asia/Shanghai')::date::text as day, r.*, i.is_consultation from service_record r join service_item i on i.id = r.item_id
                 join area c on c.id = r.community_id where c.path like $1),
          q as (select (q.created_at at time zone 'Asia/Shanghai')::date::text as day from request q join area a on a.id = q.area_id where a.path like $1)
     select d.day as key,
            (select count(*) from r where r.day = d.day)::int as "serviceCount",
            (select count(*) filter (where is_consultation) from r where r.day = d.day)::int as consultations,
            (select count(*) filter (where not is_consultation) from r where r.day = d.day)::int as demands,
            (select count(*) filter (where status = 'OPEN') from r where r.day = d.day)::int as open,
            (select count(*) filter (where status = 'FINISHED') from r where r.day = d.day)::int as finished,
            (select count(satisfaction) from r where r.day = d.day)::int as "satisfactionCount",
            (select count(*) from q where q.day = d.day)::int as "requestCount"
       from (values ('2026-08-31'), ('2026-09-01')) d(day) order by 1`,
    [`${(await db.query(`select path from area where id = $1`, [dbId(w.streetId)])).rows[0].path}%`],
  )).rows;
  expect(stats.rows.map(({ averageCloseHours: _hours, demandTotal: _total, ...row }: any) => row)).toEqual(raw);
  expect(raw.map((r) => r.serviceCount)).toEqual([1, 3]);
  expect(raw.map((r) => r.requestCount)).toEqual([1, 2]);
  expect(stats.total.requestCount).toBe(3);

  // The dashboard reads the raw requests: the same two China days, the same count.
  const dashboard = (await ok(`query($input: DashboardInput!) { dashboard(input: $input) { requestsReceived requestsByDay { day received } } }`, {
    input: { areaId: w.streetId, from: '2026-08-31T00:00:00+08:00', to: '2026-09-02T00:00:00+08:00' },
  })).dashboard;
  expect(dashboard).toEqual({ requestsReceived: 3, requestsByDay: [{ day: '2026-08-31', received: 1 }, { day: '2026-09-01', received: 2 }] });
});

test('serviceStats answers from one moment: records imported while it reads count in its total and its rows alike, or in neither', async () => {
  const w = await buildWorld(app);
  const [{ code: communityCode }] = (await db.query(`select code from area where id = $1`, [dbId(w.communityId)])).rows;
  const [{ code: itemCode }] = (await db.query(`select code from service_item where active and not is_consultation order by id limit 1`)).rows;
  const record = (sourceId: string) => ({ sourceId, itemCode, receivedAt: '2026-10-08T02:00:00Z', status: 'OPEN', communityCode });
  await ok(IMPORT, { records: [record('moment-1')], source: 'review-moment' });
  // serviceStats reads its rows, then waits on request_daily (held below) before it reads its total.
  const release = await hold(app, 'lock table request_daily in access exclusive mode');
  let stats!: Promise<any>;
  try {
    stats = app.execute(STATS, { input: { areaId: w.communityId, from: '2026-10-08', to: '2026-10-08', groupBy: 'DAY' } });
    await waiters(app, 1);
    // A record arrives meanwhile (an import touches no request roll-up, so it commits at once).
    expect((await ok(IMPORT, { records: [record('moment-2')], source: 'review-moment' })).importServiceRecords).toMatchObject({ inserted: 1 });
  } finally {
    await release();
  }
  const answer = (await stats).data.serviceStats;
  const rowsSum = answer.rows.reduce((sum: number, row: any) => sum + row.serviceCount, 0);
  expect({ total: answer.total.serviceCount, rows: rowsSum }).toEqual({ total: rowsSum, rows: rowsSum });
});
