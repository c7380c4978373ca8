import { createHash } from 'node:crypto';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildTree, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Re-read of Idempotency-Key: "The same key with another operation or other variables is CONFLICT";
 * the same operation and the same variables, sent again in the forms a client's retry takes, must
 * be answered from the first request, not refused as another action.
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

const CREATE = `mutation Report($input: CreateRequestInput!) { createRequest(input: $input) { id title } }`;

async function post(body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text, json: JSON.parse(text) as any };
}
async function requestsTitled(title: string): Promise<number> {
  const [row] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from request where title = ?`, [title]);
  return row.n;
}

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
