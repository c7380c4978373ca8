import { illegalTransition } from '../../common/errors';
import type { Request } from './request.entity';
import type { RequestState } from './request.ledger';
import { RequestEventKind, RequestLevel, RequestStatus } from './request.entity';

/** Everything that can be done to a request. */
export enum RequestAction {
  DISPATCH = 'DISPATCH',
  TAKE = 'TAKE',
  START = 'START',
  RESOLVE = 'RESOLVE',
  RATE = 'RATE',
  CLOSE_OUT = 'CLOSE_OUT',
  REJECT = 'REJECT',
  RETURN = 'RETURN',
  SUSPEND = 'SUSPEND',
  RESUME = 'RESUME',
  REOPEN = 'REOPEN',
  ESCALATE = 'ESCALATE',
}

const S = RequestStatus;

/**
 * THE transition table of the closed loop (居民点单 → 支部派单 → 党员接单 → 办结 → 评价 → 销号).
 * `to: 'PREVIOUS'` returns to the status before suspension; `'SAME'` keeps the status.
 * Nothing else in the code decides whether a move is legal.
 */
export const TRANSITIONS: Record<RequestAction, { from: readonly RequestStatus[]; to: RequestStatus | 'PREVIOUS' | 'SAME'; event: RequestEventKind }> = {
  [RequestAction.DISPATCH]: { from: [S.ORDERED, S.RETURNED, S.REOPENED], to: S.DISPATCHED, event: RequestEventKind.DISPATCHED },
  [RequestAction.TAKE]: { from: [S.DISPATCHED], to: S.TAKEN, event: RequestEventKind.TAKEN },
  [RequestAction.START]: { from: [S.TAKEN], to: S.IN_PROGRESS, event: RequestEventKind.STARTED },
  [RequestAction.RESOLVE]: { from: [S.TAKEN, S.IN_PROGRESS], to: S.RESOLVED, event: RequestEventKind.RESOLVED },
  [RequestAction.RATE]: { from: [S.RESOLVED], to: 'SAME', event: RequestEventKind.RATED },
  [RequestAction.CLOSE_OUT]: { from: [S.RESOLVED], to: S.CLOSED, event: RequestEventKind.CLOSED_OUT },
  [RequestAction.REJECT]: { from: [S.ORDERED, S.RETURNED], to: S.REJECTED, event: RequestEventKind.REJECTED },
  [RequestAction.RETURN]: { from: [S.DISPATCHED, S.TAKEN, S.IN_PROGRESS], to: S.RETURNED, event: RequestEventKind.RETURNED },
  [RequestAction.SUSPEND]: { from: [S.DISPATCHED, S.TAKEN, S.IN_PROGRESS], to: S.SUSPENDED, event: RequestEventKind.SUSPENDED },
  [RequestAction.RESUME]: { from: [S.SUSPENDED], to: 'PREVIOUS', event: RequestEventKind.RESUMED },
  [RequestAction.REOPEN]: { from: [S.RESOLVED, S.CLOSED], to: S.REOPENED, event: RequestEventKind.REOPENED },
  // Escalation hands the request to the next level, which dispatches it afresh.
  [RequestAction.ESCALATE]: { from: [S.ORDERED, S.DISPATCHED, S.TAKEN, S.IN_PROGRESS, S.RETURNED, S.REOPENED], to: S.ORDERED, event: RequestEventKind.ESCALATED },
};

/** Statuses in which the deadline clock runs (and a request can fall overdue). */
export const CLOCK_RUNNING: readonly RequestStatus[] = [S.ORDERED, S.DISPATCHED, S.TAKEN, S.IN_PROGRESS, S.RETURNED, S.REOPENED];

/** Statuses as an SQL list (enum names only, never input). */
const sqlList = (statuses: readonly RequestStatus[]) => statuses.map((status) => `'${status}'`).join(', ');

/**
 * Suspension (SUSPENDED) stops the deadline clock: time spent suspended makes nobody late, and
 * lateness that already happened is not forgiven. For the level's due time (`dueAt`) and the
 * assignee's (`assigneeDueAt`) alike:
 * - suspended within the due time: not late while suspended, and on RESUME the due time moves by
 *   exactly the time suspended (request.service.ts, `resume`): the request resumes with the time
 *   it had left, not late at the moment of resume however long it was suspended;
 * - suspended already past the due time: still late while suspended (in every figure: `isOverdue`,
 *   the `overdue` filter of `requests`, the dashboard's `overdueNow`, the member assessments), and
 *   after RESUME (the due time moved by the time suspended is still behind by as much).
 * While suspended, the due time stored is the one from before the suspension: it is compared with
 * `suspendedAt` (when the clock stopped), not with now.
 */
function lateAtSuspension(dueAt: Date, request: Pick<Request, 'status' | 'suspendedAt'>): boolean {
  return request.status === S.SUSPENDED && request.suspendedAt != null && dueAt < request.suspendedAt;
}

/** The request (its owning level) is overdue: past `dueAt` with the clock running, or suspended already past it (above). */
export function pastDue(request: Pick<Request, 'dueAt' | 'status' | 'suspendedAt'>, now: Date): boolean {
  return (CLOCK_RUNNING.includes(request.status) && request.dueAt < now) || lateAtSuspension(request.dueAt, request);
}

/** `pastDue` in SQL, on a request row's alias, true or false (never null: `$not` of it is the rest); `now` is an SQL expression (a placeholder such as `?`, used once). */
export const pastDueSql = (alias: string, now: string) =>
  `((${alias}.status in (${sqlList(CLOCK_RUNNING)}) and ${alias}.due_at < ${now}) or (${alias}.status = '${S.SUSPENDED}' and ${alias}.suspended_at is not null and ${alias}.due_at < ${alias}.suspended_at))`;

/**
 * Whose lateness (限时办结 in the member assessments): a request counts against its assignee by
 * the assignee's due time. The assignee is not blamed for time before they got it: on dispatch
 * they have the category's time for the level from the dispatch, or until the request's `dueAt`
 * (the owning level's deadline) if that is later (assigneeDueOnDispatch):
 * - dispatched with the category's time or more left before `dueAt` (the category's time changed
 *   since), the assignee has until `dueAt`;
 * - dispatched with less left (minutes before `dueAt`, after the level kept it waiting) or already
 *   past `dueAt` (handed back late by someone else, or left undispatched), they have the category's
 *   time from the dispatch (`Request.assigneeDueAt`): a member dispatched a minute before the due
 *   time is not given a minute, nor less than one dispatched a minute after it. The request's own
 *   `dueAt` (the resident's promise) does not move: the level is late by it (dashboards,
 *   `isOverdue`, `overdue` filters read `dueAt`);
 * - taken from them past their due time while they held it (HELD_BY_ASSIGNEE: handed back,
 *   escalated), they stay late with it: the step's ledger entry records `lateAssignee`
 *   ({ personId, unitId, dueAt }), which their assessment counts as due and not on time.
 */
export function assigneeDueAt(request: Pick<Request, 'assigneeDueAt' | 'dueAt'>): Date {
  return request.assigneeDueAt ?? request.dueAt;
}

/**
 * The assignee's due time on dispatch at `dispatchedAt`, given the category's hours for the level
 * (above): the value for `Request.assigneeDueAt`, null when it is the request's `dueAt`.
 */
export function assigneeDueOnDispatch(dueAt: Date, dispatchedAt: Date, hoursAllowed: number): Date | null {
  const fresh = new Date(dispatchedAt.getTime() + hoursAllowed * 3600_000);
  return fresh > dueAt ? fresh : null;
}

/** `assigneeDueAt` in SQL, on a request row's alias. */
export const assigneeDueAtSql = (alias: string) => `coalesce(${alias}.assignee_due_at, ${alias}.due_at)`;

/**
 * When `id` (an SQL expression: a person's or a unit's id) became responsible for the request, in
 * SQL on a request row's alias: the time of the ledger entry that first made them its assignee (the
 * dispatch to them, or to their unit; for a person taking a unit's request, their take). The
 * assessments date a request by it for each assignee (assessment.service.ts): not by when it came in,
 * so one received the day before a member reported (or a unit's term began) and dispatched to them
 * after counts for them, and one received while they served and dispatched to them after they no
 * longer did does not. The first time, not the last: the ledger is append-only, so the date never
 * moves, and a request counts for one year and one report or term of theirs however often it is
 * handed back and given them again (one taken from them late and given back stays late, where they
 * first got it): a past year's assessment stays as it was. A request whose ledger does not record it
 * (rows written outside the API) is dated by when it came in, the only moment known.
 */
export function assignedAtSql(alias: string, assignee: 'person' | 'unit', id: string): string {
  const field: keyof RequestState = assignee === 'person' ? 'assigneePersonId' : 'assigneeUnitId';
  // An alias of its own: `id` may read the caller's ledger row (one named `e`, say).
  return `coalesce((select a_e.created_at from request_event a_e where a_e.request_id = ${alias}.id and (a_e.data->'set'->>'${field}')::int = ${id}` +
    ` order by a_e.sequence limit 1), ${alias}.created_at)`;
}

/**
 * SQL: the ids (`id`) of every request that assignedAtSql may date within [`from`, `to`) for some
 * person or unit (`assignee`): those with a ledger entry in that time that made one their assignee
 * (a date assignedAtSql gives is such an entry's), and those that came in then (the date of one whose
 * ledger does not record it). More than that (an entry of the time may not be its assignee's
 * first): the caller still dates each by assignedAtSql. A year's assessment so reads that year's
 * entries and requests through their indexes (request_event_assigned_at_index, request_created_at_index),
 * not every request of the community's history with a ledger look-up each.
 */
export function assignableWithinSql(assignee: 'person' | 'unit', from: string, to: string): string {
  const field: keyof RequestState = assignee === 'person' ? 'assigneePersonId' : 'assigneeUnitId';
  // `(data->'set'->>field) is not null` as written: it implies the partial index's predicate.
  return `select w_e.request_id as id from request_event w_e
   where w_e.created_at >= ${from} and w_e.created_at < ${to} and (w_e.data->'set'->>'${field}') is not null
  union
  select w_q.id from request w_q where w_q.created_at >= ${from} and w_q.created_at < ${to}`;
}

/**
 * Statuses in which the assignee holds the request, its clock running: it waits on them (to take,
 * start, resolve or hand it back). A REOPENED request keeps its last assignee, but it is back in
 * the owning level's queue (only a dispatch moves it on): the time it waits there is not theirs.
 */
export const HELD_BY_ASSIGNEE: readonly RequestStatus[] = [S.DISPATCHED, S.TAKEN, S.IN_PROGRESS];

/**
 * The assignee holds it past their due time (HELD_BY_ASSIGNEE; see assigneeDueAt), or held it past
 * their due time when it was suspended (see pastDue: suspending does not forgive their lateness,
 * and time suspended does not make them late).
 */
export function heldPastDue(
  request: Pick<Request, 'assigneePerson' | 'assigneeUnit' | 'assigneeDueAt' | 'dueAt' | 'status' | 'statusBeforeSuspension' | 'suspendedAt'>,
  now: Date,
): boolean {
  if (request.assigneePerson == null && request.assigneeUnit == null) return false;
  const due = assigneeDueAt(request);
  if (HELD_BY_ASSIGNEE.includes(request.status)) return due < now;
  return request.statusBeforeSuspension != null && HELD_BY_ASSIGNEE.includes(request.statusBeforeSuspension) && lateAtSuspension(due, request);
}

/** `heldPastDue` in SQL, on a request row's alias; `now` is an SQL expression (a placeholder such as `:now`). */
export const heldPastDueSql = (alias: string, now: string) => {
  const due = assigneeDueAtSql(alias);
  const held = sqlList(HELD_BY_ASSIGNEE);
  return `((${alias}.assignee_person_id is not null or ${alias}.assignee_unit_id is not null) and ((${alias}.status in (${held}) and ${due} < ${now})` +
    ` or (${alias}.status = '${S.SUSPENDED}' and ${alias}.status_before_suspension in (${held}) and ${alias}.suspended_at is not null and ${due} < ${alias}.suspended_at)))`;
};

/** A resident may ask to reopen within this many days of resolution. */
export const REOPEN_WINDOW_DAYS = 7;

/** A rating at least this good counts as verified work and earns the assignee points. */
export const MIN_SATISFACTION_FOR_POINTS = 3;

/**
 * Steps that belong to the level owning the request (三级联动): sending it out, turning it away,
 * handing it up, stopping and restarting its deadline clock, and closing it out. Once escalated,
 * the level below may no longer take them: a community suspending a request the street owns would
 * stop the street's clock. Reopening stays open to the level below: the resident's complaint may
 * come in there, and it only puts the request back in the owner's queue.
 */
export const OWNING_LEVEL_ACTIONS: ReadonlySet<RequestAction> = new Set([
  RequestAction.DISPATCH, RequestAction.REJECT, RequestAction.ESCALATE, RequestAction.SUSPEND, RequestAction.RESUME, RequestAction.CLOSE_OUT,
]);

/**
 * Steps whose reason is kept on the request as `lastReason`: why it was last turned away, handed
 * back or handed up, what whoever dispatches it next needs to know. The reasons of the other
 * steps (suspend, reopen, close out) are in their ledger entries' notes.
 */
export const LAST_REASON_ACTIONS: ReadonlySet<RequestAction> = new Set([RequestAction.REJECT, RequestAction.RETURN, RequestAction.ESCALATE]);

/** Levels from the bottom up: a level acts for itself and for every level below it. */
export const LEVEL_RANK: Record<RequestLevel, number> = {
  [RequestLevel.COMMUNITY]: 0,
  [RequestLevel.STREET]: 1,
  [RequestLevel.DISTRICT]: 2,
};

export const NEXT_LEVEL: Record<RequestLevel, RequestLevel | null> = {
  [RequestLevel.COMMUNITY]: RequestLevel.STREET,
  [RequestLevel.STREET]: RequestLevel.DISTRICT,
  [RequestLevel.DISTRICT]: null,
};

/** The status after `action`, or an ILLEGAL_TRANSITION error naming the move and where it stands. */
export function nextStatus(action: RequestAction, current: RequestStatus, beforeSuspension?: RequestStatus | null): RequestStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    throw illegalTransition(`cannot ${action.toLowerCase().replace('_', ' ')} a request that is ${current} (allowed from ${rule.from.join(', ')})`, { from: current, action });
  }
  if (rule.to === 'SAME') return current;
  if (rule.to === 'PREVIOUS') return beforeSuspension ?? RequestStatus.DISPATCHED;
  return rule.to;
}
