import { badInput } from '../../common/errors';
import type { Move } from '../../common/state-machine';
import { MicroWishStatus } from './micro-wish.entity';

const W = MicroWishStatus;

/**
 * THE transition table of a micro-wish (微心愿): published, claimed by one claimant, fulfilled, confirmed; cancelled before fulfilment.
 * `release` is no mutation: a member's claim ends when they move away or leave the party (releaseClaimsOf).
 */
export const WISH_MOVES = {
  claim: { from: [W.PUBLISHED], to: W.CLAIMED },
  release: { from: [W.CLAIMED], to: W.PUBLISHED },
  fulfil: { from: [W.CLAIMED], to: W.FULFILLED },
  confirm: { from: [W.FULFILLED], to: W.CONFIRMED },
  cancel: { from: [W.PUBLISHED, W.CLAIMED], to: W.CANCELLED },
} satisfies Record<string, Move<MicroWishStatus>>;

/**
 * A wish is claimed only by someone who can then see it and fulfil it (fulfillMicroWish is the
 * claimant's own step, and a claimant sees only wishes inside their scope): a party member claims
 * wishes of the community they live in (双报到: members serve, and are seen by their account, in
 * their residence community, not in a grid they work elsewhere); refused otherwise, naming the
 * member's field: the wish would be stuck CLAIMED with a claimant who cannot find it. A unit claims
 * wishes of the communities it serves: the rule shared with list items, assertUnitServes
 * (unit/unit-serves.ts).
 */
export function assertMemberLivesIn(communityId: number, livesIn: number | null): void {
  if (livesIn === communityId) return;
  throw badInput(
    'input.personId',
    'a party member claims the wishes of the community they live in (双报到: members serve where they live), the only one where they can see and fulfil them; '
      + (livesIn === null ? 'this member has no residence community' : 'this member lives in another community'),
  );
}
