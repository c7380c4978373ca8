import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { buildTree, buildUnits, ok, type Tree, type Units } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Every whistle filter at once (whistle.service.ts: EXISTS subqueries composed with within and requestId), with a scoped viewer and a cursor: bindings stay in order. */
let app: TestApp;
let tree: Tree;
let units: Units;
let categoryId = '';
const HOUR = 3600_000;
const at = (local: string) => new Date(`${local}+08:00`);
const after = (start: Date, hours: number) => new Date(start.getTime() + hours * HOUR);

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2025-03-01T09:00:00'));
  tree = await buildTree(app);
  units = await buildUnits(app, tree);
  const em = app.orm.em.fork();
  const [category] = await em.execute<{ id: number }[]>(`select id from request_category where code = 'GRID-SANITATION'`);
  categoryId = toGlobalId('RequestCategory', category.id);
});
afterAll(async () => {
  await app?.close();
});

async function newRequest(): Promise<string> {
  const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: tree.gridId },
  });
  return data.createRequest.id;
}
async function blow(requestId: string, unitIds: string[], reportHours: number, feedbackHours: number): Promise<string> {
  const data = await ok(app, `mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { id } }`, {
    input: { requestId, blownById: tree.communityId, letter: '联合处置函', unitIds, reportHours, feedbackHours },
  });
  return data.blowWhistle.id;
}

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
