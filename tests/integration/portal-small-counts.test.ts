import { MIN_CELL_RECORDS } from '../../src/common/disclosure';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, ok, type World } from '../helpers/fixtures';
import { readAs } from '../helpers/portal-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Small counts (src/common/disclosure.ts): a portal reading "2 repair requests from DISABLED
 * residents of 幸福里 on 2030-03-04" can name the household. In 幸福里社区, repair requests: 2 on
 * 2030-03-04 (DISABLED residents), 6 on 03-05 (ELDERLY), 3 on 03-06 (ELDERLY). A portal reads counts
 * of 1-4 as null with `suppressed`, and no total the suppressed cells can be worked back from; staff
 * and analysts read exact numbers; 0 stays 0. demandRanking, whose counts are non-null in its public
 * types, leaves such a row out instead and says how many it left out (snapshot.rowsWithheld).
 */

let app: TestApp;
let w: World;
let repair: string;

const DAYS: [day: string, count: number, group: string][] = [['2030-03-04', 2, 'DISABLED'], ['2030-03-05', 6, 'ELDERLY'], ['2030-03-06', 3, 'ELDERLY']];

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  repair = await categoryId(app, 'HOUSING-REPAIR');
  for (const [day, count, group] of DAYS) {
    for (let i = 0; i < count; i += 1) {
      app.clock.set(new Date(`${day}T02:0${i}:00Z`)); // 10:0i China time
      await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
        input: { title: `漏水${i}`, body: '家中漏水，请维修', channel: 'HOTLINE_12345', categoryId: repair, areaId: w.buildingId, residentGroup: group },
      });
    }
  }
  app.clock.set(new Date('2030-03-20T02:00:00Z'));
});
afterAll(async () => {
  await app?.close();
});

const read = (query: string, variables: Record<string, unknown>, viewer?: ReturnType<typeof portalViewer>) => readAs(app, query, variables, viewer);

test('K is 5', () => {
  expect(MIN_CELL_RECORDS).toBe(5);
});

describe('demandSeries', () => {
  const SERIES = `query($input: DemandSeriesInput!) { demandSeries(input: $input) { points { start volume open finished suppressed } total totalSuppressed trend { senSlope } } }`;
  const input = (to: string, extra: Record<string, unknown> = {}) => ({ areaId: w.communityId, categoryId: repair, from: '2030-03-04', to, interval: 'DAY', sources: 'REQUESTS', ...extra });

  test('a day of 2 requests is null and suppressed for a portal, exact for staff and analysts; the day of 6 is suppressed with it for the portal (its complement: 8 − 6 would give the 2), so the total 8 is shown', async () => {
    const portal = (await read(SERIES, { input: input('2030-03-05') }, portalViewer())).demandSeries;
    expect(portal.points.map((p: any) => [p.start, p.volume, p.open, p.suppressed])).toEqual([['2030-03-04', null, null, true], ['2030-03-05', null, null, true]]);
    expect(portal.points[0].finished).toBeNull();
    expect({ total: portal.total, totalSuppressed: portal.totalSuppressed }).toEqual({ total: 8, totalSuppressed: false });
    for (const viewer of [undefined, accountViewer(Role.ANALYST, null)]) {
      const exact = (await read(SERIES, { input: input('2030-03-05') }, viewer)).demandSeries;
      expect(exact.points.map((p: any) => [p.start, p.volume, p.suppressed])).toEqual([['2030-03-04', 2, false], ['2030-03-05', 6, false]]);
      expect({ total: exact.total, totalSuppressed: exact.totalSuppressed }).toEqual({ total: 8, totalSuppressed: false });
    }
  });

  test('two suppressed days holding 5 together leave the total shown (11 − 6 = 5 tells neither day)', async () => {
    const portal = (await read(SERIES, { input: input('2030-03-06') }, portalViewer())).demandSeries;
    expect(portal.points.map((p: any) => p.volume)).toEqual([null, 6, null]);
    expect({ total: portal.total, totalSuppressed: portal.totalSuppressed }).toEqual({ total: 11, totalSuppressed: false });
  });

  test('a resident group of 2 (DISABLED) is suppressed whole; an empty day reads 0, not suppressed', async () => {
    const portal = (await read(SERIES, { input: input('2030-03-05', { residentGroup: 'DISABLED' }) }, portalViewer())).demandSeries;
    expect(portal.points.map((p: any) => [p.volume, p.suppressed])).toEqual([[null, true], [0, false]]);
    expect(portal.total).toBeNull();
    const staff = (await read(SERIES, { input: input('2030-03-05', { residentGroup: 'DISABLED' }) })).demandSeries;
    expect(staff.points.map((p: any) => p.volume)).toEqual([2, 0]);
    expect(staff.total).toBe(2);
  });
});

test('demandRanking by resident group: the DISABLED cell of 2 is withheld from a portal (not nulled: the types keep their counts), counted in rowsWithheld and not in recordsCounted; the ELDERLY cell of 6 keeps its rank; staff and analysts read both', async () => {
  const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
    rows { residentGroup rank metrics { volume consultations } }
    belowSupport { residentGroup rank metrics { volume } }
    snapshot { recordsCounted rowsWithheld } } }`;
  const input = { areaId: w.communityId, from: '2030-03-04', to: '2030-03-05', groupBy: ['RESIDENT_GROUP'], sources: 'REQUESTS', minSupport: 0 };
  const byGroup = (answer: any) => Object.fromEntries([...answer.demandRanking.rows, ...answer.demandRanking.belowSupport].map((row: any) => [row.residentGroup, row]));
  const staffAnswer = await read(RANKING, { input });
  const staff = byGroup(staffAnswer);
  expect(staff.DISABLED).toMatchObject({ metrics: { volume: 2, consultations: 0 } });
  expect(staff.ELDERLY).toMatchObject({ metrics: { volume: 6, consultations: 0 } });
  expect(staffAnswer.demandRanking.snapshot).toEqual({ recordsCounted: 8, rowsWithheld: 0 });
  expect((await read(RANKING, { input }, accountViewer(Role.ANALYST, null))).demandRanking.snapshot).toEqual({ recordsCounted: 8, rowsWithheld: 0 });
  const portalAnswer = await read(RANKING, { input }, portalViewer());
  const portal = byGroup(portalAnswer);
  expect(Object.keys(portal)).toEqual(['ELDERLY']);
  // Its rank as computed over all cells: a gap where the withheld row stood, if it stood before.
  expect(portal.ELDERLY).toEqual(staff.ELDERLY);
  // 8 less the 6 shown would be the DISABLED cell's 2: the portal reads the rows shown, summed.
  expect(portalAnswer.demandRanking.snapshot).toEqual({ recordsCounted: 6, rowsWithheld: 1 });
});

test('demandRanking surge: a baseline of 2 requests (μ = 2 × 2 ÷ 1 days) is not given back to a portal through surgeExpected or surgeZ ((n − μ)/√μ with n shown); staff read both', async () => {
  const SURGE = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
    rows { metrics { volume surgeZ surgeExpected } notes { metric reason } } period { coveredDays } baseline { coveredDays } } }`;
  const input = { areaId: w.communityId, from: '2030-03-05', to: '2030-03-06', baselineFrom: '2030-03-04', baselineTo: '2030-03-04', groupBy: ['CATEGORY'], sources: 'REQUESTS', minSupport: 0 };
  const staff = (await read(SURGE, { input })).demandRanking;
  expect([staff.period.coveredDays, staff.baseline.coveredDays]).toEqual([2, 1]);
  expect(staff.rows[0].metrics).toMatchObject({ volume: 9, surgeExpected: 4 });
  expect(staff.rows[0].metrics.surgeZ).toBeCloseTo(2.5, 4);
  const portal = (await read(SURGE, { input }, portalViewer())).demandRanking.rows[0];
  expect(portal.metrics).toEqual({ volume: 9, surgeZ: null, surgeExpected: null });
  expect(portal.notes.filter((note: any) => note.metric.startsWith('surge')).map((note: any) => note.metric).sort()).toEqual(['surgeExpected', 'surgeZ']);
});

test('demandRanking: a portal\'s topN is checked as staff\'s (1-100), though its rows are cut after the ranking', async () => {
  const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { rank } } }`;
  for (const topN of [0, -3, 101, 100000]) {
    const input = { areaId: w.communityId, from: '2030-03-04', to: '2030-03-06', groupBy: ['RESIDENT_GROUP'], sources: 'REQUESTS', minSupport: 0, topN };
    for (const viewer of [portalViewer(), undefined]) {
      const result = await app.execute(RANKING, { input }, viewer);
      expect([topN, result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.field]).toEqual([topN, 'BAD_USER_INPUT', 'input.topN']);
    }
  }
});

test('demandRanking residentsSay: a term 3 residents use (门禁) is left out for a portal, one 5 use (路灯) is shown; staff read both with their counts', async () => {
  const bodies = ['门禁坏了，楼下路灯也不亮', '门禁刷不开，路灯不亮', '门禁失灵，门口路灯坏了', '小区路灯一直不亮', '楼道口的路灯坏了很久'];
  for (const [i, body] of bodies.entries()) {
    app.clock.set(new Date(`2030-03-21T02:0${i}:00Z`));
    await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input: { title: `报修${i}`, body, channel: 'HOTLINE_12345', categoryId: repair, areaId: w.buildingId } });
  }
  app.clock.set(new Date('2030-03-22T02:00:00Z'));
  const SAY = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { metrics { volume } residentsSay(first: 12) { term count } } snapshot { rowsWithheld } } }`;
  const input = { areaId: w.communityId, from: '2030-03-21', to: '2030-03-21', groupBy: ['CATEGORY'], sources: 'REQUESTS', minSupport: 0 };
  const staff = (await read(SAY, { input })).demandRanking.rows[0];
  expect(staff.metrics.volume).toBe(5);
  expect(staff.residentsSay).toEqual(expect.arrayContaining([{ term: '门禁', count: 3 }, { term: '路灯', count: 5 }]));
  const portal = (await read(SAY, { input }, portalViewer())).demandRanking;
  expect(portal.snapshot.rowsWithheld).toBe(0);
  expect(portal.rows[0].residentsSay).toEqual([{ term: '路灯', count: 5 }]);
});

describe('serviceStats by resident group', () => {
  const STATS = `query($input: ServiceStatsInput!) { serviceStats(input: $input) {
    total { serviceCount requestCount demandTotal suppressed }
    rows { key serviceCount requestCount demandTotal suppressed } } }`;
  const input = { from: '2030-03-04', to: '2030-03-05', groupBy: 'RESIDENT_GROUP' };

  test('the DISABLED row of 2 requests is suppressed for a portal, and ELDERLY (6) with it (its complement: 8 − 6 would give the 2); the total\'s 8 requests shown, its 0 one-window records shown as 0', async () => {
    const portal = (await read(STATS, { input: { ...input, areaId: w.communityId } }, portalViewer())).serviceStats;
    const row = (key: string) => portal.rows.find((r: any) => r.key === key);
    expect(row('DISABLED')).toEqual({ key: 'DISABLED', serviceCount: null, requestCount: null, demandTotal: null, suppressed: true });
    expect(row('ELDERLY')).toEqual({ key: 'ELDERLY', serviceCount: null, requestCount: null, demandTotal: null, suppressed: true });
    expect(portal.total).toEqual({ serviceCount: 0, requestCount: 8, demandTotal: 8, suppressed: false });
    const staff = (await read(STATS, { input: { ...input, areaId: w.communityId } })).serviceStats;
    expect(staff.rows.find((r: any) => r.key === 'DISABLED')).toEqual({ key: 'DISABLED', serviceCount: 0, requestCount: 2, demandTotal: 2, suppressed: false });
    expect(staff.total).toEqual({ serviceCount: 0, requestCount: 8, demandTotal: 8, suppressed: false });
  });
});

describe('dashboard', () => {
  const DASHBOARD = `query($input: DashboardInput!) { dashboard(input: $input) {
    requestsReceived requestsResolved resolutionRate suppressedFigures
    requestsByDay { day received resolved suppressed } requestsByCategory { count suppressed } } }`;
  const period = (to: string) => ({ areaId: w.communityId, from: '2030-03-04T00:00:00+08:00', to });

  test('a day of 2 requests is null and suppressed for a portal, and the day of 6 with it (8 − 6 = 2), so requestsReceived (8) is shown; staff read 2 and 8', async () => {
    const portal = (await read(DASHBOARD, { input: period('2030-03-06T00:00:00+08:00') }, portalViewer())).dashboard;
    expect(portal.requestsByDay).toEqual([
      { day: '2030-03-04', received: null, resolved: null, suppressed: true },
      { day: '2030-03-05', received: null, resolved: null, suppressed: true },
    ]);
    expect(portal.requestsByCategory).toEqual([{ count: 8, suppressed: false }]);
    expect(portal.requestsReceived).toBe(8);
    expect(portal.resolutionRate).toBe(0);
    expect(portal.suppressedFigures).toEqual([]);
    const staff = (await read(DASHBOARD, { input: period('2030-03-06T00:00:00+08:00') })).dashboard;
    expect(staff.requestsByDay.map((d: any) => d.received)).toEqual([2, 6]);
    expect(staff.requestsReceived).toBe(8);
    expect(staff.suppressedFigures).toEqual([]);
  });

  test('two suppressed days holding 5 together leave requestsReceived shown; 0 resolved stays 0', async () => {
    const portal = (await read(DASHBOARD, { input: period('2030-03-07T00:00:00+08:00') }, portalViewer())).dashboard;
    expect(portal.requestsByDay.map((d: any) => d.received)).toEqual([null, 6, null]);
    expect(portal).toMatchObject({ requestsReceived: 11, requestsResolved: 0, resolutionRate: 0, suppressedFigures: [] });
  });
});
