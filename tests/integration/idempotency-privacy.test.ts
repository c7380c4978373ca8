import { buildTree, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * From a privacy review: a kept Idempotency-Key answer was replayed to its account whatever the
 * account may see now. Staff moved to another community (updateAccount) got back, for a day, the
 * personal data they had revealed in the old one (a resident's phone as written), though `reveal`
 * is for records inside the viewer's scope only.
 */

let app: TestApp;
let base: string;
let tree: Tree;

beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  tree = await buildTree(app);
});
afterAll(async () => {
  await app?.close();
});

async function post(body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text, json: JSON.parse(text) as any };
}

test('a replay after the account was moved out of the area does not hand back the personal data it revealed there', async () => {
  const created = await app.execute(`mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
    input: { username: 'moved.staff', displayName: '社区工作人员', password: 'moved-staff-password', role: 'COMMUNITY_STAFF', scopeAreaId: tree.communityId },
  });
  expect(created.errors).toBeUndefined();
  const signIn = await post({ query: `mutation { signIn(input: { username: "moved.staff", password: "moved-staff-password" }) { accessToken } }` }, {});
  const headers = { authorization: `Bearer ${signIn.json.data.signIn.accessToken}`, 'idempotency-key': 'moved-staff-reveal' };
  const body = { query: `mutation($c: ID!) { createPerson(input: { name: "张搬迁", phone: "13876543210", residenceCommunityId: $c }) { id phone(reveal: true) } }`, variables: { c: tree.communityId } };

  const first = await post(body, headers);
  expect(first.json.errors).toBeUndefined();
  expect(first.json.data.createPerson.phone).toBe('13876543210');

  // The administrator moves the account to the other community: the person is outside its scope now.
  const moved = await app.execute(`mutation($id: ID!, $area: ID!) { updateAccount(id: $id, input: { scopeAreaId: $area }) { id } }`, {
    id: created.data.createAccount.id, area: tree.otherCommunityId,
  });
  expect(moved.errors).toBeUndefined();
  // Read directly, the person no longer exists for the account.
  const read = await post({ query: `query($id: ID!) { node(id: $id) { id } }`, variables: { id: first.json.data.createPerson.id } }, { authorization: headers.authorization });
  expect(read.json.data.node).toBeNull();

  const retry = await post(body, headers);
  expect(retry.text).not.toContain('13876543210');
  expect(retry.replayed).toBeNull();
  expect(retry.status).toBe(409);
  expect(retry.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'Idempotency-Key' });
  // Nothing ran again: one such person.
  const [row] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from person where name = '张搬迁'`);
  expect(row.n).toBe(1);
});

test('a replay to the same account with the same access is still the first answer', async () => {
  await app.execute(`mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
    input: { username: 'stay.staff', displayName: '社区工作人员', password: 'stay-staff-password', role: 'COMMUNITY_STAFF', scopeAreaId: tree.communityId },
  });
  const signIn = await post({ query: `mutation { signIn(input: { username: "stay.staff", password: "stay-staff-password" }) { accessToken } }` }, {});
  const headers = { authorization: `Bearer ${signIn.json.data.signIn.accessToken}`, 'idempotency-key': 'stay-staff-reveal' };
  const body = { query: `mutation($c: ID!) { createPerson(input: { name: "张留任", phone: "13876543211", residenceCommunityId: $c }) { id phone(reveal: true) } }`, variables: { c: tree.communityId } };
  const first = await post(body, headers);
  const again = await post(body, headers);
  expect(again.replayed).toBe('true');
  expect(again.json).toEqual(first.json);
});
