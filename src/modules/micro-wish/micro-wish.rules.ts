import { badInput } from '../../common/errors';
import type { Move } from '../../common/state-machine';
import { MicroWishStatus } from './micro-wish.entity';

const W = MicroWishStatus;

/** THE transition table of a micro-wish (微心愿): published, claimed by one claimant, fulfilled, confirmed; cancelled before fulfilment. */
export const WISH_MOVES = {
  claim: { from: [W.PUBLISHED], to: W.CLAIMED },
  fulfil: { from: [W.CLAIMED], to: W.FULFILLED },
  confirm: { from: [W.FULFILLED], to: W.CONFIRMED },
  cancel: { from: [W.PUBLISHED, W.CLAIMED], to: W.CANCELLED },
} satisfies Record<string, Move<MicroWishStatus>>;

/** Who claims a wish, as the claim rule reads them: a member and where they live, or a unit and the communities it serves. */
export type WishClaimant = { livesIn: number | null } | { serves: readonly number[] };

/**
 * A wish is claimed only by someone who can then see it and fulfil it (fulfillMicroWish is the
 * claimant's own step, and a claimant sees only wishes inside their scope): a party member claims
 * wishes of the community they live in (双报到: members serve, and are seen by their account, in
 * their residence community, not in a grid they work elsewhere); a unit claims wishes of the
 * communities it serves (paired with today, or seated in their alliance: its liaison's scope, see
 * communitiesServedBy; registering with a community (单位报到) is not serving it). Refused otherwise,
 * naming the claimant's field: the wish would be stuck CLAIMED with a claimant who cannot find it.
 */
export function assertClaimantServes(communityId: number, claimant: WishClaimant): void {
  if ('livesIn' in claimant) {
    if (claimant.livesIn === communityId) return;
    throw badInput(
      'input.personId',
      'a party member claims the wishes of the community they live in (双报到: members serve where they live), the only one where they can see and fulfil them; '
        + (claimant.livesIn === null ? 'this member has no residence community' : 'this member lives in another community'),
    );
  }
  if (claimant.serves.includes(communityId)) return;
  throw badInput(
    'input.unitId',
    'a unit claims the wishes of the communities it serves (paired with it today, or seated in its alliance), the only ones where its liaison can see and fulfil them; this unit does not serve the wish\'s community',
  );
}
