import pg from 'pg';
import { createLogger } from '../../src/common/logger';
import { loadConfig } from '../../src/config/env';
import { createServer } from '../../src/server';
import { TEST_JWT_SECRET, createTestApp, type TestApp } from '../helpers/test-app';
import { buildTree, dbId } from '../helpers/fixtures';

let app: TestApp;
let base: string;
/** Requests carry an administrator's token unless a test sends its own headers without one. */
let auth: { authorization: string };
beforeAll(async () => {
  app = await createTestApp();
  const port = await app.server.listen(0);
  base = `http://127.0.0.1:${port}`;
  auth = await app.adminAuthorization();
});
afterAll(async () => {
  await app?.close();
});

async function post(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json().catch(() => null)) as any };
}

test('GET /health answers while the process is up', async () => {
  const response = await fetch(`${base}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('GET /ready checks the database and the migrations', async () => {
  const response = await fetch(`${base}/ready`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ready' });

  // The newest migration not applied (as after deploying code before migrating): not ready, and which.
  const em = app.orm.em.fork();
  const [newest] = await em.execute(`select id, name, executed_at from mikro_orm_migrations order by id desc limit 1`);
  await em.execute(`delete from mikro_orm_migrations where id = ?`, [newest.id]);
  try {
    const pending = await fetch(`${base}/ready`);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toEqual({ status: 'migrations pending', pending: [newest.name] });
  } finally {
    await em.execute(`insert into mikro_orm_migrations (id, name, executed_at) values (?, ?, ?)`, [newest.id, newest.name, newest.executed_at]);
  }
  expect((await fetch(`${base}/ready`)).status).toBe(200);
});

test('GET /ready probes arriving together share one check: a flood of them cannot take every database connection', async () => {
  // Each check opens a connection of its own; slowed here so that all the probes overlap one.
  const connect = pg.Client.prototype.connect;
  let checks = 0;
  const spy = jest.spyOn(pg.Client.prototype, 'connect').mockImplementation(async function (this: pg.Client) {
    if ((this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name === 'gongjian-ready') {
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return (connect as (this: pg.Client) => Promise<pg.Client>).call(this);
  } as never);
  try {
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${base}/ready`)).status));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(checks).toBe(1);
  } finally {
    spy.mockRestore();
  }
  expect((await fetch(`${base}/ready`)).status).toBe(200);
});

test('a query over HTTP works and the request id comes back', async () => {
  const { status, headers, json } = await post({ query: '{ communities { totalCount } }' }, { 'content-type': 'application/json', 'x-request-id': 'test-req-1' });
  expect(status).toBe(200);
  expect(json).toEqual({ data: { communities: { totalCount: 0 } } });
  expect(headers.get('x-request-id')).toBe('test-req-1');
});

test('a mutation over GET is refused', async () => {
  const query = encodeURIComponent('mutation { createDistrict(input: { name: "x", code: "GET1" }) { id } }');
  const response = await fetch(`${base}/graphql?query=${query}`, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
  expect(response.status).toBe(405);
  const list = await post({ query: '{ districts { totalCount } }' });
  expect(list.json.data.districts.totalCount).toBe(0);
});

test('CSRF prevention: a simple (text/plain) POST is refused', async () => {
  const { status } = await post(JSON.stringify({ query: '{ communities { totalCount } }' }), { 'content-type': 'text/plain' });
  expect(status).toBe(400);
});

test('a syntax error is a client error with a code, not a 500', async () => {
  const { status, json } = await post({ query: '{ communities { ' });
  expect(status).toBe(400);
  expect(json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
});

test('a variable that cannot be coerced is refused with its path and reason, never its value', async () => {
  const CREATE = 'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }';
  const cases: [Record<string, unknown>, string][] = [
    [{ name: '孙丽', birthYear: '13800138000' }, 'Variable "$input" got invalid value at "input.birthYear"; Int cannot represent non-integer value: …'],
    [{ name: '孙丽', phone: 13800138000 }, 'Variable "$input" got invalid value at "input.phone"; String cannot represent a non string value: …'],
    [{ name: '孙丽', gender: '13800138000' }, 'Variable "$input" got invalid value at "input.gender"; Value … does not exist in "Gender" enum.'],
  ];
  for (const [input, message] of cases) {
    const { status, json } = await post({ query: CREATE, variables: { input } });
    expect(status).toBe(400);
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(json)).not.toContain('13800138000');
  }
  const whole = await post({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: { phone: '13800138000' } } });
  expect(whole.json.errors[0].message).toBe('Variable "$id" got invalid value; ID cannot represent value: …');
});

test('the documented inline import of 5,000 records (~2.5 MB) is accepted; a body past 8 MB gets a clear 413', async () => {
  const { communityId } = await buildTree(app);
  const [{ code: communityCode }] = await app.orm.em.fork().execute('select code from area where id = ?', [dbId(communityId)]);
  const records = Array.from({ length: 5000 }, (_, i) => ({
    sourceId: `BODY-${i}`,
    itemCode: 'CARE-CANTEEN-01',
    receivedAt: '2024-06-03T01:00:00Z',
    finishedAt: '2024-06-03T03:00:00Z',
    status: 'FINISHED',
    communityCode,
    residentGroups: ['ELDERLY'],
    satisfaction: 5,
    note: `第${i}位居民在长者食堂用餐，`.padEnd(120, '满意'),
  }));
  const body = JSON.stringify({ query: 'mutation($records: [ServiceRecordInput!]!) { importServiceRecords(records: $records) { status rowsRead inserted rejected } }', variables: { records } });
  expect(Buffer.byteLength(body)).toBeGreaterThan(2_400_000);
  const imported = await post(body);
  expect(imported.status).toBe(200);
  expect(imported.json).toEqual({ data: { importServiceRecords: { status: 'SUCCEEDED', rowsRead: 5000, inserted: 5000, rejected: 0 } } });

  const tooBig = await post({ query: '{ districts { totalCount } }', variables: { padding: 'x'.repeat(8 * 1024 * 1024) } });
  expect(tooBig.status).toBe(413);
  expect(tooBig.json.errors).toEqual([{ message: 'The request body is larger than the 8 MB limit', extensions: { code: 'PAYLOAD_TOO_LARGE' } }]);
}, 60_000);

test('the server leaves SIGINT and SIGTERM to main.ts, also outside NODE_ENV=test', async () => {
  // Apollo installs its own handlers unless NODE_ENV is test; beside main.ts's they made every
  // shutdown hang (a second, never-returning stop()) until the 20 s deadline.
  const signals = () => ['SIGINT', 'SIGTERM'].map((signal) => process.listenerCount(signal));
  const before = signals();
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    server = await createServer({ config: loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), orm: app.orm, logger: createLogger('silent') });
  } finally {
    process.env.NODE_ENV = saved;
  }
  try {
    expect(signals()).toEqual(before);
  } finally {
    await server.stop();
  }
});

test('a write answered REQUEST_TIMEOUT is rolled back, not stored after the answer', async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, REQUEST_TIMEOUT_MS: '300' } as NodeJS.ProcessEnv);
  const slow = await createServer({ config, orm: app.orm, logger: createLogger('silent') });
  const locker = new pg.Client({ connectionString: app.databaseUrl });
  await locker.connect();
  try {
    const port = await slow.listen(0);
    // Another session holds the table, so the insert waits past the request timeout.
    await locker.query('begin');
    await locker.query('lock table area in access exclusive mode');
    const answer = fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: 'mutation { createDistrict(input: { name: "超时区", code: "TIMEOUT1" }) { id } }' }),
    });
    const response = await answer;
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    await locker.query('commit');
    // The mutation goes on once the lock is gone; give it time to finish (or roll back).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { rows } = await locker.query(`select count(*)::int as n from area where code = 'TIMEOUT1'`);
    expect(rows[0].n).toBe(0);
  } finally {
    await locker.query('rollback').catch(() => undefined);
    await locker.end();
    await slow.stop();
  }
});
