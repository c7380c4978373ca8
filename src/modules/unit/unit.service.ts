import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { containsPattern } from '../../common/filters';
import { NamedOrderField } from '../../common/inputs';
import { loadByGlobalId, loadForUpdate } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Community } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { AllianceMember } from '../alliance/alliance.entity';
import { ROLE_REQUIRES_KIND } from '../alliance/alliance.rules';
import { Unit, type UnitKind } from './unit.entity';
import type { CreateUnitInput, UnitListArgs, UpdateUnitInput } from './unit.inputs';

/** Units (驻区单位 / 结对共建单位): listing and upkeep. */
export const unitService = {
  async list(ctx: AppContext, args: UnitListArgs): Promise<ConnectionResult<Unit>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    if (filter.kinds?.length) where.kind = { $in: filter.kinds };
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      where.area = { path: { $like: `${area.path}%` } };
    }
    if (filter.pairedWithCommunityId) {
      const community = await loadByGlobalId(ctx.em, Community, filter.pairedWithCommunityId, 'filter.pairedWithCommunityId');
      const rows: { unit_id: number }[] = await ctx.em.execute('select distinct unit_id from pairing where community_id = ?', [community.id]);
      where.id = { $in: rows.map((row) => row.unit_id) };
    }
    if (filter.search?.trim()) {
      // The address on its masked copy, for everyone: units are a directory read across scopes, and
      // the search must not find by digits the viewer is shown masked (staff outside the unit's area).
      const pattern = containsPattern(filter.search);
      where.$or = [{ name: { $ilike: pattern } }, { code: { $ilike: pattern } }, { addressMasked: { $ilike: pattern } }];
    }
    const order = args.orderBy ?? { field: NamedOrderField.NAME, direction: OrderDirection.ASC };
    return paginate(ctx.em, Unit, where as FilterQuery<Unit>, { property: order.field, direction: order.direction }, args);
  },

  async create(ctx: AppContext, input: CreateUnitInput): Promise<Unit> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      await assertCodeFree(em, input.code);
      const { areaId, ...fields } = input;
      const area = areaId ? await loadArea(em, areaId, ALL_AREA_TYPES, 'input.areaId') : null;
      const unit = em.create(Unit, { ...fields, area });
      await em.flush();
      return unit;
    }), 'input.code', () => codeTaken(input.code));
  },

  async update(ctx: AppContext, id: string, input: UpdateUnitInput): Promise<Unit> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      // Locked before the seat check: addAllianceMember locks the unit too, so a kind change and a
      // kind-specific seat (POLICE, PROPERTY, OWNERS_COMMITTEE) cannot both pass on the old kind.
      const unit = await loadForUpdate(em, Unit, id, 'id');
      if (input.code && input.code !== unit.code) await assertCodeFree(em, input.code);
      const { areaId, ...fields } = input;
      if (input.kind && input.kind !== unit.kind) await assertKindFitsSeats(em, unit, input.kind);
      applyPatch(unit, fields, ['name', 'code', 'kind']);
      if (areaId !== undefined) unit.area = areaId === null ? null : await loadArea(em, areaId, ALL_AREA_TYPES, 'input.areaId');
      await em.flush();
      return unit;
    }), 'input.code', () => codeTaken(input.code!));
  },
};

async function assertCodeFree(em: EntityManager, code: string): Promise<void> {
  if (await em.count(Unit, { code })) throw codeTaken(code);
}

/** The answer to a taken code, whether the check above or the unique key (a raced twin) caught it. */
const codeTaken = (code: string) => conflict(`a unit with code "${code}" already exists`, 'input.code');

/** A unit in a kind-specific alliance seat (POLICE, PROPERTY, OWNERS_COMMITTEE) must stay that kind. */
async function assertKindFitsSeats(em: EntityManager, unit: Unit, kind: UnitKind): Promise<void> {
  const seats = await em.find(AllianceMember, { unit });
  const blocking = seats.find((seat) => ROLE_REQUIRES_KIND[seat.role] && ROLE_REQUIRES_KIND[seat.role] !== kind);
  if (blocking) throw badInput('input.kind', `${unit.name} holds a ${blocking.role} alliance seat, which needs a ${ROLE_REQUIRES_KIND[blocking.role]}`);
}
