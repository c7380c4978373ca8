import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The node limit (operation-limits.ts) multiplies what is under a connection by its page, but a
 * plain list of objects counted as one item: under demandRanking's rows (up to topN = 100, and
 * belowSupport beside them) a page of units with a page of pairings each was estimated at 10,100
 * nodes while asking for a hundred times that. Found by a review.
 */
let app: TestApp;
let base: string;

beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
});
afterAll(async () => {
  await app?.close();
});

async function post(query: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, json: (await response.json()) as any };
}

const UNDER_EACH = 'community { units(first: 100) { edges { node { pairings(first: 100) { edges { node { id } } } } } } }';
const RANKING = (selection: string) => `{ demandRanking(input: { groupBy: [COMMUNITY, CATEGORY], topN: 100, minSupport: 1, lastDays: 30 }) { ${selection} } }`;

test('pages under the items of a plain list count once per item: demandRanking rows cannot hide a hundredfold answer', async () => {
  const auth = await app.adminAuthorization();
  for (const list of ['rows', 'belowSupport']) {
    const refused = await post(RANKING(`${list} { ${UNDER_EACH} }`), auth);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxNodes' });
    expect(refused.json.data).toBeUndefined();
  }
});

test('a portal is held to the same count', async () => {
  const auth = await app.adminAuthorization();
  const created = await post(`mutation { createApiKey(input: { name: "review" }) { key } }`, auth);
  const key = created.json.data.createApiKey.key as string;
  const refused = await post(RANKING(`rows { ${UNDER_EACH} }`), { 'x-api-key': key });
  expect(refused.status).toBe(400);
  expect(refused.json.errors[0].extensions.limit).toBe('maxNodes');
});

test('lists with no page under them, and one page under each row, still pass', async () => {
  const auth = await app.adminAuthorization();
  const names = await post(RANKING('rows { label community { name } category { name children { name } } } belowSupport { label }'), auth);
  expect(names.json.errors).toBeUndefined();
  const onePage = await post(RANKING('rows { community { units(first: 100) { totalCount edges { node { name } } } } }'), auth);
  expect(onePage.json.errors).toBeUndefined();
  // The connection's own edges are its page, not a list on top of it.
  const pages = await post('{ communities(first: 100) { edges { node { grids(first: 100) { edges { node { name } } } } } } }', auth);
  expect(pages.json.errors).toBeUndefined();
});
