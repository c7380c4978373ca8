import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { todayInChina } from '../../common/dates';
import { freeTextSearchCondition } from '../../common/privacy';
import { NamedOrderField } from '../../common/inputs';
import { loadByGlobalId, loadOptional } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { nextState } from '../../common/state-machine';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { RequestCategory } from '../category/category.entity';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { loadForUpdate, loadOptionalShared } from '../../common/lookup';
import { expectGlobalId } from '../../common/global-id';
import { PostClaim, PostClaimStatus, ServicePost, UnitRegistration } from './service-post.entity';
import type {
  ClaimServicePostInput,
  CreateServicePostInput,
  RegisterUnitInput,
  ReportedMemberListArgs,
  ReportMemberInput,
  ServicePostListArgs,
  UpdateServicePostInput,
} from './service-post.inputs';
import { lockPlacementAreas, lockPlacementAreasBefore } from './placements';
import { lastReportEnd } from './report-end';
import { CLAIM_MOVES, assertAfterLastReport, assertKeepsAPost, assertMayReport, assertNotFuture, assertPlacement, assertResidence } from './service-post.rules';
import { assertActsFor } from '../identity/access';

const BY_ID = { property: 'id', direction: OrderDirection.ASC };

/** 双报到 (units and members reporting to communities) and the service posts members claim. */
export const servicePostService = {
  async registerUnit(ctx: AppContext, input: RegisterUnitInput): Promise<UnitRegistration> {
    const today = todayInChina(ctx.now());
    const registeredOn = input.registeredOn ?? today;
    assertNotFuture(registeredOn, today, 'input.registeredOn');
    const alreadyRegistered = () => conflict('this unit is already registered with this community', 'input.unitId');
    // A registration racing past the check hits the (unit_id, community_id) key, whose error names input.communityId.
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const unit = await loadByGlobalId(em, Unit, input.unitId, 'input.unitId');
      assertActsFor(ctx, { unitId: unit.id });
      const community = await loadByGlobalId(em, Community, input.communityId, 'input.communityId');
      if (await em.count(UnitRegistration, { unit, community })) throw alreadyRegistered();
      const registration = em.create(UnitRegistration, { unit, community, registeredOn });
      await em.flush();
      return registration;
    }), 'input.communityId', alreadyRegistered);
  },

  /**
   * A member reports (双报到): to their residence community, placed in a branch or group
   * inside it, claiming one of its posts, all in one transaction. The post is locked first,
   * then the person (see loadForUpdate in common/lookup.ts), so a concurrent second report of the same person waits
   * and then finds them reported.
   */
  async reportMember(ctx: AppContext, input: ReportMemberInput): Promise<Person> {
    const today = todayInChina(ctx.now());
    const reportedOn = input.reportedOn ?? today;
    assertNotFuture(reportedOn, today, 'input.reportedOn');
    return inTransaction(ctx, async (em) => {
      const post = await loadForUpdate(em, ServicePost, input.postId, 'input.postId');
      const person = await loadForUpdate(em, Person, input.personId, 'input.personId');
      // What the placement rule reads, FOR SHARE (loadOptionalShared): the community's and the
      // organisation's area paths, the organisation's area and kind. An area move or an
      // organisation's re-attachment (they update these rows, then check the members placed there)
      // either committed first and is seen here, or waits until this report commits and sees it.
      // Read plainly, both checks passed on the state before the other and both committed. The
      // community and the organisation's area together, in id order, as a move locks its subtree;
      // both areas before the organisation: a move writes the areas, then re-parents organisations.
      await lockPlacementAreasBefore(em, expectGlobalId(input.communityId, [Community.name], 'input.communityId').id, input.organizationId, 'input.organizationId');
      const community = (await loadOptionalShared(em, Community, input.communityId, 'input.communityId'))!;
      const organization = (await loadOptionalShared(em, PartyOrganization, input.organizationId, 'input.organizationId'))!;
      if (person.reportedOn) throw conflict(`this person already reported to their community on ${person.reportedOn}`, 'input.personId');
      assertMayReport(person);
      assertAfterLastReport(reportedOn, await lastReportEnd(em, person.id));
      assertResidence(person, community);
      await lockPlacementAreas(em, null, organization.area.id);
      assertPlacement(organization, await em.findOneOrFail(Area, organization.area.id, { refresh: true }), community);
      if (post.community.id !== community.id) throw badInput('input.postId', 'must be a service post of that community');
      await takePlace(em, post, person, reportedOn);
      person.reportedOn = reportedOn;
      person.organization = organization;
      await em.flush();
      return person;
    });
  },

  async reportedMembers(ctx: AppContext, args: ReportedMemberListArgs): Promise<ConnectionResult<Person>> {
    const filter = args.filter ?? {};
    const and: FilterQuery<Person>[] = [{ reportedOn: { $ne: null } }];
    if (filter.communityId) and.push({ residenceCommunity: (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id });
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      and.push({ residenceCommunity: { path: { $like: `${area.path}%` } } });
    }
    if (filter.organizationId) and.push({ organization: (await loadByGlobalId(ctx.em, PartyOrganization, filter.organizationId, 'filter.organizationId')).id });
    if (filter.employerUnitId) and.push({ employerUnit: (await loadByGlobalId(ctx.em, Unit, filter.employerUnitId, 'filter.employerUnitId')).id });
    if (filter.reportedFrom) and.push({ reportedOn: { $gte: filter.reportedFrom } });
    if (filter.reportedTo) and.push({ reportedOn: { $lte: filter.reportedTo } });
    return paginate(ctx.em, Person, { $and: and }, { property: NamedOrderField.NAME, direction: OrderDirection.ASC }, args);
  },

  async listPosts(ctx: AppContext, args: ServicePostListArgs): Promise<ConnectionResult<ServicePost>> {
    const filter = args.filter ?? {};
    const and: FilterQuery<ServicePost>[] = [];
    if (filter.communityId) and.push({ community: (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id });
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      and.push({ community: { path: { $like: `${area.path}%` } } });
    }
    if (filter.categoryId) and.push({ category: (await loadByGlobalId(ctx.em, RequestCategory, filter.categoryId, 'filter.categoryId')).id });
    // Matched on the text the viewer is shown, so a search cannot probe for masked phone or ID numbers.
    if (filter.search?.trim()) and.push(freeTextSearchCondition(ctx.viewer, ['title'], filter.search));
    return paginate(ctx.em, ServicePost, and.length ? { $and: and } : {}, BY_ID, args);
  },

  async createPost(ctx: AppContext, input: CreateServicePostInput): Promise<ServicePost> {
    return inTransaction(ctx, async (em) => {
      const community = await loadByGlobalId(em, Community, input.communityId, 'input.communityId');
      const category = await loadOptional(em, RequestCategory, input.categoryId, 'input.categoryId');
      const post = em.create(ServicePost, { community, category: category ?? null, title: input.title, description: input.description ?? null, capacity: input.capacity });
      await em.flush();
      return post;
    });
  },

  async updatePost(ctx: AppContext, id: string, input: UpdateServicePostInput): Promise<ServicePost> {
    return inTransaction(ctx, async (em) => {
      // Locked: a claim racing a capacity cut must not leave the post over capacity.
      const post = await loadForUpdate(em, ServicePost, id, 'id');
      const { categoryId, ...fields } = input;
      applyPatch(post, fields, ['capacity', 'title']);
      if (categoryId !== undefined) post.category = await loadOptional(em, RequestCategory, categoryId, 'input.categoryId');
      const active = await em.count(PostClaim, { post, status: PostClaimStatus.ACTIVE });
      if (post.capacity < active) throw badInput('input.capacity', `must be at least the ${active} places already taken`);
      await em.flush();
      return post;
    });
  },

  /**
   * A reported member claims a post of the community they reported to; the post is locked while its
   * places are counted. Reported means a current report (reportedOn), to the post's community: one
   * reports to where one lives, and a move ends the report (updatePerson), so the residence community
   * is the community reported to; the claim day (today) is never before the report's day, which is
   * not in the future. And the report rule still holds (whyMayNotReport): a member recorded as retired,
   * mobile or without an employer while reported, before such a change ended the report (person.service
   * keeps those reports rather than end them on an unrelated edit), takes no new post.
   */
  async claimPost(ctx: AppContext, input: ClaimServicePostInput): Promise<PostClaim> {
    return inTransaction(ctx, async (em) => {
      const post = await loadForUpdate(em, ServicePost, input.postId, 'input.postId');
      // Locked after the post, as reportMember does: a move (updatePerson) racing this claim either
      // committed first (the person is seen unreported) or waits and ends this claim with the others.
      const person = await loadForUpdate(em, Person, input.personId, 'input.personId');
      assertActsFor(ctx, { personId: person.id });
      if (!person.reportedOn || person.residenceCommunity?.id !== post.community.id) {
        throw badInput('input.personId', 'must have reported to the post\'s community first (reportMember)');
      }
      assertMayReport(person);
      const claim = await takePlace(em, post, person, todayInChina(ctx.now()));
      await em.flush();
      return claim;
    });
  },

  async endClaim(ctx: AppContext, id: string): Promise<PostClaim> {
    return inTransaction(ctx, async (em) => {
      const claim = await loadForUpdate(em, PostClaim, id, 'id');
      assertActsFor(ctx, { personId: claim.person.id });
      const ended = nextState(CLAIM_MOVES, 'end', claim.status, 'a post claim');
      // The person is locked (after the claim, as containers come before people): two of their
      // claims ended at once then count one after the other, and the second sees the first ended.
      // Unscoped: the rule is about every post they hold, whatever the viewer reads.
      const person = await em.findOneOrFail(Person, { id: claim.person.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, filters: false });
      const otherPostsHeld = await em.count(PostClaim, { person: person.id, status: PostClaimStatus.ACTIVE, id: { $ne: claim.id } }, { filters: false });
      assertKeepsAPost(person, otherPostsHeld);
      claim.status = ended;
      claim.endedOn = todayInChina(ctx.now());
      await em.flush();
      return claim;
    });
  },
};

/**
 * Takes one place on a post the caller has locked: CONFLICT when the person already holds it
 * or every place is taken. Taking a post one held before is a new claim: the ended one stays as
 * the record of the earlier term (a past year's member assessment reads it).
 */
async function takePlace(em: EntityManager, post: ServicePost, person: Person, claimedOn: string): Promise<PostClaim> {
  if (await em.count(PostClaim, { post, person, status: PostClaimStatus.ACTIVE })) throw conflict('this person already holds this post', 'input.personId');
  const taken = await em.count(PostClaim, { post, status: PostClaimStatus.ACTIVE });
  if (taken >= post.capacity) throw conflict(`this post is full: all ${post.capacity} places are taken`, 'input.postId');
  return em.create(PostClaim, { post, person, status: PostClaimStatus.ACTIVE, claimedOn });
}
