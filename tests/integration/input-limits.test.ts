import { createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, expectError, ok, type World } from '../helpers/fixtures';
import { AppError, ErrorCode } from '../../src/common/errors';
import { inTransaction } from '../../src/common/transaction';
import { SYSTEM_VIEWER, createContext } from '../../src/context/context';
import { createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/*
 * Values that pass the GraphQL scalars but that PostgreSQL cannot store as given (found by a review
 * of the mutations): each was a masked INTERNAL_SERVER_ERROR, or stored changed. Now a
 * BAD_USER_INPUT naming the field, and nothing written.
 */

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const CREATE_DISTRICT = `mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { id name } }`;
const districtCount = async () => Number((await app.orm.em.fork().execute(`select count(*)::int as n from area where level = 'DISTRICT'`))[0].n);

test('a name is as long as the column counts it: 100 × "a" + U+FE0F is 200 characters, over the 100 allowed', async () => {
  const before = await districtCount();
  const result = await app.execute(CREATE_DISTRICT, { input: { name: 'a\uFE0F'.repeat(100), code: 'VS-1' } });
  expectError(result, 'BAD_USER_INPUT', 'input.name');
  expect(result.errors![0].message).toBe('input.name: must be shorter than or equal to 100 characters');
  expect(await districtCount()).toBe(before);
  // 50 pairs are 100 characters: stored as sent.
  const fits = await ok(app, CREATE_DISTRICT, { input: { name: 'a\uFE0F'.repeat(50), code: 'VS-2' } });
  expect(fits.createDistrict.name).toBe('a\uFE0F'.repeat(50));
  // A character outside the BMP (two UTF-16 units) is one character, as PostgreSQL counts it.
  const wide = await ok(app, CREATE_DISTRICT, { input: { name: '𠀀'.repeat(100), code: 'VS-3' } });
  expect(wide.createDistrict.name).toBe('𠀀'.repeat(100));
});

test('half of a surrogate pair is refused, not stored as U+FFFD while the answer shows what was sent', async () => {
  const before = await districtCount();
  const result = await app.execute(CREATE_DISTRICT, { input: { name: '\uD800abc', code: 'LS-1' } });
  expectError(result, 'BAD_USER_INPUT', 'input.name');
  expect(result.errors![0].message).toMatch(/valid Unicode/);
  expect(await districtCount()).toBe(before);
});

test('days and date-times outside 1900-2999 are BAD_USER_INPUT on their field, inside they are stored', async () => {
  const list = await createProblemList(app, w.communityId, '2031');
  const ADD = `mutation($input: AddListItemInput!) { addListItem(input: $input) { id dueAt } }`;
  const items = async () => Number((await app.orm.em.fork().execute(`select count(*)::int as n from list_item`))[0].n);
  const before = await items();
  // Year 0000, and 9999-12-31 carried into year 10000 by its offset.
  for (const dueAt of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59', '1899-12-31T23:59:59Z']) {
    expectError(await app.execute(ADD, { input: { listId: list, kind: 'PROBLEM', title: '井盖缺失', dueAt } }), 'BAD_USER_INPUT', 'input.dueAt');
  }
  expect(await items()).toBe(before);
  const kept = await ok(app, ADD, { input: { listId: list, kind: 'PROBLEM', title: '井盖缺失', dueAt: '2999-12-31T23:59:59Z' } });
  expect(kept.addListItem.dueAt).toBe('2999-12-31T23:59:59.000Z');

  const PERSON = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`;
  const person = (joinedPartyOn: string) => ({ input: { name: '赵新', partyStatus: 'RETIRED', joinedPartyOn, residenceCommunityId: w.communityId } });
  expectError(await app.execute(PERSON, person('0000-01-01')), 'BAD_USER_INPUT', 'input.joinedPartyOn');
  await ok(app, PERSON, person('1949-10-01'));
});

test('a query may still filter from an early sentinel date-time', async () => {
  const result = await app.execute(`query($after: DateTimeISO) { requests(first: 1, filter: { receivedFrom: $after }) { totalCount } }`, { after: '0001-01-01T00:00:00Z' });
  expect(result.errors).toBeUndefined();
});

test('a value a column cannot hold that slips past the input checks is BAD_USER_INPUT in a mutation', async () => {
  const ctx = createContext(app.orm, silentLogger, undefined, undefined, SYSTEM_VIEWER);
  const error = await inTransaction(ctx, async (em) => {
    await em.execute(`create temporary table if not exists fits (name varchar(3))`);
    await em.execute(`insert into fits values ('abc')`);
    await em.execute(`insert into fits values ('abcd')`); // 22001: longer than varchar(3)
  }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
  for (const statement of [`select '99999999999'::int`, `select '2024-13-45'::date`]) {
    const other = await inTransaction(ctx, (em) => em.execute(statement)).catch((caught: unknown) => caught);
    expect((other as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
  }
});

test('a list of texts names the bound its item broke (a review found "longer than" for a duty too long)', async () => {
  const CREATE = `mutation($input: CreatePairingInput!) { createPairing(input: $input) { id } }`;
  const input = (duties: string[]) => ({ input: { unitId: w.units.hospitalId, communityId: w.communityId, startsOn: '2026-01-01', agreementTitle: '共驻共建协议书', duties } });
  const tooLong = await app.execute(CREATE, input(['义诊进社区', 'x'.repeat(201)]));
  expectError(tooLong, 'BAD_USER_INPUT', 'input.duties');
  expect(tooLong.errors![0].message).toMatch(/shorter than or equal to 200 characters/);
  const empty = await app.execute(CREATE, input(['']));
  expectError(empty, 'BAD_USER_INPUT', 'input.duties');
  expect(empty.errors![0].message).toMatch(/longer than or equal to 1 characters/);
});
