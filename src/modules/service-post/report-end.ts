import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../person/person.entity';
import { PastReport, PostClaim } from './service-post.entity';
import { CLAIM_MOVES } from './service-post.rules';

/**
 * Ends, on `day` (China time), every post the person holds: the claims stay, with their end day,
 * as the record of when each post was held. The caller has locked the claims (person.service).
 */
export async function endPostsOf(em: EntityManager, personId: number, day: string): Promise<void> {
  await em.nativeUpdate(PostClaim, { person: personId, status: { $in: CLAIM_MOVES.end.from } }, { status: CLAIM_MOVES.end.to, endedOn: day });
}

/**
 * Ends a member's 双报到 report to `communityId` on `day`, and the posts held with it (a report ends
 * when the member moves, retires or leaves their employer: person.service). The report is kept in
 * past_report, so a past year's member assessment still counts them. The caller has locked the person.
 */
export async function endReport(em: EntityManager, person: Person, communityId: number, day: string): Promise<void> {
  if (!person.reportedOn) return;
  em.create(PastReport, { person, community: communityId, reportedOn: person.reportedOn, endedOn: day });
  person.reportedOn = null;
  await endPostsOf(em, person.id, day);
}
