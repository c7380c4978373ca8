import {
  buildClientSchema,
  getNamedType,
  introspectionFromSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { createSchema } from '../../src/schema';
import { ErrorCode } from '../../src/common/errors';
import { toGlobalId } from '../../src/common/global-id';
import { populateCommunity, anySelection } from '../helpers/access-fixtures';
import { categoryId, createPairing } from '../helpers/closed-loop-fixtures';
import { buildWorld, ok, residentId, uniqueCode, type World } from '../helpers/fixtures';
import { createTestApp, type GraphQLResult, type TestApp } from '../helpers/test-app';

/*
 * Review of "bad input gets a clear, typed error and changes nothing; every mutation validates its
 * input and runs in a transaction; unknown errors are logged and masked", generated from the schema:
 * every mutation is introspected and called with hostile but type-valid inputs derived from its
 * argument types (empty, blank, 100,000-character, NUL and lone-surrogate strings; negative, zero
 * and extreme numbers; far past and future dates; IDs of the wrong type or malformed; duplicate and
 * very long lists). Each answer must be data, or errors whose codes are the project's typed client
 * codes (never INTERNAL_SERVER_ERROR, never a database message); a refused call must leave every
 * table as it was (row counts and the newest row version of each table).
 *
 * The valid "base" each variant starts from is built from real records (populateCommunity), matched
 * to ID fields by their names, so the hostile value is the thing most calls are judged on.
 */

let app: TestApp;
let w: World;
let schema: GraphQLSchema;
/** Real global IDs by type name (Community, Unit, Request, ...). */
const pool = new Map<string, string[]>();

function typeNameOf(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[0];
}

function remember(...ids: string[]): void {
  for (const id of ids) {
    const type = typeNameOf(id);
    pool.set(type, [...(pool.get(type) ?? []), id]);
  }
}

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const records = await populateCommunity(app, w.communityId, w.gridId, w.units.propertyCompanyId, '测');
  remember(w.districtId, w.streetId, w.communityId, w.otherCommunityId, w.gridId, w.otherGridId, w.buildingId, w.partyMemberId, ...Object.values(w.units));
  remember(...Object.entries(records).filter(([key]) => key !== 'communityId').map(([, id]) => id));
  remember(await categoryId(app, 'HOUSING-REPAIR'));
  remember(await createPairing(app, w.units.hospitalId, w.communityId));
  const alliance = await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, {
    input: { name: '幸福里共建联盟', model: 'ONE_THREE_N', areaId: w.communityId },
  }).catch((error) => console.warn(String(error)));
  if (alliance) remember(alliance.createAlliance.id);
  // The code's schema, introspected (the full introspection query is deeper than a client may ask over the API).
  schema = buildClientSchema(introspectionFromSchema(await createSchema()));
}, 120_000);

afterAll(async () => {
  await app?.close();
});

// ---------------------------------------------------------------------------
// Which record an ID field points at, by its name
// ---------------------------------------------------------------------------

const STEM_TYPES: Record<string, string[]> = {
  community: ['Community'],
  residencecommunity: ['Community'],
  pairedwithcommunity: ['Community'],
  grid: ['Grid'],
  district: ['District'],
  street: ['Street'],
  building: ['Building'],
  area: ['Community', 'Grid', 'Building', 'Street', 'District'],
  scopearea: ['Community'],
  cellarea: ['Community'],
  parent: ['Street', 'Community'],
  blownby: ['Community'],
  unit: ['Unit'],
  unitids: ['Unit'],
  employerunit: ['Unit'],
  memberunit: ['Unit'],
  assigneeunit: ['Unit'],
  person: ['Person'],
  member: ['Person'],
  secretary: ['Person'],
  organizer: ['Person'],
  seatholder: ['Person'],
  assigneeperson: ['Person'],
  subject: ['Person'],
  request: ['Request'],
  sourcerequest: ['Request'],
  problem: ['ListItem'],
  item: ['ListItem'],
  list: ['ProblemList'],
  post: ['ServicePost'],
  activity: ['Activity'],
  category: ['RequestCategory'],
  alliance: ['Alliance'],
  organization: ['PartyOrganization'],
  leadorganization: ['PartyOrganization'],
  template: ['ProjectTemplate'],
  allowedtemplateids: ['ProjectTemplate'],
};

/** The type an `id` argument of a mutation points at: the noun of its name (updateAlliance → Alliance). */
function nounOf(mutation: string): string[] {
  const noun = mutation.replace(/^[a-z]+/, '');
  const aliases: Record<string, string[]> = {
    Area: ['Community'],
    Claim: ['Claim'],
    Problem: ['ListItem'],
    SignUp: ['Participation'],
    AllianceMember: ['AllianceMember'],
    PartTimeMember: ['Person'],
    GridWorker: ['GridAssignment'],
    PostClaim: ['PostClaim'],
  };
  return aliases[noun] ?? [noun];
}

function idFor(mutation: string, fieldName: string): string {
  const stem = fieldName.replace(/Ids?$/, '').toLowerCase() || fieldName.toLowerCase();
  const types = fieldName === 'id' ? nounOf(mutation) : (STEM_TYPES[stem] ?? STEM_TYPES[fieldName.toLowerCase()] ?? [stem.charAt(0).toUpperCase() + stem.slice(1)]);
  for (const type of types) {
    const found = pool.get(type);
    if (found?.length) return found[0];
  }
  return toGlobalId(types[0], 999_999);
}

// ---------------------------------------------------------------------------
// Valid-looking base values, by field name and type
// ---------------------------------------------------------------------------

function baseString(field: string): string {
  const name = field.toLowerCase();
  if (name.includes('phone')) return '13812345678';
  if (name === 'idnumber') return residentId();
  if (name.includes('password')) return 'Fuzz-passw0rd-123456';
  if (name === 'username') return `fuzz.${uniqueCode('u').toLowerCase()}`;
  if (name === 'code' || name.endsWith('code')) return uniqueCode('FZ');
  if (name === 'period') return '2031-Q1';
  if (name === 'month') return '2026-05';
  if (name.includes('token')) return 'token-xyz';
  return '测试文本';
}

function baseValue(mutation: string, fieldName: string, type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return baseValue(mutation, fieldName, type.ofType, depth);
  if (isListType(type)) return [baseValue(mutation, fieldName, type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, baseValue(mutation, field.name, field.type, depth + 1)]));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return idFor(mutation, fieldName);
      case 'Int':
      case 'NonNegativeInt':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'LocalDate':
        return '2026-06-01';
      case 'DateTimeISO':
        return '2026-06-01T09:00:00+08:00';
      case 'JSONObject':
        return { type: 'Point', coordinates: [117, 36] };
      default:
        return baseString(fieldName);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Hostile variants: a leaf of a given kind is replaced, everything else stays the base
// ---------------------------------------------------------------------------

interface Leaf {
  scalar: string;
  fieldName: string;
  base: unknown;
}
/** A replacement for a leaf, or undefined to keep the base. */
type Mutator = (leaf: Leaf) => unknown;
/** A replacement for a list (of anything), or undefined to keep the base. */
type ListMutator = (list: unknown[], itemScalar: string | null) => unknown;

const LONG_TEXT = 'x'.repeat(100_000);
const WORDS = new Set(['String']);

const strings = (value: string): Mutator => (leaf) => (WORDS.has(leaf.scalar) ? value : undefined);

function deepObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { type: 'Polygon' };
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
}

interface Variant {
  name: string;
  leaf?: Mutator;
  list?: ListMutator;
}

const VARIANTS: Variant[] = [
  { name: 'empty strings', leaf: strings('') },
  { name: 'white-space strings', leaf: strings(' \t\u3000\n ') },
  { name: '100,000-character strings', leaf: strings(LONG_TEXT) },
  { name: 'NUL in strings', leaf: (leaf) => (WORDS.has(leaf.scalar) ? `a\u0000b` : leaf.scalar === 'JSONObject' ? { type: 'Polygon\u0000' } : undefined) },
  { name: 'lone surrogates', leaf: (leaf) => (WORDS.has(leaf.scalar) ? '\uD800abc' : leaf.scalar === 'JSONObject' ? { type: '\uDC00' } : undefined) },
  { name: 'negative numbers', leaf: (leaf) => (leaf.scalar === 'Int' ? -1 : leaf.scalar === 'Float' ? -0.5 : undefined) },
  { name: 'zero', leaf: (leaf) => (leaf.scalar === 'Int' || leaf.scalar === 'NonNegativeInt' || leaf.scalar === 'Float' ? 0 : undefined) },
  { name: 'largest numbers', leaf: (leaf) => (leaf.scalar === 'Int' || leaf.scalar === 'NonNegativeInt' ? 2_147_483_647 : leaf.scalar === 'Float' ? 1.7976931348623157e308 : undefined) },
  { name: 'smallest numbers', leaf: (leaf) => (leaf.scalar === 'Int' ? -2_147_483_648 : leaf.scalar === 'Float' ? 5e-324 : undefined) },
  { name: 'fractions', leaf: (leaf) => (leaf.scalar === 'Float' ? 0.30000000000000004 : undefined) },
  {
    name: 'far past dates',
    leaf: (leaf) => (leaf.scalar === 'LocalDate' ? '0001-01-01' : leaf.scalar === 'DateTimeISO' ? '0001-01-01T00:00:00Z' : undefined),
  },
  {
    name: 'far future dates',
    leaf: (leaf) => (leaf.scalar === 'LocalDate' ? '9999-12-31' : leaf.scalar === 'DateTimeISO' ? '9999-12-31T23:59:59.999-23:59' : undefined),
  },
  { name: 'IDs of a unit', leaf: (leaf) => (leaf.scalar === 'ID' ? w.units.hospitalId : undefined) },
  { name: 'IDs of a person', leaf: (leaf) => (leaf.scalar === 'ID' ? w.partyMemberId : undefined) },
  { name: 'malformed IDs', leaf: (leaf) => (leaf.scalar === 'ID' ? 'not-an-id!' : undefined) },
  { name: 'IDs past the largest key', leaf: (leaf) => (leaf.scalar === 'ID' ? Buffer.from(`${typeNameOf(String(leaf.base))}:99999999999`).toString('base64url') : undefined) },
  { name: 'IDs of a missing record', leaf: (leaf) => (leaf.scalar === 'ID' ? toGlobalId(typeNameOf(String(leaf.base)), 2_147_483_647) : undefined) },
  { name: 'deeply nested JSON', leaf: (leaf) => (leaf.scalar === 'JSONObject' ? deepObject(20_000) : undefined) },
  { name: 'duplicate list items', list: (list) => (list.length ? [list[0], list[0], list[0]] : undefined) },
  { name: 'very long lists', list: (list, scalar) => (list.length ? Array.from({ length: scalar === 'ID' || scalar === 'String' ? 70_000 : 6_000 }, () => list[0]) : undefined) },
];

/** Applies a variant to a value of a type; `changed` tells whether anything was replaced. */
function mutate(type: GraphQLInputType, fieldName: string, value: unknown, variant: Variant, changed: { any: boolean }): unknown {
  if (isNonNullType(type)) return mutate(type.ofType, fieldName, value, variant, changed);
  if (value === null || value === undefined) return value;
  if (isListType(type)) {
    // The outermost list is the one replaced (lists inside its items keep their base values: 6,000
    // records of 6,000 groups each would test the test, not the server).
    const named = getNamedType(type);
    const replaced = variant.list?.(value as unknown[], isScalarType(named) ? named.name : null);
    if (replaced !== undefined) {
      changed.any = true;
      return replaced;
    }
    return (value as unknown[]).map((item) => mutate(type.ofType, fieldName, item, variant, changed));
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, child]) => [key, mutate(fields[key].type, key, child, variant, changed)]));
  }
  if (isScalarType(type) && variant.leaf) {
    const replaced = variant.leaf({ scalar: type.name, fieldName, base: value });
    if (replaced !== undefined) {
      changed.any = true;
      return replaced;
    }
  }
  return value;
}

// ---------------------------------------------------------------------------
// What must hold for every answer
// ---------------------------------------------------------------------------

/** Codes a client may be answered for bad input (a refused call), per src/common/errors.ts. */
const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  ErrorCode.ILLEGAL_TRANSITION,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
]);

/** Words of PostgreSQL's, the driver's and the ORM's messages that must never reach a client. */
const LEAKS = /\b(insert into|update "|delete from|select |violates|relation "|column "|syntax error|invalid byte sequence|out of range for type|value too long|null value in|duplicate key|MikroORM|TypeError|RangeError|Maximum call stack|bind message|stack)\b/i;

/**
 * Tables a refused call may write: the audit logs record refused mutations too (their job), and a
 * wrong password is counted on its account by design (inTransactionKeepingRefusal).
 */
const WRITTEN_ON_REFUSAL = new Set(['mikro_orm_migrations', 'mutation_audit', 'personal_data_access']);

let tables: string[] | undefined;
/** Row count and newest row version (xmin) of every table: any committed insert, update or delete moves one. */
async function snapshot(): Promise<Record<string, string>> {
  const em = app.orm.em.fork();
  tables ??= (
    (await em.execute(`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`)) as { table_name: string }[]
  )
    .map((row) => row.table_name)
    .filter((table) => !WRITTEN_ON_REFUSAL.has(table));
  const columns = tables.map((table) => `(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from "${table}") as "${table}"`).join(', ');
  const rows: Record<string, string>[] = await em.execute(`select ${columns}`);
  return { ...rows[0] };
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((table) => before[table] !== after[table]);
}

interface Violation {
  mutation: string;
  variant: string;
  problem: string;
}

function judge(result: GraphQLResult): string | null {
  if (!result.errors?.length) return result.data ? null : 'no data and no errors';
  for (const error of result.errors) {
    const code = error.extensions?.code;
    if (!CLIENT_CODES.has(code)) return `${code}: ${error.message.slice(0, 300)}`;
    if (LEAKS.test(error.message)) return `${code} with an unmasked message: ${error.message.slice(0, 300)}`;
  }
  return null;
}

function documentFor(field: GraphQLField<unknown, unknown>): string {
  const args = field.args;
  const signature = args.length ? `(${args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')})` : '';
  const call = args.length ? `(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
  return `mutation${signature} { ${field.name}${call}${anySelection(schema, 'Mutation', field.name)} }`;
}

/** Mutations whose refusal is, by design, remembered (a counted wrong password, a replayed token revoked). */
const REMEMBERS_REFUSAL = new Set(['signIn', 'refreshSession']);

test('every mutation answers hostile, type-valid input with a typed client error and writes nothing when it refuses', async () => {
  const only = process.env.FUZZ_ONLY?.split(',');
  const mutations = Object.values(schema.getMutationType()!.getFields()).filter((field) => !only || only.includes(field.name));
  if (!only) expect(mutations.length).toBeGreaterThan(50);
  const violations: Violation[] = [];
  let calls = 0;
  const timings: [number, string][] = [];
  for (const mutation of mutations) {
    const document = documentFor(mutation);
    const base = Object.fromEntries(mutation.args.map((arg) => [arg.name, baseValue(mutation.name, arg.name, arg.type)]));
    for (const variant of VARIANTS) {
      const changed = { any: false };
      const variables = Object.fromEntries(mutation.args.map((arg) => [arg.name, mutate(arg.type, arg.name, base[arg.name], variant, changed)]));
      if (!changed.any) continue;
      calls += 1;
      const before = await snapshot();
      let result: GraphQLResult;
      const started = Date.now();
      try {
        result = await app.execute(document, variables);
      } catch (error) {
        violations.push({ mutation: mutation.name, variant: variant.name, problem: `threw: ${String(error).slice(0, 300)}` });
        continue;
      }
      timings.push([Date.now() - started, `${mutation.name} [${variant.name}]`]);
      const problem = judge(result);
      if (problem) violations.push({ mutation: mutation.name, variant: variant.name, problem });
      if (result.errors?.length && !REMEMBERS_REFUSAL.has(mutation.name)) {
        const changedNow = changedTables(before, await snapshot());
        if (changedNow.length) violations.push({ mutation: mutation.name, variant: variant.name, problem: `refused (${result.errors[0].extensions?.code}) but changed ${changedNow.join(', ')}` });
      }
    }
  }
  if (process.env.FUZZ_TIMINGS) console.log(calls, timings.reduce((t, [ms]) => t + ms, 0), timings.sort((a, b) => b[0] - a[0]).slice(0, 25));
  // Enough calls that every mutation was reached with something hostile.
  if (!only) expect(calls).toBeGreaterThan(300);
  expect(violations.map((v) => `${v.mutation} [${v.variant}]: ${v.problem}`)).toEqual([]);
}, 600_000);
