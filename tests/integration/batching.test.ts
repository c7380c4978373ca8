import { seedDemoCity } from '../../src/seed/demo-city';
import { COMMUNITY_OVERVIEW } from '../operations/dashboard';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'city' }));
});
afterAll(async () => {
  await app?.close();
});

async function overview(first: number) {
  let result: any;
  const statements = await app.countStatements(async () => {
    result = await app.execute(COMMUNITY_OVERVIEW, { first });
  });
  expect(result.errors).toBeUndefined();
  return { data: result.data, statements };
}

test('a page of 50 communities with grids, units and alliance members costs a small, constant number of statements', async () => {
  const small = await overview(5);
  const large = await overview(50);

  expect(large.data.communities.edges).toHaveLength(50);
  // One statement per list and per relation level, not per row: the same for 5 parents as for 50.
  expect(large.statements.length).toBe(small.statements.length);
  expect(large.statements.length).toBeLessThanOrEqual(20);
});

test('the batched answers are the right ones, row by row', async () => {
  const { data } = await overview(50);
  const em = app.orm.em.fork();
  for (const { node } of data.communities.edges) {
    expect(node.grids.totalCount).toBe(node.gridCount);
    expect(node.grids.edges).toHaveLength(Math.min(node.gridCount, 100));
    expect(node.units.totalCount).toBe(node.unitCount);
    expect(node.alliance.members.edges).toHaveLength(node.alliance.memberCount);
    const roles = node.alliance.members.edges.map((edge: any) => edge.node.role);
    expect(roles).toEqual(expect.arrayContaining(['POLICE', 'PROPERTY', 'OWNERS_COMMITTEE']));
    for (const { node: member } of node.alliance.members.edges) {
      if (member.seatHolder?.phone) expect(member.seatHolder.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
  }
  // Spot-check the counts against SQL written independently of the loaders.
  const [first] = data.communities.edges;
  const [row] = await em.execute(
    `select (select count(*) from area g where g.parent_id = c.id and g.level = 'GRID') as grids,
            (select count(*) from person p where p.residence_community_id = c.id and p.party_status is not null) as members
       from area c where c.name = ? and c.level = 'COMMUNITY'`,
    [first.node.name],
  );
  expect(first.node.gridCount).toBe(Number(row.grids));
  expect(first.node.partyMemberCount).toBe(Number(row.members));
});

test('paging further into one parent\'s children (after a cursor) continues where the batch stopped', async () => {
  const { data } = await overview(1);
  const community = data.communities.edges[0].node;
  const firstPage = await app.execute(`query($id: ID!) { node(id: $id) { ... on Community { grids(first: 4) { pageInfo { endCursor hasNextPage } edges { node { name } } } } } }`, { id: community.id });
  const { endCursor } = firstPage.data.node.grids.pageInfo;
  const rest = await app.execute(`query($id: ID!, $after: String) { node(id: $id) { ... on Community { grids(first: 100, after: $after) { edges { node { name } } } } } }`, { id: community.id, after: endCursor });
  const names = [...firstPage.data.node.grids.edges, ...rest.data.node.grids.edges].map((edge: any) => edge.node.name);
  expect(names).toEqual(community.grids.edges.map((edge: any) => edge.node.name));
});

test('a cursor sent to a nested connection of many parents is still one batched statement per level, not one per parent', async () => {
  const { data } = await overview(1);
  const community = data.communities.edges[0].node;
  const firstPage = await app.execute(`query($id: ID!) { node(id: $id) { ... on Community { grids(first: 2) { pageInfo { endCursor } } } } }`, { id: community.id });
  const after = firstPage.data.node.grids.pageInfo.endCursor;
  const NESTED = `query($first: Int, $after: String) { communities(first: $first) { edges { node { name grids(first: 3, after: $after) { totalCount edges { node { name } } } } } } }`;
  const run = async (first: number) => {
    let result: any;
    const statements = await app.countStatements(async () => {
      result = await app.execute(NESTED, { first, after });
    });
    expect(result.errors).toBeUndefined();
    return { result, statements };
  };
  const small = await run(5);
  const large = await run(50);
  expect(large.result.data.communities.edges).toHaveLength(50);
  expect(large.statements.length).toBe(small.statements.length);
  expect(large.statements.length).toBeLessThanOrEqual(6);
  // The parent the cursor came from continues where its first page stopped.
  const own = large.result.data.communities.edges.find((edge: any) => edge.node.name === community.name).node.grids;
  expect(own.edges.map((edge: any) => edge.node.name)).toEqual(community.grids.edges.slice(2, 5).map((edge: any) => edge.node.name));
  expect(own.totalCount).toBe(community.gridCount);
});

test('an import screen (runs with their first rejections) costs the same statements for 20 runs as for 2', async () => {
  const em = app.orm.em.fork();
  for (let run = 0; run < 20; run++) {
    const [{ id }] = await em.execute(
      `insert into import_run (created_at, updated_at, source, file_name, mapping, status) values (now(), now(), 'batching', 'f.csv', 'default', 'SUCCEEDED') returning id`,
    );
    await em.execute(`insert into import_rejection (run_id, row_number, column_name, reason) values (?, 1, 'item_code', 'unknown'), (?, 2, 'status', 'unknown'), (?, 3, 'status', 'unknown')`, [id, id, id]);
  }
  const RUNS = `query($first: Int) { importRuns(first: $first) { edges { node { rejections(first: 2) { totalCount pageInfo { hasNextPage } edges { node { rowNumber } } } } } } }`;
  const run = async (first: number) => {
    let result: any;
    const statements = await app.countStatements(async () => {
      result = await app.execute(RUNS, { first });
    });
    expect(result.errors).toBeUndefined();
    return { result, statements };
  };
  const small = await run(2);
  const large = await run(20);
  expect(large.result.data.importRuns.edges).toHaveLength(20);
  for (const { node } of large.result.data.importRuns.edges) {
    expect(node.rejections.edges.map((edge: any) => edge.node.rowNumber)).toEqual([1, 2]);
    expect(node.rejections).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
  }
  expect(large.statements.length).toBe(small.statements.length);
});

test('first: 0 (a badge asking only totalCount) still says whether rows follow, on root and nested connections', async () => {
  const root = await app.execute(`{ communities(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`);
  expect(root.errors).toBeUndefined();
  expect(root.data.communities).toMatchObject({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  expect(root.data.communities.totalCount).toBeGreaterThan(0);
  const nested = await app.execute(`{ communities(first: 2) { edges { node { grids(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } } } } }`);
  expect(nested.errors).toBeUndefined();
  for (const { node } of nested.data.communities.edges) {
    expect(node.grids.edges).toEqual([]);
    expect(node.grids.pageInfo.hasNextPage).toBe(node.grids.totalCount > 0);
    expect(node.grids.totalCount).toBeGreaterThan(0);
  }
  // Nothing matches: no next page.
  const none = await app.execute(`{ communities(first: 0, filter: { search: "没有这个社区" }) { totalCount pageInfo { hasNextPage } } }`);
  expect(none.errors).toBeUndefined();
  expect(none.data.communities).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false } });
});
