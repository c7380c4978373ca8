import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { ClassType } from 'type-graphql';
import { notFound } from './errors';
import { expectGlobalId } from './global-id';

/**
 * Loads the record a global ID argument points at, or throws: BAD_USER_INPUT for a
 * malformed or wrong-type ID, NOT_FOUND (naming `field`) when it does not exist.
 */
export async function loadByGlobalId<T extends object>(em: EntityManager, entity: ClassType<T>, globalId: string, field: string): Promise<T> {
  const { id } = expectGlobalId(globalId, [entity.name], field);
  const found = await em.findOne(entity, { id } as never);
  if (!found) throw notFound(entity.name, globalId, field);
  return found as T;
}

/** Same, but `null`/`undefined` pass through (for optional references; null clears them on update). */
export async function loadOptional<T extends object>(em: EntityManager, entity: ClassType<T>, globalId: string | null | undefined, field: string): Promise<T | null | undefined> {
  if (globalId === undefined) return undefined;
  if (globalId === null) return null;
  return loadByGlobalId(em, entity, globalId, field);
}

/**
 * Like `loadByGlobalId`, but takes the row with `SELECT … FOR UPDATE` inside the caller's
 * transaction, so concurrent writers that check a limit on it (capacity, balance) queue up
 * instead of both passing the check. Lock "container" rows (post, activity, participation)
 * before person rows: inserting a child row takes a key-share lock on its person, and a
 * consistent order keeps two such transactions from deadlocking.
 */
export async function loadForUpdate<T extends { id: number }>(em: EntityManager, entity: ClassType<T>, globalId: string, field: string): Promise<T> {
  const { id } = expectGlobalId(globalId, [entity.name], field);
  const found = await lockById(em, entity, id);
  if (!found) throw notFound(entity.name, globalId, field);
  return found;
}

/**
 * The row with that database id, locked FOR UPDATE until the transaction ends; null when missing
 * or outside the viewer's scope. Visibility is checked first, then the row alone is locked: read
 * through the scope filter, FOR UPDATE locked every row the filter joins too (a list item's list,
 * its community's area row), so a claim and an edit of its resource, each holding one and waiting
 * for the other, deadlocked, and every write in a community queued on its area row.
 */
export async function lockById<T extends { id: number }>(em: EntityManager, entity: ClassType<T>, id: number, lockMode = LockMode.PESSIMISTIC_WRITE): Promise<T | null> {
  if ((await em.count(entity, { id } as never)) === 0) return null;
  return (await em.findOne(entity, { id } as never, { lockMode, refresh: true, filters: false })) as T | null;
}

/**
 * A record whose attributes a write checks without changing it (a person's employer, party
 * membership, report), read `FOR SHARE` as it is now: a writer changing them (updatePerson locks
 * the person FOR UPDATE) either committed first and is seen, or waits until this transaction
 * ends. Read plainly, a move committing between the check and our commit left the check stale (a
 * moved member holding posts of the old community). Shared: checks of one person do not queue.
 */
export async function loadOptionalShared<T extends { id: number }>(em: EntityManager, entity: ClassType<T>, globalId: string | null | undefined, field: string): Promise<T | null | undefined> {
  if (globalId === undefined) return undefined;
  if (globalId === null) return null;
  const { id } = expectGlobalId(globalId, [entity.name], field);
  const found = await lockById(em, entity, id, LockMode.PESSIMISTIC_READ);
  if (!found) throw notFound(entity.name, globalId, field);
  return found;
}
