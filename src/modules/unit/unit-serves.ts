import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { todayInChina } from '../../common/dates';
import { communitiesServedBy } from '../identity/identify';

/** What a unit claims, as the refusal names it: 'wishes' / 'wish' / 'fulfil'. */
export interface UnitClaimable {
  plural: string;
  singular: string;
  /** The claimant's own later step (fulfillMicroWish, deliverClaim). */
  step: string;
}

export const MICRO_WISHES: UnitClaimable = { plural: 'wishes', singular: 'wish', step: 'fulfil' };
export const LIST_ITEMS: UnitClaimable = { plural: 'list items', singular: 'item', step: 'deliver' };

/**
 * THE rule of what a unit claims (micro-wishes, the items of a community's four lists): only what
 * belongs to a community it serves on the claim's day (China time), paired with it that day or
 * seated in its alliance (communitiesServedBy, its liaison's scope; registering with a community
 * (单位报到) is not serving it). The claimant's own later step (fulfillMicroWish, deliverClaim) is
 * its liaison's, who sees only those communities: a claim elsewhere would be stuck with a claimant
 * who cannot find it. BAD_USER_INPUT on `field` otherwise.
 *
 * Pairings and seats are read plainly: one ending as the claim commits leaves what ending it just
 * after the claim would (an ended pairing does not undo a claim).
 */
export async function assertUnitServes(
  em: EntityManager,
  unitId: number,
  communityId: number,
  now: Date,
  what: UnitClaimable,
  field = 'input.unitId',
): Promise<void> {
  if ((await communitiesServedBy(em, unitId, todayInChina(now))).includes(communityId)) return;
  throw badInput(
    field,
    `a unit claims the ${what.plural} of the communities it serves (paired with it today, or seated in its alliance), the only ones where its liaison can see and ${what.step} them; this unit does not serve the ${what.singular}'s community`,
  );
}
