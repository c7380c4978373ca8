import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildTree, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Re-read of the mutation audit (rootFieldOutcomes): one row per root field that ran. GraphQL merges
 * selections under one response key into one field, run once (here one in the operation, one in a
 * fragment, as a client composing fragments writes them); it was recorded once per selection.
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

test('a root field selected twice under one response key runs once and is audited once', async () => {
  const query = `mutation Merged($input: CreateRequestInput!) { report: createRequest(input: $input) { id } ...More }
    fragment More on Mutation { report: createRequest(input: $input) { number } }`;
  const input = { title: '合并字段审计', body: '楼道灯不亮', channel: 'COUNTER', categoryId: category, areaId: tree.buildingId };
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: JSON.stringify({ query, variables: { input } }) });
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  expect(Object.keys(body.data)).toEqual(['report']);
  const em = app.orm.em.fork();
  const [created] = await em.execute<{ n: number }[]>(`select count(*)::int as n from request where title = '合并字段审计'`);
  expect(created.n).toBe(1);
  const rows = await em.execute<{ field: string; outcome: string }[]>(`select field, outcome from mutation_audit where operation_name = 'Merged' order by id`);
  expect(rows).toEqual([{ field: 'createRequest', outcome: 'OK' }]);
});
