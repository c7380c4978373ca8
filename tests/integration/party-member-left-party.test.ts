import { buildWorld, createPerson, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A party member account is for a party member (createAccount refuses anyone else). When staff
 * record through updatePerson that the person left the party, the account must stop reading the
 * community's records as a member: an expelled member kept listing their neighbours.
 */

let app: TestApp;
let base: string;
let w: World;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as any;
}

const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id isPartyMember } }`;

test('a member who left the party no longer reads their community\'s people through their member account', async () => {
  const neighbour = await createPerson(app, { name: '周邻居', phone: '13700000011', residenceCommunityId: w.communityId });
  await ok(app, `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
    input: { username: 'member.left', displayName: '张建国', password: PASSWORD, role: 'PARTY_MEMBER', personId: w.partyMemberId },
  });
  const signIn = await gql(`mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { accessToken } }`, { u: 'member.left', p: PASSWORD });
  const headers = { authorization: `Bearer ${signIn.data.signIn.accessToken}` };
  const PEOPLE = '{ people(first: 100) { totalCount edges { node { id } } } }';

  const before = await gql(PEOPLE, {}, headers);
  expect(before.data.people.edges.map((edge: any) => edge.node.id)).toContain(neighbour);

  await ok(app, UPDATE, { id: w.partyMemberId, input: { partyStatus: null, joinedPartyOn: null } });
  const after = await gql(PEOPLE, {}, headers);
  expect(after.errors).toBeUndefined();
  expect(after.data.people).toEqual({ totalCount: 0, edges: [] });

  // Back in the party (re-admitted): the account reads the community again.
  await ok(app, UPDATE, { id: w.partyMemberId, input: { partyStatus: 'IN_SERVICE', joinedPartyOn: '2005-07-01' } });
  const again = await gql(PEOPLE, {}, headers);
  expect(again.data.people.edges.map((edge: any) => edge.node.id)).toContain(neighbour);
});
