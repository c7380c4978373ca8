/**
 * Transactions PostgreSQL itself aborts (a deadlock, a serialization failure, a lock timeout):
 * nothing was changed and the same request will very likely succeed if sent again, so the client
 * reads a typed TRY_AGAIN, never a masked INTERNAL_SERVER_ERROR logged as a bug.
 */
import pg from 'pg';
import { AppError, ErrorCode } from '../../src/common/errors';
import { isExpectedError } from '../../src/common/format-error';
import { inTransaction, translateDatabaseError } from '../../src/common/transaction';
import { SYSTEM_VIEWER, createContext } from '../../src/context/context';
import { CREATE_DISTRICT, CREATE_GRID } from '../operations/areas';
import { createCommunity, createStreet, dbId } from '../helpers/fixtures';
import { waiters } from '../helpers/lock-race';
import { capturingLogger, createTestApp, silentLogger, type GraphQLResult, type TestApp } from '../helpers/test-app';

let app: TestApp;
let communityA: number;
let communityB: number;
let communityGlobalId: string;

beforeAll(async () => {
  app = await createTestApp();
  const district = await app.execute(CREATE_DISTRICT, { input: { name: '死锁区', code: '370196' } });
  const street = await createStreet(app, district.data.createDistrict.id);
  communityGlobalId = await createCommunity(app, street, '死锁甲社区');
  communityA = dbId(communityGlobalId);
  communityB = dbId(await createCommunity(app, street, '死锁乙社区'));
});
afterAll(async () => {
  await app?.close();
});

/** A connection of its own, as another writer; `set deadlock_timeout` makes the other side the one PostgreSQL aborts. */
async function otherWriter(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  await client.query(`set deadlock_timeout = '60s'`);
  return client;
}

/** app.execute with a production-configured logger whose lines the test reads. */
async function executeLogged(query: string, variables: Record<string, unknown>): Promise<{ result: GraphQLResult; lines: string[] }> {
  const { logger, lines } = capturingLogger();
  const response = await app.server.apollo.executeOperation({ query, variables }, { contextValue: createContext(app.orm, logger, undefined, undefined, SYSTEM_VIEWER) });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return { result: JSON.parse(JSON.stringify(response.body.singleResult)), lines };
}

const context = () => createContext(app.orm, silentLogger, undefined, undefined, SYSTEM_VIEWER);
const nameOf = async (id: number) => ((await app.orm.em.fork().execute<{ name: string }[]>('select name from area where id = ?', [id]))[0]).name;

test('a mutation PostgreSQL picks as a deadlock victim answers TRY_AGAIN, writes nothing, and succeeds when sent again', async () => {
  const holder = await otherWriter();
  await holder.query('begin');
  // The other writer holds the community row; createGrid takes the area-tree lock, then waits on
  // that row (the new grid's parent key), and the other writer then asks for the area-tree lock.
  await holder.query('select 1 from area where id = $1 for update', [communityA]);
  const input = { name: '死锁网格', code: 'DEADLOCK-G', communityId: communityGlobalId };
  const created = executeLogged(CREATE_GRID, { input });
  await waiters(app, 1);
  const holderLocked = holder.query(`select pg_advisory_xact_lock(hashtext('area_tree'), 0)`);
  const { result, lines } = await created;
  await holderLocked;
  await holder.query('commit');
  await holder.end();

  expect(result.errors?.[0].extensions?.code).toBe(ErrorCode.TRY_AGAIN);
  expect(result.errors?.[0].message).toMatch(/nothing was changed/);
  // Not a bug: no "unexpected error", one warning naming the operation (a deadlock means two
  // writers took their locks in different orders, worth a look).
  const logged = lines.map((line) => JSON.parse(line));
  expect(logged.filter((entry) => entry.level >= 50)).toEqual([]);
  expect(logged.filter((entry) => entry.level === 40)).toEqual([expect.objectContaining({ operationName: 'CreateGrid', msg: expect.stringMatching(/rolled back by the database/) })]);
  const [{ n }] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from area where code = 'DEADLOCK-G'`);
  expect(n).toBe(0);
  const audit = await app.execute(`{ mutationAudits(first: 100) { edges { node { operationName outcome } } } }`);
  expect(audit.data.mutationAudits.edges.map((edge: any) => edge.node)).toContainEqual({ operationName: 'CreateGrid', outcome: 'TRY_AGAIN' });

  const again = await app.execute(CREATE_GRID, { input });
  expect(again.errors).toBeUndefined();
  expect(again.data.createGrid.code).toBe('DEADLOCK-G');
}, 30_000);

test('two transactions through inTransaction locking two rows in opposite order: one commits, the other answers TRY_AGAIN having changed nothing', async () => {
  let firstLocked!: () => void;
  let secondLocked!: () => void;
  const first = new Promise<void>((resolve) => (firstLocked = resolve));
  const second = new Promise<void>((resolve) => (secondLocked = resolve));
  const rename = (tag: string, rows: [number, number], locked: () => void, otherLocked: Promise<void>) =>
    inTransaction(context(), async (em) => {
      await em.execute('update area set name = ? where id = ?', [tag, rows[0]]);
      locked();
      await otherLocked;
      await em.execute('update area set name = ? where id = ?', [tag, rows[1]]);
      return tag;
    });
  const outcomes = await Promise.allSettled([
    rename('甲先', [communityA, communityB], firstLocked, second),
    rename('乙先', [communityB, communityA], secondLocked, first),
  ]);

  const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  const fulfilled = outcomes.filter((outcome): outcome is PromiseFulfilledResult<string> => outcome.status === 'fulfilled');
  expect(rejected).toHaveLength(1);
  expect(rejected[0].reason).toBeInstanceOf(AppError);
  expect((rejected[0].reason as AppError).code).toBe(ErrorCode.TRY_AGAIN);
  // The winner's name is on both rows: the loser's first update was rolled back with the rest.
  expect([await nameOf(communityA), await nameOf(communityB)]).toEqual([fulfilled[0].value, fulfilled[0].value]);
}, 30_000);

test('a serialization failure (40001) answers TRY_AGAIN and changes nothing', async () => {
  const writer = await otherWriter();
  const error = await inTransaction(context(), async (em) => {
    await em.execute('set transaction isolation level repeatable read');
    await em.execute('select name from area where id = ?', [communityA]);
    // Another writer changes the row after this transaction's snapshot was taken.
    await writer.query(`update area set name = '并发改名' where id = $1`, [communityA]);
    await em.execute(`insert into mutation_audit (created_at, updated_at, actor, request_id, field, outcome) values (now(), now(), 'test', 'serialization', 'x', 'OK')`);
    await em.execute(`update area set name = '快照改名' where id = ?`, [communityA]);
  }).catch((caught: unknown) => caught);
  await writer.end();

  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(ErrorCode.TRY_AGAIN);
  expect(await nameOf(communityA)).toBe('并发改名');
  const [{ n }] = await app.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from mutation_audit where request_id = 'serialization'`);
  expect(n).toBe(0);
});

test('a lock timeout (55P03, when one is set for the role or database) answers TRY_AGAIN, and is an expected error wherever it is translated', async () => {
  const holder = await otherWriter();
  await holder.query('begin');
  await holder.query('select 1 from area where id = $1 for update', [communityB]);
  const error = await app.orm.em
    .fork()
    .transactional(async (em) => {
      await em.execute(`set local lock_timeout = '100ms'`);
      await em.execute('update area set name = ? where id = ?', ['等锁超时', communityB]);
    })
    .catch((caught: unknown) => caught);
  await holder.query('commit');
  await holder.end();

  const translated = translateDatabaseError(error);
  expect(translated).toBeInstanceOf(AppError);
  expect((translated as AppError).code).toBe(ErrorCode.TRY_AGAIN);
  expect(isExpectedError(error)).toBe(true);
  expect(await nameOf(communityB)).not.toBe('等锁超时');
});
