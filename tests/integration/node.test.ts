import { toGlobalId } from '../../src/common/global-id';
import { ANONYMOUS } from '../../src/context/context';
import { Area, Street } from '../../src/modules/area/area.entity';
import { seedDemoCity } from '../../src/seed/demo-city';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
});
afterAll(async () => {
  await app?.close();
});

/** One root list per node type, to fetch a real ID of each. */
const FIRST_OF_EACH: Record<string, string> = {
  District: '{ districts(first: 1) { edges { node { id __typename } } } }',
  Street: '{ streets(first: 1) { edges { node { id __typename } } } }',
  Community: '{ communities(first: 1) { edges { node { id __typename } } } }',
  Grid: '{ grids(first: 1) { edges { node { id __typename } } } }',
  Building: '{ buildings(first: 1) { edges { node { id __typename } } } }',
  Unit: '{ units(first: 1) { edges { node { id __typename } } } }',
  PartyOrganization: '{ partyOrganizations(first: 1) { edges { node { id __typename } } } }',
  Alliance: '{ alliances(first: 1) { edges { node { id __typename } } } }',
  Pairing: '{ pairings(first: 1) { edges { node { id __typename } } } }',
  Person: '{ people(first: 1) { edges { node { id __typename } } } }',
  AllianceMember: '{ alliances(first: 1) { edges { node { members(first: 1) { edges { node { id __typename } } } } } } }',
  PartTimeMember: '{ partyOrganizations(first: 1, filter: { kinds: [COMMITTEE], search: "社区" }) { edges { node { partTimeMembers(first: 1) { edges { node { id __typename } } } } } } }',
  GridAssignment: '{ grids(first: 1) { edges { node { workers(first: 1) { edges { node { id __typename } } } } } } }',
};

function firstNode(data: unknown): { id: string; __typename: string } {
  let current: any = data;
  for (;;) {
    const [value] = Object.values(current) as any[];
    if (value?.edges) {
      current = value.edges[0].node;
      if (current.id) return current;
    } else {
      return current;
    }
  }
}

test.each(Object.keys(FIRST_OF_EACH))('node(id:) round-trips a %s', async (typeName) => {
  const listed = await app.execute(FIRST_OF_EACH[typeName]);
  expect(listed.errors).toBeUndefined();
  const node = firstNode(listed.data);
  expect(node.__typename).toBe(typeName);
  const fetched = await app.execute('query($id: ID!) { node(id: $id) { id __typename } }', { id: node.id });
  expect(fetched.data.node).toEqual(node);
});

test('an ID of one area level does not resolve as another level', async () => {
  const listed = await app.execute('{ grids(first: 1) { edges { node { id } } } }');
  const gridId: string = listed.data.grids.edges[0].node.id;
  const databaseId = Number(Buffer.from(gridId, 'base64url').toString().split(':')[1]);
  const result = await app.execute('query($id: ID!) { node(id: $id) { id } }', { id: toGlobalId('Community', databaseId) });
  expect(result.errors).toBeUndefined();
  expect(result.data.node).toBeNull();
});

test('a well-formed ID of nothing is null; a malformed one is BAD_USER_INPUT', async () => {
  expect((await app.execute('{ node(id: "' + toGlobalId('Unit', 999999) + '") { id } }')).data.node).toBeNull();
  const bad = await app.execute('{ node(id: "not-an-id!") { id } }');
  expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
});

test('nodes(ids:) keeps order and gives null for misses, in one batch', async () => {
  const listed = await app.execute('{ units(first: 3) { edges { node { id } } } }');
  const ids = listed.data.units.edges.map((edge: any) => edge.node.id);
  const asked = [ids[2], toGlobalId('Unit', 999999), ids[0]];
  let result: any;
  const statements = await app.countStatements(async () => {
    result = await app.execute('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: asked });
  });
  expect(result.data.nodes).toEqual([{ id: ids[2] }, null, { id: ids[0] }]);
  expect(statements).toHaveLength(1);
});

test('an area first met as a reference of the base class still shows its own type and ID', async () => {
  // Root fields resolve concurrently on one EntityManager: a unit's `area` reference can put a
  // street in the identity map as a bare `Area` before `streets` loads it (a flaky CI failure).
  const listed = await app.execute('{ streets(first: 1) { edges { node { id } } } }');
  const streetId: string = listed.data.streets.edges[0].node.id;
  const databaseId = Number(Buffer.from(streetId, 'base64url').toString().split(':')[1]);
  const em = app.orm.em.fork();
  em.getReference(Area, databaseId);
  const street = await em.findOneOrFail(Street, databaseId);
  expect(street.globalId).toBe(streetId);
  expect(street.graphqlTypeName).toBe('Street');
});

test('sign-in bookkeeping (refresh and device tokens) is no node: an existing row answers null, as a missing one does', async () => {
  await app.execute(`mutation { createAccount(input: { username: "node.probe", displayName: "probe", password: "a long enough password", role: ANALYST }) { id } }`);
  expect((await app.execute(`mutation { signIn(input: { username: "node.probe", password: "a long enough password" }) { deviceToken } }`, {}, ANONYMOUS)).errors).toBeUndefined();
  for (const table of ['refresh_token', 'sign_in_device']) {
    const [{ id }] = await app.orm.em.fork().execute(`select min(id)::int as id from ${table}`);
    const typeName = table === 'refresh_token' ? 'RefreshToken' : 'SignInDevice';
    const existing = await app.execute(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId(typeName, id) });
    expect({ typeName, existing }).toEqual({ typeName, existing: { data: { node: null } } });
  }
});
