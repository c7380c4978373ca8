import { OptimisticLockError, raw, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { badInput, conflict, forbidden, illegalTransition, notFound } from '../../common/errors';
import { freeTextSearchCondition } from '../../common/privacy';
import { loadByGlobalId, loadForUpdate, loadOptional, loadOptionalShared } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { chinaDayOf } from '../../common/dates';
import { inTransaction } from '../../common/transaction';
import { actorOf, type AppContext } from '../../context/context';
import { Area, AreaLevel } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { RequestCategory } from '../category/category.entity';
import { hoursAllowed } from '../category/category.rules';
import { Person } from '../person/person.entity';
import { PointKind } from '../points/points.entity';
import { assertSomeoneElseVerifies, awardPoints } from '../points/points.service';
import { entityManagerRunner, lockRollupsShared, refreshRequestDaily } from '../service-data/rollups';
import { Unit } from '../unit/unit.entity';
import { workerOfUnit } from '../person/unit-worker';
import { Request, RequestEventKind, RequestLevel, RequestStatus } from './request.entity';
import type {
  CloseOutRequestInput,
  CreateRequestInput,
  DispatchRequestInput,
  RateRequestInput,
  ReasonStepInput,
  RequestListArgs,
  StepInput,
  TakeRequestInput,
} from './request.inputs';
import { RequestOrderField } from './request.inputs';
import { appendEvent, changedFields, snapshot } from './request.ledger';
import {
  CLOCK_RUNNING,
  LAST_REASON_ACTIONS,
  LEVEL_RANK,
  MIN_SATISFACTION_FOR_POINTS,
  NEXT_LEVEL,
  OWNING_LEVEL_ACTIONS,
  REOPEN_WINDOW_DAYS,
  RequestAction,
  TRANSITIONS,
  assigneeDueAt,
  assigneeDueOnDispatch,
  heldPastDue,
  nextStatus,
  pastDueSql,
} from './request.states';
import { REQUEST_STATUSES_ENDING_WHISTLES } from '../whistle/whistle.rules';
import { stopWhistlesOn } from '../whistle/whistle.service';
import { assertActsFor, scopePathsOf } from '../identity/access';
import { STAFF_ROLES } from '../identity/access.policy';
import { Role } from '../identity/role';

const HOUR = 3600_000;

/** Levels a request can be located at: the smallest known place. */
const REQUEST_AREA_TYPES = ['Community', 'Grid', 'Building'];

/** The category's hours for the level (限时办结). */
async function hoursFor(em: EntityManager, category: RequestCategory, level: RequestLevel): Promise<number> {
  const parent = category.parent ? await em.findOne(RequestCategory, { id: category.parent.id }) : null;
  return hoursAllowed(category, parent, level);
}

async function deadline(em: EntityManager, category: RequestCategory, level: RequestLevel, from: Date): Promise<Date> {
  return new Date(from.getTime() + (await hoursFor(em, category, level)) * HOUR);
}

/** The highest level each staff role may act at, whatever its binding. */
const ROLE_LEVEL: Partial<Record<Role, RequestLevel>> = {
  [Role.DISTRICT_ADMIN]: RequestLevel.DISTRICT,
  [Role.STREET_STAFF]: RequestLevel.STREET,
  [Role.COMMUNITY_STAFF]: RequestLevel.COMMUNITY,
  [Role.GRID_WORKER]: RequestLevel.COMMUNITY,
};

/** The level a subtree root of that depth stands for (/district/ is 1, /district/street/ is 2). */
function levelOfDepth(depth: number): RequestLevel {
  if (depth <= 1) return RequestLevel.DISTRICT;
  return depth === 2 ? RequestLevel.STREET : RequestLevel.COMMUNITY;
}

/**
 * The level the viewer acts at for this request, derived (never taken from input): an unbound
 * viewer stands for the district; a bound one for the widest of their subtrees holding the
 * request's place; either way no higher than their role. Null: not staff, or not their place.
 */
async function actingLevel(ctx: AppContext, em: EntityManager, request: Request): Promise<RequestLevel | null> {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account' || !STAFF_ROLES.has(viewer.role)) return null;
  const roleLevel = ROLE_LEVEL[viewer.role];
  if (!roleLevel) return null;
  const roots = scopePathsOf(viewer);
  let scopeLevel = RequestLevel.DISTRICT;
  if (roots !== null) {
    const area = await em.findOneOrFail(Area, { id: request.area.id });
    const depths = roots.filter((root) => area.path.startsWith(root)).map((root) => root.split('/').filter(Boolean).length);
    if (depths.length === 0) return null;
    scopeLevel = levelOfDepth(Math.min(...depths));
  }
  return LEVEL_RANK[scopeLevel] < LEVEL_RANK[roleLevel] ? scopeLevel : roleLevel;
}

/** The owning level's steps need a viewer acting at that level or above (a request escalated past a community is the street's). */
async function assertOwningLevel(ctx: AppContext, em: EntityManager, request: Request, action: RequestAction): Promise<void> {
  if (!OWNING_LEVEL_ACTIONS.has(action)) return;
  const level = await actingLevel(ctx, em, request);
  if (level === null || LEVEL_RANK[level] < LEVEL_RANK[request.level]) {
    throw forbidden(`This request is owned by the ${request.level} level; only that level or above may ${action.toLowerCase().replace('_', ' ')} it`);
  }
}

/**
 * One step of the closed loop: check the version the caller saw, move the status through
 * the transition table, let `apply` change the rest, and append exactly one ledger entry
 * holding every field that changed. All in one transaction; the request's version column
 * makes a concurrent conflicting step fail instead of overwriting.
 */
async function step(
  ctx: AppContext,
  id: string,
  action: RequestAction,
  input: StepInput & { reason?: string },
  apply?: (request: Request, em: EntityManager, now: Date) => Promise<void> | void,
): Promise<Request> {
  return inTransaction(ctx, async (em) => {
    const request = await loadByGlobalId(em, Request, id, 'id');
    // A member or liaison acts only on what was dispatched to them (their role allows only their steps),
    // and finds it wherever it is (scope.rules.ts, assignedTo).
    assertActsFor(ctx, { personId: request.assigneePerson?.id, unitId: request.assigneeUnit?.id });
    await assertOwningLevel(ctx, em, request, action);
    if (input.expectedVersion != null && input.expectedVersion !== request.version) {
      throw conflict(`the request is at version ${request.version}, not ${input.expectedVersion}: reload it and try again`, 'input.expectedVersion');
    }
    // Claim the request: lock its row and check it is still the version read above. A step racing
    // ours waits here and then fails as stale (the README's CONFLICT), before it writes anything
    // (points, ledger) whose own unique key would otherwise answer for it.
    const [locked] = await em.execute<{ version: number }[]>('select version from request where id = ? for update', [request.id]);
    if (Number(locked.version) !== request.version) throw OptimisticLockError.lockFailedVersionMismatch(request, request.version, Number(locked.version));
    const now = ctx.now();
    const before = snapshot(request);
    // Held past the assignee's due time: if this step takes it from them, they stay late with it (assigneeDueAt).
    const late = heldPastDue(request, now) ? { personId: before.assigneePersonId, unitId: before.assigneeUnitId, dueAt: assigneeDueAt(request).toISOString() } : null;
    const status = nextStatus(action, request.status, request.statusBeforeSuspension);
    await apply?.(request, em, now);
    request.status = status;
    if (!request.assigneePerson && !request.assigneeUnit) request.assigneeDueAt = null;
    if (input.reason && LAST_REASON_ACTIONS.has(action)) request.lastReason = input.reason;
    const after = snapshot(request);
    const takenFromLate =
      late && ((late.personId != null && after.assigneePersonId !== late.personId) || (late.unitId != null && after.assigneeUnitId !== late.unitId));
    await appendEvent(em, request, {
      kind: TRANSITIONS[action].event,
      actor: actorOf(ctx),
      at: now,
      fromStatus: before.status as RequestStatus,
      toStatus: status,
      note: input.reason ?? input.note ?? null,
      set: changedFields(before, after),
      extra: takenFromLate ? { lateAssignee: late } : undefined,
    });
    // Finished: the whistles blown on it stop their departments' clock (whistle.rules.ts).
    if (REQUEST_STATUSES_ENDING_WHISTLES.includes(status)) await stopWhistlesOn(em, { request: request.id }, now);
    request.updatedAt = now; // bumps the version even when only the ledger grows
    await em.flush();
    await refreshDemandRollup(em, request);
    return request;
  });
}

/**
 * Requests feed the demand roll-up (request_daily, beside the one-window service_daily) by the
 * day they were received; every step can change that day's open/resolved/satisfaction figures,
 * so the day is recomputed in the same transaction.
 */
async function refreshDemandRollup(em: EntityManager, request: Request): Promise<void> {
  const day = chinaDayOf(request.createdAt);
  await refreshRequestDaily(entityManagerRunner(em), day, day);
}

/** Requests (群众诉求) through their closed loop. */
export const requestService = {
  async list(ctx: AppContext, args: RequestListArgs): Promise<ConnectionResult<Request>> {
    const filter = args.filter ?? {};
    const and: FilterQuery<Request>[] = [];
    const now = ctx.now();
    if (filter.statuses?.length) and.push({ status: { $in: filter.statuses } });
    if (filter.levels?.length) and.push({ level: { $in: filter.levels } });
    if (filter.channels?.length) and.push({ channel: { $in: filter.channels } });
    if (filter.categoryId) {
      const category = await loadByGlobalId(ctx.em, RequestCategory, filter.categoryId, 'filter.categoryId');
      and.push({ $or: [{ category: category.id }, { category: { parent: category.id } }] });
    }
    if (filter.within) {
      const area = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      and.push({ area: { path: { $like: `${area.path}%` } } });
    }
    // Overdue as `isOverdue` (request.states.ts, pastDue): a request suspended already past its due time stays overdue.
    // A raw key is spent by the first query it is in: built afresh for the rows and for totalCount (where, below).
    const overdue = (): FilterQuery<Request>[] => {
      if (filter.overdue == null) return [];
      const condition = { [raw((alias: string) => pastDueSql(alias, '?'), [now])]: [] } as FilterQuery<Request>;
      return [filter.overdue ? condition : { $not: condition }];
    };
    if (filter.dueWithinHours) {
      and.push({ status: { $in: [...CLOCK_RUNNING] }, dueAt: { $gte: now, $lt: new Date(now.getTime() + filter.dueWithinHours * HOUR) } });
    }
    if (filter.receivedFrom) and.push({ createdAt: { $gte: filter.receivedFrom } });
    if (filter.receivedTo) and.push({ createdAt: { $lt: filter.receivedTo } });
    if (filter.assigneePersonId) and.push({ assigneePerson: (await loadByGlobalId(ctx.em, Person, filter.assigneePersonId, 'filter.assigneePersonId')).id });
    if (filter.assigneeUnitId) and.push({ assigneeUnit: (await loadByGlobalId(ctx.em, Unit, filter.assigneeUnitId, 'filter.assigneeUnitId')).id });
    // Matched on the text the viewer is shown, so a search cannot probe for masked phone or ID numbers.
    if (filter.search?.trim()) and.push(freeTextSearchCondition(ctx.viewer, ['title', 'body'], filter.search));
    const order = args.orderBy ?? { field: RequestOrderField.CREATED_AT, direction: OrderDirection.DESC };
    const where = () => {
      const all = [...and, ...overdue()];
      return (all.length ? { $and: all } : {}) as FilterQuery<Request>;
    };
    return paginate(ctx.em, Request, where, { property: order.field, direction: order.direction }, args);
  },

  /** 居民点单: a resident's request enters at community level with its deadline set. */
  async create(ctx: AppContext, input: CreateRequestInput): Promise<Request> {
    return inTransaction(ctx, async (em) => {
      // Before the insert, as an import batch takes it before its records: the new row holds its
      // area FOR KEY SHARE, and a move of the grid above it, holding the roll-ups lock exclusive,
      // locks the subtree's rows FOR UPDATE; taken after, each waited for the other (a deadlock).
      await lockRollupsShared(entityManagerRunner(em));
      const category = await loadByGlobalId(em, RequestCategory, input.categoryId, 'input.categoryId');
      if (!category.active) throw badInput('input.categoryId', `category ${category.name} takes no new requests`);
      const area = await loadArea(em, input.areaId, REQUEST_AREA_TYPES, 'input.areaId');
      const now = ctx.now();
      const request = em.create(Request, {
        number: `pending-${randomUUID()}`.slice(0, 32),
        title: input.title,
        body: input.body,
        channel: input.channel,
        category,
        area,
        residentGroup: input.residentGroup ?? null,
        residentName: input.residentName ?? null,
        residentPhone: input.residentPhone ?? null,
        status: RequestStatus.ORDERED,
        level: RequestLevel.COMMUNITY,
        dueAt: await deadline(em, category, RequestLevel.COMMUNITY, now),
        createdAt: now,
        updatedAt: now,
      });
      await em.flush();
      // The number shows the day received and the id, known only after the insert.
      const day = new Date(now.getTime() + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '');
      request.number = `QC-${day}-${String(request.id).padStart(6, '0')}`;
      await appendEvent(em, request, { kind: RequestEventKind.CREATED, actor: actorOf(ctx), at: now, toStatus: RequestStatus.ORDERED, set: snapshot(request), extra: { channel: input.channel } });
      await em.flush();
      await refreshDemandRollup(em, request);
      return request;
    });
  },

  /** 支部派单: the owning level sends it to a member or a unit. */
  dispatch(ctx: AppContext, id: string, input: DispatchRequestInput): Promise<Request> {
    if ((input.assigneePersonId == null) === (input.assigneeUnitId == null)) {
      throw badInput('input.assigneePersonId', 'give exactly one of assigneePersonId and assigneeUnitId');
    }
    return step(ctx, id, RequestAction.DISPATCH, input, async (request, em, now) => {
      // Read FOR SHARE: a member leaving the party at this moment waits, or is seen gone.
      request.assigneePerson = (await loadOptionalShared(em, Person, input.assigneePersonId, 'input.assigneePersonId')) ?? null;
      request.assigneeUnit = (await loadOptional(em, Unit, input.assigneeUnitId, 'input.assigneeUnitId')) ?? null;
      // 党员接单: a person is dispatched to as a party member (a unit's non-member staff take its requests through the unit).
      if (request.assigneePerson && !request.assigneePerson.isPartyMember) {
        throw badInput('input.assigneePersonId', 'a request is dispatched to a party member or to a unit; this person is not a party member');
      }
      // The assignee is not blamed for the time before they got it: the category's time from now, or until dueAt if later (assigneeDueAt).
      const hours = await hoursFor(em, await em.findOneOrFail(RequestCategory, { id: request.category.id }), request.level);
      request.assigneeDueAt = assigneeDueOnDispatch(request.dueAt, now, hours);
    });
  },

  /** 党员接单: the assignee takes it; for a unit, a person working there takes it on its behalf. */
  take(ctx: AppContext, id: string, input: TakeRequestInput): Promise<Request> {
    return step(ctx, id, RequestAction.TAKE, input, async (request, em) => {
      if (request.assigneeUnit) {
        if (input.personId == null) throw badInput('input.personId', 'a request dispatched to a unit is taken by a person working there');
        request.assigneePerson = await workerOfUnit(em, request.assigneeUnit.id, input.personId, 'input.personId', 'this person does not work at the unit it was dispatched to');
        return;
      }
      const person = await loadOptional(em, Person, input.personId, 'input.personId');
      if (person && person.id !== request.assigneePerson?.id) {
        throw badInput('input.personId', 'only the member it was dispatched to can take it');
      }
    });
  },

  start: (ctx: AppContext, id: string, input: StepInput) => step(ctx, id, RequestAction.START, input),

  resolve: (ctx: AppContext, id: string, input: StepInput) =>
    step(ctx, id, RequestAction.RESOLVE, input, (request, _em, now) => {
      request.resolvedAt = now;
    }),

  /** The resident rates the outcome; a good rating is verified work and earns the member points. */
  rate(ctx: AppContext, id: string, input: RateRequestInput): Promise<Request> {
    return step(ctx, id, RequestAction.RATE, input, async (request, em) => {
      // Rating keeps the status, so the table cannot tell a second rating from the first: an "already
      // done" step, answered like a second resolve.
      if (request.satisfaction != null) {
        throw illegalTransition(`cannot rate a request that is ${request.status} and already rated (a resolution is rated once)`, { from: request.status, action: RequestAction.RATE });
      }
      // The rating verifies the assignee's work, whatever the score: never by their own account.
      if (request.assigneePerson) assertSomeoneElseVerifies(ctx.viewer, request.assigneePerson.id, PointKind.REQUEST_RESOLVED);
      request.satisfaction = input.satisfaction;
      request.ratingComment = input.comment ?? null;
      if (input.satisfaction >= MIN_SATISFACTION_FOR_POINTS && request.assigneePerson) {
        // Once per request and member, however often it is reopened and resolved again: a member it
        // was re-dispatched to after a reopen, whose work is rated well, earns too.
        await awardPoints(em, { person: request.assigneePerson.id, kind: PointKind.REQUEST_RESOLVED, sourceType: 'Request', sourceId: request.id, note: `办结 ${request.number}`, verifier: ctx.viewer, at: ctx.now() });
      }
    });
  },

  /** 销号: the owning level (or one above it, checked in `step`) closes out a resolved request, recording who and why. */
  closeOut(ctx: AppContext, id: string, input: CloseOutRequestInput): Promise<Request> {
    return step(ctx, id, RequestAction.CLOSE_OUT, input, (request, _em, now) => {
      // byLevel only states what the caller believes owns it; who may act is derived in `step`.
      if (input.byLevel != null && input.byLevel !== request.level) throw badInput('input.byLevel', `only the owning level (${request.level}) can close this request out`);
      request.closedAt = now;
    });
  },

  reject: (ctx: AppContext, id: string, input: ReasonStepInput) => step(ctx, id, RequestAction.REJECT, input),

  /** The assignee hands it back, with a reason; the owning level dispatches again. */
  returnToSender: (ctx: AppContext, id: string, input: ReasonStepInput) =>
    step(ctx, id, RequestAction.RETURN, input, (request) => {
      request.assigneePerson = null;
      request.assigneeUnit = null;
    }),

  /** The clock stops while suspended (waiting on the resident, the weather, a part). */
  suspend: (ctx: AppContext, id: string, input: ReasonStepInput) =>
    step(ctx, id, RequestAction.SUSPEND, input, (request, _em, now) => {
      request.statusBeforeSuspension = request.status;
      request.suspendedAt = now;
    }),

  /**
   * The deadlines (the level's and the assignee's) move by exactly the time spent suspended: one in
   * time at the suspension resumes with the time it had left, one late then stays late by as much
   * (request.states.ts, pastDue).
   */
  resume: (ctx: AppContext, id: string, input: StepInput) =>
    step(ctx, id, RequestAction.RESUME, input, (request, _em, now) => {
      const suspended = now.getTime() - request.suspendedAt!.getTime();
      request.dueAt = new Date(request.dueAt.getTime() + suspended);
      if (request.assigneeDueAt) request.assigneeDueAt = new Date(request.assigneeDueAt.getTime() + suspended);
      request.suspendedAt = null;
      request.statusBeforeSuspension = null;
    }),

  /** The resident is not satisfied: back into the loop within the window, with a fresh deadline. */
  reopen: (ctx: AppContext, id: string, input: ReasonStepInput) =>
    step(ctx, id, RequestAction.REOPEN, input, async (request, em, now) => {
      const resolvedAt = request.resolvedAt ?? now;
      if (now.getTime() - resolvedAt.getTime() > REOPEN_WINDOW_DAYS * 24 * HOUR) {
        throw badInput('id', `a request can be reopened within ${REOPEN_WINDOW_DAYS} days of its resolution`);
      }
      request.resolvedAt = null;
      request.closedAt = null;
      request.satisfaction = null;
      request.ratingComment = null;
      request.assigneeDueAt = null; // the fresh deadline is everyone's
      request.dueAt = await deadline(em, await em.findOneOrFail(RequestCategory, { id: request.category.id }), request.level, now);
    }),

  /** 三级联动: hand it up a level, with a reason; the new level has its own deadline and dispatches afresh. */
  escalate: (ctx: AppContext, id: string, input: ReasonStepInput) =>
    step(ctx, id, RequestAction.ESCALATE, input, async (request, em, now) => {
      const next = NEXT_LEVEL[request.level];
      if (!next) throw badInput('id', 'a district-level request cannot be escalated further');
      request.level = next;
      request.assigneePerson = null;
      request.assigneeUnit = null;
      request.dueAt = await deadline(em, await em.findOneOrFail(RequestCategory, { id: request.category.id }), next, now);
    }),

  /** A comment goes in the ledger and changes nothing else. */
  async comment(ctx: AppContext, id: string, text: string): Promise<Request> {
    return inTransaction(ctx, async (em) => {
      // Lock the row, then check who may comment on it as it is now: a step committing meanwhile (a
      // hand-back, an escalation, a new dispatch) is seen, and a member or liaison it was taken from
      // is answered as after it, instead of their comment landing in the ledger after they lost it.
      const request = await loadForUpdate(em, Request, id, 'id');
      // Visible again once locked (loadForUpdate looked before its wait): a step that committed
      // meanwhile may have taken it out of this viewer's sight.
      if ((await em.count(Request, { id: request.id })) === 0) throw notFound(Request.name, id, 'id');
      assertActsFor(ctx, { personId: request.assigneePerson?.id, unitId: request.assigneeUnit?.id });
      await appendEvent(em, request, { kind: RequestEventKind.COMMENTED, actor: actorOf(ctx), at: ctx.now(), note: text });
      await em.flush();
      return request;
    });
  },
};

/** The community an area sits in (its own id for a community), read from the materialised path. */
export function communityIdOf(area: Pick<Area, 'path' | 'level'>): number | null {
  const ids = area.path.split('/').filter(Boolean).map(Number);
  const depth = [AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY].length;
  return ids.length >= depth ? ids[depth - 1] : null;
}
