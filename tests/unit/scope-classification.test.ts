import { ENTITIES } from '../../src/db/entities';
import { CONSEQUENCE_TYPES, GLOBAL_TYPES, SCOPE_PATHS, SELF_SERVICE_TYPES } from '../../src/modules/identity/scope.rules';

/**
 * The write guard (scope.guard.ts) throws "no scope rule" on a flush of an entity it cannot
 * classify: a new entity left out of scope.rules.ts fails, for every scoped account, only when
 * one of them first writes it (past_report did: an INTERNAL error for community staff). Every
 * entity is classified here, at once. Written only outside the guard (raw SQL of the plugin, no
 * entity flush under a scoped viewer): listed with the reason.
 */
const WRITTEN_OUTSIDE_THE_GUARD: Record<string, string> = {
  IdempotencyKey: 'claimed and answered by the idempotency plugin in its own SQL, never flushed through a scoped EntityManager',
  DemandDaily: 'a demand roll-up: upserted in SQL by the import and the request steps (demand-rollup), never flushed',
  DemandMonthly: 'a demand roll-up, as DemandDaily',
  DemandGridDaily: 'a demand roll-up, as DemandDaily',
  DemandGridMonthly: 'a demand roll-up, as DemandDaily',
  WorkCalendarDay: 'the working-day calendar: written in SQL by the calendar service (administrators), never flushed',
  WorkCalendarAdjustment: 'the working-day calendar, as WorkCalendarDay',
};

test('every entity has a scope rule (or is global, self-service, a consequence, or written outside the guard)', () => {
  const unclassified = ENTITIES.map((entity) => (entity as { name: string }).name).filter((name) =>
    SCOPE_PATHS[name] === undefined && !GLOBAL_TYPES.has(name) && !SELF_SERVICE_TYPES.has(name) && !CONSEQUENCE_TYPES.has(name) && WRITTEN_OUTSIDE_THE_GUARD[name] === undefined);
  expect(unclassified).toEqual([]);
});
