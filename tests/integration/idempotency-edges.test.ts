import pg from 'pg';
import { createLogger } from '../../src/common/logger';
import { loadConfig } from '../../src/config/env';
import { createServer } from '../../src/server';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildTree, type Tree } from '../helpers/fixtures';
import { TEST_JWT_SECRET, createTestApp, type TestApp } from '../helpers/test-app';
import { fingerprintOf } from '../../src/idempotency/idempotency.plugin';

/*
 * A review of Idempotency-Key (src/idempotency): a retry must get the first answer as it was, run
 * when the first answer said "nothing was changed, send it again", never find credentials kept,
 * and leave the personal-data audit whole.
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
  await app.execute(`mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
    input: { username: 'idem.review', displayName: '网格员', password: 'idempotency-review-password', role: 'DISTRICT_ADMIN' },
  });
});
afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation Report($input: CreateRequestInput!) { createRequest(input: $input) { title number id } }`;
const input = (title: string) => ({ title, body: '3单元楼道灯不亮', channel: 'COUNTER', categoryId: category, areaId: tree.buildingId });

async function post(body: unknown, headers: Record<string, string> | Headers, url = base) {
  const sent = new Headers(headers);
  sent.set('content-type', 'application/json');
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: sent, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), requestId: response.headers.get('x-request-id'), text, json: JSON.parse(text) as any };
}
async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from (${sql}) s`, params);
  return row.n;
}

test('a retry after 503 REQUEST_TIMEOUT (the mutation rolled back: "nothing was changed") runs, rather than replaying the timeout', async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, REQUEST_TIMEOUT_MS: '300' } as NodeJS.ProcessEnv);
  const slow = await createServer({ config, orm: app.orm, logger: createLogger('silent') });
  const locker = new pg.Client({ connectionString: app.databaseUrl });
  await locker.connect();
  try {
    const url = `http://127.0.0.1:${await slow.listen(0)}`;
    // Another session holds the request table: the insert waits past the request timeout.
    await locker.query('begin');
    await locker.query('lock table request in access exclusive mode');
    const body = { query: CREATE, variables: { input: input('超时后重试') } };
    const headers = { ...admin, 'idempotency-key': 'review-timeout' };
    const first = await post(body, headers, url);
    expect(first.status).toBe(503);
    expect(first.json.errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    await locker.query('commit');
    // The first goes on once the lock is gone and is rolled back at its commit.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await count(`select 1 from request where title = '超时后重试'`)).toBe(0);
    const again = await post(body, headers, url);
    expect(again.json.errors).toBeUndefined();
    expect(again.replayed).toBeNull();
    expect(await count(`select 1 from request where title = '超时后重试'`)).toBe(1);
    // And that answer is the one kept now.
    const third = await post(body, headers, url);
    expect(third.replayed).toBe('true');
    expect(third.text).toBe(again.text);
    expect(await count(`select 1 from request where title = '超时后重试'`)).toBe(1);
  } finally {
    await locker.query('rollback').catch(() => undefined);
    await locker.end();
    await slow.stop();
  }
});

test('the replay is the first answer byte for byte: its fields in the order asked (GraphQL orders them), errors included', async () => {
  const headers = { ...admin, 'idempotency-key': 'review-order' };
  const first = await post({ query: CREATE, variables: { input: input('字段顺序') } }, headers);
  const again = await post({ query: CREATE, variables: { input: input('字段顺序') } }, headers);
  expect(again.replayed).toBe('true');
  expect(Object.keys(again.json.data.createRequest)).toEqual(['title', 'number', 'id']);
  expect(again.text).toBe(first.text);

  const bad = { query: CREATE, variables: { input: { ...input('字段顺序 错'), areaId: 'not-an-id' } } };
  const error = await post(bad, { ...admin, 'idempotency-key': 'review-order-error' });
  const errorAgain = await post(bad, { ...admin, 'idempotency-key': 'review-order-error' });
  expect(errorAgain.replayed).toBe('true');
  expect(errorAgain.text).toBe(error.text);
});

test('a session mutation reached through a fragment is never kept: its tokens are not stored nor handed out again', async () => {
  const signIn = `signIn(input: { username: "idem.review", password: "idempotency-review-password" }) { accessToken refreshToken }`;
  for (const [key, query] of [
    ['review-inline', `mutation { ... on Mutation { ${signIn} } }`],
    ['review-spread', `mutation { ...S } fragment S on Mutation { ${signIn} }`],
  ]) {
    const first = await post({ query }, { ...admin, 'idempotency-key': key });
    const second = await post({ query }, { ...admin, 'idempotency-key': key });
    expect(first.json.data.signIn.refreshToken).toBeDefined();
    expect(second.replayed).toBeNull();
    expect(second.json.data.signIn.refreshToken).not.toBe(first.json.data.signIn.refreshToken);
    expect(await count(`select 1 from idempotency_key where key = ?`, [key])).toBe(0);
  }
});

test('createApiKey is never kept: the plaintext key ("in the answer once") is not stored in idempotency_key nor shown again', async () => {
  const query = `mutation { createApiKey(input: { name: "幂等审查" }) { key } }`;
  const first = await post({ query }, { ...admin, 'idempotency-key': 'review-api-key' });
  const key = first.json.data.createApiKey.key as string;
  expect(key).toMatch(/^gjk_/);
  expect(await count(`select 1 from idempotency_key where response::text like ?`, [`%${key}%`])).toBe(0);
  const second = await post({ query }, { ...admin, 'idempotency-key': 'review-api-key' });
  expect(second.json.data?.createApiKey?.key).not.toBe(key);
});

test('a replay that shows personal data unmasked is in the personal-data access log, under the replay request', async () => {
  const query = `mutation($c: ID!) { createPerson(input: { name: "张幂等", phone: "13812345678", residenceCommunityId: $c }) { id phone(reveal: true) } }`;
  const headers = { ...admin, 'idempotency-key': 'review-reveal' };
  const first = await post({ query, variables: { c: tree.communityId } }, headers);
  expect(first.json.data.createPerson.phone).toBe('13812345678');
  const again = await post({ query, variables: { c: tree.communityId } }, headers);
  expect(again.replayed).toBe('true');
  expect(again.json.data.createPerson.phone).toBe('13812345678');
  const rows = await app.orm.em.fork().execute<{ request_id: string; subject_id: string; field: string; actor: string }[]>(
    `select request_id, subject_id, field, actor from personal_data_access where subject_id = ? order by id`,
    [first.json.data.createPerson.id],
  );
  expect(rows.map((row) => row.request_id)).toEqual([first.requestId, again.requestId]);
  expect(rows[1]).toMatchObject({ field: 'phone', actor: 'account:test.admin' });
});

test('refusals of the key are answered as the client\'s doing (400, 409, 422), not 500', async () => {
  const body = { query: CREATE, variables: { input: input('状态码') } };
  const malformed = await post(body, { ...admin, 'idempotency-key': 'x'.repeat(101) });
  expect(malformed.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(malformed.status).toBe(400);
  // The header twice arrives as "a, b": refused the same way, and nothing runs.
  const twice = new Headers(admin);
  twice.append('Idempotency-Key', 'review-twice-a');
  twice.append('IDEMPOTENCY-KEY', 'review-twice-b');
  const doubled = await post(body, twice);
  expect(doubled.status).toBe(400);
  expect(doubled.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  expect(await count(`select 1 from request where title = '状态码'`)).toBe(0);

  await post(body, { ...admin, 'idempotency-key': 'review-status' });
  const other = await post({ query: CREATE, variables: { input: input('状态码 二') } }, { ...admin, 'idempotency-key': 'review-status' });
  expect(other.json.errors[0].extensions.code).toBe('CONFLICT');
  expect(other.status).toBe(422);

  const [account] = await app.orm.em.fork().execute<{ id: number }[]>(`select id from account where username = 'test.admin'`);
  // The same request claimed the key, and no answer is kept yet (still running, or the server stopped).
  const fingerprint = fingerprintOf(body.query, null, body.variables);
  await app.orm.em.fork().execute(`insert into idempotency_key (account_id, key, fingerprint, created_at) values (?, 'review-running', ?, now())`, [account.id, fingerprint]);
  const running = await post(body, { ...admin, 'idempotency-key': 'review-running' });
  expect(running.json.errors[0].extensions.code).toBe('CONFLICT');
  expect(running.status).toBe(409);
});

test('checked, holds: another operationName or other aliases with the same variables are CONFLICT; a two-field mutation whose second field failed replays as it was', async () => {
  const two = `mutation Two($a: CreateRequestInput!, $b: CreateRequestInput!) { first: createRequest(input: $a) { id } second: createRequest(input: $b) { id } }`;
  const variables = { a: input('两个字段'), b: { ...input('两个字段 二'), areaId: 'bad' } };
  const headers = { ...admin, 'idempotency-key': 'review-two' };
  const first = await post({ query: two, variables }, headers);
  const again = await post({ query: two, variables }, headers);
  expect(again.replayed).toBe('true');
  expect(again.json).toEqual(first.json);
  expect(await count(`select 1 from request where title = '两个字段'`)).toBe(1);
  for (const query of [two.replace('Two', 'Three'), two.replace('first:', 'one:')]) {
    const other = await post({ query, variables }, headers);
    expect(other.json.errors[0].extensions.code).toBe('CONFLICT');
  }
  expect(await count(`select 1 from request where title = '两个字段'`)).toBe(1);
});

test('a mutation run through a fragment is in the mutation audit (it ran all the same), and its replay too', async () => {
  const query = `mutation Spread($input: CreateRequestInput!) { ...R } fragment R on Mutation { createRequest(input: $input) { id } }`;
  const headers = { ...admin, 'idempotency-key': 'review-audit-spread' };
  const first = await post({ query, variables: { input: input('片段审计') } }, headers);
  expect(first.json.errors).toBeUndefined();
  const again = await post({ query, variables: { input: input('片段审计') } }, headers);
  expect(again.replayed).toBe('true');
  const rows = await app.orm.em.fork().execute<{ field: string; outcome: string }[]>(`select field, outcome from mutation_audit where operation_name = 'Spread' order by id`);
  expect(rows).toEqual([
    { field: 'createRequest', outcome: 'OK' },
    { field: 'createRequest', outcome: 'REPLAYED' },
  ]);
});

test('checked, holds: a deactivated account\'s retry gets 401, not the kept answer', async () => {
  const signIn = await post({ query: `mutation { signIn(input: { username: "idem.review", password: "idempotency-review-password" }) { accessToken account { id } } }` }, {});
  const theirs = { authorization: `Bearer ${signIn.json.data.signIn.accessToken}`, 'idempotency-key': 'review-deactivated' };
  const body = { query: CREATE, variables: { input: input('停用账号') } };
  expect((await post(body, theirs)).json.errors).toBeUndefined();
  await app.execute(`mutation($id: ID!) { setAccountActive(id: $id, active: false) { id } }`, { id: signIn.json.data.signIn.account.id });
  const retry = await post(body, theirs);
  expect(retry.status).toBe(401);
  expect(retry.replayed).toBeNull();
  expect(retry.json.data).toBeUndefined();
});

// rootFields is shared by the audit and Idempotency-Key: selections under one response key are one field,
// run once (one in the operation, one in a fragment, as a client composing fragments writes them).
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

/*
 * From a privacy review: a kept answer was replayed to its account whatever the account may see
 * now. Staff moved to another community (updateAccount) got back, for a day, the personal data they
 * had revealed in the old one (a resident's phone as written), though `reveal` is for records
 * inside the viewer's scope only.
 */
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
