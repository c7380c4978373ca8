import type { FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../common/errors';
import { loadByGlobalId, loadOptional } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { nextState } from '../../common/state-machine';
import { inTransaction } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Person } from '../person/person.entity';
import { PointKind } from '../points/points.entity';
import { awardPoints } from '../points/points.service';
import { loadForUpdate } from '../../common/lookup';
import { Activity, ActivityParticipation } from './activity.entity';
import type { ActivityListArgs, CreateActivityInput, SignUpForActivityInput } from './activity.inputs';
import { PARTICIPATION_MOVES, assertActivityTimes, assertAttendanceWindow, assertOrganizerPlace, attendancePointsDate, participationStateOf } from './activity.rules';
import { assertActsFor } from '../identity/access';
import { cutText } from '../../common/text';

/** How attendance names itself in the points ledger (one entry per participation). */
export const ATTENDANCE_SOURCE = 'ActivityParticipation';

/** Activities (主题党日, 每周活动菜单, 志愿服务 …), sign-ups and verified attendance. */
export const activityService = {
  async list(ctx: AppContext, args: ActivityListArgs): Promise<ConnectionResult<Activity>> {
    const filter = args.filter ?? {};
    const and: FilterQuery<Activity>[] = [];
    if (filter.communityId) and.push({ community: (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id });
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      and.push({ community: { path: { $like: `${area.path}%` } } });
    }
    if (filter.kinds?.length) and.push({ kind: { $in: filter.kinds } });
    if (filter.from) and.push({ startsAt: { $gte: filter.from } });
    if (filter.to) and.push({ startsAt: { $lt: filter.to } });
    return paginate(ctx.em, Activity, and.length ? { $and: and } : {}, { property: 'startsAt', direction: OrderDirection.ASC }, args);
  },

  async create(ctx: AppContext, input: CreateActivityInput): Promise<Activity> {
    assertActivityTimes(input.startsAt, input.endsAt, ctx.now());
    return inTransaction(ctx, async (em) => {
      const community = await loadByGlobalId(em, Community, input.communityId, 'input.communityId');
      const organizer = await loadOptional(em, PartyOrganization, input.organizerId, 'input.organizerId');
      if (organizer) assertOrganizerPlace(await em.findOneOrFail(Area, organizer.area.id), community);
      const activity = em.create(Activity, {
        community,
        organizer: organizer ?? null,
        title: input.title,
        kind: input.kind,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        capacity: input.capacity ?? null,
      });
      await em.flush();
      return activity;
    });
  },

  /**
   * Signs a person up. The activity row is locked while its sign-ups are counted, so
   * concurrent sign-ups never exceed the capacity and a double sign-up finds the first.
   * The person's employer is stored: activity record cards count by it.
   */
  async signUp(ctx: AppContext, input: SignUpForActivityInput): Promise<ActivityParticipation> {
    return inTransaction(ctx, async (em) => {
      const activity = await loadForUpdate(em, Activity, input.activityId, 'input.activityId');
      const person = await loadByGlobalId(em, Person, input.personId, 'input.personId');
      assertActsFor(ctx, { personId: person.id });
      if (ctx.now() >= activity.endsAt) throw badInput('input.activityId', 'this activity has ended');
      if (await em.count(ActivityParticipation, { activity, person })) throw conflict('this person has already signed up for this activity', 'input.personId');
      if (activity.capacity != null && (await em.count(ActivityParticipation, { activity })) >= activity.capacity) {
        throw conflict(`this activity is full: all ${activity.capacity} places are taken`, 'input.activityId');
      }
      const participation = em.create(ActivityParticipation, { activity, person, unit: person.employerUnit ?? null, attendedAt: null });
      await em.flush();
      return participation;
    });
  },

  /**
   * Verifies attendance once the activity has started and until ATTENDANCE_GRACE_DAYS after it
   * ended (assertAttendanceWindow), and awards ACTIVITY_ATTENDED points, counted on the activity's
   * start (attendancePointsDate), once: the participation is locked, a second call finds it attended (ILLEGAL_TRANSITION,
   * PARTICIPATION_MOVES), and the ledger's unique source key backs that up.
   */
  async recordAttendance(ctx: AppContext, participationId: string): Promise<ActivityParticipation> {
    return inTransaction(ctx, async (em) => {
      const participation = await loadForUpdate(em, ActivityParticipation, participationId, 'participationId');
      nextState(PARTICIPATION_MOVES, 'record attendance for', participationStateOf(participation), 'a sign-up', 'participationId');
      const activity = await em.findOneOrFail(Activity, participation.activity.id);
      const now = ctx.now();
      assertAttendanceWindow(activity, now, 'participationId');
      participation.attendedAt = now;
      await awardPoints(em, {
        person: participation.person.id,
        kind: PointKind.ACTIVITY_ATTENDED,
        sourceType: ATTENDANCE_SOURCE,
        sourceId: participation.id,
        note: cutText(activity.title, 200),
        verifier: ctx.viewer,
        at: now,
        countsOn: attendancePointsDate(activity),
      });
      await em.flush();
      return participation;
    });
  },

  /** Withdraws a sign-up before the activity starts; returns the removed participation's ID. */
  async cancelSignUp(ctx: AppContext, id: string): Promise<string> {
    return inTransaction(ctx, async (em) => {
      const participation = await loadForUpdate(em, ActivityParticipation, id, 'id');
      assertActsFor(ctx, { personId: participation.person.id });
      const activity = await em.findOneOrFail(Activity, participation.activity.id);
      if (ctx.now() >= activity.startsAt) throw badInput('id', 'a sign-up cannot be cancelled once the activity has started');
      em.remove(participation);
      await em.flush();
      return id;
    });
  },
};
