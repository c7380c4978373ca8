import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath, portalViewer } from '../helpers/access-fixtures';
import { buildTree, createStreet, expectError, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * streetRanking read every district's streets whatever the viewer's scope, and took any
 * districtId: a portal key, an analyst or staff bound to one district read another district's
 * request figures (received, response, resolution), which every other figure answers FORBIDDEN
 * (README, "Figures … for an area outside the scope answer FORBIDDEN"). Found by a review. A
 * viewer bound to an area still compares its street with the others of its own district.
 */
let app: TestApp;
let mine: Tree;
let theirs: Tree;
let neighbourStreetId: string;

const QUERY = `query($input: StreetRankingInput) { streetRanking(input: $input) { street { id } } }`;
const streetsSeenBy = async (viewer: Parameters<TestApp['execute']>[2], input: Record<string, unknown> | null = null) => {
  const result = await app.execute(QUERY, { input }, viewer);
  expect(result.errors).toBeUndefined();
  return (result.data.streetRanking as { street: { id: string } }[]).map((row) => row.street.id).sort();
};

beforeAll(async () => {
  app = await createTestApp();
  mine = await buildTree(app);
  neighbourStreetId = await createStreet(app, mine.districtId, '邻街街道');
  theirs = await buildTree(app);
});
afterAll(async () => {
  await app?.close();
});

test('viewers bound to an area rank the streets of their own district only', async () => {
  const ownDistrict = [mine.streetId, neighbourStreetId].sort();
  const communityPath = await areaPath(app, mine.communityId);
  const districtPath = await areaPath(app, mine.districtId);
  for (const viewer of [portalViewer([communityPath]), portalViewer([districtPath]), accountViewer(Role.ANALYST, [districtPath]), accountViewer(Role.COMMUNITY_STAFF, [communityPath])]) {
    expect(await streetsSeenBy(viewer)).toEqual(ownDistrict);
    expect(await streetsSeenBy(viewer, { districtId: mine.districtId })).toEqual(ownDistrict);
  }
});

test("another district's ranking is FORBIDDEN to them", async () => {
  const viewer = portalViewer([await areaPath(app, mine.communityId)]);
  const result = await app.execute(QUERY, { input: { districtId: theirs.districtId } }, viewer);
  expectError(result, 'FORBIDDEN');
  expect(result.data).toBeNull();
});

test('viewers bound to no area rank every street, or one district', async () => {
  const everything = await streetsSeenBy(portalViewer(null));
  expect(everything).toEqual(expect.arrayContaining([mine.streetId, neighbourStreetId, theirs.streetId]));
  expect(await streetsSeenBy(accountViewer(Role.DISTRICT_ADMIN, null), { districtId: theirs.districtId })).toEqual([theirs.streetId]);
});
