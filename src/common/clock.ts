import { helper, type EntityManager } from '@mikro-orm/core';

/**
 * The app's clock (AppContext.now) rides on the request's EntityManager as a filter parameter,
 * as the viewer's scope does: filter parameters travel with every fork, the one a transaction
 * runs in included, so ORM hooks (which get only the EntityManager) tell time as the services do.
 * No filter of this name exists; the parameter only carries the clock.
 */
const APP_CLOCK = 'appClock';

/** Puts the request's clock on its EntityManager (createContext). */
export function applyClock(em: EntityManager, now: () => Date): void {
  em.setFilterParams(APP_CLOCK, { now });
}

/** The clock of the request that made `em`; the server's for one no request made (tools, seeding). */
export function clockOf(em: EntityManager): () => Date {
  return em.getFilterParams<{ now?: () => Date }>(APP_CLOCK)?.now ?? (() => new Date());
}

/**
 * updatedAt on an update: the value a service set (a request's step sets `ctx.now()`, the time of
 * its ledger entry), else the app's clock. Only a change is seen as set: a value equal to the one
 * stored gets the clock instead, the same moment when the clock has not moved (a test's fixed one).
 */
export function updatedAtOnUpdate(entity: { updatedAt: Date }, em: EntityManager): Date {
  const stored = helper(entity).__originalEntityData?.updatedAt as Date | string | undefined;
  if (stored != null && entity.updatedAt instanceof Date && entity.updatedAt.getTime() !== new Date(stored).getTime()) return entity.updatedAt;
  return clockOf(em)();
}
