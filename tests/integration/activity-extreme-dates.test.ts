// A review found these: months and query date-times at the DateTime scalar's edges were INTERNAL_SERVER_ERROR.
import { encodeCursor, OrderDirection } from '../../src/common/pagination';
import { buildWorld, expectError, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Inputs the schema accepted reached PostgreSQL as timestamps it cannot hold, and the caller got
 * INTERNAL_SERVER_ERROR (logged as a server fault). MONTH_PATTERN took any four-digit year, so
 * monthRange built year 0000 (PostgreSQL has no year 0) or, for 9999-12, new Date('10000-01-01…') =
 * Invalid Date; unstorableValue let a query's date-times through unchecked, but 0000-01-01T00:00:00Z,
 * or 9999-12-31T23:00-08:00 (year 10000 in UTC), failed in the comparison. Now a month lies within
 * PERIOD_DAYS (1900-01 to 2999-12), and a query's date-time within what PostgreSQL compares
 * (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z; an early sentinel stays allowed), else
 * BAD_USER_INPUT naming the field.
 */

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

const CARDS = `query($input: ActivityRecordCardsInput!) { activityRecordCards(input: $input) { month } }`;
const ACTIVITIES = `query($f: ActivityFilter, $after: String) { activities(filter: $f, after: $after) { totalCount } }`;

test.each(['9999-12', '0000-01', '1899-12', '3000-01', '0019-01'])('activityRecordCards for month %s: BAD_USER_INPUT on input.month', async (month) => {
  const result = await app.execute(CARDS, { input: { communityId: w.communityId, month } });
  expectError(result, 'BAD_USER_INPUT', 'input.month');
  expect(result.errors![0].message).toBe('input.month: must be a month YYYY-MM between 1900-01 and 2999-12');
});

test.each(['1900-01', '2999-12'])('activityRecordCards for month %s, at the ends of the supported years, answers', async (month) => {
  expect((await ok(app, CARDS, { input: { communityId: w.communityId, month } })).activityRecordCards).toEqual([]);
});

test('streetRanking takes the same months: 0000-01 was ranked as 1900-01 (Date.UTC reads years 0-99 as 19xx)', async () => {
  for (const month of ['0000-01', '9999-12']) expectError(await app.execute(`query($m: String) { streetRanking(input: { month: $m }) { rank } }`, { m: month }), 'BAD_USER_INPUT', 'input.month');
  const rows = (await ok(app, `{ streetRanking(input: { month: "2999-12" }) { month rank } }`)).streetRanking;
  expect(rows.every((row: { month: string }) => row.month === '2999-12')).toBe(true);
});

test.each([
  ['filter.from', { from: '0000-01-01T00:00:00Z' }],
  ['filter.to', { to: '9999-12-31T23:00:00-08:00' }],
  ['filter.from', { from: '0001-01-01T00:00:00+00:01' }],
])('activities with %s beyond what PostgreSQL compares (%o): BAD_USER_INPUT naming it', async (field, filter) => {
  const result = await app.execute(ACTIVITIES, { f: filter });
  expectError(result, 'BAD_USER_INPUT', field);
  expect(result.errors![0].message).toBe(`${field}: must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (UTC)`);
});

test('an early and a late sentinel stay allowed in a query and answer as 1900 and 3000 would', async () => {
  const all = (await ok(app, ACTIVITIES, {})).activities.totalCount;
  expect((await ok(app, ACTIVITIES, { f: { from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' } })).activities.totalCount).toBe(all);
});

test('every list filter with date-times gets the same: requests and the dashboard', async () => {
  const REQUESTS = `query($f: RequestFilter) { requests(first: 1, filter: $f) { totalCount } }`;
  expectError(await app.execute(REQUESTS, { f: { receivedFrom: '0000-01-01T00:00:00Z' } }), 'BAD_USER_INPUT', 'filter.receivedFrom');
  expectError(await app.execute(REQUESTS, { f: { receivedTo: '9999-12-31T23:00:00-08:00' } }), 'BAD_USER_INPUT', 'filter.receivedTo');
  await ok(app, REQUESTS, { f: { receivedFrom: '0001-01-01T00:00:00Z', receivedTo: '9999-12-31T23:59:59Z' } });
  const DASHBOARD = `query($input: DashboardInput!) { dashboard(input: $input) { requestsReceived } }`;
  expectError(await app.execute(DASHBOARD, { input: { areaId: w.districtId, from: '0000-01-01T00:00:00Z', to: '0000-01-02T00:00:00Z' } }), 'BAD_USER_INPUT', 'input.from');
  expectError(await app.execute(DASHBOARD, { input: { areaId: w.districtId, from: '9999-12-31T00:00:00Z', to: '9999-12-31T23:00:00-08:00' } }), 'BAD_USER_INPUT', 'input.to');
});

test('a cursor carrying a date PostgreSQL cannot compare is not one of ours', async () => {
  const cursor = encodeCursor({ property: 'startsAt', direction: OrderDirection.ASC }, new Date('0000-01-01T00:00:00Z'), 1);
  expectError(await app.execute(ACTIVITIES, { after: cursor }), 'BAD_USER_INPUT', 'after');
  const early = encodeCursor({ property: 'startsAt', direction: OrderDirection.ASC }, new Date('0001-01-01T00:00:00Z'), 1);
  await ok(app, ACTIVITIES, { after: early });
});
