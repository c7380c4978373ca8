import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { expectGlobalId } from '../../common/global-id';
import { loadByGlobalId } from '../../common/lookup';
import { Person } from './person.entity';

/**
 * A person named to act for a unit (taking a request dispatched to it, carrying out its claim).
 * Working there is the authorisation, not the area scope: a worker may live outside the
 * communities the caller reads, so they are found by their employment without the scope filter
 * (only for this check: what the caller reads of them afterwards is scoped as ever). Anyone else
 * is looked up as any input: NOT_FOUND when the caller cannot see them, so ids of people elsewhere
 * cannot be probed; BAD_USER_INPUT with `refusal` when they can.
 */
export async function workerOfUnit(em: EntityManager, unitId: number, globalId: string, field: string, refusal: string): Promise<Person> {
  const { id } = expectGlobalId(globalId, [Person.name], field);
  // FOR SHARE, as loadOptionalShared: an employer change racing this check waits, or is seen.
  const worker = await em.findOne(Person, { id, employerUnit: unitId }, { filters: false, lockMode: LockMode.PESSIMISTIC_READ, refresh: true });
  if (worker) return worker;
  await loadByGlobalId(em, Person, globalId, field);
  throw badInput(field, refusal);
}
