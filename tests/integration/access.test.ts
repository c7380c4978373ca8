import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { toGlobalId } from '../../src/common/global-id';
import type { Viewer } from '../../src/context/context';
import { ADMIN_MUTATIONS, PORTAL_QUERIES, PUBLIC_FIELDS, ROLE_MUTATIONS, SELF_MUTATIONS, SELF_QUERIES } from '../../src/modules/identity/access.policy';
import { Role } from '../../src/modules/identity/role';
import { RECORD_TYPES } from '../../src/modules/identity/scope.rules';
import {
  accountViewer,
  anySelection,
  areaPath,
  committedSchema,
  placeholderArguments,
  populateCommunity,
  portalViewer,
  recordIds,
  type CommunityRecords,
} from '../helpers/access-fixtures';
import { categoryId, createPairing } from '../helpers/closed-loop-fixtures';
import { buildWorld, createPerson, createUnit, dbId, expectError, expectNothingWritten, ok, type World } from '../helpers/fixtures';
import { createTestApp, type GraphQLResult, type TestApp } from '../helpers/test-app';

/*
 * Who may see and do what. Two communities of one street, A (幸福里) and B (和平里), each with
 * one record of every scoped kind; a unit paired with both. A community worker of A must never
 * reach B's records: not by listing, not by guessing an id, not by walking a relation, not by
 * filtering, not by changing them.
 */

const schema = committedSchema();
const queryFields = schema.getQueryType()!.getFields();
const mutationFields = schema.getMutationType()!.getFields();

/**
 * Every root query, classified. A new root field fails the first test until it is added here
 * (and, for a scoped list, covered by the scope tests below).
 *  - record list: lists records; a scoped viewer sees only their subtrees
 *  - directory: the public directory (area tree, units, party organisations…), readable by every signed-in viewer
 *  - area figures: takes an area that must lie in the viewer's scope
 *  - admin: district administrators only
 *  - self: the caller's own account (SELF_QUERIES), any signed-in account, never a portal
 */
const ROOT_QUERIES: Record<string, 'record list' | 'directory' | 'area figures' | 'admin' | 'public' | 'self' | 'node' | 'public figures' | 'record lookup' | 'utility'> = {
  viewer: 'public',
  me: 'self',
  node: 'node',
  nodes: 'node',
  districts: 'directory',
  streets: 'directory',
  communities: 'directory',
  grids: 'directory',
  buildings: 'directory',
  units: 'directory',
  partyOrganizations: 'directory',
  alliances: 'directory',
  pairings: 'directory',
  requestCategories: 'directory',
  serviceItems: 'directory',
  pointRules: 'directory',
  requests: 'record list',
  whistles: 'record list',
  whistleResponses: 'record list',
  problemLists: 'record list',
  listItems: 'record list',
  microWishes: 'record list',
  people: 'record list',
  partyMembers: 'record list',
  reportedMembers: 'record list',
  servicePosts: 'record list',
  activities: 'record list',
  dashboard: 'area figures',
  serviceStats: 'area figures',
  activityRecordCards: 'area figures',
  unitAssessments: 'area figures',
  memberAssessments: 'area figures',
  pointsLeaderboard: 'area figures',
  streetRanking: 'public figures',
  demandRanking: 'area figures',
  demandSeries: 'area figures',
  demandHotspots: 'area figures',
  projectSuggestions: 'area figures',
  projectTemplates: 'directory',
  livelihoodProjects: 'directory',
  workCalendar: 'directory',
  resourceMatches: 'record lookup',
  classifyRequestText: 'utility',
  importRuns: 'admin',
  accounts: 'admin',
  apiKeys: 'admin',
  personalDataAccesses: 'admin',
  mutationAudits: 'admin',
};

let app: TestApp;
let w: World;
let A: CommunityRecords;
let B: CommunityRecords;
let pairedUnitId: string;
let staffA: Viewer;
let streetStaff: Viewer;
let analyst: Viewer;
let portal: Viewer;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  pairedUnitId = await createUnit(app, { name: '区城管局', kind: 'AGENCY', areaId: w.districtId, contactName: '孙科长', contactPhone: '13700001234' });
  A = await populateCommunity(app, w.communityId, w.gridId, pairedUnitId, 'A');
  B = await populateCommunity(app, w.otherCommunityId, w.otherGridId, pairedUnitId, 'B');
  staffA = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
  streetStaff = accountViewer(Role.STREET_STAFF, [await areaPath(app, w.streetId)]);
  analyst = accountViewer(Role.ANALYST, null);
  portal = portalViewer();
});

afterAll(async () => {
  await app?.close();
});

function idsIn(value: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'id' && typeof child === 'string') found.add(child);
        else walk(child);
      }
    }
  };
  walk(value);
  return found;
}

const bRecords = () => recordIds(B);
const aRecords = () => recordIds(A);

describe('every root field is classified', () => {
  test('the table above names every root query, and nothing else', () => {
    expect(Object.keys(ROOT_QUERIES).sort()).toEqual(Object.keys(queryFields).sort());
  });

  test('every mutation is either for staff, in a role allowlist, admin-only, on oneself or public', () => {
    const allowlisted = new Set(Object.values(ROLE_MUTATIONS).flatMap((set) => [...(set ?? [])]));
    for (const name of [...allowlisted, ...ADMIN_MUTATIONS, ...SELF_MUTATIONS, ...SELF_QUERIES, ...PUBLIC_FIELDS]) {
      expect(queryFields[name] ?? mutationFields[name]).toBeDefined();
    }
    for (const name of PORTAL_QUERIES) expect(queryFields[name]).toBeDefined();
  });
});

describe('anonymous callers', () => {
  test.each(Object.keys(queryFields).filter((name) => !PUBLIC_FIELDS.has(name)))('query %s is UNAUTHENTICATED', async (name) => {
    const { signature, call, variables } = placeholderArguments(queryFields[name].args);
    const result = await app.execute(`query${signature} { ${name}${call}${anySelection(schema, 'Query', name)} }`, variables, { kind: 'anonymous' });
    expectError(result, 'UNAUTHENTICATED');
  });

  test.each(Object.keys(mutationFields).filter((name) => !PUBLIC_FIELDS.has(name)))('mutation %s is UNAUTHENTICATED and writes nothing', async (name) => {
    const { signature, call, variables } = placeholderArguments(mutationFields[name].args);
    await expectNothingWritten(app, async () => {
      const result = await app.execute(`mutation${signature} { ${name}${call}${anySelection(schema, 'Mutation', name)} }`, variables, { kind: 'anonymous' });
      expectError(result, 'UNAUTHENTICATED');
    });
  });

  test('viewer answers anonymous', async () => {
    const result = await app.execute('{ viewer { kind role } }', {}, { kind: 'anonymous' });
    expect(result.data.viewer).toEqual({ kind: 'anonymous', role: null });
  });
});

describe('portals (read-only, public figures)', () => {
  test.each(Object.keys(mutationFields).filter((name) => !PUBLIC_FIELDS.has(name)))('mutation %s is FORBIDDEN', async (name) => {
    const { signature, call, variables } = placeholderArguments(mutationFields[name].args);
    const result = await app.execute(`mutation${signature} { ${name}${call}${anySelection(schema, 'Mutation', name)} }`, variables, portal);
    expectError(result, 'FORBIDDEN');
  });

  test.each(Object.keys(queryFields).filter((name) => !PORTAL_QUERIES.has(name)))('query %s is FORBIDDEN', async (name) => {
    const { signature, call, variables } = placeholderArguments(queryFields[name].args);
    const result = await app.execute(`query${signature} { ${name}${call}${anySelection(schema, 'Query', name)} }`, variables, portal);
    expectError(result, 'FORBIDDEN');
  });

  test('reads the directory and figures', async () => {
    const result = await app.execute(
      `query($area: ID!) { communities(first: 5) { totalCount edges { node { name gridCount } } } dashboard(input: { areaId: $area, lastDays: 30 }) { requestsReceived } }`,
      { area: w.districtId },
      portal,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.communities.totalCount).toBe(2);
  });

  test('cannot walk from the directory into people or cases', async () => {
    const directory = await app.execute(`query($id: ID!) { node(id: $id) { ... on Community { name } } }`, { id: w.communityId }, portal);
    expect(directory.data.node.name).toBe('幸福里社区');
    for (const field of ['partyMembers', 'problemLists', 'microWishes', 'servicePosts', 'reportedMembers']) {
      const result = await app.execute(`query($id: ID!) { node(id: $id) { ... on Community { ${field}(first: 5) { totalCount } } } }`, { id: w.communityId }, portal);
      expect({ field, codes: result.errors?.map((error) => error.extensions?.code) }).toEqual({ field, codes: ['FORBIDDEN'] });
    }
  });

  test('node() of any record is null', async () => {
    for (const { id } of aRecords()) {
      const result = await app.execute(`query($id: ID!) { node(id: $id) { id } }`, { id }, portal);
      expect({ id, node: result.data?.node ?? null }).toEqual({ id, node: null });
    }
  });
});

describe('a community worker of A', () => {
  const LIST_DOCUMENT = (name: string) => `{ ${name}(first: 100) { totalCount edges { node { id } } } }`;
  const recordLists = Object.entries(ROOT_QUERIES)
    .filter(([, kind]) => kind === 'record list')
    .map(([name]) => name);

  test.each(recordLists)('%s lists A records and no B records (totalCount agrees)', async (name) => {
    const asAdmin = await ok(app, LIST_DOCUMENT(name));
    const adminIds = idsIn(asAdmin);
    const result = await app.execute(LIST_DOCUMENT(name), {}, staffA);
    expect(result.errors).toBeUndefined();
    const ids = idsIn(result.data);
    const listedB = bRecords().filter(({ id }) => ids.has(id));
    expect(listedB).toEqual([]);
    // The same list holds B records for the administrator, and A records for A: the test can fail both ways.
    expect(bRecords().some(({ id }) => adminIds.has(id))).toBe(true);
    expect(aRecords().some(({ id }) => ids.has(id))).toBe(true);
    expect(result.data[name].totalCount).toBe(result.data[name].edges.length);
  });

  test('node() finds every A record and none of B', async () => {
    for (const { id, typeName } of aRecords()) {
      const found = await app.execute(`query($id: ID!) { node(id: $id) { id } }`, { id }, staffA);
      expect({ typeName, found: found.data.node?.id }).toEqual({ typeName, found: id });
    }
    for (const { id, typeName } of bRecords()) {
      const hidden = await app.execute(`query($id: ID!) { node(id: $id) { id } }`, { id }, staffA);
      expect({ typeName, found: hidden.data.node }).toEqual({ typeName, found: null });
    }
    const many = await app.execute(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [A.requestId, B.requestId] }, staffA);
    expect(many.data.nodes).toEqual([{ id: A.requestId }, null]);
  });

  test('walking any relation from B\'s community, grid or the shared unit reaches no B record', async () => {
    const starts: [string, string][] = [
      [w.otherCommunityId, 'Community'],
      [w.otherGridId, 'Grid'],
      [pairedUnitId, 'Unit'],
      [w.streetId, 'Street'],
    ];
    let walked = 0;
    for (const [id, typeName] of starts) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      for (const [fieldName, field] of Object.entries(type.getFields())) {
        const named = getNamedType(field.type);
        if (!isObjectType(named)) continue;
        const element = named.name.replace(/Connection$/, '');
        if (!RECORD_TYPES.has(element)) continue;
        walked += 1;
        const document = `query($id: ID!) { node(id: $id) { ... on ${typeName} { ${fieldName}(first: 100) { totalCount edges { node { id } } } } } }`;
        const result = await app.execute(document, { id }, staffA);
        expect(result.errors).toBeUndefined();
        const connection = result.data.node[fieldName];
        const leaked = bRecords().filter((record) => idsIn(connection).has(record.id));
        expect({ path: `${typeName}.${fieldName}`, leaked }).toEqual({ path: `${typeName}.${fieldName}`, leaked: [] });
        expect({ path: `${typeName}.${fieldName}`, totalCount: connection.totalCount }).toEqual({ path: `${typeName}.${fieldName}`, totalCount: connection.edges.length });
      }
    }
    expect(walked).toBeGreaterThanOrEqual(8);
    // As administrator the same walk does reach B's records.
    const admin = await ok(app, `query($id: ID!) { node(id: $id) { ... on Community { problemLists(first: 5) { totalCount } microWishes(first: 5) { totalCount } } } }`, { id: w.otherCommunityId });
    expect(admin.node).toEqual({ problemLists: { totalCount: 1 }, microWishes: { totalCount: 1 } });
  });

  test('filtering on B finds nothing', async () => {
    const result = await app.execute(
      `query($b: ID!) { requests(filter: { within: $b }) { totalCount } microWishes(filter: { communityId: $b }) { totalCount } problemLists(filter: { communityId: $b }) { totalCount } }`,
      { b: w.otherCommunityId },
      staffA,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ requests: { totalCount: 0 }, microWishes: { totalCount: 0 }, problemLists: { totalCount: 0 } });
  });

  test.each([
    ['dashboard', `query($a: ID!) { dashboard(input: { areaId: $a, lastDays: 30 }) { requestsReceived } }`],
    ['serviceStats', `query($a: ID!) { serviceStats(input: { areaId: $a, from: "2026-01-01", to: "2026-12-31", groupBy: CATEGORY }) { total { serviceCount } } }`],
    ['activityRecordCards', `query($a: ID!) { activityRecordCards(input: { communityId: $a, month: "2030-07" }) { attendances } }`],
    ['unitAssessments', `query($a: ID!) { unitAssessments(input: { communityId: $a, year: 2026 }) { rank } }`],
    ['memberAssessments', `query($a: ID!) { memberAssessments(input: { communityId: $a, year: 2026 }) { rank } }`],
    ['pointsLeaderboard', `query($a: ID!) { pointsLeaderboard(communityId: $a, first: 5) { rank } }`],
    ['demandRanking', `query($a: ID!) { demandRanking(input: { areaId: $a, lastDays: 90, groupBy: [CATEGORY] }) { rows { rank } } }`],
    ['demandSeries', `query($a: ID!) { demandSeries(input: { areaId: $a, lastDays: 90 }) { total } }`],
    ['demandHotspots', `query($a: ID!) { demandHotspots(input: { areaId: $a, lastDays: 90, categoryId: "${toGlobalId('RequestCategory', 1)}" }) { statistic } }`],
  ])('%s of B is FORBIDDEN, of A answers', async (_name, document) => {
    expectError(await app.execute(document, { a: w.otherCommunityId }, staffA), 'FORBIDDEN');
    const own = await app.execute(document, { a: w.communityId }, staffA);
    expect(own.errors).toBeUndefined();
  });

  test('resourceMatches for B\'s item is NOT_FOUND', async () => {
    expectError(await app.execute(`query($id: ID!) { resourceMatches(itemId: $id, first: 5) { score } }`, { id: B.listItemId }, staffA), 'NOT_FOUND');
  });

  test.each(['importRuns', 'accounts', 'apiKeys', 'personalDataAccesses'])('%s is FORBIDDEN', async (name) => {
    expectError(await app.execute(`{ ${name}(first: 1) { totalCount } }`, {}, staffA), 'FORBIDDEN');
  });

  test.each([
    ['dispatch B\'s request', `mutation($id: ID!) { dispatchRequest(id: $id, input: { assigneeUnitId: "${toGlobalId('Unit', 1)}" }) { id } }`, () => ({ id: B.requestId }), 'NOT_FOUND'],
    ['comment on B\'s request', `mutation($id: ID!) { commentOnRequest(id: $id, input: { text: "看看" }) { id } }`, () => ({ id: B.requestId }), 'NOT_FOUND'],
    ['create a request in B', `mutation($a: ID!, $c: ID!) { createRequest(input: { title: "t", body: "b", channel: COUNTER, categoryId: $c, areaId: $a }) { id } }`, () => ({ a: w.otherGridId, c: toGlobalId('RequestCategory', 1) }), 'FORBIDDEN'],
    ['rename B', `mutation($id: ID!) { updateArea(id: $id, input: { name: "改名" }) { id } }`, () => ({ id: w.otherCommunityId }), 'FORBIDDEN'],
    ['add a grid to B', `mutation($id: ID!) { createGrid(input: { communityId: $id, name: "新网格", code: "NEWGRID-1" }) { id } }`, () => ({ id: w.otherCommunityId }), 'FORBIDDEN'],
    ['move A\'s grid into B', `mutation($id: ID!, $to: ID!) { updateArea(id: $id, input: { parentId: $to }) { id } }`, () => ({ id: w.gridId, to: w.otherCommunityId }), 'FORBIDDEN'],
    ['add an item to B\'s list', `mutation($id: ID!) { addListItem(input: { listId: $id, kind: DEMAND, title: "x" }) { id } }`, () => ({ id: B.problemListId }), 'NOT_FOUND'],
    ['deliver B\'s claim', `mutation($id: ID!) { deliverClaim(id: $id) { id } }`, () => ({ id: B.claimId }), 'NOT_FOUND'],
    ['cancel B\'s micro-wish', `mutation($id: ID!) { cancelMicroWish(id: $id) { id } }`, () => ({ id: B.microWishId }), 'NOT_FOUND'],
    ['publish a wish in B', `mutation($id: ID!) { publishMicroWish(input: { communityId: $id, title: "x" }) { id } }`, () => ({ id: w.otherCommunityId }), 'FORBIDDEN'],
    ['update a person of B', `mutation($id: ID!) { updatePerson(id: $id, input: { name: "改名" }) { id } }`, () => ({ id: B.personId }), 'NOT_FOUND'],
    ['create a person living in B', `mutation($id: ID!) { createPerson(input: { name: "新人", residenceCommunityId: $id }) { id } }`, () => ({ id: w.otherCommunityId }), 'FORBIDDEN'],
    ['change the category catalogue', `mutation($id: ID!) { updateRequestCategory(id: $id, input: { name: "改名" }) { id } }`, () => ({ id: toGlobalId('RequestCategory', 1) }), 'FORBIDDEN'],
    ['change a unit located outside A', `mutation($id: ID!) { updateUnit(id: $id, input: { name: "改名" }) { id } }`, () => ({ id: pairedUnitId }), 'FORBIDDEN'],
  ] as [string, string, () => Record<string, unknown>, string][])('%s: refused, nothing written', async (_name, document, variables, code) => {
    await expectNothingWritten(app, async () => {
      expectError(await app.execute(document, variables(), staffA), code);
    });
  });

  test('acts on its own community: dispatching A\'s request works', async () => {
    const result = await app.execute(`mutation($id: ID!, $u: ID!) { dispatchRequest(id: $id, input: { assigneeUnitId: $u }) { id status } }`, { id: A.requestId, u: pairedUnitId }, staffA);
    expect(result.errors).toBeUndefined();
    expect(result.data.dispatchRequest.status).toBe('DISPATCHED');
    const ledger = await ok(app, `query($id: ID!) { node(id: $id) { ... on Request { events(first: 10) { edges { node { kind actor } } } } } }`, { id: A.requestId });
    const last = ledger.node.events.edges.at(-1).node;
    const username = (staffA as { username: string }).username;
    expect(last.actor).toBe(`account:${username}`);
    // An analyst sees the step, not the official's account name (often their name in pinyin).
    const asAnalyst = await app.execute(`query($id: ID!) { node(id: $id) { ... on Request { events(first: 10) { edges { node { kind actor } } } } } }`, { id: A.requestId }, analyst);
    expect(asAnalyst.errors).toBeUndefined();
    expect(asAnalyst.data.node.events.edges.at(-1).node).toEqual({ kind: last.kind, actor: `account:${username[0]}${'*'.repeat(username.length - 1)}` });
  });

  test('the street worker above both sees both', async () => {
    const result = await app.execute(`{ requests(first: 100) { edges { node { id } } } }`, {}, streetStaff);
    const ids = idsIn(result.data);
    expect(ids.has(A.requestId) && ids.has(B.requestId)).toBe(true);
  });
});

describe('a district administrator bound to an area', () => {
  test.each(['accounts', 'apiKeys', 'personalDataAccesses', 'mutationAudits'])('reads no %s (they span every area); an unbound one does', async (name) => {
    const bound = accountViewer(Role.DISTRICT_ADMIN, [await areaPath(app, w.communityId)]);
    expectError(await app.execute(`{ ${name}(first: 1) { totalCount } }`, {}, bound), 'FORBIDDEN');
    const unbound = await app.execute(`{ ${name}(first: 1) { totalCount } }`, {}, accountViewer(Role.DISTRICT_ADMIN, null));
    expect(unbound.errors).toBeUndefined();
  });

  test('still reads the records of its area', async () => {
    const bound = accountViewer(Role.DISTRICT_ADMIN, [await areaPath(app, w.communityId)]);
    const result = await app.execute(`query($id: ID!) { node(id: $id) { ... on Request { id } } }`, { id: A.requestId }, bound);
    expect(result.errors).toBeUndefined();
    expect(result.data.node).toEqual({ id: A.requestId });
  });
});

describe('roles outside the staff', () => {
  // Every account may change its own password and forget its own devices (SELF_MUTATIONS; identity.test.ts).
  test.each(Object.keys(mutationFields).filter((name) => !PUBLIC_FIELDS.has(name) && !SELF_MUTATIONS.has(name)))('analyst: mutation %s is FORBIDDEN', async (name) => {
    const { signature, call, variables } = placeholderArguments(mutationFields[name].args);
    expectError(await app.execute(`mutation${signature} { ${name}${call}${anySelection(schema, 'Mutation', name)} }`, variables, analyst), 'FORBIDDEN');
  });

  test.each(Object.keys(mutationFields).filter((name) => !PUBLIC_FIELDS.has(name) && !SELF_MUTATIONS.has(name) && !ROLE_MUTATIONS[Role.PARTY_MEMBER]!.has(name)))(
    'party member: mutation %s is FORBIDDEN',
    async (name) => {
      const member = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, w.communityId)], { personId: dbId(A.personId) });
      const { signature, call, variables } = placeholderArguments(mutationFields[name].args);
      expectError(await app.execute(`mutation${signature} { ${name}${call}${anySelection(schema, 'Mutation', name)} }`, variables, member), 'FORBIDDEN');
    },
  );

  test('a party member acts only for themselves; a liaison only for their unit', async () => {
    const otherMember = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, w.communityId)], { personId: dbId(w.partyMemberId) });
    await expectNothingWritten(app, async () => {
      expectError(await app.execute(`mutation($a: ID!, $p: ID!) { signUpForActivity(input: { activityId: $a, personId: $p }) { id } }`, { a: A.activityId, p: A.personId }, otherMember), 'FORBIDDEN');
    });
    const self = await app.execute(`mutation($a: ID!, $p: ID!) { signUpForActivity(input: { activityId: $a, personId: $p }) { id } }`, { a: A.activityId, p: w.partyMemberId }, otherMember);
    expect(self.errors).toBeUndefined();

    const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(w.units.hospitalId) });
    await expectNothingWritten(app, async () => {
      expectError(await app.execute(`mutation($id: ID!) { deliverClaim(id: $id) { id } }`, { id: A.claimId }, liaison), 'FORBIDDEN');
    });
    const ownLiaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(pairedUnitId) });
    const delivered = await app.execute(`mutation($id: ID!) { deliverClaim(id: $id) { status } }`, { id: A.claimId }, ownLiaison);
    expect(delivered.errors).toBeUndefined();
    expect(delivered.data.deliverClaim.status).toBe('DELIVERED');
  });

  test('an analyst reads records masked and is refused unmasking', async () => {
    const result = await app.execute(`query($id: ID!) { node(id: $id) { ... on Request { residentName residentPhone } } }`, { id: A.requestId }, analyst);
    expect(result.data.node).toEqual({ residentName: 'A**', residentPhone: '139****5678' });
    const revealed = await app.execute(`query($id: ID!) { node(id: $id) { ... on Request { residentPhone(reveal: true) } } }`, { id: A.requestId }, analyst);
    expectError(revealed, 'FORBIDDEN');
  });
});

describe('what is dispatched to a member or a unit, wherever it is', () => {
  const NODE = `query($id: ID!) { node(id: $id) { ... on Request { id status events { totalCount } } } }`;
  const LIST = `{ requests(first: 100) { edges { node { id } } } }`;
  const TYPES: Record<string, string> = { takeRequest: 'TakeRequestInput', startRequest: 'PlainStepInput', resolveRequest: 'PlainStepInput', returnRequest: 'ReasonStepInput!' };
  const act = (m: string, id: string, input: object | undefined, viewer: Viewer): Promise<GraphQLResult> =>
    app.execute(`mutation($id: ID!, $input: ${TYPES[m]}) { ${m}(id: $id, input: $input) { status } }`, { id, input }, viewer);
  const status = async (m: string, id: string, input: object | undefined, viewer: Viewer) => {
    const result = await act(m, id, input, viewer);
    expect(result.errors).toBeUndefined();
    return result.data?.[m].status;
  };
  const requestInB = async (title: string): Promise<string> => {
    const input = { title, body: '楼道灯不亮', channel: 'GRID_PATROL', categoryId: await categoryId(app, 'HOUSING-LIGHTS'), areaId: w.otherGridId };
    return (await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input })).createRequest.id;
  };
  const dispatch = async (id: string, input: object, viewer: Viewer) => {
    const result = await app.execute(`mutation($id: ID!, $input: DispatchRequestInput!) { dispatchRequest(id: $id, input: $input) { status } }`, { id, input }, viewer);
    expect(result.errors).toBeUndefined();
  };
  const seen = async (id: string, viewer: Viewer) => {
    const node = (await app.execute(NODE, { id }, viewer)).data?.node ?? null;
    const listed = (await app.execute(LIST, {}, viewer)).data?.requests.edges.some((e: any) => e.node.id === id);
    return { node: node && { id: node.id, events: node.events.totalCount > 0 }, listed };
  };

  test("a member living in A dispatched B's request (they work a grid of B) reads and works it until they hand it back; other members still see nothing", async () => {
    const memberId = await createPerson(app, { name: '钱网格员', partyStatus: 'RETIRED', joinedPartyOn: '1990-07-01', residenceCommunityId: w.communityId });
    await ok(app, `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id } }`, { input: { gridId: w.otherGridId, personId: memberId, role: 'PART_TIME' } });
    const member = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, w.communityId)], { personId: dbId(memberId) });
    const otherMember = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, w.communityId)], { personId: dbId(w.partyMemberId) });
    const staffB = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]);
    const worked = await requestInB('B楼道灯坏了');
    const handedBack = await requestInB('B路灯不亮');
    expect(await seen(worked, member)).toEqual({ node: null, listed: false }); // not yet theirs
    await dispatch(worked, { assigneePersonId: memberId }, staffB);
    await dispatch(handedBack, { assigneePersonId: memberId }, staffB);

    expect(await seen(worked, member)).toEqual({ node: { id: worked, events: true }, listed: true });
    expect(await status('takeRequest', worked, {}, member)).toBe('TAKEN');
    expect(await status('startRequest', worked, {}, member)).toBe('IN_PROGRESS');
    expect(await status('resolveRequest', worked, {}, member)).toBe('RESOLVED');
    expect(await seen(worked, otherMember)).toEqual({ node: null, listed: false });
    await expectNothingWritten(app, async () => {
      const result = await act('returnRequest', worked, { reason: '不是我的' }, otherMember);
      expectError(result, 'NOT_FOUND', 'id');
      return result;
    });

    // Handed back, it is B's again: the member no longer reads it.
    expect(await status('returnRequest', handedBack, { reason: '本周不在岗' }, member)).toBe('RETURNED');
    expect(await seen(handedBack, member)).toEqual({ node: null, listed: false });
    expectError(await act('takeRequest', handedBack, {}, member), 'NOT_FOUND', 'id');
    // Staff of A gain nothing from their member's work in B.
    expect(await seen(worked, staffA)).toEqual({ node: null, listed: false });
  });

  test('a liaison reads and works a request dispatched to its unit in a community the unit is not paired with; other units\' liaisons see nothing', async () => {
    const unitId = await createUnit(app, { name: '区水务局', kind: 'AGENCY', areaId: w.districtId });
    await createPairing(app, unitId, w.communityId); // serves A only
    const worker = await createPerson(app, { name: '周工', employerUnitId: unitId, residenceCommunityId: w.communityId });
    const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(unitId) });
    const otherLiaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(pairedUnitId) });
    const id = await requestInB('B下水道堵了');
    expect(await seen(id, liaison)).toEqual({ node: null, listed: false });
    await dispatch(id, { assigneeUnitId: unitId }, accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]));

    expect(await seen(id, liaison)).toEqual({ node: { id, events: true }, listed: true });
    expect(await status('takeRequest', id, { personId: worker }, liaison)).toBe('TAKEN');
    expect(await status('resolveRequest', id, {}, liaison)).toBe('RESOLVED');
    expect(await seen(id, otherLiaison)).toEqual({ node: null, listed: false });
    expectError(await act('returnRequest', id, { reason: '非本单位职责' }, otherLiaison), 'NOT_FOUND', 'id');
  });
});

describe('personal data', () => {
  async function auditRows(subjectId: string): Promise<{ actor: string; field: string }[]> {
    return app.orm.em.fork().execute('select actor, field from personal_data_access where subject_id = ? order by id', [subjectId]);
  }

  test('masked by default, even for staff; revealed on request inside scope, and audited once per request', async () => {
    const masked = await app.execute(`query($id: ID!) { node(id: $id) { ... on Request { residentName residentPhone } } }`, { id: A.requestId }, staffA);
    expect(masked.data.node).toEqual({ residentName: 'A**', residentPhone: '139****5678' });
    expect(await auditRows(A.requestId)).toEqual([]);

    const revealed: GraphQLResult = await app.execute(
      `query($id: ID!) { node(id: $id) { ... on Request { residentName(reveal: true) residentPhone(reveal: true) again: residentPhone(reveal: true) } } }`,
      { id: A.requestId },
      staffA,
    );
    expect(revealed.data.node).toEqual({ residentName: 'A张三', residentPhone: '13912345678', again: '13912345678' });
    const actor = `account:${(staffA as { username: string }).username}`;
    expect(await auditRows(A.requestId)).toEqual([
      { actor, field: 'residentName' },
      { actor, field: 'residentPhone' },
    ]);
  });

  test('a unit located outside the viewer\'s scope keeps its liaison\'s name and phone masked', async () => {
    for (const field of ['contactPhone', 'contactName']) {
      const result = await app.execute(`query($id: ID!) { node(id: $id) { ... on Unit { ${field}(reveal: true) } } }`, { id: pairedUnitId }, staffA);
      expectError(result, 'FORBIDDEN');
    }
    const masked = await app.execute(`query($id: ID!) { node(id: $id) { ... on Unit { contactName contactPhone } } }`, { id: pairedUnitId }, staffA);
    expect(masked.data.node).toEqual({ contactName: '孙**', contactPhone: '137****1234' });
    expect(JSON.stringify(masked)).not.toContain('孙科长');
  });

  test('a unit\'s liaison is revealed inside the scope and audited; an analyst is refused', async () => {
    const hospital = w.units.hospitalId;
    const revealed = await app.execute(`query($id: ID!) { node(id: $id) { ... on Unit { contactName(reveal: true) contactPhone(reveal: true) } } }`, { id: hospital }, staffA);
    expect(revealed.errors).toBeUndefined();
    expect(revealed.data.node).toEqual({ contactName: '王医生', contactPhone: '13812345678' });
    const actor = `account:${(staffA as { username: string }).username}`;
    expect(await auditRows(hospital)).toEqual([
      { actor, field: 'contactName' },
      { actor, field: 'contactPhone' },
    ]);
    expectError(await app.execute(`query($id: ID!) { node(id: $id) { ... on Unit { contactName(reveal: true) } } }`, { id: hospital }, analyst), 'FORBIDDEN');
  });

  test('the audit log is append-only', async () => {
    await expect(app.orm.em.fork().execute(`update personal_data_access set actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(app.orm.em.fork().execute(`delete from personal_data_access`)).rejects.toThrow(/append-only/);
  });
});

describe('people linked to a community by its work', () => {
  test('a member living in B who signs up for A\'s activity is visible to A through it, and only readable, not changeable', async () => {
    const visitor = await ok(app, `mutation($c: ID!) { createPerson(input: { name: "外社区志愿者", partyStatus: RETIRED, joinedPartyOn: "1995-07-01", residenceCommunityId: $c }) { id } }`, { c: w.otherCommunityId });
    const visitorId: string = visitor.createPerson.id;
    expect((await app.execute(`query($id: ID!) { node(id: $id) { id } }`, { id: visitorId }, staffA)).data.node).toBeNull();
    await ok(app, `mutation($a: ID!, $p: ID!) { signUpForActivity(input: { activityId: $a, personId: $p }) { id } }`, { a: A.activityId, p: visitorId });
    const walked = await app.execute(`query($id: ID!) { node(id: $id) { ... on Activity { participants(first: 20) { edges { node { id person { id name } } } } } } }`, { id: A.activityId }, staffA);
    expect(walked.errors).toBeUndefined();
    expect(walked.data.node.participants.edges.map((edge: any) => edge.node.person.name)).toContain('外社区志愿者');
    expect((await app.execute(`query($id: ID!) { node(id: $id) { id } }`, { id: visitorId }, staffA)).data.node).toEqual({ id: visitorId });
    await expectNothingWritten(app, async () => {
      const result = await app.execute(`mutation($id: ID!) { updatePerson(id: $id, input: { name: "改名" }) { id } }`, { id: visitorId }, staffA);
      expectError(result, 'FORBIDDEN');
      return result;
    });
  });
});
