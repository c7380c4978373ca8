import type { EntityManager, FilterQuery, QueryOrder } from '@mikro-orm/postgresql';
import { IsOptional, Max, Min } from 'class-validator';
import { MaxChars } from './validators';
import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { badInput } from './errors';
import { isComparableInstant } from './dates';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/**
 * The longest `after` taken. A cursor carries its row's ordering value: at most a 120-character
 * name, which JSON may write in up to 6 bytes a character (a control character as \u0001), so the
 * longest cursor issued is under 1,100 characters. 500 refused the API's own cursors of names
 * over ~110 Chinese characters.
 */
export const MAX_CURSOR_CHARS = 2000;

/**
 * The column type of every timestamp a list pages by (createdAt, Request.dueAt, Activity.startsAt):
 * milliseconds, as a JS Date and so a cursor carries them. With PostgreSQL's microseconds a row
 * written by SQL `now()`, a COPY or a backfill differed from its cursor's value, and a walk
 * repeated or skipped rows. The database rounds whatever is written, so no writer can break it.
 */
export const ORDER_TIMESTAMP = 'timestamptz(3)';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  valuesConfig: {
    ASC: { description: 'Ascending: smallest (earliest) first.' },
    DESC: { description: 'Descending: largest (latest) first.' },
  },
});

/** Forward pagination arguments shared by every connection. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.` })
  @IsOptional()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an `endCursor` or an edge `cursor`).' })
  @IsOptional()
  @MaxChars(MAX_CURSOR_CHARS)
  after?: string;
}

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field({ description: 'Always false: connections page forward only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** What every connection resolver returns; `totalCount` runs its COUNT only when asked for. */
export interface ConnectionResult<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  countTotal: () => Promise<number>;
}

const connectionClasses = new Map<string, ClassType>();

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type (once per name).
 * Use as `@Query(() => ConnectionType(Community, 'Community'))`.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T> | (() => ClassType<T>), name: string): ClassType<ConnectionResult<T>> {
  const existing = connectionClasses.get(name);
  if (existing) return existing as ClassType<ConnectionResult<T>>;
  const resolveNode = () => (typeof nodeType === 'function' && !('prototype' in nodeType && nodeType.prototype) ? (nodeType as () => ClassType<T>)() : nodeType);

  @ObjectType(`${name}Edge`)
  class Edge {
    @Field({ description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => resolveNode())
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class Connection implements ConnectionResult<T> {
    @Field(() => [Edge])
    edges!: { cursor: string; node: T }[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    countTotal!: () => Promise<number>;

    @Field(() => Int, { description: 'All items matching the filters, across pages.' })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  connectionClasses.set(name, Connection);
  return Connection;
}

/** How a list is ordered: an entity property (never null in the database) plus the id as tie-breaker. */
export interface Ordering {
  property: string;
  direction: OrderDirection;
}

interface CursorPayload {
  p: string; // property
  d: OrderDirection;
  v: string | number | boolean;
  i: number; // id
  e?: string; // entity: absent from cursors issued before it was written
}

/** `entity`: the entity class listed, so that another list paging in the same order refuses the cursor. */
export function encodeCursor(ordering: Ordering, value: unknown, id: number, entity?: string): string {
  const v = value instanceof Date ? value.toISOString() : (value as CursorPayload['v']);
  const payload: CursorPayload = { p: ordering.property, d: ordering.direction, v, i: id, ...(entity === undefined ? {} : { e: entity }) };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** What a cursor's value must be for the ordering property: its runtime type in the entity metadata. */
export type CursorValueType = 'Date' | 'string' | 'number' | 'boolean';

/** A Date as encodeCursor writes it (toISOString): anything else was not issued here. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string, ordering: Ordering, valueType: CursorValueType = 'string', entity?: string): { value: unknown; id: number } {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw badInput('after', 'is not a cursor from this API');
  }
  const scalar = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);
  if (!payload || typeof payload !== 'object' || !Number.isSafeInteger(payload.i) || payload.i < 0 || !scalar(payload.v)) {
    throw badInput('after', 'is not a cursor from this API');
  }
  if (payload.e !== undefined && typeof payload.e !== 'string') throw badInput('after', 'is not a cursor from this API');
  // Units and communities both page by name: the position of one read on the other is a wrong page, not an error.
  if (payload.e !== undefined && entity !== undefined && payload.e !== entity) {
    throw badInput('after', 'was issued by another list; start again without `after`');
  }
  if (payload.p !== ordering.property || payload.d !== ordering.direction) {
    throw badInput('after', 'was issued for a different orderBy; start again without `after`');
  }
  // A value of another type (or a date we never wrote) would reach PostgreSQL and fail there.
  if (valueType === 'Date') {
    const value = typeof payload.v === 'string' && ISO_INSTANT.test(payload.v) ? new Date(payload.v) : null;
    if (!value || Number.isNaN(value.getTime()) || !isComparableInstant(value)) throw badInput('after', 'is not a cursor from this API');
    return { value, id: payload.i };
  }
  if (typeof payload.v !== valueType || (valueType === 'number' && !Number.isFinite(payload.v))) throw badInput('after', 'is not a cursor from this API');
  // PostgreSQL text cannot hold NUL: the statement would fail as a protocol error, read as an outage.
  if (typeof payload.v === 'string' && payload.v.includes('\u0000')) throw badInput('after', 'is not a cursor from this API');
  return { value: payload.v, id: payload.i };
}

/** The keyset condition for rows after `after` (a cursor of `ordering` on `entity`); checked, BAD_USER_INPUT if not ours. */
export function cursorCondition<T>(em: EntityManager, entity: EntityClass<T>, ordering: Ordering, after: string): FilterQuery<T> {
  return afterCursor(ordering, decodeCursor(after, ordering, cursorValueType(em, entity, ordering.property), entity.name));
}

/** The cursor value type of `property` on `entity` (see CursorValueType); string for anything else. */
function cursorValueType(em: EntityManager, entity: EntityClass<unknown>, property: string): CursorValueType {
  const type = em.getMetadata().find(entity.name)?.properties[property]?.runtimeType;
  return type === 'Date' || type === 'number' || type === 'boolean' ? (type as CursorValueType) : 'string';
}

export function pageSize(args: ConnectionArgs): number {
  return args.first ?? DEFAULT_PAGE_SIZE;
}

function orderBy(ordering: Ordering): Record<string, QueryOrder> {
  const direction = ordering.direction as unknown as QueryOrder;
  return ordering.property === 'id' ? { id: direction } : { [ordering.property]: direction, id: direction };
}

/** Rows strictly after the cursor in the given order (keyset pagination: stable under inserts). */
function afterCursor(ordering: Ordering, cursor: { value: unknown; id: number }): FilterQuery<any> {
  const op = ordering.direction === OrderDirection.ASC ? '$gt' : '$lt';
  if (ordering.property === 'id') return { id: { [op]: cursor.id } };
  return {
    $or: [{ [ordering.property]: { [op]: cursor.value } }, { [ordering.property]: cursor.value, id: { [op]: cursor.id } }],
  };
}

type WithId = { id: number };

/** An entity class, abstract ones (the Area root) included. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EntityClass<T> = abstract new (...args: any[]) => T;

/** `entity`: the entity class listed (the cursors name it, see encodeCursor). */
export function toConnection<T extends WithId>(rows: T[], limit: number, ordering: Ordering, entity: EntityClass<T>, countTotal: () => Promise<number>): ConnectionResult<T> {
  const hasNextPage = rows.length > limit;
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(ordering, (node as Record<string, unknown>)[ordering.property], node.id, entity.name) }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    countTotal,
  };
}

/**
 * One page of `entity` matching `where`, in `ordering`, after `args.after`.
 * Fetches one row more than asked to know whether a next page exists (also for `first: 0`, a
 * badge asking only totalCount: its hasNextPage must still say whether rows follow).
 */
export async function paginate<T extends WithId>(
  em: EntityManager,
  entity: EntityClass<T>,
  // A function when the filter holds a raw-SQL key (MikroORM's `raw`), which only one query can use: called once per query.
  where: FilterQuery<T> | (() => FilterQuery<T>),
  ordering: Ordering,
  args: ConnectionArgs,
): Promise<ConnectionResult<T>> {
  const limit = pageSize(args);
  const whereOf = () => (typeof where === 'function' ? (where as () => FilterQuery<T>)() : where);
  let countPromise: Promise<number> | undefined;
  const countTotal = () => (countPromise ??= em.count(entity as ClassType<T>, whereOf()));
  const filter = args.after ? { $and: [whereOf(), cursorCondition(em, entity, ordering, args.after)] } : whereOf();
  const rows = await em.find(entity as ClassType<T>, filter as FilterQuery<T>, { orderBy: orderBy(ordering) as never, limit: limit + 1 });
  return toConnection(rows as T[], limit, ordering, entity, countTotal);
}

/**
 * The first page of `entity` for each of many parents in ONE statement: a UNION ALL of
 * per-parent `ORDER BY … LIMIT n+1` subqueries (each uses its index), then one fetch of
 * the rows by id. Used by DataLoaders so nested connections cost O(1) statements per level.
 */
export async function paginateMany<T extends WithId, K extends string | number>(
  em: EntityManager,
  entity: EntityClass<T>,
  parents: readonly K[],
  whereFor: (parent: K) => FilterQuery<T>,
  ordering: Ordering,
  limit: number,
): Promise<Map<K, T[]>> {
  const result = new Map<K, T[]>(parents.map((parent) => [parent, []]));
  // limit 0 still fetches one row per parent: hasNextPage says whether rows follow.
  if (parents.length === 0) return result;
  const knex = em.getKnex();
  const builders = parents.map((parent) =>
    em
      .createQueryBuilder(entity as ClassType<T>, 'e')
      .select('e.id')
      .where(whereFor(parent))
      .orderBy(orderBy(ordering) as never)
      .limit(limit + 1),
  );
  // Query builders skip filters unless asked: the viewer's scope must hold here too.
  await Promise.all(builders.map((qb) => qb.applyFilters()));
  // (Knex builders are thenables: build them only now, outside any await.)
  const subqueries = builders.map((qb, index) => {
    const sub = qb.getKnexQuery();
    sub.select(knex.raw('? as parent_index', [index]));
    return knex.select('*').from(sub.as(`p${index}`));
  });
  const rows: { id: number; parent_index: number }[] = await em.getConnection().execute(knex.queryBuilder().unionAll(subqueries, true));
  const ids = [...new Set(rows.map((row) => row.id))];
  const entities = ids.length ? await em.find(entity as ClassType<T>, { id: { $in: ids } } as unknown as FilterQuery<T>) : [];
  const byId = new Map(entities.map((e) => [e.id, e]));
  for (const row of rows) {
    const found = byId.get(row.id);
    if (found) result.get(parents[Number(row.parent_index)])!.push(found);
  }
  return result;
}

/** COUNT per parent in one statement (for totalCount of batched connections and aggregate fields). */
export async function countMany<T extends WithId, K extends string | number>(
  em: EntityManager,
  entity: EntityClass<T>,
  parents: readonly K[],
  whereFor: (parent: K) => FilterQuery<T>,
): Promise<Map<K, number>> {
  const result = new Map<K, number>(parents.map((parent) => [parent, 0]));
  if (parents.length === 0) return result;
  const knex = em.getKnex();
  const builders = parents.map((parent) => em.createQueryBuilder(entity as ClassType<T>, 'e').count('e.id').where(whereFor(parent)));
  await Promise.all(builders.map((qb) => qb.applyFilters()));
  const subqueries = builders.map((qb, index) => {
    const sub = qb.getKnexQuery();
    sub.select(knex.raw('? as parent_index', [index]));
    return sub;
  });
  const rows: { count: string | number; parent_index: number }[] = await em.getConnection().execute(knex.queryBuilder().unionAll(subqueries, true));
  for (const row of rows) result.set(parents[Number(row.parent_index)], Number(row.count));
  return result;
}

/** COUNT per parent for children that point at it by one foreign key: one GROUP BY, however many parents. */
export async function countByForeignKey<T extends WithId>(
  em: EntityManager,
  entity: EntityClass<T>,
  parents: readonly number[],
  property: string,
  where?: FilterQuery<T>,
): Promise<Map<number, number>> {
  const result = new Map<number, number>(parents.map((parent) => [parent, 0]));
  if (parents.length === 0) return result;
  const meta = em.getMetadata().find((entity as { name: string }).name)!;
  const column = meta.properties[property as keyof typeof meta.properties].fieldNames[0];
  const knex = em.getKnex();
  const qb = em.createQueryBuilder(entity as ClassType<T>, 'e').where({ [property]: { $in: [...parents] }, ...(where as object) } as FilterQuery<T>);
  await qb.applyFilters();
  const query = qb
    .getKnexQuery()
    .clearSelect()
    .select(knex.raw('??.?? as parent_key, count(*) as count', ['e', column]))
    .groupBy(`e.${column}`);
  const rows: { parent_key: number; count: string | number }[] = await em.getConnection().execute(query);
  for (const row of rows) result.set(Number(row.parent_key), Number(row.count));
  return result;
}
