import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import { maskName, maskPhone } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { RevealArg, areaPathOf, personalField, type PersonalDataSubject } from '../identity/personal-data';
import { Area, Community } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { Request, RequestEvent } from './request.entity';
import {
  CloseOutRequestInput,
  CommentRequestInput,
  CreateRequestInput,
  DispatchRequestInput,
  PlainStepInput,
  RateRequestInput,
  ReasonStepInput,
  RequestListArgs,
  TakeRequestInput,
} from './request.inputs';
import { eventsOfRequest } from './request.relations';
import { communityIdOf, requestService } from './request.service';
import { assigneeDueAt, pastDue } from './request.states';

export const RequestConnection = ConnectionType(Request, 'Request');
export const RequestEventConnection = ConnectionType(RequestEvent, 'RequestEvent');
const BY_SEQUENCE = { property: 'sequence', direction: OrderDirection.ASC };

@Resolver(() => Request)
export class RequestResolver {
  @Query(() => RequestConnection, { description: '群众诉求: resident requests, newest first by default.' })
  requests(@Args() args: RequestListArgs, @Ctx() ctx: AppContext) {
    return requestService.list(ctx, args);
  }

  @Mutation(() => Request, { description: '居民点单: record a resident\'s request (status ORDERED, community level, deadline set).' })
  createRequest(@Arg('input') input: CreateRequestInput, @Ctx() ctx: AppContext) {
    return requestService.create(ctx, input);
  }

  @Mutation(() => Request, { description: '支部派单: ORDERED/RETURNED/REOPENED → DISPATCHED to a member or a unit.' })
  dispatchRequest(@Arg('id', () => ID) id: string, @Arg('input') input: DispatchRequestInput, @Ctx() ctx: AppContext) {
    return requestService.dispatch(ctx, id, input);
  }

  @Mutation(() => Request, { description: '党员接单: DISPATCHED → TAKEN.' })
  takeRequest(@Arg('id', () => ID) id: string, @Arg('input', () => TakeRequestInput, { defaultValue: {} }) input: TakeRequestInput, @Ctx() ctx: AppContext) {
    return requestService.take(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'TAKEN → IN_PROGRESS.' })
  startRequest(@Arg('id', () => ID) id: string, @Arg('input', () => PlainStepInput, { defaultValue: {} }) input: PlainStepInput, @Ctx() ctx: AppContext) {
    return requestService.start(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'TAKEN/IN_PROGRESS → RESOLVED.' })
  resolveRequest(@Arg('id', () => ID) id: string, @Arg('input', () => PlainStepInput, { defaultValue: {} }) input: PlainStepInput, @Ctx() ctx: AppContext) {
    return requestService.resolve(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'The resident rates a RESOLVED request (1-5), once per resolution.' })
  rateRequest(@Arg('id', () => ID) id: string, @Arg('input') input: RateRequestInput, @Ctx() ctx: AppContext) {
    return requestService.rate(ctx, id, input);
  }

  @Mutation(() => Request, { description: '销号: the owning level closes out a RESOLVED request, with the reason.' })
  closeOutRequest(@Arg('id', () => ID) id: string, @Arg('input') input: CloseOutRequestInput, @Ctx() ctx: AppContext) {
    return requestService.closeOut(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'ORDERED/RETURNED → REJECTED, with the reason.' })
  rejectRequest(@Arg('id', () => ID) id: string, @Arg('input') input: ReasonStepInput, @Ctx() ctx: AppContext) {
    return requestService.reject(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'The assignee hands it back: → RETURNED, with the reason.' })
  returnRequest(@Arg('id', () => ID) id: string, @Arg('input') input: ReasonStepInput, @Ctx() ctx: AppContext) {
    return requestService.returnToSender(ctx, id, input);
  }

  @Mutation(() => Request, { description: '→ SUSPENDED: the deadline clock stops.' })
  suspendRequest(@Arg('id', () => ID) id: string, @Arg('input') input: ReasonStepInput, @Ctx() ctx: AppContext) {
    return requestService.suspend(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'SUSPENDED → where it was; the deadline moves by the time suspended.' })
  resumeRequest(@Arg('id', () => ID) id: string, @Arg('input', () => PlainStepInput, { defaultValue: {} }) input: PlainStepInput, @Ctx() ctx: AppContext) {
    return requestService.resume(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'The resident is not satisfied: RESOLVED/CLOSED → REOPENED, within 7 days of resolution.' })
  reopenRequest(@Arg('id', () => ID) id: string, @Arg('input') input: ReasonStepInput, @Ctx() ctx: AppContext) {
    return requestService.reopen(ctx, id, input);
  }

  @Mutation(() => Request, { description: '三级联动: hand it up (COMMUNITY → STREET → DISTRICT); the new level dispatches it afresh under its own deadline.' })
  escalateRequest(@Arg('id', () => ID) id: string, @Arg('input') input: ReasonStepInput, @Ctx() ctx: AppContext) {
    return requestService.escalate(ctx, id, input);
  }

  @Mutation(() => Request, { description: 'Add a comment to the ledger.' })
  commentOnRequest(@Arg('id', () => ID) id: string, @Arg('input') input: CommentRequestInput, @Ctx() ctx: AppContext) {
    return requestService.comment(ctx, id, input.text);
  }

  @FieldResolver(() => RequestCategory)
  category(@Root() request: Request, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(RequestCategory).load(request.category.id);
  }

  @FieldResolver(() => Area, { description: 'The smallest known place: building, grid or community.' })
  area(@Root() request: Request, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(request.area.id);
  }

  @FieldResolver(() => Community, { nullable: true, description: 'The community the request is in.' })
  async community(@Root() request: Request, @Ctx() ctx: AppContext) {
    const area = await ctx.loaders.byId(Area).load(request.area.id);
    const communityId = area ? communityIdOf(area) : null;
    return communityId ? ctx.loaders.byId(Area).load(communityId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked, e.g. 张**, unless revealed.' })
  residentName(@Root() request: Request, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, requestSubject(ctx, request), 'residentName', request.residentName, maskName, reveal);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked, e.g. 138****5678, unless revealed.' })
  residentPhone(@Root() request: Request, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, requestSubject(ctx, request), 'residentPhone', request.residentPhone, maskPhone, reveal);
  }

  @FieldResolver(() => Person, { nullable: true })
  assigneePerson(@Root() request: Request, @Ctx() ctx: AppContext) {
    return request.assigneePerson ? ctx.loaders.byId(Person).load(request.assigneePerson.id) : null;
  }

  @FieldResolver(() => Unit, { nullable: true })
  assigneeUnit(@Root() request: Request, @Ctx() ctx: AppContext) {
    return request.assigneeUnit ? ctx.loaders.byId(Unit).load(request.assigneeUnit.id) : null;
  }

  @FieldResolver(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When the assignee must have resolved it (their 限时办结, in their assessment): the category\'s time from when they got it, or dueAt if that is later (one dispatched minutes before dueAt, or past it, is not blamed for the time before). Moves by the time suspended, on resume. Null while unassigned.',
  })
  assigneeDueAt(@Root() request: Request) {
    return request.assigneePerson || request.assigneeUnit ? assigneeDueAt(request) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Past its deadline with the clock running, or suspended already past it (suspending does not forgive lateness; time suspended makes nobody late).' })
  isOverdue(@Root() request: Request, @Ctx() ctx: AppContext) {
    return pastDue(request, ctx.now());
  }

  @FieldResolver(() => RequestEventConnection, { description: 'The ledger (台账), oldest first.' })
  events(@Root() request: Request, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(eventsOfRequest, request.id, args, BY_SEQUENCE);
  }
}

@Resolver(() => RequestEvent)
export class RequestEventFieldsResolver {
  @FieldResolver(() => Request)
  request(@Root() event: RequestEvent, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Request).load(event.request.id);
  }
}

function requestSubject(ctx: AppContext, request: Request): PersonalDataSubject {
  return { typeName: 'Request', id: request.id, areaPath: () => areaPathOf(ctx, request.area.id) };
}
