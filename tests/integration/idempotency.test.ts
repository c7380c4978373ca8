import { createHash } from 'node:crypto';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildTree, ok, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Idempotency-Key: a client that lost the answer to a mutation sends it again with the same key and
 * gets the first answer, the mutation not run twice (a grid worker's phone between cells).
 */

let app: TestApp;
let base: string;
let tree: Tree;
let admin: { authorization: string };
let category: string;

beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  tree = await buildTree(app);
  admin = await app.adminAuthorization();
  category = await categoryId(app, 'HOUSING-REPAIR');
});
afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation Report($input: CreateRequestInput!) { createRequest(input: $input) { id number title } }`;
const input = (title: string) => ({ title, body: '3单元楼道灯不亮', channel: 'COUNTER', categoryId: category, areaId: tree.buildingId });

async function post(body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text, json: JSON.parse(text) as any };
}
async function requestsTitled(title: string): Promise<number> {
  const [row] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from request where title = ?`, [title]);
  return row.n;
}
async function auditOutcomes(): Promise<string[]> {
  const rows = await app.orm.em.fork().execute<{ outcome: string }[]>(`select outcome from mutation_audit where field = 'createRequest' order by id desc limit 2`);
  return rows.map((row) => row.outcome).reverse();
}

test('a retry with the same key gets the first answer, marked replayed, and creates nothing more; the audit says so', async () => {
  const headers = { ...admin, 'idempotency-key': 'b3f1c2d4-0001' };
  const first = await post({ query: CREATE, variables: { input: input('楼道灯不亮 A') } }, headers);
  expect(first.json.errors).toBeUndefined();
  expect(first.replayed).toBeNull();
  const again = await post({ query: CREATE, variables: { input: input('楼道灯不亮 A') } }, headers);
  expect(again.status).toBe(first.status);
  expect(again.replayed).toBe('true');
  expect(again.json).toEqual(first.json);
  expect(await requestsTitled('楼道灯不亮 A')).toBe(1);
  expect(await auditOutcomes()).toEqual(['OK', 'REPLAYED']);
});

test('without the header, the same mutation sent twice runs twice', async () => {
  await post({ query: CREATE, variables: { input: input('楼道灯不亮 B') } }, admin);
  await post({ query: CREATE, variables: { input: input('楼道灯不亮 B') } }, admin);
  expect(await requestsTitled('楼道灯不亮 B')).toBe(2);
});

test('the same key with other variables is CONFLICT, and nothing is written', async () => {
  const headers = { ...admin, 'idempotency-key': 'b3f1c2d4-0002' };
  await post({ query: CREATE, variables: { input: input('楼道灯不亮 C') } }, headers);
  const other = await post({ query: CREATE, variables: { input: input('楼道灯不亮 D') } }, headers);
  expect(other.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'Idempotency-Key' });
  expect(other.json.errors[0].message).toMatch(/a new action needs a new key/);
  expect(await requestsTitled('楼道灯不亮 D')).toBe(0);
});

test('an error answer is kept too: the retry gets the same error', async () => {
  const headers = { ...admin, 'idempotency-key': 'b3f1c2d4-0003' };
  const bad = { query: CREATE, variables: { input: { ...input('楼道灯不亮 E'), areaId: 'not-an-id' } } };
  const first = await post(bad, headers);
  expect(first.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const again = await post(bad, headers);
  expect(again.replayed).toBe('true');
  expect(again.json).toEqual(first.json);
});

test('a key whose first request has no answer yet (still running, or the server stopped) is CONFLICT, not run again', async () => {
  const headers = { ...admin, 'idempotency-key': 'b3f1c2d4-0004' };
  const [account] = await app.orm.em.fork().execute<{ id: number }[]>(`select id from account where username = 'test.admin'`);
  // The first request claimed the key, then the process died before it answered.
  await app.orm.em.fork().execute(`insert into idempotency_key (account_id, key, fingerprint, created_at) values (?, 'b3f1c2d4-0004', 'x', now())`, [account.id]);
  const retry = await post({ query: CREATE, variables: { input: input('楼道灯不亮 F') } }, headers);
  expect(retry.json.errors[0].extensions.code).toBe('CONFLICT');
  expect(await requestsTitled('楼道灯不亮 F')).toBe(0);
});

test('two requests racing with one key run the mutation once', async () => {
  const headers = { ...admin, 'idempotency-key': 'b3f1c2d4-0005' };
  const body = { query: CREATE, variables: { input: input('楼道灯不亮 G') } };
  const answers = await Promise.all([post(body, headers), post(body, headers), post(body, headers)]);
  expect(await requestsTitled('楼道灯不亮 G')).toBe(1);
  // One ran; each other one was answered from it or told it is still running.
  expect(answers.filter((answer) => !answer.json.errors && answer.replayed === null)).toHaveLength(1);
  for (const answer of answers.filter((candidate) => candidate.json.errors)) expect(answer.json.errors[0].extensions.code).toBe('CONFLICT');
});

test('after a day the key is free again', async () => {
  const headers = { ...admin, 'idempotency-key': 'b3f1c2d4-0006' };
  const body = { query: CREATE, variables: { input: input('楼道灯不亮 H') } };
  await post(body, headers);
  await app.orm.em.fork().execute(`update idempotency_key set created_at = now() - interval '25 hours' where key = 'b3f1c2d4-0006'`);
  const later = await post(body, headers);
  expect(later.replayed).toBeNull();
  expect(await requestsTitled('楼道灯不亮 H')).toBe(2);
});

test('keys are per account: another account with the same key runs its own mutation', async () => {
  const password = 'idempotency-test-password';
  await ok(app, `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
    input: { username: 'idem.staff', displayName: '网格员', password, role: 'DISTRICT_ADMIN' },
  });
  const signIn = await post({ query: `mutation { signIn(input: { username: "idem.staff", password: "${password}" }) { accessToken } }` }, {});
  const other = { authorization: `Bearer ${signIn.json.data.signIn.accessToken}` };
  const body = { query: CREATE, variables: { input: input('楼道灯不亮 I') } };
  await post(body, { ...admin, 'idempotency-key': 'shared-key' });
  const theirs = await post(body, { ...other, 'idempotency-key': 'shared-key' });
  expect(theirs.replayed).toBeNull();
  expect(await requestsTitled('楼道灯不亮 I')).toBe(2);
});

test('a malformed key is BAD_USER_INPUT naming the header, and nothing is written', async () => {
  const answer = await post({ query: CREATE, variables: { input: input('楼道灯不亮 J') } }, { ...admin, 'idempotency-key': 'x'.repeat(101) });
  expect(answer.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  expect(await requestsTitled('楼道灯不亮 J')).toBe(0);
});

test('never for the session: a signIn with a key is not kept (its answer holds tokens); nor are queries', async () => {
  const signIn = { query: `mutation { signIn(input: { username: "idem.staff", password: "idempotency-test-password" }) { accessToken } }` };
  const first = await post(signIn, { 'idempotency-key': 'sign-in-key' });
  const second = await post(signIn, { 'idempotency-key': 'sign-in-key' });
  expect(second.replayed).toBeNull();
  expect(second.json.data.signIn.accessToken).not.toBe(first.json.data.signIn.accessToken);
  await post({ query: '{ viewer { kind } }' }, { ...admin, 'idempotency-key': 'query-key' });
  const [row] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from idempotency_key where key in ('sign-in-key', 'query-key')`);
  expect(row.n).toBe(0);
});

// A retry in the forms clients send it: the same operation and variables, answered from the first request.
test('a retry through an automatic persisted query (the hash only, the server holding the text) is the same operation: replayed, not CONFLICT', async () => {
  const variables = { input: { title: 'APQ 重试', body: '楼道灯不亮', channel: 'COUNTER', categoryId: category, areaId: tree.buildingId } };
  const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(CREATE).digest('hex') };
  const headers = { ...admin, 'idempotency-key': 'reread-apq' };
  // An APQ client (Apollo Client's persisted-queries link) registers the text once, then sends the hash alone.
  const first = await post({ query: CREATE, variables, extensions: { persistedQuery } }, headers);
  expect(first.json.errors).toBeUndefined();
  const again = await post({ variables, extensions: { persistedQuery } }, headers);
  expect(again.json.errors).toBeUndefined();
  expect(again.replayed).toBe('true');
  expect(again.text).toBe(first.text);
  expect(await requestsTitled('APQ 重试')).toBe(1);
});

test('a retry whose variables are the same but serialised in another key order is the same action: replayed, not CONFLICT', async () => {
  const headers = { ...admin, 'idempotency-key': 'reread-order' };
  const fields = { title: '变量顺序', body: '楼道灯不亮', channel: 'COUNTER', categoryId: category, areaId: tree.buildingId };
  const first = await post({ query: CREATE, variables: { input: fields } }, headers);
  expect(first.json.errors).toBeUndefined();
  const reordered = Object.fromEntries(Object.entries(fields).reverse());
  const again = await post({ query: CREATE, variables: { input: reordered } }, headers);
  expect(again.json.errors).toBeUndefined();
  expect(again.replayed).toBe('true');
  expect(again.text).toBe(first.text);
  expect(await requestsTitled('变量顺序')).toBe(1);
  // Other values are still another action.
  const other = await post({ query: CREATE, variables: { input: { ...fields, body: '另一件事' } } }, headers);
  expect(other.json.errors[0].extensions.code).toBe('CONFLICT');
});
