import {
  getNamedType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { toGlobalId } from '../../src/common/global-id';
import type { Viewer } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { createSchema } from '../../src/schema';
import { seedDemo } from '../../src/seed/demo';
import { accountViewer, committedSchema, populateCommunity } from '../helpers/access-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * "No N+1", checked generically. For every object type that is an item of a root list or
 * connection, and every field of it that is not a plain column (an object, list or connection
 * field, or a scalar with its own field resolver), the field is asked on a page of 2 parents and
 * on a page of ~20 parents of the demo city: the SQL statements must not grow with the parents.
 */

const committed = committedSchema();
const queryFields = Object.values(committed.getQueryType()!.getFields());

function itemTypeOf(type: GraphQLOutputType): { item: GraphQLObjectType; connection: boolean } | null {
  const named = getNamedType(type);
  if (!isObjectType(named)) return null;
  const edges = named.getFields().edges;
  if (named.name.endsWith('Connection') && edges) {
    const node = getNamedType((getNamedType(edges.type) as GraphQLObjectType).getFields().node.type);
    return isObjectType(node) ? { item: node, connection: true } : null;
  }
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) ? { item: named, connection: false } : null;
}

/** Item type name -> the root fields listing it, in schema order. */
const rootsByItem = new Map<string, { field: string; connection: boolean }[]>();
for (const field of queryFields) {
  const found = itemTypeOf(field.type);
  if (!found) continue;
  rootsByItem.set(found.item.name, [...(rootsByItem.get(found.item.name) ?? []), { field: field.name, connection: found.connection }]);
}
const ITEM_TYPES = [...rootsByItem.keys()].sort();

const NOW = new Date('2026-03-16T04:00:00Z');
/** Pages of parents: 2, or a few more when the first 2 have nothing in the field; and 20. */
const SMALL_PAGES = [2, 3, 4, 6, 8, 20];

let app: TestApp;
let schema: GraphQLSchema;
let viewer: Viewer;
/** `Type.field` (or `Interface.field`) that has a field resolver of its own. */
const resolved = new Set<string>();

interface Outcome {
  field: string;
  root: string;
  parents: [number, number];
  statements: [number, number];
  exercised: boolean;
}
const checked: Outcome[] = [];
const skipped: { field: string; reason: string }[] = [];

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  await app.orm.em.fork().transactional((em) => seedDemo(em, { scale: 'small', withAccounts: true, now: NOW }));
  // The demo city has no whistles, lists, wishes, activities: one of each in three communities, so
  // their types are checked too (on pages of 2 and 3 parents).
  const rows: { community: number; grid: number; unit: number }[] = await app.orm.em.fork().execute(
    `select c.id as community, (select min(g.id) from area g where g.parent_id = c.id and g.level = 'GRID') as grid,
            (select min(u.id) from unit u where not exists (select 1 from pairing p where p.unit_id = u.id and p.community_id = c.id)) as unit
       from area c where c.level = 'COMMUNITY' order by c.id limit 3`,
  );
  for (const [i, row] of rows.entries()) {
    await populateCommunity(app, toGlobalId('Community', row.community), toGlobalId('Grid', row.grid), toGlobalId('Unit', row.unit), `补${i}`);
  }
  schema = await createSchema();
  const metadata = getMetadataStorage();
  const nameOf = (target: Function | undefined) =>
    metadata.objectTypes.find((type) => type.target === target)?.name ?? metadata.interfaceTypes.find((type) => type.target === target)?.name;
  for (const fieldResolver of metadata.fieldResolvers) {
    const owner = nameOf(fieldResolver.getObjectType?.());
    if (owner) resolved.add(`${owner}.${fieldResolver.schemaName}`);
  }
  viewer = accountViewer(Role.DISTRICT_ADMIN, null);
}, 120_000);

afterAll(async () => {
  // N_PLUS_ONE_REPORT=1 prints every field checked, with its statement counts, and every field skipped.
  if (process.env.N_PLUS_ONE_REPORT) printReport();
  await app?.close();
});

function printReport(): void {
  const lines = [
    `checked ${checked.length} fields:`,
    ...checked.map((o) => `  ${o.field} via ${o.root}: parents ${o.parents.join('/')}, statements ${o.statements.join(' -> ')}${o.statements[1] > o.statements[0] ? '  GROWS' : ''}${o.exercised ? '' : '  (no parent has a value)'}`),
    `skipped ${skipped.length}:`,
    ...skipped.map((s) => `  ${s.field}: ${s.reason}`),
  ];
  // eslint-disable-next-line no-console
  console.log(lines.join('\n'));
}

const isLeaf = (type: GraphQLNamedType) => isScalarType(type) || isEnumType(type);

function hasResolver(type: GraphQLObjectType, field: string): boolean {
  return resolved.has(`${type.name}.${field}`) || type.getInterfaces().some((face) => resolved.has(`${face.name}.${field}`));
}

/** The fields worth counting: objects, lists, connections, arguments, or a resolver of their own. */
function computedFields(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  return Object.values(type.getFields()).filter((field) => {
    if (field.name === 'id') return false; // the global id: in memory (NodeEntity)
    const named = getNamedType(field.type);
    const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
    return !isLeaf(named) || isListType(inner) || field.args.length > 0 || hasResolver(type, field.name);
  });
}

/** A sensible value for each argument we pass; null when a required one has no value we know. */
function argumentsOf(args: readonly GraphQLArgument[]): string | null {
  const parts: string[] = [];
  for (const arg of args) {
    if (arg.name === 'first') parts.push('first: 3');
    else if (arg.name === 'reveal') parts.push('reveal: true'); // the path that checks scope and audits
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) {
      const named = getNamedType(arg.type);
      if (named.name === 'Boolean') parts.push(`${arg.name}: false`);
      else return null;
    }
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Small, cheap selection of a returned value: its id or a few plain columns. */
function selectionOf(type: GraphQLNamedType): string {
  if (isLeaf(type)) return '';
  if (isUnionType(type)) return ' { __typename }';
  if (isInterfaceType(type)) return type.getFields().id ? ' { __typename id }' : ' { __typename }';
  const object = type as GraphQLObjectType;
  const fields = object.getFields();
  if (fields.edges && object.name.endsWith('Connection')) {
    const node = getNamedType((getNamedType(fields.edges.type) as GraphQLObjectType).getFields().node.type);
    return ` { ${fields.totalCount ? 'totalCount ' : ''}pageInfo { hasNextPage } edges { node${selectionOf(node)} } }`;
  }
  if (fields.id) return ' { __typename id }';
  const plain = Object.values(fields)
    .filter((field) => isLeaf(getNamedType(field.type)) && field.args.length === 0 && !hasResolver(object, field.name))
    .slice(0, 3)
    .map((field) => field.name);
  return ` { __typename ${plain.join(' ')} }`;
}

/** Whether a value shows the relation was there (so a per-parent query would have run). */
function hasValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && 'edges' in (value as object)) return (value as { edges: unknown[] }).edges.length > 0;
  return true;
}

interface RootPlan {
  root: string;
  /** The operation around the item selection. */
  wrap: (selection: string) => string;
  items: (data: any) => any[];
  /**
   * Variables giving pages of parents, smallest first; the last is the large page. The small
   * page is the first whose parents have the field too (a page whose parents have none skips
   * the statement loading the children at all, whatever the number of parents).
   */
  pages: Record<string, unknown>[];
}

async function run(query: string, variables: Record<string, unknown>) {
  let result: any;
  const statements = await app.countStatements(async () => {
    result = await app.execute(query, variables, viewer);
  });
  return { result, statements };
}

async function firstId(sql: string): Promise<number | null> {
  const rows: { id: number }[] = await app.orm.em.fork().execute(sql);
  return rows[0]?.id ?? null;
}

/**
 * How to ask a root field for a small and a large page of items: `first` for connections and
 * paged lists, two argument values giving different numbers of items for plain lists.
 * Null (with a reason) when the demo city cannot give two pages of different sizes.
 */
async function planFor(root: string, connection: boolean): Promise<RootPlan | string> {
  const field = committed.getQueryType()!.getFields()[root];
  if (connection) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) return 'required arguments';
    return {
      root,
      wrap: (selection) => `query($first: Int) { ${root}(first: $first) { edges { node { __typename ${selection} } } } }`,
      items: (data) => data[root].edges.map((edge: any) => edge.node),
      pages: SMALL_PAGES.map((first) => ({ first })),
    };
  }
  switch (root) {
    case 'pointsLeaderboard': {
      const community = await firstId(`select residence_community_id as id from person where residence_community_id is not null group by 1 order by count(*) desc limit 1`);
      if (community === null) return 'no community with residents';
      const communityId = toGlobalId('Community', community);
      return {
        root,
        wrap: (selection) => `query($communityId: ID!, $first: Int!) { ${root}(communityId: $communityId, first: $first) { __typename rank ${selection} } }`,
        items: (data) => data[root],
        pages: SMALL_PAGES.map((first) => ({ communityId, first })),
      };
    }
    case 'requestCategories': {
      const parent = await firstId(`select parent_id as id from request_category where parent_id is not null and active group by 1 having count(*) between 2 and 4 order by count(*), 1 limit 1`);
      if (parent === null) return 'no category with 2-4 children';
      return {
        root,
        wrap: (selection) => `query($parentId: ID, $all: Boolean!) { ${root}(parentId: $parentId, includeInactive: $all) { __typename id ${selection} } }`,
        items: (data) => data[root],
        pages: [{ parentId: toGlobalId('RequestCategory', parent), all: false }, { parentId: null, all: true }],
      };
    }
    case 'unitAssessments': {
      // A plain list per community: its pages are the communities, fewest assessed units first.
      const wrap = (selection: string) => `query($communityId: ID!) { ${root}(input: { communityId: $communityId }) { __typename ${selection} } }`;
      const communities: { id: number }[] = await app.orm.em.fork().execute(`select id from area where level = 'COMMUNITY' order by id`);
      const sized: { vars: Record<string, unknown>; size: number }[] = [];
      for (const { id } of communities) {
        const vars = { communityId: toGlobalId('Community', id) };
        const answer = await app.execute(wrap(''), vars, viewer);
        if (answer.errors) return answer.errors[0].message;
        sized.push({ vars, size: answer.data[root].length });
      }
      const pages = sized.filter((page) => page.size > 0).sort((a, b) => a.size - b.size).filter((page, i, all) => i === 0 || page.size > all[i - 1].size);
      return { root, wrap, items: (data) => data[root], pages: pages.map((page) => page.vars) };
    }
    case 'activityRecordCards':
      return (await firstId(`select id from activity limit 1`)) === null ? 'the demo city has no activities' : 'not planned (a plain list whose page size this test does not vary)';
    case 'resourceMatches':
      return (await firstId(`select id from list_item limit 1`)) === null ? 'the demo city has no list items' : 'not planned (a plain list whose page size this test does not vary)';
    case 'streetRanking':
      return 'one row per street of the district: a fixed 3 in the demo city, no page size to vary';
    default:
      return field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined) ? 'required arguments' : {
        root,
        wrap: (selection) => `{ ${root} { __typename ${selection} } }`,
        items: (data) => data[root],
        // A plain list without a page size: the same items both times, so no comparison.
        pages: [{}],
      };
  }
}

test('every root list item type is covered below', () => {
  expect(ITEM_TYPES.length).toBeGreaterThan(20);
});

describe.each(ITEM_TYPES)('%s', (typeName) => {
  test('fields that are not plain columns cost the same statements for ~20 parents as for 2', async () => {
    const type = schema.getType(typeName) as GraphQLObjectType;
    const fields = computedFields(type);
    if (fields.length === 0) return;

    // The first root giving two pages of different sizes.
    let plan: RootPlan | null = null;
    const reasons: string[] = [];
    for (const { field: root, connection } of rootsByItem.get(typeName)!) {
      const candidate = await planFor(root, connection);
      if (typeof candidate === 'string') {
        reasons.push(`${root}: ${candidate}`);
        continue;
      }
      const small = await app.execute(candidate.wrap(''), candidate.pages[0] ?? {}, viewer);
      const large = await app.execute(candidate.wrap(''), candidate.pages[candidate.pages.length - 1] ?? {}, viewer);
      expect(small.errors).toBeUndefined();
      expect(large.errors).toBeUndefined();
      const sizes = [candidate.items(small.data).length, candidate.items(large.data).length];
      if (sizes[0] >= 1 && sizes[1] > sizes[0]) {
        plan = candidate;
        break;
      }
      reasons.push(`${root}: ${sizes[1] === 0 ? 'no items in the demo city' : `pages of ${sizes[0]} and ${sizes[1]} items`}`);
    }
    if (!plan) {
      for (const field of fields) skipped.push({ field: `${typeName}.${field.name}`, reason: reasons.join('; ') });
      return;
    }
    const grown: Outcome[] = [];
    const failed: string[] = [];
    for (const field of fields) {
      const args = argumentsOf(field.args);
      if (args === null) {
        skipped.push({ field: `${typeName}.${field.name}`, reason: 'a required argument with no known sensible value' });
        continue;
      }
      const query = plan.wrap(`${field.name}${args}${selectionOf(getNamedType(field.type))}`);
      const largeVars = plan.pages[plan.pages.length - 1];
      await run(query, largeVars); // warm-up: per-process caches (calendar, categories) load once
      const large = await run(query, largeVars);
      const exercised = !large.result.errors && plan.items(large.result.data).some((item) => hasValue(item[field.name]));
      let small = await run(query, plan.pages[0]);
      for (const vars of plan.pages.slice(1, -1)) {
        if (!exercised || small.result.errors || plan.items(small.result.data).some((item) => hasValue(item[field.name]))) break;
        small = await run(query, vars);
      }
      if (small.result.errors || large.result.errors) {
        failed.push(`${typeName}.${field.name}: ${(small.result.errors ?? large.result.errors)[0].message}`);
        continue;
      }
      const outcome: Outcome = {
        field: `${typeName}.${field.name}`,
        root: plan.root,
        parents: [plan.items(small.result.data).length, plan.items(large.result.data).length],
        statements: [small.statements.length, large.statements.length],
        exercised,
      };
      checked.push(outcome);
      if (outcome.statements[1] > outcome.statements[0]) grown.push(outcome);
    }
    expect(failed).toEqual([]);
    expect(grown.map((o) => `${o.field}: ${o.statements[0]} statements for ${o.parents[0]} parents, ${o.statements[1]} for ${o.parents[1]}`)).toEqual([]);
  });
});
