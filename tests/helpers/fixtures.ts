import { fromGlobalId } from '../../src/common/global-id';
import type { GraphQLResult, TestApp } from './test-app';

/*
 * Small builders that go through the GraphQL API (never around it), so a fixture is
 * exactly what a client could have created. Every code comes from one counter: unique
 * within a test file, and each test file has its own database.
 */

let sequence = 0;
/** A fresh number for codes and ID-number serials (per test file). */
export function nextSeq(): number {
  sequence += 1;
  return sequence;
}

/** A unique code: letters, digits and dashes only. */
export function uniqueCode(prefix = 'C'): string {
  return `${prefix}${String(nextSeq()).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------
// Running operations
// ---------------------------------------------------------------------------

/** Runs an operation that must succeed and returns its data (throws with the errors otherwise). */
export async function ok<T = any>(app: TestApp, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  if (result.errors?.length) {
    throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  }
  return result.data as T;
}

/** `input.code` and `code` name the same input field; filters and arguments keep their prefix. */
function normaliseField(field: unknown): unknown {
  return typeof field === 'string' ? field.replace(/^input\./, '') : field;
}

/**
 * Asserts the first error's `extensions.code` (and, when given, `extensions.field`, with or
 * without its `input.` prefix). Shows the actual code, field and message on failure.
 */
export function expectError(result: GraphQLResult, code: string, field?: string): void {
  const error = result.errors?.[0];
  const codeMatches = error?.extensions?.code === code;
  const fieldMatches = field === undefined || normaliseField(error?.extensions?.field) === normaliseField(field);
  if (!codeMatches || !fieldMatches) {
    const shown = JSON.stringify(result);
    throw new Error(`expected ${code}${field !== undefined ? ` naming ${field}` : ''}, got: ${shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown}`);
  }
}

// ---------------------------------------------------------------------------
// Direct database access (for asserting what was, or was not, written)
// ---------------------------------------------------------------------------

/** Any table of the schema (names are discovered, so new modules are watched without a list). */
export type Table = string;

/**
 * Row counts of every table in the schema, through a fresh EntityManager — except the migrations
 * log and the audit logs, which record refused mutations too (that is their job).
 */
export async function rowCounts(app: TestApp): Promise<Record<Table, number>> {
  const em = app.orm.em.fork();
  const tables: { table_name: string }[] = await em.execute(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not in ('mikro_orm_migrations', 'mutation_audit', 'personal_data_access') order by 1`,
  );
  const columns = tables.map(({ table_name: table }) => `(select count(*) from "${table}")::int as "${table}"`).join(', ');
  const rows: Record<Table, number>[] = await em.execute(`select ${columns}`);
  return { ...rows[0] };
}

/** The stored row behind a global ID (raw columns, snake_case), or undefined. */
export async function rawRow(app: TestApp, table: Table, globalId: string): Promise<Record<string, any> | undefined> {
  const decoded = fromGlobalId(globalId);
  if (!decoded) throw new Error(`not a global ID: ${globalId}`);
  const em = app.orm.em.fork();
  const rows: Record<string, any>[] = await em.execute(`select * from "${table}" where id = ?`, [decoded.id]);
  return rows[0];
}

/** The database id behind a global ID. */
export function dbId(globalId: string): number {
  const decoded = fromGlobalId(globalId);
  if (!decoded) throw new Error(`not a global ID: ${globalId}`);
  return decoded.id;
}

/**
 * Runs `work` (an operation expected to fail) and asserts that no table changed row count
 * and that the rows given in `unchanged` are byte-for-byte the same afterwards.
 */
export async function expectNothingWritten<T = GraphQLResult>(
  app: TestApp,
  work: () => Promise<T>,
  unchanged: { table: Table; id: string }[] = [],
): Promise<T> {
  const countsBefore = await rowCounts(app);
  const rowsBefore = await Promise.all(unchanged.map(({ table, id }) => rawRow(app, table, id)));
  const result = await work();
  expect(await rowCounts(app)).toEqual(countsBefore);
  const rowsAfter = await Promise.all(unchanged.map(({ table, id }) => rawRow(app, table, id)));
  expect(rowsAfter).toEqual(rowsBefore);
  return result;
}

/**
 * Sends the same write `times` times at once: exactly one may succeed, and every other must
 * answer exactly as the same write sent afterwards does (`code` on `field`, writing nothing):
 * a duplicate that raced past a service's check must not read as a database key's columns.
 */
export async function expectRacedDuplicatesAnswerAsSequential(
  app: TestApp,
  document: string,
  variables: Record<string, unknown>,
  code: string,
  field: string,
  times = 6,
): Promise<GraphQLResult> {
  const results = await Promise.all(Array.from({ length: times }, () => app.execute(document, variables)));
  expect(results.filter((result) => !result.errors)).toHaveLength(1);
  const sequential = await expectNothingWritten(app, () => app.execute(document, variables));
  expectError(sequential, code, field);
  for (const loser of results.filter((result) => result.errors)) expect(loser).toEqual(sequential);
  return sequential;
}

/**
 * Several records (`ids`, rows of `table`) take one new `code` at once through `document`
 * (an update taking id and input): one wins; every loser answers as a later sequential attempt
 * does (CONFLICT on input.code, writing nothing) and keeps its own code. Returns that answer.
 */
export async function expectRacedCodeChangesAnswerAsSequential(app: TestApp, document: string, table: Table, ids: string[], code: string): Promise<GraphQLResult> {
  const results = await Promise.all(ids.map((id) => app.execute(document, { id, input: { code } })));
  expect(results.filter((result) => !result.errors)).toHaveLength(1);
  const loserIds = ids.filter((_id, i) => results[i].errors);
  const sequential = await expectNothingWritten(app, () => app.execute(document, { id: loserIds[0], input: { code } }), [{ table, id: loserIds[0] }]);
  expectError(sequential, 'CONFLICT', 'input.code');
  for (const loser of results.filter((result) => result.errors)) expect(loser).toEqual(sequential);
  for (const id of loserIds) expect((await rawRow(app, table, id))!.code).not.toBe(code);
  return sequential;
}

// ---------------------------------------------------------------------------
// Resident ID numbers (GB 11643-1999)
// ---------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(first17[index]), 0);
  return ID_CHECK_CHARS[sum % 11];
}

/**
 * A valid 18-character resident ID: region 370102 (济南历下), the birth date given as
 * YYYYMMDD, a serial whose last digit is odd for a man and even for a woman, then the check character.
 */
export function residentId(birthDate = '19850315', gender: 'MALE' | 'FEMALE' = 'MALE', region = '370102'): string {
  const n = nextSeq();
  const serial = `${String(n % 100).padStart(2, '0')}${((Math.floor(n / 100) % 5) * 2 + (gender === 'MALE' ? 1 : 0)) % 10}`;
  const first17 = `${region}${birthDate}${serial}`;
  return `${first17}${idCheckChar(first17)}`;
}

/** The same number with a wrong check character. */
export function withBadChecksum(idNumber: string): string {
  const good = idNumber[17];
  const bad = ID_CHECK_CHARS.split('').find((c) => c !== good && c !== 'X')!;
  return `${idNumber.slice(0, 17)}${bad}`;
}

// ---------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------

export interface Tree {
  districtId: string;
  streetId: string;
  /** 幸福里社区 */
  communityId: string;
  /** 和平里社区, same street */
  otherCommunityId: string;
  /** 幸福里第一网格, in communityId */
  gridId: string;
  /** 和平里第一网格, in otherCommunityId */
  otherGridId: string;
  /** 幸福里1号楼, in gridId */
  buildingId: string;
}

/** 示范区 → 新华街道 → 幸福里社区 (网格, 楼栋) + 和平里社区 (网格). Fresh codes every call. */
export async function buildTree(app: TestApp): Promise<Tree> {
  const n = String(nextSeq()).padStart(3, '0');
  const districtCode = `37${n}0`;
  const district = await ok(app, `mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { id } }`, {
    input: { name: '示范区', code: districtCode },
  });
  const districtId: string = district.createDistrict.id;
  const streetId = await createStreet(app, districtId, '新华街道', `${districtCode}001`);
  const community = await ok(app, `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, {
    input: { name: '幸福里社区', code: `${districtCode}001001`, streetId, population: 8600, households: 3100 },
  });
  const communityId: string = community.createCommunity.id;
  const otherCommunityId = await createCommunity(app, streetId, '和平里社区', `${districtCode}001002`);
  const gridId = await createGrid(app, communityId, '幸福里第一网格', `${districtCode}001001-01`);
  const otherGridId = await createGrid(app, otherCommunityId, '和平里第一网格', `${districtCode}001002-01`);
  const building = await ok(app, `mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { id } }`, {
    input: { name: '幸福里1号楼', code: `${districtCode}001001-01-001`, gridId, floors: 6, households: 48 },
  });
  return { districtId, streetId, communityId, otherCommunityId, gridId, otherGridId, buildingId: building.createBuilding.id };
}

export async function createStreet(app: TestApp, districtId: string, name = '新华街道', code = uniqueCode('S')): Promise<string> {
  const data = await ok(app, `mutation($input: CreateStreetInput!) { createStreet(input: $input) { id } }`, { input: { name, code, districtId } });
  return data.createStreet.id;
}

export async function createCommunity(app: TestApp, streetId: string, name = '团结社区', code = uniqueCode('CM')): Promise<string> {
  const data = await ok(app, `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, { input: { name, code, streetId } });
  return data.createCommunity.id;
}

export async function createGrid(app: TestApp, communityId: string, name = '第一网格', code = uniqueCode('G')): Promise<string> {
  const data = await ok(app, `mutation($input: CreateGridInput!) { createGrid(input: $input) { id } }`, { input: { name, code, communityId } });
  return data.createGrid.id;
}

export type UnitKind = 'AGENCY' | 'ENTERPRISE' | 'SCHOOL' | 'HOSPITAL' | 'POLICE_STATION' | 'PROPERTY_COMPANY' | 'OWNERS_COMMITTEE' | 'SOCIAL_ORGANIZATION';

export interface UnitInput {
  name: string;
  kind: UnitKind;
  code?: string;
  areaId?: string | null;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}

/** A unit with a fresh unified-social-credit-like code; returns its global ID. */
export async function createUnit(app: TestApp, input: UnitInput): Promise<string> {
  const data = await ok(app, `mutation($input: CreateUnitInput!) { createUnit(input: $input) { id } }`, {
    input: { code: uniqueCode('91370100MA'), ...input },
  });
  return data.createUnit.id;
}

export interface Units {
  /** 市第一人民医院, in the building */
  hospitalId: string;
  /** 新华派出所, in the community */
  policeStationId: string;
  /** 幸福物业服务有限公司, in the grid */
  propertyCompanyId: string;
  /** 幸福里小区业主委员会, in the community */
  ownersCommitteeId: string;
  /** 和平里小学, in the other community's grid */
  schoolId: string;
  /** 外区科技有限公司, outside the district (no area) */
  enterpriseId: string;
}

/** One unit of each kind the alliance rules care about, spread over the tree. */
export async function buildUnits(app: TestApp, tree: Tree): Promise<Units> {
  return {
    hospitalId: await createUnit(app, { name: '市第一人民医院', kind: 'HOSPITAL', areaId: tree.buildingId, address: '幸福里路1号', contactName: '王医生', contactPhone: '13812345678' }),
    policeStationId: await createUnit(app, { name: '新华派出所', kind: 'POLICE_STATION', areaId: tree.communityId }),
    propertyCompanyId: await createUnit(app, { name: '幸福物业服务有限公司', kind: 'PROPERTY_COMPANY', areaId: tree.gridId }),
    ownersCommitteeId: await createUnit(app, { name: '幸福里小区业主委员会', kind: 'OWNERS_COMMITTEE', areaId: tree.communityId }),
    schoolId: await createUnit(app, { name: '和平里小学', kind: 'SCHOOL', areaId: tree.otherGridId }),
    enterpriseId: await createUnit(app, { name: '外区科技有限公司', kind: 'ENTERPRISE' }),
  };
}

export interface PersonInput {
  name: string;
  gender?: 'MALE' | 'FEMALE' | null;
  birthYear?: number | null;
  phone?: string | null;
  idNumber?: string | null;
  partyStatus?: 'IN_SERVICE' | 'RETIRED' | 'MOBILE' | null;
  joinedPartyOn?: string | null;
  employerUnitId?: string | null;
  residenceCommunityId?: string | null;
  organizationId?: string | null;
}

export async function createPerson(app: TestApp, input: PersonInput): Promise<string> {
  const data = await ok(app, `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input });
  return data.createPerson.id;
}

export type PartyOrganizationKind = 'COMMITTEE' | 'GENERAL_BRANCH' | 'BRANCH' | 'GROUP';

export async function createPartyOrganization(
  app: TestApp,
  input: { name: string; kind: PartyOrganizationKind; areaId: string; code?: string; parentId?: string | null; secretaryId?: string | null; functional?: boolean; functionDescription?: string | null },
): Promise<string> {
  const data = await ok(app, `mutation($input: CreatePartyOrganizationInput!) { createPartyOrganization(input: $input) { id } }`, {
    input: { code: uniqueCode('DZ'), ...input },
  });
  return data.createPartyOrganization.id;
}

export interface World extends Tree {
  units: Units;
  /** 张建国: in-service party member at the hospital, living in 幸福里社区 */
  partyMemberId: string;
}

/** A tree, its units and one party member. */
export async function buildWorld(app: TestApp): Promise<World> {
  const tree = await buildTree(app);
  const units = await buildUnits(app, tree);
  // No ID number here: person.test.ts covers ID numbers; the other files need not depend on them.
  const partyMemberId = await createPerson(app, {
    name: '张建国',
    gender: 'MALE',
    birthYear: 1980,
    phone: '13912345678',
    partyStatus: 'IN_SERVICE',
    joinedPartyOn: '2005-07-01',
    employerUnitId: units.hospitalId,
    residenceCommunityId: tree.communityId,
  });
  return { ...tree, units, partyMemberId };
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

/**
 * Walks a root connection with `first: pageSize` then `after: endCursor` until
 * hasNextPage is false; returns the node ids in order and the number of pages.
 * `query` must take `$first: Int, $after: String` and select
 * `{ edges { cursor node { id } } pageInfo { hasNextPage endCursor } }` under `field`.
 */
export async function walkPages(
  app: TestApp,
  query: string,
  field: string,
  pageSize: number,
  variables: Record<string, unknown> = {},
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const data: any = await ok(app, query, { ...variables, first: pageSize, after });
    const connection = data[field];
    pages += 1;
    expect(connection.edges.length).toBeLessThanOrEqual(pageSize);
    ids.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) break;
    expect(connection.edges.length).toBe(pageSize);
    after = connection.pageInfo.endCursor;
    if (pages > 50) throw new Error('pagination does not terminate');
  }
  return { ids, pages };
}

/** A syntactically valid cursor whose payload is not one this API issued. */
export function forgedCursor(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}
