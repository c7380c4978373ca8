import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, createUnit, dbId, ok, walkPages, type World } from '../helpers/fixtures';
import { createActivity } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Cursors carry their row's ordering value as a JS Date (milliseconds), while PostgreSQL keeps
 * microseconds: a row written by SQL `now()`, a COPY, a backfill or a psql session had digits the
 * cursor lost, and a walk repeated that row (ascending) or skipped its neighbours (descending).
 * The ordering timestamps below are set as outside SQL sets them, equal and near-equal.
 */
const STAMPS = [
  '2026-05-01 10:00:00.123456+00',
  '2026-05-01 10:00:00.123456+00',
  '2026-05-01 10:00:00.123457+00',
  '2026-05-01 10:00:00.123999+00',
  '2026-05-01 10:00:00.124000+00',
  '2026-05-01 10:00:00.124001+00',
  '2026-05-01 10:00:00.999999+00',
];

const REQUESTS = `query($first: Int, $after: String, $orderBy: RequestOrder) {
  requests(first: $first, after: $after, orderBy: $orderBy) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const UNITS = `query($first: Int, $after: String, $orderBy: NamedOrder) {
  units(first: $first, after: $after, orderBy: $orderBy) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const ACTIVITIES = `query($first: Int, $after: String) {
  activities(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

let app: TestApp;
let w: World;
let requestIds: number[];

async function createRequests(count: number): Promise<number[]> {
  const category = await categoryId(app, 'HOUSING-REPAIR');
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: `楼道灯不亮 ${i}`, body: '3单元楼道灯不亮', channel: 'VISIT', categoryId: category, areaId: w.buildingId },
    });
    ids.push(dbId(data.createRequest.id));
  }
  return ids;
}

/** Sets `column` of the rows `ids` to STAMPS in turn (as raw SQL, so with microseconds). */
async function stamp(table: string, column: string, ids: number[]): Promise<void> {
  const em = app.orm.em.fork();
  for (const [index, id] of ids.entries()) {
    await em.execute(`update "${table}" set "${column}" = ?::timestamptz where id = ?`, [STAMPS[index % STAMPS.length], id]);
  }
}

/** Ids of `table` in the order the list promises: the column, then id, in `direction`. */
async function storedOrder(table: string, column: string, direction: 'ASC' | 'DESC'): Promise<number[]> {
  const rows: { id: number }[] = await app.orm.em.fork().execute(`select id from "${table}" order by "${column}" ${direction}, id ${direction}`);
  return rows.map((row) => row.id);
}

async function walk(query: string, field: string, pageSize: number, variables: Record<string, unknown> = {}): Promise<number[]> {
  return (await walkPages(app, query, field, pageSize, variables)).ids.map(dbId);
}

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  requestIds = await createRequests(STAMPS.length);
  await stamp('request', 'created_at', requestIds);
  await stamp('request', 'due_at', [...requestIds].reverse());
  const units = [];
  for (let i = 0; i < STAMPS.length; i += 1) units.push(dbId(await createUnit(app, { name: `共建单位${i}`, kind: 'SOCIAL_ORGANIZATION', areaId: w.gridId })));
  await stamp('unit', 'created_at', units);
  const activities = [];
  for (let i = 0; i < STAMPS.length; i += 1) {
    activities.push(dbId(await createActivity(app, { communityId: w.communityId, title: `活动${i}`, startsAt: '2036-07-01T09:00:00+08:00', endsAt: '2036-07-01T11:00:00+08:00' })));
  }
  await stamp('activity', 'starts_at', activities);
});
afterAll(async () => {
  await app?.close();
});

describe('a walk returns every row exactly once, in order, whatever digits the timestamps carry', () => {
  for (const direction of ['ASC', 'DESC'] as const) {
    for (const pageSize of [1, 2]) {
      test(`requests by createdAt ${direction}, first: ${pageSize}`, async () => {
        const ids = await walk(REQUESTS, 'requests', pageSize, { orderBy: { field: 'CREATED_AT', direction } });
        expect(ids).toEqual(await storedOrder('request', 'created_at', direction));
      });

      test(`requests by dueAt ${direction}, first: ${pageSize}`, async () => {
        const ids = await walk(REQUESTS, 'requests', pageSize, { orderBy: { field: 'DUE_AT', direction } });
        expect(ids).toEqual(await storedOrder('request', 'due_at', direction));
      });

      test(`units by createdAt ${direction}, first: ${pageSize}`, async () => {
        const ids = await walk(UNITS, 'units', pageSize, { orderBy: { field: 'CREATED_AT', direction } });
        expect(ids).toEqual(await storedOrder('unit', 'created_at', direction));
      });
    }
  }

  test('activities by startsAt, first: 1 and 2', async () => {
    const expected = await storedOrder('activity', 'starts_at', 'ASC');
    expect(await walk(ACTIVITIES, 'activities', 1)).toEqual(expected);
    expect(await walk(ACTIVITIES, 'activities', 2)).toEqual(expected);
  });

  test('the rows keep the order of their written values (equal ones by id)', async () => {
    const ids = await walk(REQUESTS, 'requests', 2, { orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(ids.filter((id) => requestIds.includes(id))).toEqual(requestIds);
  });
});

describe('Migration20270101600000_timestamps_to_milliseconds', () => {
  test('a cursor handed out before it still names its row: values are truncated as node-postgres read them, not rounded', async () => {
    const migrator = app.orm.getMigrator();
    await migrator.down({ to: 'Migration20270101400000_attendance_points_count_on_activity_start' });
    await stamp('request', 'created_at', requestIds);
    // The edge of the row stored at …123999: its cursor says …123, which rounding would have made …124.
    const page = (await ok(app, REQUESTS, { first: STAMPS.length, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).requests;
    const edge = page.edges.find((e: { node: { id: string } }) => dbId(e.node.id) === requestIds[3]);

    await migrator.up();
    expect(await migrator.getPendingMigrations()).toHaveLength(0);
    const rest = (await ok(app, REQUESTS, { first: 100, after: edge.cursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).requests;
    expect(rest.edges.map((e: { node: { id: string } }) => dbId(e.node.id))).toEqual(requestIds.slice(4));
    const stored: { utc: string }[] = await app.orm.em.fork().execute(`select (created_at at time zone 'UTC')::text as utc from request where id = ?`, [requestIds[3]]);
    expect(stored[0].utc).toBe('2026-05-01 10:00:00.123');
  });

  test('the planner keeps its statistics of the columns it retypes (a type change drops them, and a rewrite does not trigger autovacuum\'s analyze)', async () => {
    const migrator = app.orm.getMigrator();
    await migrator.down({ to: 'Migration20270101500000_request_ledger_assignment_index' });
    const em = app.orm.em.fork();
    await em.execute('analyze request, request_event');
    const statistics = async () =>
      (await em.execute<{ table: string }[]>(
        `select tablename as table from pg_stats where schemaname = current_schema() and attname = 'created_at' and tablename in ('request', 'request_event') order by 1`,
      )).map((row) => row.table);
    expect(await statistics()).toEqual(['request', 'request_event']);
    await migrator.up();
    expect(await statistics()).toEqual(['request', 'request_event']);
  });
});
