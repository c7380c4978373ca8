import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { badInput, conflict, notFound } from '../../common/errors';
import { expectGlobalId } from '../../common/global-id';
import { loadByGlobalId, loadForUpdate } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult } from '../../common/pagination';
import { nextState } from '../../common/state-machine';
import { inTransaction } from '../../common/transaction';
import { actorOf, type AppContext } from '../../context/context';
import { Area } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from '../list/list.entity';
import { Request, RequestEventKind } from '../request/request.entity';
import { appendEvent } from '../request/request.ledger';
import { Unit } from '../unit/unit.entity';
import { Whistle, WhistleRecipient, WhistleResponseStatus } from './whistle.entity';
import type { BlowWhistleInput, WhistleListArgs, WhistleResponseListArgs } from './whistle.inputs';
import { DEFAULT_FEEDBACK_HOURS, DEFAULT_REPORT_HOURS, REQUEST_STATUSES_ENDING_WHISTLES, RESPONSE_MOVES, WHISTLE_BLOWER_TYPES, awaitingPastDeadlineSql, deadlineKept, responseOverdueSql } from './whistle.rules';
import { assertActsFor } from '../identity/access';

const HOUR = 3600_000;

/**
 * Overdue recipients (whistle.rules.ts, `responseOverdue`): those that missed the report or the
 * feedback deadline, reporting or feeding back late or not yet, the deadline passing while the
 * whistle's clock ran (before its matter was finished). The same rule as the `overdue` field.
 */
export function overdueResponses(now: Date): FilterQuery<WhistleRecipient> {
  return recipientRule(responseOverdueSql, now);
}

/** Recipients to chase now (whistle.rules.ts, `awaitingPastDeadline`), as the `awaitingPastDeadline` field. */
export function awaitingResponses(now: Date): FilterQuery<WhistleRecipient> {
  return recipientRule(awaitingPastDeadlineSql, now);
}

/**
 * A rule's SQL twin (on the recipient row and its whistle's `stopped_at`) as a condition on
 * WhistleRecipient. The whistle is reached by EXISTS on its primary key (one row: the condition
 * holds or not), which PostgreSQL runs as a (anti-)join with the whistle table rather than a
 * lookup per recipient row and per use of `stopped_at`.
 */
function recipientRule(sqlOf: (recipient: string, stopped: string, now: string) => string, now: Date): FilterQuery<WhistleRecipient> {
  const sql = (alias: string) => `exists (select 1 from whistle w where w.id = ${alias}.whistle_id and ${sqlOf(alias, 'w.stopped_at', '?')})`;
  // A raw key is spent by the first query it is in: build the condition afresh for each query.
  const placeholders = sql('r').split('?').length - 1; // each one `now`
  const condition = raw(sql, Array.from({ length: placeholders }, () => now));
  return { [condition]: [] } as FilterQuery<WhistleRecipient>;
}

/**
 * Whistles that have (`has`), or have not, a department meeting `conditions` among those the viewer
 * reads (the scope filter applies to the recipients as to any read of them): a correlated
 * EXISTS the database evaluates, not a list of ids (it read every id on every call, and sent them
 * all back, twice: rows and totalCount). A function: a raw key is spent by the first query it is in.
 */
async function whistlesWithResponse(em: EntityManager, conditions: FilterQuery<WhistleRecipient>[], has: boolean): Promise<() => FilterQuery<Whistle>> {
  const qb = em.createQueryBuilder(WhistleRecipient, 'r').where({ $and: conditions });
  await qb.applyFilters();
  // The column itself: selecting the relation would give the joined whistle's id (the scope filter joins it).
  const { sql, bindings } = qb.getKnexQuery().clearSelect().select('r.whistle_id').toSQL();
  return () => {
    const condition = raw((alias: string) => `${has ? '' : 'not '}exists (select 1 from (${sql}) called where called.whistle_id = ${alias}.id)`, [...bindings]);
    return { [condition]: [] } as FilterQuery<Whistle>;
  };
}

/**
 * The matter a whistle was blown on is finished: the clock of its whistles stops now (whistle.rules.ts).
 * Once: a request reopened and closed out again keeps the first stop (a new round calls for a new whistle).
 */
export async function stopWhistlesOn(em: EntityManager, matter: { request: number } | { problem: number }, at: Date): Promise<void> {
  // Every whistle on the matter, whoever blew it: a consequence of the step (checked there), not a
  // read in the viewer's scope. The scope filter would leave out a whistle the street blew on a
  // community's request (街乡吹哨) when the community closes it out, and its clock ran on forever.
  await em.nativeUpdate(Whistle, { ...matter, stoppedAt: null }, { stoppedAt: at, updatedAt: at }, { filters: false });
}

/** A step of a department's answer, recorded on the request's ledger when the whistle is about a request. */
async function recordOnRequest(em: EntityManager, ctx: AppContext, whistle: Whistle, kind: RequestEventKind, note: string, extra: Record<string, unknown>) {
  if (!whistle.request) return;
  // A reference, not a read: the addressed unit's liaison answers a whistle about a request outside
  // their scope, and the ledger entry needs only its id.
  const request = em.getReference(Request, whistle.request.id);
  await appendEvent(em, request, { kind, actor: actorOf(ctx), at: ctx.now(), note, extra: { whistleId: whistle.id, ...extra } });
}

/** 吹哨报到: one whistle, one letter, one ledger, one feedback per department. */
export const whistleService = {
  async list(ctx: AppContext, args: WhistleListArgs): Promise<ConnectionResult<Whistle>> {
    const filter = args.filter ?? {};
    const and: FilterQuery<Whistle>[] = [];
    if (filter.within) and.push({ blownBy: { path: { $like: `${(await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within')).path}%` } } });
    // By id, not by loading the request: a liaison reads the whistles aimed at their unit about a
    // request outside their communities, which they cannot read (loading it answered NOT_FOUND).
    if (filter.requestId) and.push({ request: expectGlobalId(filter.requestId, [Request.name], 'filter.requestId').id });
    if (filter.blownFrom) and.push({ blownAt: { $gte: filter.blownFrom } });
    if (filter.blownTo) and.push({ blownAt: { $lt: filter.blownTo } });
    // Of the unit's department, given unitId (its recipient row), else of any of the whistle's departments.
    const byUnit: FilterQuery<WhistleRecipient>[] = filter.unitId ? [{ unit: (await loadByGlobalId(ctx.em, Unit, filter.unitId, 'filter.unitId')).id }] : [];
    const withResponse: (() => FilterQuery<Whistle>)[] = [];
    if (byUnit.length) withResponse.push(await whistlesWithResponse(ctx.em, byUnit, true));
    // A whistle is overdue (or to chase) when one of its departments (the unit's, given one) is; false lists the rest.
    if (filter.overdue != null) withResponse.push(await whistlesWithResponse(ctx.em, [...byUnit, overdueResponses(ctx.now())], filter.overdue));
    if (filter.awaitingPastDeadline != null) withResponse.push(await whistlesWithResponse(ctx.em, [...byUnit, awaitingResponses(ctx.now())], filter.awaitingPastDeadline));
    const where = () => {
      const all = [...and, ...withResponse.map((condition) => condition())];
      return (all.length ? { $and: all } : {}) as FilterQuery<Whistle>;
    };
    return paginate(ctx.em, Whistle, where, { property: 'id', direction: OrderDirection.DESC }, args);
  },

  async listResponses(ctx: AppContext, args: WhistleResponseListArgs): Promise<ConnectionResult<WhistleRecipient>> {
    const filter = args.filter ?? {};
    const and: FilterQuery<WhistleRecipient>[] = [];
    if (filter.unitId) and.push({ unit: (await loadByGlobalId(ctx.em, Unit, filter.unitId, 'filter.unitId')).id });
    if (filter.statuses?.length) and.push({ status: { $in: filter.statuses } });
    const rule = (wanted: boolean | null | undefined, condition: (now: Date) => FilterQuery<WhistleRecipient>): FilterQuery<WhistleRecipient>[] =>
      wanted == null ? [] : [wanted ? condition(ctx.now()) : { $not: condition(ctx.now()) }];
    // A function: the rules' conditions are built afresh for the rows and for totalCount (recipientRule).
    const where = () => {
      const all = [...and, ...rule(filter.overdue, overdueResponses), ...rule(filter.awaitingPastDeadline, awaitingResponses)];
      return (all.length ? { $and: all } : {}) as FilterQuery<WhistleRecipient>;
    };
    return paginate(ctx.em, WhistleRecipient, where, { property: 'id', direction: OrderDirection.ASC }, args);
  },

  async blow(ctx: AppContext, input: BlowWhistleInput): Promise<Whistle> {
    if ((input.requestId == null) === (input.problemId == null)) throw badInput('input.requestId', 'give exactly one of requestId and problemId');
    const unitIds = input.unitIds.map((id, index) => expectGlobalId(id, ['Unit'], `input.unitIds.${index}`).id);
    if (new Set(unitIds).size !== unitIds.length) throw badInput('input.unitIds', 'each department is called once');
    return inTransaction(ctx, async (em) => {
      const blownBy = await loadArea(em, input.blownById, WHISTLE_BLOWER_TYPES, 'input.blownById');
      let request: Request | null = null;
      let problem: ListItem | null = null;
      let placePath: string;
      // The matter's row is locked before its status is checked, as every step on it does (a request
      // step in `step`, a problem's close-out in closeProblem): a close-out committing meanwhile is
      // seen here, and the whistle is refused as it would be after it, instead of landing on the
      // ledger after CLOSED_OUT.
      if (input.requestId) {
        request = await loadForUpdate(em, Request, input.requestId, 'input.requestId');
        if (REQUEST_STATUSES_ENDING_WHISTLES.includes(request.status)) throw badInput('input.requestId', `the request is ${request.status}: nothing left to whistle for`);
        placePath = (await em.findOneOrFail(Area, { id: request.area.id })).path;
      } else {
        problem = await loadForUpdate(em, ListItem, input.problemId!, 'input.problemId');
        if (problem.kind !== ListItemKind.PROBLEM) throw badInput('input.problemId', 'a whistle is blown on a PROBLEM item');
        if (problem.status === ListItemStatus.CLOSED) throw badInput('input.problemId', 'the problem is already closed');
        const list = await em.findOneOrFail(ProblemList, { id: problem.list.id });
        placePath = (await em.findOneOrFail(Area, { id: list.community.id })).path;
      }
      if (!placePath.startsWith(blownBy.path)) throw badInput('input.blownById', `${blownBy.name} can only blow the whistle on matters inside it`);
      const units = await em.find(Unit, { id: { $in: unitIds } });
      const missing = unitIds.findIndex((id) => !units.some((unit) => unit.id === id));
      // A well-formed id of no unit is a missing record, as everywhere else (loadByGlobalId).
      if (missing >= 0) throw notFound('Unit', input.unitIds[missing], `input.unitIds.${missing}`);

      const now = ctx.now();
      const whistle = em.create(Whistle, { request, problem, blownBy, letter: input.letter, blownAt: now, createdAt: now, updatedAt: now });
      const reportDueAt = new Date(now.getTime() + (input.reportHours ?? DEFAULT_REPORT_HOURS) * HOUR);
      const feedbackDueAt = new Date(now.getTime() + (input.feedbackHours ?? DEFAULT_FEEDBACK_HOURS) * HOUR);
      if (feedbackDueAt < reportDueAt) throw badInput('input.feedbackHours', 'the feedback deadline cannot come before the report deadline');
      // In the order named (the lead department first): recipients are listed by id.
      const unitById = new Map(units.map((unit) => [unit.id, unit]));
      for (const unitId of unitIds) em.create(WhistleRecipient, { whistle, unit: unitById.get(unitId)!, status: WhistleResponseStatus.AWAITING_REPORT, reportDueAt, feedbackDueAt });
      await em.flush();
      await recordOnRequest(em, ctx, whistle, RequestEventKind.WHISTLE_BLOWN, input.letter, { unitIds, reportDueAt, feedbackDueAt });
      await em.flush();
      return whistle;
    });
  },

  /** 报到: the department acknowledges. */
  report(ctx: AppContext, recipientId: string): Promise<WhistleRecipient> {
    return answer(ctx, recipientId, 'report', (recipient, now) => {
      recipient.reportedAt = now;
      return { kind: RequestEventKind.WHISTLE_REPORTED, note: '部门报到', dueAt: recipient.reportDueAt };
    });
  },

  /** 反馈: the department says what it did. Reporting comes first. */
  feedback(ctx: AppContext, recipientId: string, text: string): Promise<WhistleRecipient> {
    return answer(ctx, recipientId, 'answer', (recipient, now) => {
      recipient.answeredAt = now;
      recipient.feedback = text;
      return { kind: RequestEventKind.WHISTLE_FEEDBACK, note: text, dueAt: recipient.feedbackDueAt };
    });
  },
};

/** One step of a department's answer through RESPONSE_MOVES, recorded on the request's ledger. */
async function answer(
  ctx: AppContext,
  recipientId: string,
  action: keyof typeof RESPONSE_MOVES,
  apply: (recipient: WhistleRecipient, now: Date) => { kind: RequestEventKind; note: string; dueAt: Date },
): Promise<WhistleRecipient> {
  return inTransaction(ctx, async (em) => {
    // The scope's read and write rules let an addressed unit's liaison reach this row (and only it)
    // wherever the whistle was blown (scope.rules.ts, writeScopeCondition).
    const recipient = await loadByGlobalId(em, WhistleRecipient, recipientId, 'id');
    assertActsFor(ctx, { unitId: recipient.unit.id });
    const from = recipient.status;
    const to = nextState(RESPONSE_MOVES, action, from, 'a whistle response');
    // Claim the step: lock the row only if it is still where we read it. A concurrent answer
    // holding the lock makes us wait, and after its commit the status no longer matches:
    // CONFLICT, not a second answer overwriting the first.
    const claimed = await em.execute('select id from whistle_recipient where id = ? and status = ? for update', [recipient.id, from]);
    if (claimed.length === 0) throw conflict("this department's answer changed while you were giving it; reload it", 'id');
    const now = ctx.now();
    const { kind, note, dueAt } = apply(recipient, now);
    recipient.status = to;
    const whistle = await em.findOneOrFail(Whistle, { id: recipient.whistle.id });
    // An answer after the whistle stopped is recorded all the same; the ledger says on time or late
    // only when it counts (whistle.rules.ts): not for a department not yet due when the whistle stopped.
    const onTime = deadlineKept(dueAt, now, whistle.stoppedAt, now);
    await recordOnRequest(em, ctx, whistle, kind, note, { unitId: recipient.unit.id, ...(onTime === null ? {} : { onTime }) });
    await em.flush();
    return recipient;
  });
}
