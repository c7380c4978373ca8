import { badInput } from '../../common/errors';
import type { Move } from '../../common/state-machine';
import type { Area, Community } from '../area/area.entity';
import { PartyOrganizationKind, type PartyOrganization } from '../party-organization/party-organization.entity';
import { PartyStatus, type Person } from '../person/person.entity';
import { PostClaimStatus } from './service-post.entity';
import { PLACEMENT_KIND_NAMES } from './placements';

/** Where a reporting member may be placed: a grid branch (网格党支部) or a building group (楼栋党小组); listed in placements.ts. */
export const PLACEMENT_KINDS: readonly PartyOrganizationKind[] = PLACEMENT_KIND_NAMES.map((kind) => PartyOrganizationKind[kind]);

/**
 * 双报到 is for people in work: in-service party members (在职党员) and non-party staff
 * (在职非党员), who report through their employer. Retired and mobile members belong to
 * their community's organisations already.
 */
export function assertMayReport(person: Person): void {
  const bar = whyMayNotReport(person);
  if (bar) throw badInput('input.personId', bar);
}

/**
 * Why this person may not be (or stay) reported, or null when they may: the rule assertMayReport
 * checks at the report, and updatePerson keeps afterwards (a reported member who retires, or
 * leaves their employer, no longer reports through one: the report ends, with its posts).
 */
export function whyMayNotReport(person: Pick<Person, 'partyStatus' | 'employerUnit'>): string | null {
  if (person.partyStatus != null && person.partyStatus !== PartyStatus.IN_SERVICE) {
    return `only in-service party members and non-party staff report (双报到); this person is ${person.partyStatus}`;
  }
  if (!person.employerUnit) return 'reports through an employer unit, and this person has none on record';
  return null;
}

/** They report where they live. */
export function assertResidence(person: Person, community: Community): void {
  if (!person.residenceCommunity) throw badInput('input.personId', 'has no residence community on record: set it before reporting');
  if (person.residenceCommunity.id !== community.id) throw badInput('input.communityId', 'must be the person\'s residence community');
}

/** The branch or group must sit inside the community (or on the community itself). */
export function assertPlacement(organization: PartyOrganization, organizationArea: Area, community: Community): void {
  if (!PLACEMENT_KINDS.includes(organization.kind)) {
    throw badInput('input.organizationId', `must be a grid branch (BRANCH) or building group (GROUP), not a ${organization.kind}`);
  }
  if (!organizationArea.path.startsWith(community.path)) throw badInput('input.organizationId', 'must be a branch or group inside that community');
}

/**
 * One report at a time: a report does not begin before the member's last one ended (past_report),
 * or they were reported twice over (the earlier community too, or the same post held twice at once)
 * and a past year's assessments counted the same months in both. The day it ended is allowed: a
 * member who moves reports anew where they live that day (that day counts for the report that ended,
 * the new one counting from the next: REPORTS_TO_COMMUNITY_SQL, report-end.ts).
 */
export function assertAfterLastReport(reportedOn: string, lastEndedOn: string | null): void {
  if (lastEndedOn !== null && reportedOn < lastEndedOn) {
    throw badInput('input.reportedOn', `must not be before ${lastEndedOn}, the day this person's last report (双报到) ended: one reports to one community at a time`);
  }
}

/** Registration and report days are facts: not in the future. */
export function assertNotFuture(day: string, today: string, field: string): void {
  if (day > today) throw badInput(field, `must not be after today (${today})`);
}

/**
 * 双报到: a reported member holds at least one service post (reporting claims the first). Leaving a
 * post is refused when it is the last one they hold; they claim another first. A member whose
 * report ended (a move to another community) holds none, and nothing here concerns them.
 */
export function assertKeepsAPost(person: Person, otherPostsHeld: number): void {
  // A member kept reported though they may no longer report (retired, mobile, no employer: reports
  // from before the rule) may claim no other post (claimPost), so the rule would hold them to this
  // one for good: they may end it.
  if (person.reportedOn && otherPostsHeld === 0 && whyMayNotReport(person) == null) {
    throw badInput('id', 'is the only service post this reported member (双报到) holds, and every reported member holds at least one: claim another first');
  }
}

const C = PostClaimStatus;

/**
 * THE transition table of a claim on a service post. A claim is created ACTIVE; its holder ends it
 * (or the end of their report ends it, report-end.ts), for good: taking the post again is a new
 * claim, the ended one the record of the earlier term. Claiming a post one already holds is a
 * duplicate holding (CONFLICT), not a move.
 */
export const CLAIM_MOVES = {
  end: { from: [C.ACTIVE], to: C.ENDED },
} satisfies Record<string, Move<PostClaimStatus>>;
