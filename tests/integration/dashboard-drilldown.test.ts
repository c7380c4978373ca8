import { createCommunity, createStreet, ok, type Tree, type Units } from '../helpers/fixtures';
import type { TestApp } from '../helpers/test-app';
import { at, blowWhistleOn, createGridRequest, whistleWorld } from '../helpers/whistle-fixtures';

/**
 * What a dashboard front end does with one answer: open the list or chart behind a figure, with the
 * IDs and the period the figure came with, and show a refused input on the field it names.
 * March 2025 (China time) in the whistle tests' world: in 幸福里社区's grid, 3 requests with no
 * resident group and 2 of elderly residents on 3 March, a whistle on 4 March and another on 20 March.
 */
let app: TestApp;
let tree: Tree;
let units: Units;
let categoryId: string;

const MARCH = { from: '2025-03-01', to: '2025-03-31' };

beforeAll(async () => {
  ({ app, tree, units, categoryId } = await whistleWorld());
  const requests: string[] = [];
  for (const [i, residentGroup] of [null, null, null, 'ELDERLY', 'ELDERLY'].entries()) {
    app.clock.set(at(`2025-03-03T10:0${i}:00`));
    const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: tree.gridId, residentGroup },
    });
    requests.push(data.createRequest.id);
  }
  for (const day of ['2025-03-04', '2025-03-20']) {
    app.clock.set(at(`${day}T09:00:00`));
    const requestId = await createGridRequest(app, tree, categoryId);
    await blowWhistleOn(app, { requestId, blownById: tree.communityId, unitIds: [units.hospitalId, units.policeStationId], reportHours: 24, feedbackHours: 72 });
  }
  app.clock.set(at('2025-04-02T09:00:00'));
});
afterAll(async () => {
  await app?.close();
});

test('the whistles behind dashboard.whistlesBlown can be listed: whistles filter by blownFrom/blownTo, the dashboard period', async () => {
  const period = { from: at('2025-03-01T00:00:00').toISOString(), to: at('2025-03-11T00:00:00').toISOString() };
  const data = await ok(
    app,
    `query($area: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
      dashboard(input: { areaId: $area, from: $from, to: $to }) { whistlesBlown }
      whistles(filter: { within: $area, blownFrom: $from, blownTo: $to }) { totalCount edges { node { blownAt } } }
      all: whistles(filter: { within: $area }) { totalCount }
    }`,
    { area: tree.streetId, ...period },
  );
  expect(data.dashboard.whistlesBlown).toBe(1);
  expect(data.whistles.totalCount).toBe(data.dashboard.whistlesBlown);
  expect(data.whistles.edges.map((edge: any) => edge.node.blownAt)).toEqual([at('2025-03-04T09:00:00').toISOString()]);
  expect(data.all.totalCount).toBe(2);
});

test('a ranking row of demands with no resident group (UNKNOWN) can be charted: demandSeries takes the row\'s residentGroup as cellResidentGroup', async () => {
  const ranking = await ok(app, `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { residentGroup metrics { volume } } belowSupport { residentGroup metrics { volume } } } }`, {
    input: { areaId: tree.streetId, ...MARCH, groupBy: ['RESIDENT_GROUP'], sources: 'REQUESTS', minSupport: 1 },
  });
  const rows = [...ranking.demandRanking.rows, ...ranking.demandRanking.belowSupport];
  expect(rows.map((row: any) => [row.residentGroup, row.metrics.volume]).sort()).toEqual([['ELDERLY', 2], ['UNKNOWN', 5]]);
  for (const row of rows) {
    const result = await app.execute(`query($input: DemandSeriesInput!) { demandSeries(input: $input) { total } }`, {
      input: { areaId: tree.streetId, ...MARCH, interval: 'MONTH', sources: 'REQUESTS', cellResidentGroup: row.residentGroup },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.demandSeries.total).toBe(row.metrics.volume);
  }
  const both = await app.execute(`{ demandSeries(input: { lastDays: 30, residentGroup: ELDERLY, cellResidentGroup: ELDERLY }) { total } }`);
  expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cellResidentGroup' });
});

test('serviceStats rows carry the id other queries take: a category row opens its series, a community row its node', async () => {
  const data = await ok(app, `query($area: ID!, $from: LocalDate!, $to: LocalDate!) {
    categories: serviceStats(input: { areaId: $area, from: $from, to: $to, groupBy: CATEGORY }) { rows { id key demandTotal } total { id } }
    communities: serviceStats(input: { areaId: $area, from: $from, to: $to, groupBy: COMMUNITY }) { rows { id key } }
    days: serviceStats(input: { areaId: $area, from: $from, to: $to, groupBy: DAY }) { rows { id } }
  }`, { area: tree.streetId, ...MARCH });
  expect(data.categories.rows).toEqual([{ id: categoryId, key: 'GRID-SANITATION', demandTotal: 7 }]);
  expect(data.categories.total.id).toBeNull();
  expect(data.days.rows.every((row: any) => row.id === null)).toBe(true);
  const series = await ok(app, `query($input: DemandSeriesInput!) { demandSeries(input: $input) { total } }`, {
    input: { areaId: tree.streetId, ...MARCH, interval: 'MONTH', categoryId: data.categories.rows[0].id },
  });
  expect(series.demandSeries.total).toBe(7);
  expect(data.communities.rows).toHaveLength(1);
  const node = await ok(app, `query($id: ID!) { node(id: $id) { ... on Community { id code } } }`, { id: data.communities.rows[0].id });
  expect(node.node).toEqual({ id: tree.communityId, code: data.communities.rows[0].key });
});

test('a dashboard period missing its end is refused on input.to, the field a form shows it on', async () => {
  const onlyFrom = await app.execute(`query($area: ID!) { dashboard(input: { areaId: $area, from: "2025-03-01T00:00:00+08:00" }) { requestsReceived } }`, { area: tree.streetId });
  expect(onlyFrom.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.to' });
  const onlyTo = await app.execute(`query($area: ID!) { dashboard(input: { areaId: $area, to: "2025-03-01T00:00:00+08:00" }) { requestsReceived } }`, { area: tree.streetId });
  expect(onlyTo.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.from' });
});

test('a series cell outside areaId is refused on input.cellAreaId (not on a field the input does not have)', async () => {
  // A community of another street, charted inside this street: the cell is outside the area.
  const otherStreet = await createStreet(app, tree.districtId, '东风街道');
  const elsewhere = await createCommunity(app, otherStreet, '东风社区');
  const outside = await app.execute(`query($input: DemandSeriesInput!) { demandSeries(input: $input) { total } }`, {
    input: { areaId: tree.streetId, cellAreaId: elsewhere, ...MARCH },
  });
  expect(outside.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cellAreaId' });
});

test('every metric a demand screen shows says what it is (units, what it counts): no field of the metrics or a series point without a description', async () => {
  for (const type of ['DemandMetricsType', 'DemandSeriesPointType']) {
    const data = await ok(app, `query($type: String!) { __type(name: $type) { fields { name description } } }`, { type });
    expect(data.__type.fields.filter((field: any) => !field.description).map((field: any) => `${type}.${field.name}`)).toEqual([]);
  }
});
