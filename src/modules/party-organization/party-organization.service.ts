import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { containsPattern } from '../../common/filters';
import { NamedOrderField } from '../../common/inputs';
import { loadByGlobalId, loadOptional, loadOptionalShared } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { PartTimeMember, PartyOrganization, PartyOrganizationKind } from './party-organization.entity';
import type {
  AddPartTimeMemberInput,
  CreatePartyOrganizationInput,
  PartyOrganizationListArgs,
  UpdatePartyOrganizationInput,
} from './party-organization.inputs';
import { assertDateOrder } from '../../common/dates';
import { assertPlacementsHold, lockPlacementAreas } from '../service-post/placements';
import { Area } from '../area/area.entity';
import { assertLeadershipsHold } from '../alliance/alliance.leadership';
import { assertMayHaveChildren, assertNotUnderItself, assertOnOneLine, lockPartyTree } from './party-organization.nesting';

/** Party organisations (党组织) and their part-time seats (兼职委员). */
export const partyOrganizationService = {
  async list(ctx: AppContext, args: PartyOrganizationListArgs): Promise<ConnectionResult<PartyOrganization>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    if (filter.kinds?.length) where.kind = { $in: filter.kinds };
    if (filter.functional != null) where.functional = filter.functional;
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      where.area = { path: { $like: `${area.path}%` } };
    }
    if (filter.parentId) where.parent = (await loadByGlobalId(ctx.em, PartyOrganization, filter.parentId, 'filter.parentId')).id;
    if (filter.search?.trim()) {
      const pattern = containsPattern(filter.search);
      where.$or = [{ name: { $ilike: pattern } }, { code: { $ilike: pattern } }];
    }
    const order = args.orderBy ?? { field: NamedOrderField.NAME, direction: OrderDirection.ASC };
    return paginate(ctx.em, PartyOrganization, where as FilterQuery<PartyOrganization>, { property: order.field, direction: order.direction }, args);
  },

  async create(ctx: AppContext, input: CreatePartyOrganizationInput): Promise<PartyOrganization> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      // Before the parent is read: a parent becoming a group meanwhile is seen (assertValidParent).
      if (input.parentId) await lockPartyTree(em);
      await assertCodeFree(em, input.code);
      const { areaId, parentId, secretaryId, ...fields } = input;
      const organization = em.create(PartyOrganization, {
        ...fields,
        functional: fields.functional ?? false,
        area: await loadArea(em, areaId, ALL_AREA_TYPES, 'input.areaId'),
        parent: await loadOptional(em, PartyOrganization, parentId, 'input.parentId'),
        secretary: await loadSecretary(em, secretaryId),
      });
      assertValidParent(organization);
      await assertNestsUnderParent(em, organization, 'input.parentId');
      await em.flush();
      return organization;
    }), 'input.code', () => codeTaken(input.code));
  },

  async update(ctx: AppContext, id: string, input: UpdatePartyOrganizationInput): Promise<PartyOrganization> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      // Before anything is read: the cycle, group and nesting checks below walk rows another move may be changing.
      if (input.parentId !== undefined || input.kind != null || input.areaId) await lockPartyTree(em);
      const organization = await loadByGlobalId(em, PartyOrganization, id, 'id');
      if (input.code && input.code !== organization.code) await assertCodeFree(em, input.code);
      const { areaId, parentId, secretaryId, ...fields } = input;
      applyPatch(organization, fields, ['name', 'code', 'kind', 'functional']);
      if (areaId === null) throw badInput('input.areaId', 'a party organisation is always attached to an area');
      if (areaId) organization.area = await loadArea(em, areaId, ALL_AREA_TYPES, 'input.areaId');
      if (parentId !== undefined) organization.parent = await loadOptional(em, PartyOrganization, parentId, 'input.parentId');
      if (secretaryId !== undefined) organization.secretary = await loadSecretary(em, secretaryId);
      assertValidParent(organization);
      if (organization.kind === PartyOrganizationKind.GROUP && (await em.count(PartyOrganization, { parent: organization }))) {
        throw badInput('input.kind', 'an organisation with child organisations cannot become a party group (党小组)');
      }
      await assertNoCycle(em, organization);
      if (parentId || areaId) await assertNestsUnderParent(em, organization, parentId ? 'input.parentId' : 'input.areaId');
      // Re-attached, it is the parent of its children: they must stay on its new line too.
      if (areaId) await assertChildrenNest(em, organization, 'input.areaId');
      await em.flush();
      // The alliances it leads sit on its area or above it (alliance.leadership.ts).
      if (areaId) await assertLeadershipsHold(em, { organizationId: organization.id }, 'input.areaId');
      if (areaId || input.kind != null) {
        // The new area FOR SHARE (as reportMember reads an organisation's area): a move of it racing
        // this re-attachment either committed first and is seen by the check below, or waits and
        // then sees this organisation's members under it in its own check.
        if (areaId) await lockPlacementAreas(em, null, organization.area.id);
        await assertPlacementsHold(em, { organizationId: organization.id }, areaId ? 'input.areaId' : 'input.kind');
      }
      return organization;
    }), 'input.code', () => codeTaken(input.code!));
  },

  async addPartTimeMember(ctx: AppContext, input: AddPartTimeMemberInput): Promise<PartTimeMember> {
    assertDateOrder(input.startsOn, input.endsOn, 'input.endsOn');
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const organization = await loadByGlobalId(em, PartyOrganization, input.organizationId, 'input.organizationId');
      const person = await loadByGlobalId(em, Person, input.personId, 'input.personId');
      if (await em.count(PartTimeMember, { organization, person })) throw seatTaken();
      const unit = input.unitId ? await loadByGlobalId(em, Unit, input.unitId, 'input.unitId') : (person.employerUnit ?? null);
      const seat = em.create(PartTimeMember, { organization, person, unit, title: input.title, startsOn: input.startsOn, endsOn: input.endsOn });
      await em.flush();
      return seat;
    }), 'input.personId', seatTaken);
  },

  async removePartTimeMember(ctx: AppContext, id: string): Promise<string> {
    return inTransaction(ctx, async (em) => {
      const seat = await loadByGlobalId(em, PartTimeMember, id, 'id');
      em.remove(seat);
      await em.flush();
      return id;
    });
  },
};

async function loadSecretary(em: EntityManager, secretaryId: string | null | undefined): Promise<Person | null> {
  const person = await loadOptionalShared(em, Person, secretaryId, 'input.secretaryId');
  if (person && person.partyStatus == null) throw badInput('input.secretaryId', 'a secretary must be a party member');
  return person ?? null;
}

/** A party group (党小组) is the smallest cell: it has no child organisations (party-organization.nesting.ts). */
function assertValidParent(organization: PartyOrganization): void {
  assertMayHaveChildren(organization.parent?.kind, 'input.parentId');
}

/**
 * The party tree stays inside one line of the area tree: a parent sits on the organisation's area,
 * one above it (a community committee over its grid branches, a street committee over community
 * ones) or one inside it (a functional branch organised by purpose under a grid's) — never on another
 * community's (or street's) tree. Otherwise one community's staff could hang their branch under the
 * neighbour's committee, which would then list it as its own. Checked when a parent or an area is
 * given; the parent's area is read under the party-tree lock, which a re-attachment takes too, and
 * an area move as well: a move carrying organisations away from their parent's line re-parents them
 * or is refused (reparentAfterAreaMove, party-organization.nesting.ts, where the rule itself is).
 */
async function assertNestsUnderParent(em: EntityManager, organization: PartyOrganization, field: string): Promise<void> {
  if (!organization.parent) return;
  const parent = await em.findOneOrFail(PartyOrganization, { id: organization.parent.id });
  const area = await em.findOneOrFail(Area, { id: organization.area.id });
  const parentArea = await em.findOneOrFail(Area, { id: parent.area.id });
  assertOnOneLine(area, parentArea, field);
}

/**
 * The same rule seen from the parent: an organisation re-attached to another area keeps its children
 * on its line (a community committee moved to the neighbour community would take its grid branches
 * under the neighbour's tree). Read under the party-tree lock, which a new child's creation takes.
 */
async function assertChildrenNest(em: EntityManager, organization: PartyOrganization, field: string): Promise<void> {
  const area = await em.findOneOrFail(Area, { id: organization.area.id });
  const children = await em.find(PartyOrganization, { parent: organization.id }, { populate: ['area'] as never, filters: false });
  for (const child of children) assertOnOneLine(child.area as Area, area, field);
}

/** Its new parent's chain, as stored, does not reach it (party-organization.nesting.ts). */
async function assertNoCycle(em: EntityManager, organization: PartyOrganization): Promise<void> {
  if (organization.parent) await assertNotUnderItself(em, organization.id, organization.parent.id, 'input.parentId');
}

async function assertCodeFree(em: EntityManager, code: string): Promise<void> {
  if (await em.count(PartyOrganization, { code })) throw codeTaken(code);
}

const seatTaken = () => conflict('this person already holds a part-time seat on this organisation', 'input.personId');

/** The answer to a taken code, whether the check above or the unique key (a raced twin) caught it. */
const codeTaken = (code: string) => conflict(`a party organisation with code "${code}" already exists`, 'input.code');
