import { isSmallCount } from '../../src/common/disclosure';
import { portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, type World } from '../helpers/fixtures';
import { createRequestsOnDay, requestStep } from '../helpers/portal-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review (small counts, disclosure.ts): counts of 1-4 a portal is not to read, given back by other
 * fields of the same answer. 幸福里 (population 8600): 2 repair requests on 2030-03-04, 6 on 03-05.
 * 和平里 (population 5000 set here): 20 on 03-05, 2 of them resolved.
 */

let app: TestApp;
let w: World;
let repair: string;

const create = (areaId: string, day: string, count: number) => createRequestsOnDay(app, repair, areaId, day, count);
const step = (mutation: string, type: string, id: string, input: Record<string, unknown>) => requestStep(app, mutation, type, id, input);

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  repair = await categoryId(app, 'HOUSING-REPAIR');
  await app.orm.em.fork().execute('update area set population = 5000 where id = ?', [dbId(w.otherCommunityId)]);
  await create(w.buildingId, '2030-03-04', 2);
  await create(w.buildingId, '2030-03-05', 6);
  const other = await create(w.otherCommunityId, '2030-03-05', 20);
  for (const id of other.slice(0, 2)) {
    app.clock.set(new Date('2030-03-05T06:00:00Z'));
    await step('dispatchRequest', 'DispatchRequestInput!', id, { assigneePersonId: w.partyMemberId });
    await step('takeRequest', 'TakeRequestInput', id, {});
    await step('resolveRequest', 'PlainStepInput', id, {});
  }
  app.clock.set(new Date('2030-03-20T02:00:00Z'));
});
afterAll(async () => {
  await app?.close();
});

async function portalRead(query: string, variables: Record<string, unknown>) {
  const result = await app.execute(query, variables, portalViewer());
  expect(result.errors).toBeUndefined();
  return result.data;
}

test('dashboard: the suppressed day (2) is not given back by requestsByCategory, a second complete breakdown of requestsReceived', async () => {
  const { dashboard } = await portalRead(`query($input: DashboardInput!) { dashboard(input: $input) {
    requestsReceived requestsByDay { received suppressed } requestsByCategory { count suppressed } } }`,
  { input: { areaId: w.communityId, from: '2030-03-04T00:00:00+08:00', to: '2030-03-06T00:00:00+08:00' } });
  // The day of 6 is suppressed with the day of 2 (its complement), so the total 8 is shown: 8 − 0 shown tells neither day.
  const shownDaysOnly = dashboard.requestsByDay.reduce((sum: number, day: any) => sum + (day.received ?? 0), 0);
  expect(dashboard.requestsReceived === null || !isSmallCount(dashboard.requestsReceived - shownDaysOnly)).toBe(true);
  const byCategoryComplete = dashboard.requestsByCategory.every((cell: any) => !cell.suppressed);
  const total = dashboard.requestsByCategory.reduce((sum: number, cell: any) => sum + (cell.count ?? 0), 0);
  const shownDays = dashboard.requestsByDay.reduce((sum: number, day: any) => sum + (day.received ?? 0), 0);
  // Sum of the categories (8) less the days shown (6): the suppressed day's 2.
  expect(byCategoryComplete && isSmallCount(total - shownDays)).toBe(false);
});

test('dashboard: a shown day gives a portal a resolved count of 2', async () => {
  const { dashboard } = await portalRead(`query($input: DashboardInput!) { dashboard(input: $input) { requestsByDay { day received resolved suppressed } } }`,
    { input: { areaId: w.otherCommunityId, from: '2030-03-05T00:00:00+08:00', to: '2030-03-06T00:00:00+08:00' } });
  const day = dashboard.requestsByDay[0];
  expect(day.received).toBe(20);
  expect(isSmallCount(day.resolved ?? 0)).toBe(false);
});

test('streetRanking: resolutionRate × requestsReceived gives a portal a resolved count of 2', async () => {
  const { streetRanking } = await portalRead(`query($input: StreetRankingInput!) { streetRanking(input: $input) { street { id } requestsReceived resolutionRate } }`,
    { input: { month: '2030-03' } });
  const row = streetRanking.find((r: any) => r.street.id === w.streetId);
  expect(row.requestsReceived).toBe(28);
  const resolved = row.resolutionRate == null ? null : Math.round(row.resolutionRate * row.requestsReceived);
  expect(resolved == null || !isSmallCount(resolved)).toBe(true);
});

test('demandHotspots: a suppressed area (2 demands) is given back by `expected` (Σ expected = the parent\'s demands) though parentRatePer10k is nulled', async () => {
  const { demandHotspots } = await portalRead(`query($input: DemandHotspotsInput!) { demandHotspots(input: $input) { parentRatePer10k areas { label volume population expected suppressed } } }`,
    { input: { areaId: w.streetId, categoryId: repair, from: '2030-03-04', to: '2030-03-04', sources: 'REQUESTS' } });
  expect(demandHotspots.areas.some((a: any) => a.suppressed)).toBe(true);
  expect(demandHotspots.parentRatePer10k).toBeNull();
  const expectedSum = demandHotspots.areas.reduce((sum: number, a: any) => sum + (a.expected ?? 0), 0);
  const shown = demandHotspots.areas.reduce((sum: number, a: any) => sum + (a.volume ?? 0), 0);
  const leaked = Math.round(expectedSum) - shown;
  expect(isSmallCount(leaked)).toBe(false);
});
