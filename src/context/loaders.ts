import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { ClassType } from 'type-graphql';
import {
  countByForeignKey,
  countMany,
  cursorCondition,
  paginateMany,
  pageSize,
  toConnection,
  type ConnectionArgs,
  type ConnectionResult,
  type EntityClass,
  type Ordering,
} from '../common/pagination';

type WithId = { id: number };

/**
 * A to-many relation from a parent key (an id, or an area path for subtree relations)
 * to child rows, described once and used both batched (first pages, counts) and
 * unbatched (pages after a cursor).
 */
export interface Relation<T extends WithId, K extends string | number = number> {
  /** Unique name, e.g. `Community.grids`; also the loader cache key. */
  name: string;
  entity: EntityClass<T>;
  whereFor: (parent: K) => FilterQuery<T>;
  /** Set when children point at the parent by one foreign key: counts then use one GROUP BY. */
  foreignKey?: { property: string; where?: FilterQuery<T> };
}

/** A relation where children point at the parent through `property` (plus an optional extra filter). */
export function byForeignKey<T extends WithId>(name: string, entity: EntityClass<T>, property: string, where?: FilterQuery<T>): Relation<T, number> {
  return {
    name,
    entity,
    whereFor: (parent) => ({ [property]: parent, ...(where as object) }) as FilterQuery<T>,
    foreignKey: { property, where },
  };
}

/**
 * Per-request DataLoaders, created lazily and cached by name. Every loader batches
 * the keys asked for in one tick into one SQL statement, so a page of 50 parents
 * costs the same number of statements as a page of 5.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /**
   * Forgets everything loaded so far (loaders and the request's identity map). Called after each
   * mutation field: the fields after it in the same document must read what it wrote, not what an
   * earlier field cached (a post's remaining places, read before a claim on it).
   */
  forget(): void {
    this.loaders.clear();
    this.em.clear();
  }

  /** Any loader, created on first use with `batch`. */
  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      // Large enough that a page of 100 parents with ~15 children each stays one batch per level.
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 2000 });
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** Entity by database id; null for a miss. */
  byId<T extends WithId>(entity: EntityClass<T>): DataLoader<number, T | null> {
    return this.get<number, T | null>(`byId:${entity.name}`, async (ids) => {
      const rows = (await this.em.find(entity as ClassType<T>, { id: { $in: [...ids] } } as unknown as FilterQuery<T>)) as T[];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Rows of `entity` whose `property` equals the key (a to-one reverse relation, e.g. a community's alliance). */
  oneBy<T extends WithId>(entity: EntityClass<T>, property: string): DataLoader<number, T | null> {
    return this.get<number, T | null>(`oneBy:${entity.name}.${property}`, async (keys) => {
      const rows = (await this.em.find(entity as ClassType<T>, { [property]: { $in: [...keys] } } as unknown as FilterQuery<T>)) as T[];
      const byKey = new Map(rows.map((row) => [refId((row as Record<string, unknown>)[property]), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    });
  }

  /**
   * A page (limit rows) of a relation, per parent: the first, or the one after cursor `after`
   * (the same cursor for every parent of the batch, as a nested field's arguments are).
   */
  firstPage<T extends WithId, K extends string | number>(relation: Relation<T, K>, ordering: Ordering, limit: number, after: string | null = null): DataLoader<K, T[]> {
    return this.get<K, T[]>(`page:${relation.name}:${ordering.property}:${ordering.direction}:${limit}:${after ?? ''}`, async (parents) => {
      const cursor = after === null ? null : cursorCondition(this.em, relation.entity, ordering, after);
      const whereFor = cursor === null ? relation.whereFor : (parent: K) => ({ $and: [relation.whereFor(parent), cursor] }) as FilterQuery<T>;
      const pages = await paginateMany(this.em, relation.entity, parents, whereFor, ordering, limit);
      return parents.map((parent) => pages.get(parent) ?? []);
    });
  }

  /** Number of related rows, per parent. */
  count<T extends WithId, K extends string | number>(relation: Relation<T, K>): DataLoader<K, number> {
    return this.get<K, number>(`count:${relation.name}`, async (parents) => {
      const counts: Map<string | number, number> = relation.foreignKey
        ? await countByForeignKey(this.em, relation.entity, parents as readonly unknown[] as readonly number[], relation.foreignKey.property, relation.foreignKey.where)
        : await countMany(this.em, relation.entity, parents, relation.whereFor);
      return parents.map((parent) => counts.get(parent) ?? 0);
    });
  }

  /**
   * A nested connection, batched across parents whether it asks for a first page or the page
   * after a cursor: a cursor sent to a list of parents must not cost statements per parent.
   */
  async connection<T extends WithId, K extends string | number>(
    relation: Relation<T, K>,
    parent: K,
    args: ConnectionArgs,
    ordering: Ordering,
  ): Promise<ConnectionResult<T>> {
    const limit = pageSize(args);
    const rows = await this.firstPage(relation, ordering, limit, args.after || null).load(parent);
    return toConnection(rows, limit, ordering, relation.entity, () => this.count(relation).load(parent));
  }
}

/** The id behind a relation value (a reference entity or a raw id). */
export function refId(value: unknown): number {
  if (value && typeof value === 'object' && 'id' in value) return Number((value as WithId).id);
  return Number(value);
}
