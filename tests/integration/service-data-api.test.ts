import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { createLogger } from '../../src/common/logger';
import { loadConfig } from '../../src/config/env';
import { initOrm } from '../../src/db/database';
import { createServer } from '../../src/server';
import { buildTree } from '../helpers/fixtures';
import { TEST_JWT_SECRET, capturingLogger, createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let communityCode: string;
let itemCode: string;
let auth: { authorization: string };
let locker: pg.Client;
beforeAll(async () => {
  app = await createTestApp();
  await buildTree(app);
  auth = await app.adminAuthorization();
  const em = app.orm.em.fork();
  [{ code: communityCode }] = await em.execute<{ code: string }[]>(`select code from area where level = 'COMMUNITY' order by id limit 1`);
  [{ code: itemCode }] = await em.execute<{ code: string }[]>(`select code from service_item where active order by id limit 1`);
  locker = new pg.Client({ connectionString: app.databaseUrl });
  await locker.connect();
});
afterAll(async () => {
  await locker?.end();
  await app?.close();
});

const IMPORT = `mutation ($records: [ServiceRecordInput!]!, $source: String!) { importServiceRecords(records: $records, source: $source) { status inserted duplicates } }`;
const records = (prefix: string, n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({
    sourceId: `${prefix}-${i + offset}`, itemCode, receivedAt: `2024-06-0${1 + ((i + offset) % 5)}T01:00:00Z`, status: 'FINISHED',
    finishedAt: `2024-06-0${1 + ((i + offset) % 5)}T05:00:00Z`, communityCode, satisfaction: 1 + ((i + offset) % 5),
  }));

async function importOver(port: number, source: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query: IMPORT, variables: { records: records(source, 3), source } }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** A roll-up rebuild (or an area move) holding the roll-ups lock: an import's batch waits on it. */
async function holdRollupsLock(): Promise<void> {
  await locker.query('begin');
  await locker.query(`select pg_advisory_xact_lock(hashtext('rollups'), 0)`);
}

/** The source's one run, once it has ended (no fixed sleep: the import goes on after the answer). */
async function endedRun(source: string): Promise<{ status: string; error: string | null; inserted: number }> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const { rows } = await locker.query(`select status, error, inserted from import_run where source = $1`, [source]);
    if (rows.length > 1) throw new Error(`expected one run of ${source}, found ${rows.length}`);
    if (rows[0] && rows[0].status !== 'RUNNING') return rows[0];
  }
  throw new Error(`the run of ${source} did not end`);
}

const stored = async (source: string) => (await locker.query(`select count(*)::int as n from service_record where source = $1`, [source])).rows[0].n as number;

test('importServiceRecords answered 503 REQUEST_TIMEOUT is rolled back at its commit, not stored afterwards; the same records sent again go in', async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, REQUEST_TIMEOUT_MS: '300' } as NodeJS.ProcessEnv);
  const slow = await createServer({ config, orm: app.orm, logger: createLogger('silent') });
  try {
    const port = await slow.listen(0);
    await holdRollupsLock();
    let answer;
    try {
      answer = await importOver(port, 'timeout-src');
    } finally {
      await locker.query('commit');
    }
    expect(answer.status).toBe(503);
    expect(answer.json.errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    const run = await endedRun('timeout-src');
    expect(await stored('timeout-src')).toBe(0);
    // The run says what happened, and counts nothing (its counters were in the batch rolled back).
    expect(run).toEqual({ status: 'FAILED', error: expect.stringMatching(/REQUEST_TIMEOUT; this change was rolled back/), inserted: 0 });
  } finally {
    await locker.query('rollback').catch(() => undefined);
    await slow.stop();
  }
  const again = await app.execute(IMPORT, { records: records('timeout-src', 3), source: 'timeout-src' });
  expect(again.errors).toBeUndefined();
  expect(again.data.importServiceRecords).toEqual({ status: 'SUCCEEDED', inserted: 3, duplicates: 0 });
  expect(await stored('timeout-src')).toBe(3);
});

test('a statement cancelled by DB_STATEMENT_TIMEOUT_MS during importServiceRecords answers REQUEST_TIMEOUT ("nothing was changed"), not a masked internal error', async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, DB_STATEMENT_TIMEOUT_MS: '200' } as NodeJS.ProcessEnv);
  let orm: MikroORM | undefined;
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    orm = await initOrm(app.databaseUrl, config);
    server = await createServer({ config, orm, logger: createLogger('silent') });
    const port = await server.listen(0);
    await holdRollupsLock();
    let answer;
    try {
      answer = await importOver(port, 'statement-src');
    } finally {
      await locker.query('commit');
    }
    expect(answer.json.errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    expect(answer.json.errors[0].message).toMatch(/DB_STATEMENT_TIMEOUT_MS.*nothing was changed/);
    expect(await endedRun('statement-src')).toMatchObject({ status: 'FAILED', inserted: 0 });
    expect(await stored('statement-src')).toBe(0);
  } finally {
    await locker.query('rollback').catch(() => undefined);
    await server?.stop();
    await orm?.close(true);
  }
  const again = await app.execute(IMPORT, { records: records('statement-src', 3), source: 'statement-src' });
  expect(again.data.importServiceRecords).toEqual({ status: 'SUCCEEDED', inserted: 3, duplicates: 0 });
});

test('a batch of importServiceRecords the database refuses with a message quoting a row value: the answer, the log and the run never carry the value', async () => {
  const phone = '13812345678';
  await locker.query(`create function test_api_note_as_number() returns trigger language plpgsql as $$
    begin if new.source = 'quoted-src' then perform new.note::bigint; end if; return new; end $$`);
  await locker.query(`create trigger test_api_note_as_number before insert on service_record for each row execute function test_api_note_as_number()`);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
  const { logger, lines } = capturingLogger();
  let orm: MikroORM | undefined;
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    orm = await initOrm(app.databaseUrl, config);
    server = await createServer({ config, orm, logger });
    const port = await server.listen(0);
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: IMPORT, variables: { records: [{ ...records('quoted-src', 1)[0], note: `请王建国回电${phone}` }], source: 'quoted-src' } }),
    });
    const answer = JSON.stringify(await response.json());
    expect(answer).toContain('INTERNAL_SERVER_ERROR');
    expect(answer).not.toContain(phone);
    const run = await endedRun('quoted-src');
    expect(run.status).toBe('FAILED');
    expect(run.error).not.toContain(phone);
    const logged = lines.join('');
    expect(logged).toContain('22P02');
    expect(logged).not.toContain(phone);
    expect(logged).not.toContain('王建国');
  } finally {
    await server?.stop();
    await orm?.close(true);
    await locker.query('drop trigger test_api_note_as_number on service_record');
    await locker.query('drop function test_api_note_as_number()');
  }
});
