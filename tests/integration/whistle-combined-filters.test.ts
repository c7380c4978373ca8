import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import type { Tree, Units } from '../helpers/fixtures';
import type { TestApp } from '../helpers/test-app';
import { after, at, blowWhistleOn, createGridRequest, whistleWorld } from '../helpers/whistle-fixtures';

/** Every whistle filter at once (whistle.service.ts: EXISTS subqueries composed with within and requestId), with a scoped viewer and a cursor: bindings stay in order. */
let app: TestApp;
let tree: Tree;
let units: Units;
let categoryId = '';

beforeAll(async () => {
  ({ app, tree, units, categoryId } = await whistleWorld());
});
afterAll(async () => {
  await app?.close();
});

const newRequest = () => createGridRequest(app, tree, categoryId);
const blow = async (requestId: string, unitIds: string[], reportHours: number, feedbackHours: number) =>
  (await blowWhistleOn(app, { requestId, blownById: tree.communityId, unitIds, reportHours, feedbackHours })).whistle;

test('within + requestId + unitId + overdue + awaitingPastDeadline, paged by cursor, under a community staff scope', async () => {
  const T = at('2025-04-01T09:00:00');
  app.clock.set(T);
  const requestId = await newRequest();
  const whistles: string[] = [];
  for (let i = 0; i < 5; i++) whistles.push(await blow(requestId, [units.hospitalId, units.policeStationId], 1, 2));
  const other = await newRequest();
  await blow(other, [units.hospitalId], 1, 2);
  app.clock.set(after(T, 10));
  const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, tree.communityId)]);
  const QUERY = `query($after: String, $within: ID, $requestId: ID, $unitId: ID) {
    whistles(first: 2, after: $after, filter: { within: $within, requestId: $requestId, unitId: $unitId, overdue: true, awaitingPastDeadline: true }) {
      totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const result: any = await app.execute(QUERY, { after: cursor, within: tree.communityId, requestId, unitId: units.hospitalId }, staff);
    expect(result.errors).toBeUndefined();
    expect(result.data.whistles.totalCount).toBe(5);
    seen.push(...result.data.whistles.edges.map((e: any) => e.node.id));
    if (!result.data.whistles.pageInfo.hasNextPage) break;
    cursor = result.data.whistles.pageInfo.endCursor;
  }
  expect(seen).toEqual([...whistles].reverse());
});
