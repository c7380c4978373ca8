import { isSmallCount } from '../../src/common/disclosure';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, createCommunity, dbId, ok, type World } from '../helpers/fixtures';
import { createRequestsOnDay, readAs, requestStep } from '../helpers/portal-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * The portal count rules of disclosure.ts (hiddenCounts' groups and complements, suppressesTotal,
 * rateShown), each read by a portal and by staff and an analyst (exact). Repair requests:
 * - 2030-04-02, 新华街道: 和平里 28 (2 answered within 24 h and resolved on time, 18 answered and
 *   resolved 18 days later, past due, 8 left ORDERED); 幸福里 2; 团结社区 6.
 * - 2030-05-02 和平里: 8 RESOLVED, 2 CLOSED; 05-03: 2 ORDERED.
 * - 2030-05-04 和平里: 2 RESOLVED; 05-05: 10 ORDERED.
 * - one-window records, 2026-04-10 和平里: item A 30 records (2 OPEN), item B 10 (all OPEN).
 */

let app: TestApp;
let w: World;
let repair: string;
let thirdCommunityId: string;

const staffViewers = () => [undefined, accountViewer(Role.ANALYST, null)];

const create = (areaId: string, day: string, count: number) => createRequestsOnDay(app, repair, areaId, day, count);
const step = (mutation: string, type: string, id: string, input: Record<string, unknown>) => requestStep(app, mutation, type, id, input);

async function resolve(ids: string[], at: string) {
  for (const id of ids) {
    app.clock.set(new Date(at));
    await step('dispatchRequest', 'DispatchRequestInput!', id, { assigneePersonId: w.partyMemberId });
    await step('takeRequest', 'TakeRequestInput', id, {});
    await step('resolveRequest', 'PlainStepInput', id, {});
  }
}

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  repair = await categoryId(app, 'HOUSING-REPAIR');
  thirdCommunityId = await createCommunity(app, w.streetId, '团结社区');
  const em = app.orm.em.fork();
  await em.execute('update area set population = 5000 where id in (?, ?)', [dbId(w.otherCommunityId), dbId(thirdCommunityId)]);

  const april = await create(w.otherCommunityId, '2030-04-02', 28);
  await resolve(april.slice(0, 2), '2030-04-02T06:00:00Z');
  await resolve(april.slice(2, 20), '2030-04-20T06:00:00Z');
  await create(w.buildingId, '2030-04-02', 2);
  await create(thirdCommunityId, '2030-04-02', 6);

  const may2 = await create(w.otherCommunityId, '2030-05-02', 10);
  await resolve(may2, '2030-05-02T06:00:00Z');
  for (const id of may2.slice(0, 2)) await step('closeOutRequest', 'CloseOutRequestInput!', id, { reason: '已办结' });
  await create(w.otherCommunityId, '2030-05-03', 2);
  await resolve(await create(w.otherCommunityId, '2030-05-04', 2), '2030-05-04T06:00:00Z');
  await create(w.otherCommunityId, '2030-05-05', 10);

  // Records received after the server's clock are refused: imported as of 2030-04-20.
  app.clock.set(new Date('2030-04-20T02:00:00Z'));
  const items = await em.execute(`select code from service_item where not is_consultation order by code limit 2`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.otherCommunityId)]);
  const record = (n: number, itemCode: string, open: boolean) => ({
    sourceId: `GJ20260410-${String(n).padStart(10, '0')}`, itemCode, communityCode: community.code, status: open ? 'OPEN' : 'FINISHED',
    receivedAt: '2026-04-10T01:00:00Z', ...(open ? {} : { finishedAt: '2026-04-10T04:00:00Z' }),
  });
  const records = [
    ...Array.from({ length: 30 }, (_, i) => record(i + 1, items[0].code, i < 2)),
    ...Array.from({ length: 10 }, (_, i) => record(i + 31, items[1].code, true)),
  ];
  const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted rejections(first: 5) { edges { node { column reason } } } } }`, { records });
  expect(imported.importServiceRecords.rejections.edges).toEqual([]);
  expect(imported.importServiceRecords.inserted).toBe(40);
  app.clock.set(new Date('2030-06-20T02:00:00Z'));
});
afterAll(async () => {
  await app?.close();
});

const read = (query: string, variables: Record<string, unknown>, viewer?: ReturnType<typeof portalViewer>) => readAs(app, query, variables, viewer);

describe('dashboard requestsByStatus: RESOLVED/CLOSED judged against requestsResolved, the others against received − resolved', () => {
  const DASHBOARD = `query($input: DashboardInput!) { dashboard(input: $input) {
    requestsReceived requestsResolved resolutionRate suppressedFigures
    requestsByStatus { status count suppressed } requestsByDay { day received resolved } } }`;
  const period = (from: string, to: string) => ({ areaId: w.otherCommunityId, from: `${from}T00:00:00+08:00`, to: `${to}T00:00:00+08:00` });
  const byStatus = (dashboard: any) => Object.fromEntries(dashboard.requestsByStatus.map((row: any) => [row.status, row.count]));
  /** Every small count a portal could work out of the totals and the rows shown. */
  const differences = (d: any) => {
    const shown = (done: boolean) => d.requestsByStatus.filter((row: any) => ['RESOLVED', 'CLOSED'].includes(row.status) === done).reduce((sum: number, row: any) => sum + (row.count ?? 0), 0);
    const out: number[] = [];
    if (d.requestsResolved !== null) out.push(d.requestsResolved - shown(true));
    if (d.requestsReceived !== null && d.requestsResolved !== null) out.push(d.requestsReceived - d.requestsResolved - shown(false));
    if (d.requestsReceived !== null) out.push(d.requestsReceived - shown(true) - shown(false));
    const days = d.requestsByDay.filter((day: any) => day.received !== null && day.resolved !== null);
    out.push(...days.map((day: any) => day.received - day.resolved));
    return out;
  };

  test('8 RESOLVED, 2 CLOSED, 2 ORDERED: received 12 less resolved 10 would be the 2 ORDERED, so requestsResolved is null for a portal; staff read all', async () => {
    const portal = (await read(DASHBOARD, { input: period('2030-05-02', '2030-05-04') }, portalViewer())).dashboard;
    expect(portal.requestsReceived).toBe(12);
    expect(portal.requestsResolved).toBeNull();
    expect(portal.resolutionRate).toBeNull();
    expect(byStatus(portal)).toEqual({ CLOSED: null, RESOLVED: null, ORDERED: null });
    expect(differences(portal).filter(isSmallCount)).toEqual([]);
    expect(portal.suppressedFigures.sort()).toEqual(['requestsResolved', 'resolutionRate']);
    for (const viewer of staffViewers()) {
      const staff = (await read(DASHBOARD, { input: period('2030-05-02', '2030-05-04') }, viewer)).dashboard;
      expect(staff).toMatchObject({ requestsReceived: 12, requestsResolved: 10, suppressedFigures: [] });
      expect(byStatus(staff)).toEqual({ CLOSED: 2, RESOLVED: 8, ORDERED: 2 });
    }
  });

  test('2 RESOLVED, 10 ORDERED: received 12 less the ORDERED 10 would be the 2 resolved, so the ORDERED row is hidden with it for a portal; staff read all', async () => {
    const portal = (await read(DASHBOARD, { input: period('2030-05-04', '2030-05-06') }, portalViewer())).dashboard;
    expect(portal).toMatchObject({ requestsReceived: 12, requestsResolved: null, resolutionRate: null });
    expect(byStatus(portal)).toEqual({ RESOLVED: null, ORDERED: null });
    expect(differences(portal).filter(isSmallCount)).toEqual([]);
    for (const viewer of staffViewers()) {
      const staff = (await read(DASHBOARD, { input: period('2030-05-04', '2030-05-06') }, viewer)).dashboard;
      expect(staff).toMatchObject({ requestsReceived: 12, requestsResolved: 2 });
      expect(byStatus(staff)).toEqual({ RESOLVED: 2, ORDERED: 10 });
    }
  });

  test('a day of 7 received and 5 resolved: its 2 unresolved are not given back (received − resolved), so its resolved is null for a portal; a day of 6 and 6 keeps both; staff read all', async () => {
    await resolve((await create(w.otherCommunityId, '2030-06-02', 7)).slice(0, 5), '2030-06-02T06:00:00Z');
    await resolve(await create(w.otherCommunityId, '2030-06-03', 6), '2030-06-03T06:00:00Z');
    const portal = (await read(DASHBOARD, { input: period('2030-06-02', '2030-06-04') }, portalViewer())).dashboard;
    expect(portal.requestsByDay).toEqual([{ day: '2030-06-02', received: 7, resolved: null }, { day: '2030-06-03', received: 6, resolved: 6 }]);
    expect(portal).toMatchObject({ requestsReceived: 13, requestsResolved: null });
    expect(differences(portal).filter(isSmallCount)).toEqual([]);
    for (const viewer of staffViewers()) {
      const staff = (await read(DASHBOARD, { input: period('2030-06-02', '2030-06-04') }, viewer)).dashboard;
      expect(staff.requestsByDay).toEqual([{ day: '2030-06-02', received: 7, resolved: 5 }, { day: '2030-06-03', received: 6, resolved: 6 }]);
      expect(staff).toMatchObject({ requestsReceived: 13, requestsResolved: 11 });
    }
  });

  test('resolved 10 of 12 on 05-02 and 05-03 alone: the CLOSED 2 is hidden with its complement RESOLVED 8 within the group (resolved 10 − 0 shown)', async () => {
    const portal = (await read(DASHBOARD, { input: period('2030-05-02', '2030-05-03') }, portalViewer())).dashboard;
    expect(portal).toMatchObject({ requestsReceived: 10, requestsResolved: 10, resolutionRate: 1 });
    expect(byStatus(portal)).toEqual({ CLOSED: null, RESOLVED: null });
    expect(differences(portal).filter(isSmallCount)).toEqual([]);
    const staff = (await read(DASHBOARD, { input: period('2030-05-02', '2030-05-03') })).dashboard;
    expect(byStatus(staff)).toEqual({ CLOSED: 2, RESOLVED: 8 });
  });
});

describe('rates beside their counts (rateShown)', () => {
  test('dashboard onTimeRate: 2 of 20 resolved on time (numerator 2) is null for a portal and named; staff read 0.1', async () => {
    const DASHBOARD = `query($input: DashboardInput!) { dashboard(input: $input) { requestsReceived requestsResolved resolutionRate onTimeRate suppressedFigures } }`;
    const input = { areaId: w.otherCommunityId, from: '2030-04-02T00:00:00+08:00', to: '2030-04-03T00:00:00+08:00' };
    const portal = (await read(DASHBOARD, { input }, portalViewer())).dashboard;
    expect(portal).toMatchObject({ requestsReceived: 28, requestsResolved: 20, onTimeRate: null, suppressedFigures: ['onTimeRate'] });
    expect(portal.resolutionRate).toBeCloseTo(20 / 28, 3);
    for (const viewer of staffViewers()) {
      const staff = (await read(DASHBOARD, { input }, viewer)).dashboard;
      expect(staff).toMatchObject({ requestsReceived: 28, requestsResolved: 20, suppressedFigures: [] });
      expect(staff.onTimeRate).toBeCloseTo(0.1, 4);
    }
  });

  test('streetRanking responseRate: 2 of 36 answered within 24 h is null for a portal, and its score is the resolution rate alone; staff read 2/36 in the score', async () => {
    const RANKING = `query($input: StreetRankingInput!) { streetRanking(input: $input) { street { id } requestsReceived responseRate resolutionRate satisfactionRate score suppressed } }`;
    const row = (answer: any) => answer.streetRanking.find((r: any) => r.street.id === w.streetId);
    const portal = row(await read(RANKING, { input: { month: '2030-04' } }, portalViewer()));
    expect(portal).toMatchObject({ requestsReceived: 36, responseRate: null, satisfactionRate: null, suppressed: false });
    expect(portal.resolutionRate).toBeCloseTo(20 / 36, 3);
    expect(portal.score).toBeCloseTo(Math.round(portal.resolutionRate * 10000) / 100, 2);
    for (const viewer of staffViewers()) {
      const staff = row(await read(RANKING, { input: { month: '2030-04' } }, viewer));
      expect(staff.requestsReceived).toBe(36);
      expect(staff.responseRate).toBeCloseTo(2 / 36, 3);
      expect(staff.resolutionRate).toBeCloseTo(20 / 36, 3);
      expect(staff.score).toBeCloseTo(Math.round(((0.1 * staff.responseRate + 0.45 * staff.resolutionRate) / 0.55) * 10000) / 100, 2);
      expect(staff.score).not.toBeCloseTo(portal.score, 1);
    }
  });
});

test('serviceStats: item A (30 records) shows its row but not `open` 2 to a portal, and item B\'s open 10 goes with it (its complement: total 12 − 10); staff read 2 and 10', async () => {
  const STATS = `query($input: ServiceStatsInput!) { serviceStats(input: $input) {
    total { serviceCount open finished suppressed } rows { key serviceCount open finished suppressed } } }`;
  const input = { areaId: w.otherCommunityId, from: '2026-04-10', to: '2026-04-10', groupBy: 'ITEM' };
  const portal = (await read(STATS, { input }, portalViewer())).serviceStats;
  // finished goes with open (30 − 28 would give A's 2 not finished; B's 10 − 0 its open 10, as the total's rest is 0).
  expect(portal.rows.map((r: any) => [r.serviceCount, r.open, r.finished, r.suppressed])).toEqual([[30, null, null, true], [10, null, null, true]]);
  expect(portal.total).toEqual({ serviceCount: 40, open: 12, finished: 28, suppressed: false });
  for (const viewer of staffViewers()) {
    const staff = (await read(STATS, { input }, viewer)).serviceStats;
    expect(staff.rows.map((r: any) => [r.serviceCount, r.open, r.finished, r.suppressed])).toEqual([[30, 2, 28, false], [10, 10, 0, false]]);
  }
});

test('serviceStats: a total whose demands (3) are hidden shows no open, finished and rest that add up to its serviceCount (13 + 20 + 0 less 30 consultations would be the 3 demands); staff read all', async () => {
  const em = app.orm.em.fork();
  const [consultation] = await em.execute(`select code from service_item where is_consultation order by code limit 1`);
  const [demand] = await em.execute(`select code from service_item where not is_consultation order by code limit 1`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(thirdCommunityId)]);
  const record = (n: number, itemCode: string, open: boolean) => ({
    sourceId: `GJ20260411-${String(n).padStart(10, '0')}`, itemCode, communityCode: community.code, status: open ? 'OPEN' : 'FINISHED',
    receivedAt: '2026-04-11T01:00:00Z', ...(open ? {} : { finishedAt: '2026-04-11T04:00:00Z' }),
  });
  const records = [
    ...Array.from({ length: 30 }, (_, i) => record(i + 1, consultation.code, i < 13)),
    ...Array.from({ length: 3 }, (_, i) => record(i + 31, demand.code, false)),
  ];
  app.clock.set(new Date('2030-04-20T02:00:00Z'));
  expect((await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted } }`, { records })).importServiceRecords.inserted).toBe(33);
  app.clock.set(new Date('2030-06-20T02:00:00Z'));
  const STATS = `query($input: ServiceStatsInput!) { serviceStats(input: $input) { total { serviceCount consultations demands open finished suppressed } } }`;
  const input = { areaId: thirdCommunityId, from: '2026-04-11', to: '2026-04-11', groupBy: 'ITEM' };
  const portal = (await read(STATS, { input }, portalViewer())).serviceStats.total;
  expect(portal).toEqual({ serviceCount: null, consultations: 30, demands: null, open: null, finished: null, suppressed: true });
  for (const viewer of staffViewers()) {
    expect((await read(STATS, { input }, viewer)).serviceStats.total).toEqual({ serviceCount: 33, consultations: 30, demands: 3, open: 13, finished: 20, suppressed: false });
  }
});

test('demandHotspots over three communities (28, 6, 2): the 2 and its complement the 6 are hidden, the 28 shown; Σ expected less the volume shown gives 8, no small count; staff read all', async () => {
  const HOTSPOTS = `query($input: DemandHotspotsInput!) { demandHotspots(input: $input) { parentRatePer10k areas { communityId volume population expected z suppressed } } }`;
  const input = { areaId: w.streetId, categoryId: repair, from: '2030-04-02', to: '2030-04-02', sources: 'REQUESTS' };
  const byArea = (answer: any) => Object.fromEntries(answer.demandHotspots.areas.map((a: any) => [a.communityId, a]));
  const portalAnswer = await read(HOTSPOTS, { input }, portalViewer());
  const portal = byArea(portalAnswer);
  expect(portal[w.otherCommunityId]).toMatchObject({ volume: 28, suppressed: false });
  for (const id of [w.communityId, thirdCommunityId]) expect(portal[id]).toMatchObject({ volume: null, expected: null, z: null, suppressed: true });
  const areas = portalAnswer.demandHotspots.areas;
  const shown = areas.reduce((sum: number, a: any) => sum + (a.volume ?? 0), 0);
  const expectedSum = areas.reduce((sum: number, a: any) => sum + (a.expected ?? 0), 0);
  expect(isSmallCount(Math.round(expectedSum) - shown)).toBe(false);
  const rate = portalAnswer.demandHotspots.parentRatePer10k;
  if (rate !== null) {
    const population = areas.reduce((sum: number, a: any) => sum + (a.population ?? 0), 0);
    expect(Math.round((rate * population) / 1e4) - shown).toBe(8);
  }
  for (const viewer of staffViewers()) {
    const staff = byArea(await read(HOTSPOTS, { input }, viewer));
    expect([staff[w.otherCommunityId].volume, staff[thirdCommunityId].volume, staff[w.communityId].volume]).toEqual([28, 6, 2]);
    expect(Object.values(staff).every((a: any) => !a.suppressed)).toBe(true);
  }
});
