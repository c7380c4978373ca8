import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../person/person.entity';
import { PointEntry, PointKind, PointRule } from './points.entity';

export interface AwardInput {
  person: Person | number;
  kind: PointKind;
  /** What earned it, e.g. 'Request', 'Claim', 'Activity', 'MicroWish'; with sourceId it names the work once. */
  sourceType: string;
  sourceId: number;
  note?: string;
}

/**
 * Awards the points the active rule gives for `kind`, inside the caller's transaction
 * (the caller flushes). The same work earns once: an existing entry for the same source is
 * returned, and a unique key backs that up under concurrency. Null when no rule pays for it.
 */
export async function awardPoints(em: EntityManager, input: AwardInput): Promise<PointEntry | null> {
  const rule = await em.findOne(PointRule, { kind: input.kind, active: true }, { orderBy: { id: 'DESC' } });
  if (!rule || rule.points <= 0) return null;
  const personId = typeof input.person === 'number' ? input.person : input.person.id;
  const existing = await em.findOne(PointEntry, { person: personId, kind: input.kind, sourceType: input.sourceType, sourceId: input.sourceId });
  if (existing) return existing;
  return em.create(PointEntry, {
    person: personId,
    kind: input.kind,
    amount: rule.points,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    note: input.note ?? rule.description,
  });
}
