import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { containsPattern } from '../../common/filters';
import { NamedOrderField } from '../../common/inputs';
import { loadByGlobalId, loadForUpdate, loadOptionalShared } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { AREA_TYPE_NAME, type Area } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { Alliance, AllianceMember, AllianceModel, AllianceRole } from './alliance.entity';
import type { AddAllianceMemberInput, AllianceListArgs, CreateAllianceInput, UpdateAllianceInput, UpdateAllianceMemberInput } from './alliance.inputs';
import { MODEL_AREA_LEVELS, ROLE_REQUIRES_KIND, SEAT_HELD_ONCE, unitRepresentedBy } from './alliance.rules';
import { assertLeadershipsHold } from './alliance.leadership';
import { lockPlacementAreas, lockPlacementAreasBefore } from '../service-post/placements';

/** Alliances (党建联盟) and their member units. */
export const allianceService = {
  async list(ctx: AppContext, args: AllianceListArgs): Promise<ConnectionResult<Alliance>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    if (filter.models?.length) where.model = { $in: filter.models };
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      where.area = { path: { $like: `${area.path}%` } };
    }
    if (filter.memberUnitId) {
      const unit = await loadByGlobalId(ctx.em, Unit, filter.memberUnitId, 'filter.memberUnitId');
      const rows: { alliance_id: number }[] = await ctx.em.execute('select alliance_id from alliance_member where unit_id = ?', [unit.id]);
      where.id = { $in: rows.map((row) => row.alliance_id) };
    }
    if (filter.search?.trim()) where.name = { $ilike: containsPattern(filter.search) };
    const order = args.orderBy ?? { field: NamedOrderField.NAME, direction: OrderDirection.ASC };
    return paginate(ctx.em, Alliance, where as FilterQuery<Alliance>, { property: order.field, direction: order.direction }, args);
  },

  async create(ctx: AppContext, input: CreateAllianceInput): Promise<Alliance> {
    let area: Area | undefined;
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      area = await loadArea(em, input.areaId, ALL_AREA_TYPES, 'input.areaId');
      assertAreaFitsModel(area, input.model, 'input.areaId');
      if (await em.count(Alliance, { area })) throw areaHasAlliance(area);
      const { areaId: _areaId, leadOrganizationId, ...fields } = input;
      const alliance = em.create(Alliance, {
        ...fields,
        area,
        leadOrganization: await loadLead(em, area.id, leadOrganizationId),
      });
      await em.flush();
      if (leadOrganizationId) await assertLeadershipsHold(em, { allianceId: alliance.id }, 'input.leadOrganizationId');
      return alliance;
    }), 'input.areaId', () => areaHasAlliance(area!));
  },

  async update(ctx: AppContext, id: string, input: UpdateAllianceInput): Promise<Alliance> {
    return inTransaction(ctx, async (em) => {
      const alliance = await loadByGlobalId(em, Alliance, id, 'id');
      const { leadOrganizationId, ...fields } = input;
      applyPatch(alliance, fields, ['name', 'model']);
      if (input.model) assertAreaFitsModel(await em.findOneOrFail('Area', { id: alliance.area.id }) as Area, input.model, 'input.model');
      if (leadOrganizationId !== undefined) alliance.leadOrganization = await loadLead(em, alliance.area.id, leadOrganizationId);
      await em.flush();
      if (leadOrganizationId) await assertLeadershipsHold(em, { allianceId: alliance.id }, 'input.leadOrganizationId');
      return alliance;
    });
  },

  async addMember(ctx: AppContext, input: AddAllianceMemberInput): Promise<AllianceMember> {
    let unit: Unit | undefined;
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      // Locked, then the unit: seats of one alliance are checked (one CORE) and added one after the other.
      const alliance = await loadForUpdate(em, Alliance, input.allianceId, 'input.allianceId');
      // Locked before the role check, like updateUnit's kind change: whichever comes second sees the other.
      unit = await loadForUpdate(em, Unit, input.unitId, 'input.unitId');
      assertRoleFitsUnit(input.role, unit);
      if (await em.count(AllianceMember, { alliance, unit })) throw alreadyMember(unit);
      await assertSeatFree(em, alliance.id, input.role);
      const member = em.create(AllianceMember, {
        alliance,
        unit,
        role: input.role,
        seatTitle: input.seatTitle,
        joinedOn: input.joinedOn,
        seatHolder: await loadSeatHolder(em, input.seatHolderId, unit),
      });
      await em.flush();
      return member;
    }), 'input.unitId', () => alreadyMember(unit!));
  },

  async updateMember(ctx: AppContext, id: string, input: UpdateAllianceMemberInput): Promise<AllianceMember> {
    return inTransaction(ctx, async (em) => {
      const member = await loadByGlobalId(em, AllianceMember, id, 'id');
      // The alliance before the unit, as addMember locks them.
      await em.findOneOrFail(Alliance, { id: member.alliance.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const unit = await em.findOneOrFail(Unit, { id: member.unit.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const { seatHolderId, ...fields } = input;
      const roleBefore = member.role;
      applyPatch(member, fields, ['role']);
      assertRoleFitsUnit(member.role, unit);
      // Only a seat taking the role: seats kept as they are stay editable (two CORE seats left from before the rule included).
      if (member.role !== roleBefore) await assertSeatFree(em, member.alliance.id, member.role, member.id);
      if (seatHolderId !== undefined) member.seatHolder = await loadSeatHolder(em, seatHolderId, unit);
      await em.flush();
      return member;
    });
  },

  async removeMember(ctx: AppContext, id: string): Promise<string> {
    return inTransaction(ctx, async (em) => {
      em.remove(await loadByGlobalId(em, AllianceMember, id, 'id'));
      await em.flush();
      return id;
    });
  },
};

// The answers to a duplicate, whether the service's check or the unique key (a raced twin) caught it.
const areaHasAlliance = (area: Area) => conflict(`${area.name} already has an alliance`, 'input.areaId');
const alreadyMember = (unit: Unit) => conflict(`${unit.name} is already a member of this alliance`, 'input.unitId');

function assertAreaFitsModel(area: Area, model: AllianceModel, field: string): void {
  if (!MODEL_AREA_LEVELS[model].includes(area.level)) {
    throw badInput(field, `a ${model} alliance belongs to a ${MODEL_AREA_LEVELS[model].map((level) => AREA_TYPE_NAME[level]).join(' or ')}, not a ${AREA_TYPE_NAME[area.level]}`);
  }
}

/** A role held once per alliance (SEAT_HELD_ONCE: the CORE "1") is refused while another unit holds it; the caller holds the alliance's lock. */
async function assertSeatFree(em: EntityManager, allianceId: number, role: AllianceRole, exceptMemberId?: number): Promise<void> {
  if (role !== SEAT_HELD_ONCE) return;
  const held = await em.count(AllianceMember, { alliance: allianceId, role, ...(exceptMemberId ? { id: { $ne: exceptMemberId } } : {}) });
  if (held) throw conflict(`this alliance already has its ${role} seat; an alliance has one (the "1")`, 'input.role');
}

/**
 * The leading organisation, read FOR SHARE: a re-attachment of it waits, then sees this alliance in
 * its own check (assertLeadershipsHold). Before it, the alliance's area and the organisation's area
 * are locked FOR SHARE (areas before organisations, as placements lock them): an area move writing
 * either path either committed first, and this write's check reads the new paths, or waits until
 * this write commits, and its own check sees the alliance. Read plainly, a move that had passed its
 * check let an alliance be given a lead it was taking out of the alliance's area.
 */
async function loadLead(em: EntityManager, allianceAreaId: number, leadOrganizationId: string | null | undefined): Promise<PartyOrganization | null> {
  const field = 'input.leadOrganizationId';
  if (leadOrganizationId) await lockPlacementAreasBefore(em, allianceAreaId, leadOrganizationId, field);
  const lead = (await loadOptionalShared(em, PartyOrganization, leadOrganizationId, field)) ?? null;
  // Held already, unless a re-attachment committed in between.
  if (lead) await lockPlacementAreas(em, null, lead.area.id);
  return lead;
}

function assertRoleFitsUnit(role: AllianceRole, unit: Unit): void {
  const required = ROLE_REQUIRES_KIND[role];
  if (required && unit.kind !== required) throw badInput('input.role', `the ${role} seat needs a ${required} unit; ${unit.name} is a ${unit.kind}`);
}

/**
 * A seat is held for its unit by someone who works there (loadSeatHolder, unitRepresentedBy): when
 * the person leaves the unit (updatePerson changes or clears their employer) or retires (updatePerson
 * sets their party status to RETIRED, the employer they retired from kept on record), the seats they
 * held fall vacant, as a member's posts end when their report does. Seats held for the unit they
 * still work at stay. The caller has locked the person: loadSeatHolder reads them FOR SHARE, so a
 * seat given to them at the same time waits and then sees the new employer or status.
 */
export async function vacateSeatsOutside(em: EntityManager, person: Pick<Person, 'id' | 'partyStatus' | 'employerUnit'>): Promise<void> {
  const representedUnitId = unitRepresentedBy(person);
  await em.nativeUpdate(
    AllianceMember,
    { seatHolder: person.id, ...(representedUnitId === null ? {} : { unit: { $ne: representedUnitId } }) },
    { seatHolder: null },
    // Unscoped: a consequence of the checked person edit, the seat wherever its alliance is (a
    // street's alliance lies outside community staff's scope).
    { filters: false },
  );
}

/** A part-time seat is held by someone from the member unit, who works there (not retired from it). */
async function loadSeatHolder(em: EntityManager, seatHolderId: string | null | undefined, unit: Unit): Promise<Person | null> {
  const person = await loadOptionalShared(em, Person, seatHolderId, 'input.seatHolderId');
  if (person && unitRepresentedBy(person) !== unit.id) {
    const retired = person.employerUnit?.id === unit.id ? ': this person has retired (RETIRED) from it' : '';
    throw badInput('input.seatHolderId', `the seat holder must work at ${unit.name}${retired}`);
  }
  return person ?? null;
}
