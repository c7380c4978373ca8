import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../person/person.entity';
import { PastReport, PostClaim } from './service-post.entity';
import { CLAIM_MOVES } from './service-post.rules';

/**
 * Ends, on `day` (China time), every post the person holds: the claims stay, with their end day,
 * as the record of when each post was held. The caller has locked the claims (person.service).
 */
export async function endPostsOf(em: EntityManager, personId: number, day: string): Promise<void> {
  // Unscoped: a consequence of the checked step, every post the person holds, whoever ends them.
  await em.nativeUpdate(PostClaim, { person: personId, status: { $in: CLAIM_MOVES.end.from } }, { status: CLAIM_MOVES.end.to, endedOn: day }, { filters: false });
}

/**
 * Ends a member's 双报到 report to `communityId` on `day`, and the posts held with it (a report ends
 * when the member moves, retires or leaves their employer: person.service). The report is kept in
 * past_report, so a past year's member assessment still counts them, as staff of `employerUnitId`, the
 * employer they reported through (the one on record before the change that ends the report: leaving
 * it is one). The caller has locked the person.
 */
export async function endReport(em: EntityManager, person: Person, communityId: number, employerUnitId: number | null, day: string): Promise<void> {
  if (!person.reportedOn) return;
  em.create(PastReport, { person, community: communityId, employerUnit: employerUnitId, reportedOn: person.reportedOn, endedOn: day });
  person.reportedOn = null;
  await endPostsOf(em, person.id, day);
}

/**
 * The day the person's last ended report ended (null: none). Unscoped, as the rule reading it
 * (assertAfterLastReport) is about every report they made, wherever. The caller has locked the
 * person: endReport, the only writer of past_report, runs under the same lock.
 */
export async function lastReportEnd(em: EntityManager, personId: number): Promise<string | null> {
  const [row] = await em.execute<{ day: string | null }[]>(`select max(ended_on)::text as day from past_report where person_id = ?`, [personId]);
  return row?.day ?? null;
}
