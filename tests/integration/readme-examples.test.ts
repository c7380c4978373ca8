import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';
import { seedDemo } from '../../src/seed/demo';
import { withoutProjectsSection } from '../helpers/readme';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Every ```graphql block of the README runs against the demo city, in order, except the projects
 * section's: they need one-window records and run in project-docs-examples.test.ts.
 */
const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const blocks = [...withoutProjectsSection(readme).matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
const expectedRefusal = JSON.parse(/```json\n([\s\S]*?)```/.exec(readme)![1]);

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  // Exactly what a fresh `npm start` loads, so the README's IDs are the newcomer's IDs.
  await app.orm.em.fork().transactional((em) => seedDemo(em, { scale: 'small', withAccounts: true }));
});
afterAll(async () => {
  await app?.close();
});

test('the README has examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5);
});

test.each(blocks.map((block) => [/(?:query|mutation) (\w+)/.exec(block)?.[1] ?? '?', block]))('README example %s works', async (name, block) => {
  const result = await app.execute(block);
  const expectedCode = /# expect: (\w+)/.exec(block)?.[1];
  if (expectedCode) {
    expect(result.errors?.[0].extensions?.code).toBe(expectedCode);
    return;
  }
  if (name === 'Refused') {
    expect(result.errors?.[0].message).toBe(expectedRefusal.errors[0].message);
    expect(result.errors?.[0].extensions).toMatchObject(expectedRefusal.errors[0].extensions);
    return;
  }
  expect(result.errors).toBeUndefined();
  // Every top-level answer has data in it: a list with items, or an object.
  for (const value of Object.values(result.data ?? {})) {
    expect(value).not.toBeNull();
    if (value && typeof value === 'object' && 'totalCount' in value) expect((value as { totalCount: number }).totalCount).toBeGreaterThan(0);
  }
});

test('the walkthrough ends with the request closed out, its whistle answered, and counted on the dashboard', async () => {
  const result = await app.execute(`{
    node(id: "UmVxdWVzdDo0MDE") { ... on Request { status satisfaction events { edges { node { kind } } } } }
    dashboard(input: { areaId: "U3RyZWV0OjI", lastDays: 30 }) { requestsReceived requestsResolved whistlesBlown whistleResponses }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data.node.status).toBe('CLOSED');
  expect(result.data.node.events.edges.map((e: any) => e.node.kind)).toEqual([
    'CREATED', 'DISPATCHED', 'TAKEN', 'WHISTLE_BLOWN', 'WHISTLE_REPORTED', 'WHISTLE_FEEDBACK', 'WHISTLE_REPORTED', 'STARTED', 'RESOLVED', 'RATED', 'CLOSED_OUT',
  ]);
  // The demo's own requests of the last 30 days count too: the expected figures come from the tables.
  const [expected] = await app.orm.em.fork().execute(
    `select count(*)::int as received, (count(*) filter (where r.status in ('RESOLVED', 'CLOSED')))::int as resolved
       from request r join area a on a.id = r.area_id join area s on s.id = 2
      where a.path like s.path || '%' and r.created_at >= now() - interval '30 days'`,
  );
  expect(expected.received).toBeGreaterThan(1);
  expect(result.data.dashboard).toEqual({ requestsReceived: expected.received, requestsResolved: expected.resolved, whistlesBlown: 1, whistleResponses: 2 });
});

test('the lists-and-points examples leave the numbers the README describes', async () => {
  const result = await app.execute(`{
    resourceMatches(itemId: "TGlzdEl0ZW06Mg", first: 5) { resource { title } unit { name } }
    doer: node(id: "UGVyc29uOjEwMjA") { ... on Person { pointBalance } }
    member: node(id: "UGVyc29uOjgz") { ... on Person { pointBalance pointEntries { edges { node { kind amount } } } } }
    resource: node(id: "TGlzdEl0ZW06MQ") { ... on ListItem { remainingQuantity } }
    wish: node(id: "TWljcm9XaXNoOjE") { ... on MicroWish { status residentName } }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data.resourceMatches[0]).toEqual({ resource: { title: '家庭医生义诊工时' }, unit: { name: '泉城区卫生健康局' } });
  expect(result.data.doer.pointBalance).toBe(10); // CLAIM_CONFIRMED
  // 丁然: 5 for the rated request, 5 for the micro-wish, minus 8 redeemed.
  expect(result.data.member.pointBalance).toBe(2);
  expect(result.data.member.pointEntries.edges.map((e: any) => e.node.amount).sort((a: number, b: number) => a - b)).toEqual([-8, 5, 5]);
  expect(result.data.resource.remainingQuantity).toBe(16);
  expect(result.data.wish).toEqual({ status: 'CONFIRMED', residentName: '张**' });
});
