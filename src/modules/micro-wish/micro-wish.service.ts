import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { OrderDirection, paginate, type ConnectionResult, type Ordering } from '../../common/pagination';
import { inTransaction } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Community } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { loadByGlobalId, loadForUpdate, loadOptional, loadOptionalShared } from '../../common/lookup';
import { nextState } from '../../common/state-machine';
import { Person } from '../person/person.entity';
import { PointKind } from '../points/points.entity';
import { awardPoints } from '../points/points.service';
import { Unit } from '../unit/unit.entity';
import { MicroWish, MicroWishStatus } from './micro-wish.entity';
import type { ClaimMicroWishInput, MicroWishListArgs, PublishMicroWishInput } from './micro-wish.inputs';
import { WISH_MOVES, assertMemberLivesIn } from './micro-wish.rules';
import { assertActsFor } from '../identity/access';
import { MICRO_WISHES, assertUnitServes } from '../unit/unit-serves';

/** Newest first. */
export const WISH_ORDER: Ordering = { property: 'id', direction: OrderDirection.DESC };

/**
 * 微心愿: small wishes of needy residents. Every move locks the wish's row for its
 * transaction, so two concurrent claims run one after the other and the second finds the
 * wish CLAIMED. The resident's name is personal data: never echoed in a message.
 */
export const microWishService = {
  async list(ctx: AppContext, args: MicroWishListArgs): Promise<ConnectionResult<MicroWish>> {
    const filter = args.filter ?? {};
    const where: FilterQuery<MicroWish>[] = [];
    if (filter.communityId) where.push({ community: (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id });
    if (filter.within) where.push({ community: { path: { $like: `${(await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within')).path}%` } } });
    if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
    if (filter.residentGroups?.length) where.push({ residentGroup: { $in: filter.residentGroups } });
    return paginate(ctx.em, MicroWish, { $and: where }, WISH_ORDER, args);
  },

  async publish(ctx: AppContext, input: PublishMicroWishInput): Promise<MicroWish> {
    return inTransaction(ctx, async (em) => {
      const community = await loadByGlobalId(em, Community, input.communityId, 'input.communityId');
      const wish = em.create(MicroWish, {
        community,
        title: input.title,
        description: input.description ?? null,
        residentName: input.residentName ?? null,
        residentGroup: input.residentGroup ?? null,
        estimatedValue: input.estimatedValue ?? null,
        status: MicroWishStatus.PUBLISHED,
      });
      await em.flush();
      return wish;
    });
  },

  /** PUBLISHED → CLAIMED by exactly one party member or one unit. */
  async claim(ctx: AppContext, id: string, input: ClaimMicroWishInput): Promise<MicroWish> {
    if (input.personId && input.unitId) throw badInput('input.unitId', 'a wish has one claimant: give personId or unitId, not both');
    if (!input.personId && !input.unitId) throw badInput('input.personId', 'a wish needs a claimant: give personId or unitId');
    return move(ctx, id, 'claim', async (wish, em, now) => {
      wish.claimantPerson = (await loadOptionalShared(em, Person, input.personId, 'input.personId')) ?? null;
      wish.claimantUnit = (await loadOptional(em, Unit, input.unitId, 'input.unitId')) ?? null;
      assertActsFor(ctx, { personId: wish.claimantPerson?.id, unitId: wish.claimantUnit?.id });
      if (wish.claimantPerson && !wish.claimantPerson.isPartyMember) {
        throw badInput('input.personId', 'a wish is claimed by a party member or by a unit; this person is not a party member');
      }
      // The member's residence is read from their row as locked above (FOR SHARE): a move racing
      // this claim either committed first and is seen, or waits until the claim commits. A unit's
      // pairings and seats are read plainly: one ending as the claim commits leaves what ending it
      // just after the claim would (an ended pairing does not undo a unit's claim; a member's move
      // or leaving the party ends theirs: releaseClaimsOf, run by updatePerson).
      if (wish.claimantPerson) assertMemberLivesIn(wish.community.id, wish.claimantPerson.residenceCommunity?.id ?? null);
      else await assertUnitServes(em, wish.claimantUnit!.id, wish.community.id, now, MICRO_WISHES);
      wish.claimedAt = now;
    });
  },

  /** The claimant has fulfilled it: CLAIMED → FULFILLED. */
  fulfil(ctx: AppContext, id: string): Promise<MicroWish> {
    return move(ctx, id, 'fulfil', (wish, _em, now) => {
      assertActsFor(ctx, { personId: wish.claimantPerson?.id, unitId: wish.claimantUnit?.id });
      wish.fulfilledAt = now;
    });
  },

  /** The community confirms: FULFILLED → CONFIRMED; a member claimant earns MICRO_WISH_FULFILLED points. */
  confirm(ctx: AppContext, id: string): Promise<MicroWish> {
    return move(ctx, id, 'confirm', async (wish, em, now) => {
      wish.confirmedAt = now;
      if (wish.claimantPerson) await awardPoints(em, { person: wish.claimantPerson.id, kind: PointKind.MICRO_WISH_FULFILLED, sourceType: 'MicroWish', sourceId: wish.id, verifier: ctx.viewer, at: ctx.now() });
    });
  },

  /** Withdrawn before fulfilment (PUBLISHED or CLAIMED → CANCELLED). */
  cancel(ctx: AppContext, id: string): Promise<MicroWish> {
    return move(ctx, id, 'cancel', () => undefined);
  },
};

/**
 * A member's claims end when they can no longer fulfil them: moved out of the community (a claimant
 * lives in the wish's community, assertMemberLivesIn) or out of the party (a wish is claimed by a party
 * member). Their account no longer finds the wish (fulfillMicroWish was NOT_FOUND) and no one else
 * could claim it: it stayed CLAIMED for good. CLAIMED wishes go back to PUBLISHED, claimable again;
 * fulfilled ones stay, for the community to confirm (the work is done). Called by updatePerson after
 * it locked the person: a claim racing it (which reads the person FOR SHARE) committed first and is
 * seen by this statement, or waits and sees the edit.
 */
export async function releaseClaimsOf(em: EntityManager, personId: number, now: Date): Promise<void> {
  await em.execute(
    `update micro_wish set status = ?, claimant_person_id = null, claimed_at = null, version = version + 1, updated_at = ?
      where claimant_person_id = ? and status in (${WISH_MOVES.release.from.map(() => '?').join(', ')})`,
    [WISH_MOVES.release.to, now, personId, ...WISH_MOVES.release.from],
  );
}

async function move(
  ctx: AppContext,
  id: string,
  action: keyof typeof WISH_MOVES,
  apply: (wish: MicroWish, em: EntityManager, now: Date) => void | Promise<void>,
): Promise<MicroWish> {
  return inTransaction(ctx, async (em) => {
    const wish = await loadForUpdate(em, MicroWish, id, 'id');
    const status = nextState(WISH_MOVES, action, wish.status, 'a micro-wish');
    await apply(wish, em, ctx.now());
    wish.status = status;
    await em.flush();
    return wish;
  });
}
