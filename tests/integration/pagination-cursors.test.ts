import { MAX_CURSOR_CHARS, OrderDirection, encodeCursor } from '../../src/common/pagination';
import { ENTITIES } from '../../src/db/entities';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { buildTree, createGrid, createUnit, expectError, ok, walkPages, type Tree } from '../helpers/fixtures';

/**
 * Cursors as a dashboard uses them: kept per list and sent back as `after`. Found by a review:
 * a cursor of one list was taken by another list paging the same way (its position read on rows
 * of another kind: a wrong page, no error), and a cursor the API itself issued for a long name was
 * refused as too long.
 */
let app: TestApp;
let tree: Tree;

beforeAll(async () => {
  app = await createTestApp();
  tree = await buildTree(app);
  await createGrid(app, tree.communityId, '幸福里第二网格');
  await createUnit(app, { name: '幸福里物业', kind: 'PROPERTY_COMPANY', areaId: tree.communityId });
  await createUnit(app, { name: '和平里物业', kind: 'PROPERTY_COMPANY', areaId: tree.otherCommunityId });
});
afterAll(async () => {
  await app?.close();
});

const UNITS = `query($first: Int, $after: String) { units(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const COMMUNITIES_BY_NAME = `query($first: Int, $after: String) { communities(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) { edges { node { id } } } }`;
const PARTY_ORGANIZATIONS = `query($after: String) { partyOrganizations(first: 1, after: $after) { edges { node { id } } } }`;
const STREET_COMMUNITIES = `query($id: ID!, $after: String) { node(id: $id) { ... on Street { communities(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor } } } } }`;
const COMMUNITY_GRIDS = `query($id: ID!, $after: String) { node(id: $id) { ... on Community { grids(first: 1, after: $after) { edges { node { id } } } } } }`;
const COMMUNITIES_BY_CODE = `query($after: String) { communities(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor } } }`;

describe('a cursor belongs to the list that issued it', () => {
  test('a units cursor sent to communities (both by name, ascending) is BAD_USER_INPUT, not a page', async () => {
    const cursor = (await ok(app, UNITS, { first: 1 })).units.pageInfo.endCursor;
    expectError(await app.execute(COMMUNITIES_BY_NAME, { first: 1, after: cursor }), 'BAD_USER_INPUT', 'after');
    expectError(await app.execute(PARTY_ORGANIZATIONS, { after: cursor }), 'BAD_USER_INPUT', 'after');
  });

  test('a nested list refuses the cursor of a nested list of another kind (Street.communities → Community.grids)', async () => {
    const street = (await ok(app, STREET_COMMUNITIES, { id: tree.streetId })).node.communities;
    expectError(await app.execute(COMMUNITY_GRIDS, { id: tree.communityId, after: street.pageInfo.endCursor }), 'BAD_USER_INPUT', 'after');
  });

  test('the same kind of row in the same order still pages on: communities → Street.communities', async () => {
    const root = (await ok(app, COMMUNITIES_BY_CODE, {})).communities;
    const nested = (await ok(app, STREET_COMMUNITIES, { id: tree.streetId, after: root.pageInfo.endCursor })).node.communities;
    const second = (await ok(app, COMMUNITIES_BY_CODE, { after: root.pageInfo.endCursor })).communities;
    expect(nested.edges.map((edge: any) => edge.node.id)).toEqual(second.edges.map((edge: any) => edge.node.id));
  });
});

describe('every cursor the API issues is taken back', () => {
  test('units whose names are as long as a name may be (120 Chinese characters) page through by name', async () => {
    const long = (mark: string) => `${mark}${'共建单位'.repeat(30)}`.slice(0, 120);
    const ids = [
      await createUnit(app, { name: long('甲'), kind: 'SOCIAL_ORGANIZATION', areaId: tree.gridId }),
      await createUnit(app, { name: long('乙'), kind: 'SOCIAL_ORGANIZATION', areaId: tree.gridId }),
      await createUnit(app, { name: long('丙'), kind: 'SOCIAL_ORGANIZATION', areaId: tree.gridId }),
    ];
    const PAGE = `query($first: Int, $after: String, $filter: UnitFilter) { units(first: $first, after: $after, filter: $filter, orderBy: { field: NAME, direction: DESC }) {
      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const { ids: walked } = await walkPages(app, PAGE, 'units', 1, { filter: { within: tree.gridId, search: '共建单位' } });
    expect(new Set(walked)).toEqual(new Set(ids));
    expect(walked).toHaveLength(3);
  });

  test('the longest cursor the API can issue fits the limit on `after`', () => {
    // 120 characters JSON writes longest (\u0001 each), the longest order key and entity name, the largest id.
    const entity = ENTITIES.map((entity) => entity.name).reduce((a, b) => (b.length > a.length ? b : a));
    const longest = encodeCursor({ property: 'createdAt', direction: OrderDirection.DESC }, '\u0001'.repeat(120), Number.MAX_SAFE_INTEGER, entity);
    expect(longest.length).toBeLessThanOrEqual(MAX_CURSOR_CHARS);
  });
});
