import { FlushMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { conflict } from '../../common/errors';
import { containsPattern } from '../../common/filters';
import { NamedOrderField } from '../../common/inputs';
import { expectGlobalId } from '../../common/global-id';
import { todayInChina } from '../../common/dates';
import { loadByGlobalId, loadForUpdate, loadOptional, loadOptionalShared } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Community, Grid } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Unit } from '../unit/unit.entity';
import { GridAssignment, GridWorkerRole, Person } from './person.entity';
import { endReport, splitReportAtEmployerChange } from '../service-post/report-end';
import { vacateSeatsOutside } from '../alliance/alliance.service';
import { CLAIM_MOVES, whyMayNotReport } from '../service-post/service-post.rules';
import type { AssignGridWorkerInput, CreatePersonInput, PersonListArgs, UpdatePersonInput } from './person.inputs';
import { assertConsistentRegistration } from './person.rules';
import { assertPlacementsHold, lockPlacementAreas, lockPlacementAreasBefore } from '../service-post/placements';
import { releaseClaimsOf } from '../micro-wish/micro-wish.service';
import { assertMayWrite } from '../identity/scope.guard';

/** People who register with their residence community: party members and non-party staff. */
export const personService = {
  async list(ctx: AppContext, args: PersonListArgs, scope: { partyMembersOnly?: boolean } = {}): Promise<ConnectionResult<Person>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    const and: Record<string, unknown>[] = [];
    if (scope.partyMembersOnly) and.push({ partyStatus: { $ne: null } });
    if (filter.isPartyMember != null) and.push({ partyStatus: filter.isPartyMember ? { $ne: null } : null });
    if (filter.partyStatuses?.length) and.push({ partyStatus: { $in: filter.partyStatuses } });
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      where.residenceCommunity = { path: { $like: `${area.path}%` } };
    }
    if (filter.residenceCommunityId) {
      and.push({ residenceCommunity: (await loadByGlobalId(ctx.em, Community, filter.residenceCommunityId, 'filter.residenceCommunityId')).id });
    }
    if (filter.employerUnitId) where.employerUnit = (await loadByGlobalId(ctx.em, Unit, filter.employerUnitId, 'filter.employerUnitId')).id;
    if (filter.organizationId) where.organization = (await loadByGlobalId(ctx.em, PartyOrganization, filter.organizationId, 'filter.organizationId')).id;
    if (filter.search?.trim()) where.name = { $ilike: containsPattern(filter.search) };
    if (and.length) where.$and = and;
    const order = args.orderBy ?? { field: NamedOrderField.NAME, direction: OrderDirection.ASC };
    return paginate(ctx.em, Person, where as FilterQuery<Person>, { property: order.field, direction: order.direction }, args);
  },

  async create(ctx: AppContext, input: CreatePersonInput): Promise<Person> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const { employerUnitId, residenceCommunityId, organizationId, ...fields } = input;
      const person = em.create(Person, {
        ...fields,
        employerUnit: await loadOptional(em, Unit, employerUnitId, 'input.employerUnitId'),
        residenceCommunity: await loadOptional(em, Community, residenceCommunityId, 'input.residenceCommunityId'),
        organization: await loadOptional(em, PartyOrganization, organizationId, 'input.organizationId'),
      });
      await validate(em, person);
      await em.flush();
      return person;
    }), 'input.idNumber', idNumberTaken);
  },

  async update(ctx: AppContext, id: string, input: UpdatePersonInput): Promise<Person> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      // A move ends the report and the posts held (below): lock the active claims (containers first,
      // as endPostClaim does), then the person, as reportMember and claimServicePost lock it, so a
      // report or claim racing this edit either committed first and is ended here, or waits and sees it.
      const { id: personId } = expectGlobalId(id, [Person.name], 'id');
      // The number's lock before any row lock (as createPerson, which locks nothing before it): taken
      // after the person's, an edit waiting on it while a seat (unit FOR UPDATE, holder FOR SHARE) and a
      // create (number, then its employer's KEY SHARE) waited on each other deadlocked.
      if (input.idNumber) await lockIdNumber(em, input.idNumber);
      // A new employer is locked before the person (KEY SHARE: what writing the foreign key takes
      // anyway, so edits of people joining one unit do not queue): addAllianceMember and
      // updateAllianceMember lock the unit FOR UPDATE, then the seat holder FOR SHARE. Taken at the
      // flush, after the person, a seat given to someone joining its unit at that moment deadlocked.
      if (input.employerUnitId) {
        const { id: unitId } = expectGlobalId(input.employerUnitId, [Unit.name], 'input.employerUnitId');
        await em.execute('select id from unit where id = ? for key share', [unitId]);
      }
      await em.execute(`select id from post_claim where person_id = ? and status in (?) order by id for update`, [personId, CLAIM_MOVES.end.from]);
      const person = await loadForUpdate(em, Person, id, 'id');
      const { employerUnitId, residenceCommunityId, organizationId, ...fields } = input;
      const wasPartyMember = person.isPartyMember;
      // The employer a report ending here was made through (this edit may change or clear it).
      const reportedThrough = person.employerUnit?.id ?? null;
      applyPatch(person, fields, ['name']);
      const livedIn = person.residenceCommunity?.id ?? null;
      if (employerUnitId !== undefined) person.employerUnit = await loadOptional(em, Unit, employerUnitId, 'input.employerUnitId');
      // A seat holder who leaves the unit or retires leaves its alliance seat vacant (vacateSeatsOutside).
      if (employerUnitId !== undefined || input.partyStatus !== undefined) await vacateSeatsOutside(em, person);
      if (residenceCommunityId !== undefined) person.residenceCommunity = await loadOptional(em, Community, residenceCommunityId, 'input.residenceCommunityId');
      // 双报到 is to the community one lives in: a reported member who moves reports anew there, so
      // the old report, its branch and the posts held in the old community end with the move (else
      // reportMember refused the new community and the old report opened its posts).
      if (person.reportedOn && (person.residenceCommunity?.id ?? null) !== livedIn) {
        await endReport(em, person, livedIn!, reportedThrough, todayInChina(ctx.now()));
        person.organization = null;
      }
      // A wish is claimed by a party member living in its community, who alone can then fulfil it: one
      // who moves away or leaves the party no longer can, and their claims end (releaseClaimsOf).
      if ((person.residenceCommunity?.id ?? null) !== livedIn || (wasPartyMember && !person.isPartyMember)) {
        await releaseClaimsOf(em, person.id, ctx.now());
      }
      // 双报到 is for people in work (whyMayNotReport): a reported member who retires, becomes a
      // mobile member or leaves their employer reports no more, and the posts held end with the
      // report (they stay in their branch: retired members belong to their community's organisations).
      // Else the report rule held only on the day of the report: a retired member stayed reported,
      // counted in membersReported, and kept claiming posts. Only an update of what the rule reads
      // (party status, employer) ends it: correcting a phone number of someone reported before
      // this rule held (retired, still reported) must not silently end their report and posts.
      const touchesReportRule = input.partyStatus !== undefined || employerUnitId !== undefined;
      if (person.reportedOn && touchesReportRule && whyMayNotReport(person) !== null) {
        await endReport(em, person, person.residenceCommunity!.id, reportedThrough, todayInChina(ctx.now()));
      }
      // Still reported, now through another employer: the report so far stays the old employer's.
      if (person.reportedOn && employerUnitId !== undefined && (person.employerUnit?.id ?? null) !== reportedThrough) {
        await splitReportAtEmployerChange(em, person, person.residenceCommunity!.id, reportedThrough, todayInChina(ctx.now()));
      }
      // FOR SHARE, as reportMember reads it: a re-attachment of the organisation racing this waits or is seen.
      // For a reported member, the areas the placement check reads (below) are locked first, as
      // reportMember does: areas before organisations, the order an area move writes them in.
      if (organizationId !== undefined) {
        if (person.reportedOn) await lockPlacementAreasBefore(em, person.residenceCommunity?.id ?? null, organizationId, 'input.organizationId');
        person.organization = await loadOptionalShared(em, PartyOrganization, organizationId, 'input.organizationId');
      }
      await validate(em, person);
      await em.flush();
      if (organizationId !== undefined && person.reportedOn) {
        await lockPlacementAreas(em, person.residenceCommunity?.id ?? null, person.organization?.area.id ?? null);
        await assertPlacementsHold(em, { personId: person.id }, 'input.organizationId');
      }
      return person;
    }), 'input.idNumber', idNumberTaken);
  },

  async assignGridWorker(ctx: AppContext, input: AssignGridWorkerInput): Promise<GridAssignment> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const grid = await loadArea<Grid>(em, input.gridId, ['Grid'], 'input.gridId');
      const person = await loadByGlobalId(em, Person, input.personId, 'input.personId');
      if (await em.count(GridAssignment, { grid, person })) throw alreadyWorksGrid();
      if (input.role === GridWorkerRole.GRID_LEADER) {
        // One 网格长 a grid: assigners of one grid's leader count and write one after the other (until commit).
        await em.execute(`select pg_advisory_xact_lock(hashtext('grid_leader'), ?)`, [grid.id]);
        if (await em.count(GridAssignment, { grid, role: GridWorkerRole.GRID_LEADER }, { filters: false })) {
          throw conflict('this grid already has a 网格长 (GRID_LEADER): unassign them first', 'input.role');
        }
      }
      const assignment = em.create(GridAssignment, { grid, person, role: input.role, startsOn: input.startsOn });
      await em.flush();
      return assignment;
    }), 'input.personId', alreadyWorksGrid);
  },

  async unassignGridWorker(ctx: AppContext, id: string): Promise<string> {
    return inTransaction(ctx, async (em) => {
      em.remove(await loadByGlobalId(em, GridAssignment, id, 'id'));
      await em.flush();
      return id;
    });
  },
};

async function validate(em: EntityManager, person: Person): Promise<void> {
  assertConsistentRegistration({
    partyStatus: person.partyStatus,
    joinedPartyOn: person.joinedPartyOn,
    employerUnitId: person.employerUnit?.id ?? null,
    idNumber: person.idNumber,
    birthYear: person.birthYear,
    gender: person.gender,
  });
  if (person.idNumber) {
    // Whether a number is taken says that someone holds it: that answer is given only to a viewer
    // who may write this person where they are and where they are going. So the write is checked
    // first, as the flush will check it (assertMayWrite): FORBIDDEN whatever the number for a person
    // outside the viewer's scope, in no area, or moved out of it. Then the number is counted
    // everywhere (unfiltered: the same CONFLICT wherever the holder lives, naming nothing of them).
    // Counted first, the answer told a community's staff whether a number was registered anywhere
    // in the city (CONFLICT or FORBIDDEN, nothing written); left to the unique key, every refusal
    // wrote the number into PostgreSQL's own log (`DETAIL: Key (id_number)=(…) already exists`).
    // Never echo the number back: it is personal data.
    const wanted = person.idNumber;
    const [stored] = person.id ? await em.execute<{ id_number: string | null }[]>('select id_number from person where id = ?', [person.id]) : [];
    if (wanted === (stored?.id_number ?? null)) return;
    await assertMayWrite(em, person);
    // Writers of one number count and write it one after the other (until commit), so a race too is
    // answered by the count, not by the unique key (sameConflictWhenRaced stays for any other writer).
    await lockIdNumber(em, wanted);
    // Not flushed first: the pending write carries the number.
    const taken = await em.count(Person, { idNumber: wanted, ...(person.id ? { id: { $ne: person.id } } : {}) }, { filters: false, flushMode: FlushMode.COMMIT });
    if (taken) throw idNumberTaken();
  }
}

/** Writers of one ID number one after the other, until commit (re-entrant: taken twice, held once). */
async function lockIdNumber(em: EntityManager, idNumber: string): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('person_id_number'), hashtext(?))`, [idNumber]);
}

/**
 * Said the same whoever holds the number and wherever they live: nothing of them (no name, area or
 * id). Someone who moved here is moved (updatePerson residenceCommunityId) by staff whose area
 * covers both communities, not registered twice.
 */
const idNumberTaken = () =>
  conflict('this ID number is already registered; nothing was changed (someone who moved here is moved by staff whose area covers their old community, not registered again)', 'input.idNumber');
const alreadyWorksGrid = () => conflict('this person already works this grid', 'input.personId');
