import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { byForeignKey } from '../../context/loaders';
import { Area } from '../area/area.entity';
import { ListItem } from '../list/list.entity';
import { Request } from '../request/request.entity';
import { Unit } from '../unit/unit.entity';
import { Whistle, WhistleRecipient, WhistleResponseStatus } from './whistle.entity';
import { BlowWhistleInput, WhistleFeedbackInput, WhistleListArgs, WhistleResponseListArgs } from './whistle.inputs';
import { awaitingPastDeadline, deadlineKept, missedDeadline, responseOverdue } from './whistle.rules';
import { whistleService } from './whistle.service';

export const WhistleConnection = ConnectionType(Whistle, 'Whistle');
export const WhistleRecipientConnection = ConnectionType(WhistleRecipient, 'WhistleRecipient');
const BY_ID = { property: 'id', direction: OrderDirection.ASC };
const recipientsOfWhistle = byForeignKey('Whistle.recipients', WhistleRecipient, 'whistle');
const whistlesOfRequest = byForeignKey('Request.whistles', Whistle, 'request');

@Resolver(() => Whistle)
export class WhistleResolver {
  @Query(() => WhistleConnection, { description: '吹哨: whistles blown, newest first.' })
  whistles(@Args() args: WhistleListArgs, @Ctx() ctx: AppContext) {
    return whistleService.list(ctx, args);
  }

  @Query(() => WhistleRecipientConnection, {
    description: 'Departments\' duties under whistles; `overdue: true` shows those that missed a deadline (late, or not yet done), `awaitingPastDeadline: true` those to chase now (a duty still owed past its deadline, the whistle not stopped).',
  })
  whistleResponses(@Args() args: WhistleResponseListArgs, @Ctx() ctx: AppContext) {
    return whistleService.listResponses(ctx, args);
  }

  @Mutation(() => Whistle, { description: '社区吹哨: call departments on a request or a problem, with a letter and deadlines.' })
  blowWhistle(@Arg('input') input: BlowWhistleInput, @Ctx() ctx: AppContext) {
    return whistleService.blow(ctx, input);
  }

  @Mutation(() => WhistleRecipient, { description: '部门报到: a called department acknowledges (AWAITING_REPORT → REPORTED).' })
  reportToWhistle(@Arg('id', () => ID, { description: 'The WhistleRecipient.' }) id: string, @Ctx() ctx: AppContext) {
    return whistleService.report(ctx, id);
  }

  @Mutation(() => WhistleRecipient, { description: '反馈: the department feeds back (REPORTED → ANSWERED).' })
  answerWhistle(@Arg('id', () => ID) id: string, @Arg('input') input: WhistleFeedbackInput, @Ctx() ctx: AppContext) {
    return whistleService.feedback(ctx, id, input.feedback);
  }

  @FieldResolver(() => Request, { nullable: true })
  request(@Root() whistle: Whistle, @Ctx() ctx: AppContext) {
    return whistle.request ? ctx.loaders.byId(Request).load(whistle.request.id) : null;
  }

  @FieldResolver(() => ListItem, { nullable: true })
  problem(@Root() whistle: Whistle, @Ctx() ctx: AppContext) {
    return whistle.problem ? ctx.loaders.byId(ListItem).load(whistle.problem.id) : null;
  }

  @FieldResolver(() => Area, { description: 'The community or street that blew it.' })
  blownBy(@Root() whistle: Whistle, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(whistle.blownBy.id);
  }

  @FieldResolver(() => WhistleRecipientConnection, { description: 'The departments called, in the order named.' })
  recipients(@Root() whistle: Whistle, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(recipientsOfWhistle, whistle.id, args, BY_ID);
  }

  @FieldResolver(() => Int)
  recipientCount(@Root() whistle: Whistle, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(recipientsOfWhistle).load(whistle.id);
  }
}

@Resolver(() => WhistleRecipient)
export class WhistleRecipientFieldsResolver {
  @FieldResolver(() => Whistle)
  whistle(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Whistle).load(recipient.whistle.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(recipient.unit.id);
  }

  @FieldResolver(() => Boolean, { description: 'Missed the report deadline: not reported by it (reported late, or not yet), the deadline passing before the whistle stopped.' })
  async reportOverdue(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    const whistle = await ctx.loaders.byId(Whistle).load(recipient.whistle.id);
    return missedDeadline(recipient.reportDueAt, recipient.reportedAt, whistle?.stoppedAt, ctx.now());
  }

  @FieldResolver(() => Boolean, { description: 'Missed the feedback deadline: not fed back by it (fed back late, or not yet), the deadline passing before the whistle stopped.' })
  async feedbackOverdue(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    const whistle = await ctx.loaders.byId(Whistle).load(recipient.whistle.id);
    return missedDeadline(recipient.feedbackDueAt, recipient.answeredAt, whistle?.stoppedAt, ctx.now());
  }

  @FieldResolver(() => Boolean, {
    description: 'Overdue: missed the report or the feedback deadline (reportOverdue or feedbackOverdue), done late or not yet. The `overdue` filters of `whistles` and `whistleResponses` mean the same.',
  })
  async overdue(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    const whistle = await ctx.loaders.byId(Whistle).load(recipient.whistle.id);
    return responseOverdue(recipient, whistle?.stoppedAt, ctx.now());
  }

  @FieldResolver(() => Boolean, {
    description: 'To chase now: the whistle has not stopped and the department still owes its report or its feedback past the deadline (not those that did their part late: they stay `overdue`). The `awaitingPastDeadline` filters of `whistles` and `whistleResponses` mean the same.',
  })
  async awaitingPastDeadline(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    const whistle = await ctx.loaders.byId(Whistle).load(recipient.whistle.id);
    return awaitingPastDeadline(recipient, whistle?.stoppedAt, ctx.now());
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Fed back by the feedback deadline (true) or after it had passed (false); null while unanswered, and for an answer given after the whistle stopped by a department not yet due then (neither on time nor late).',
  })
  async answeredOnTime(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext) {
    if (recipient.status !== WhistleResponseStatus.ANSWERED) return null;
    const whistle = await ctx.loaders.byId(Whistle).load(recipient.whistle.id);
    return deadlineKept(recipient.feedbackDueAt, recipient.answeredAt, whistle?.stoppedAt, ctx.now());
  }
}

@Resolver(() => Request)
export class RequestWhistlesResolver {
  @FieldResolver(() => WhistleConnection, { description: 'Whistles blown on this request.' })
  whistles(@Root() request: Request, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(whistlesOfRequest, request.id, args, BY_ID);
  }
}
