import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { activityRecordCards, type RecordCardRow } from './activity.cards';
import { Activity, ActivityParticipation } from './activity.entity';
import { ActivityListArgs, ActivityRecordCardsInput, CreateActivityInput, SignUpForActivityInput } from './activity.inputs';
import { attendeesOfActivity, participantsOfActivity, participationsOfPerson } from './activity.relations';
import { ATTENDANCE_GRACE_DAYS } from './activity.rules';
import { activityService } from './activity.service';

export const ActivityConnection = ConnectionType(Activity, 'Activity');
export const ActivityParticipationConnection = ConnectionType(ActivityParticipation, 'ActivityParticipation');
const BY_ID = { property: 'id', direction: OrderDirection.ASC };

@ObjectType({ description: '活动记录卡: one unit\'s activities in one month.' })
export class ActivityRecordCard {
  unitId!: number;

  @Field({ description: 'YYYY-MM.' })
  month!: string;

  @Field(() => Int, { description: 'Activities at least one of the unit\'s people attended.' })
  activitiesAttended!: number;

  @Field(() => Int, { description: 'Different people of the unit who attended.' })
  membersAttended!: number;

  @Field(() => Int, { description: 'Attendances in all (a person at two activities counts twice).' })
  attendances!: number;

  @Field(() => Float, { description: 'Hours of the activities attended, each activity once.' })
  totalHours!: number;

  @Field(() => Float, { description: 'Person-hours: each attendance counts its activity\'s hours.' })
  memberHours!: number;

  activityIds!: number[];
}

@Resolver(() => Activity)
export class ActivityResolver {
  @Query(() => ActivityConnection, { description: 'Activities, by start time.' })
  activities(@Args() args: ActivityListArgs, @Ctx() ctx: AppContext) {
    return activityService.list(ctx, args);
  }

  @Query(() => [ActivityRecordCard], { description: '活动记录卡: per unit, what its people attended in a month (units with attendance only).' })
  activityRecordCards(@Arg('input') input: ActivityRecordCardsInput, @Ctx() ctx: AppContext): Promise<RecordCardRow[]> {
    return activityRecordCards(ctx, input);
  }

  @Mutation(() => Activity)
  createActivity(@Arg('input') input: CreateActivityInput, @Ctx() ctx: AppContext) {
    return activityService.create(ctx, input);
  }

  @Mutation(() => ActivityParticipation, { description: 'CONFLICT when the activity is full or the person has signed up already.' })
  signUpForActivity(@Arg('input') input: SignUpForActivityInput, @Ctx() ctx: AppContext) {
    return activityService.signUp(ctx, input);
  }

  @Mutation(() => ActivityParticipation, { description: `Verify attendance (once, from the activity's start until ${ATTENDANCE_GRACE_DAYS} days after its end; later is BAD_USER_INPUT on participationId, nothing recorded); earns ACTIVITY_ATTENDED points.` })
  recordAttendance(@Arg('participationId', () => ID) participationId: string, @Ctx() ctx: AppContext) {
    return activityService.recordAttendance(ctx, participationId);
  }

  @Mutation(() => ID, { description: 'Withdraw a sign-up before the activity starts; returns its ID.' })
  cancelSignUp(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return activityService.cancelSignUp(ctx, id);
  }

  @FieldResolver(() => Community)
  community(@Root() activity: Activity, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(activity.community.id);
  }

  @FieldResolver(() => PartyOrganization, { nullable: true })
  organizer(@Root() activity: Activity, @Ctx() ctx: AppContext) {
    return activity.organizer ? ctx.loaders.byId(PartyOrganization).load(activity.organizer.id) : null;
  }

  @FieldResolver(() => ActivityParticipationConnection, { description: 'Sign-ups, in sign-up order.' })
  participants(@Root() activity: Activity, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(participantsOfActivity, activity.id, args, BY_ID);
  }

  @FieldResolver(() => Int)
  signUpCount(@Root() activity: Activity, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(participantsOfActivity).load(activity.id);
  }

  @FieldResolver(() => Int, { description: 'Sign-ups with verified attendance.' })
  attendanceCount(@Root() activity: Activity, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(attendeesOfActivity).load(activity.id);
  }
}

@Resolver(() => ActivityParticipation)
export class ActivityParticipationFieldsResolver {
  @FieldResolver(() => Activity)
  activity(@Root() participation: ActivityParticipation, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Activity).load(participation.activity.id);
  }

  @FieldResolver(() => Person)
  person(@Root() participation: ActivityParticipation, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(participation.person.id);
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'The unit they came for (their employer at sign-up).' })
  unit(@Root() participation: ActivityParticipation, @Ctx() ctx: AppContext) {
    return participation.unit ? ctx.loaders.byId(Unit).load(participation.unit.id) : null;
  }
}

@Resolver(() => ActivityRecordCard)
export class ActivityRecordCardResolver {
  @FieldResolver(() => Unit)
  unit(@Root() card: RecordCardRow, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(card.unitId);
  }

  @FieldResolver(() => [Activity], { description: 'The activities attended, in id order.' })
  async activities(@Root() card: RecordCardRow, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Activity).loadMany(card.activityIds);
  }
}

@Resolver(() => Person)
export class PersonActivitiesResolver {
  @FieldResolver(() => ActivityParticipationConnection, { description: 'Activities they signed up for.' })
  activityParticipations(@Root() person: Person, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(participationsOfPerson, person.id, args, BY_ID);
  }
}
