import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { assertDateOrder, todayInChina } from '../../common/dates';
import { loadByGlobalId, loadForUpdate } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { applyPatch, inTransaction } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Community } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { Unit } from '../unit/unit.entity';
import { Pairing } from './pairing.entity';
import type { CreatePairingInput, PairingListArgs, UpdatePairingInput } from './pairing.inputs';
import { assertEndedTermStartStays, assertEndedTermStaysEnded, assertEndNotInPast, assertStartNotMovedFromPast } from './pairing.rules';

/** Pairings (结对共建) of units with communities, each under an agreement. */
export const pairingService = {
  async list(ctx: AppContext, args: PairingListArgs): Promise<ConnectionResult<Pairing>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    if (filter.communityId) where.community = (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id;
    if (filter.unitId) where.unit = (await loadByGlobalId(ctx.em, Unit, filter.unitId, 'filter.unitId')).id;
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      where.community = { ...(where.community ? { id: where.community } : {}), path: { $like: `${area.path}%` } };
    }
    if (filter.activeOn) Object.assign(where, activeOn(filter.activeOn));
    return paginate(ctx.em, Pairing, where as FilterQuery<Pairing>, { property: 'id', direction: OrderDirection.ASC }, args);
  },

  async create(ctx: AppContext, input: CreatePairingInput): Promise<Pairing> {
    assertDateOrder(input.startsOn, input.endsOn, 'input.endsOn');
    return inTransaction(ctx, async (em) => {
      const unit = await loadByGlobalId(em, Unit, input.unitId, 'input.unitId');
      const community = await loadByGlobalId(em, Community, input.communityId, 'input.communityId');
      await assertNoOverlap(em, unit.id, community.id, input.startsOn, input.endsOn ?? null);
      const { unitId: _u, communityId: _c, duties, ...fields } = input;
      const pairing = em.create(Pairing, { ...fields, unit, community, duties: cleanDuties(duties) });
      await em.flush();
      return pairing;
    });
  },

  async update(ctx: AppContext, id: string, input: UpdatePairingInput): Promise<Pairing> {
    return inTransaction(ctx, async (em) => {
      // Locked before it is read: a concurrent edit of the same pairing waits here and then checks the
      // date order and overlap against what the first one wrote, not against a stale copy.
      // Lock order: the pairing row, then the pair's advisory lock (assertNoOverlap).
      const pairing = await loadForUpdate(em, Pairing, id, 'id');
      const { duties, ...fields } = input;
      const previousEnd = pairing.endsOn ?? null;
      const previousStart = pairing.startsOn;
      applyPatch(pairing, fields, ['startsOn', 'agreementTitle']);
      if (duties === null) throw badInput('input.duties', 'cannot be null: an agreement lists at least one duty');
      if (duties) pairing.duties = cleanDuties(duties);
      assertDateOrder(pairing.startsOn, pairing.endsOn, 'input.endsOn');
      const today = todayInChina(ctx.now());
      assertStartNotMovedFromPast(previousStart, pairing.startsOn, today);
      assertEndedTermStaysEnded(previousEnd, pairing.endsOn ?? null, today);
      assertEndedTermStartStays(previousEnd, previousStart, pairing.startsOn, today);
      assertEndNotInPast(previousEnd, pairing.endsOn, today);
      await assertNoOverlap(em, pairing.unit.id, pairing.community.id, pairing.startsOn, pairing.endsOn ?? null, pairing.id);
      await em.flush();
      return pairing;
    });
  },
};

/** Pairings whose term covers `day` (an open end counts as ongoing). */
export function activeOn(day: string): FilterQuery<Pairing> {
  return { startsOn: { $lte: day }, $or: [{ endsOn: null }, { endsOn: { $gte: day } }] };
}

/** The same rule as activeOn, for a pairing already read. */
export function isActiveOn(pairing: Pick<Pairing, 'startsOn' | 'endsOn'>, day: string): boolean {
  return pairing.startsOn <= day && (!pairing.endsOn || pairing.endsOn >= day);
}

/** Trims each duty and drops blank ones; an agreement must still list at least one. */
function cleanDuties(duties: string[]): string[] {
  const cleaned = duties.map((duty) => duty.trim()).filter(Boolean);
  if (cleaned.length === 0) throw badInput('input.duties', 'must list at least one non-blank duty');
  return cleaned;
}

/**
 * One unit, one community: terms may follow each other but not overlap. The pair is locked for
 * the rest of the transaction first (an advisory lock: there is no row to lock before the first
 * pairing exists), so two writers for the same pair check and insert one after the other.
 */
async function assertNoOverlap(em: EntityManager, unitId: number, communityId: number, startsOn: string, endsOn: string | null, exceptId?: number): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('pairing'), hashtext(? || ':' || ?))`, [String(unitId), String(communityId)]);
  const overlapping = await em.count(Pairing, {
    unit: unitId,
    community: communityId,
    ...(exceptId ? { id: { $ne: exceptId } } : {}),
    $and: [
      { $or: [{ endsOn: null }, { endsOn: { $gte: startsOn } }] },
      ...(endsOn ? [{ startsOn: { $lte: endsOn } }] : []),
    ],
  });
  if (overlapping) throw conflict('this unit already has a pairing with this community that overlaps that term', 'input.startsOn');
}
