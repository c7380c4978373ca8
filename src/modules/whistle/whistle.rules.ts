import type { Move } from '../../common/state-machine';
import { RequestStatus } from '../request/request.entity';
import { WhistleResponseStatus } from './whistle.entity';

/** Default hours a called department has to report (报到) and to feed back (反馈). */
export const DEFAULT_REPORT_HOURS = 24;
export const DEFAULT_FEEDBACK_HOURS = 72;
/** Who may blow a whistle: a community, or a street ("街乡吹哨"). */
export const WHISTLE_BLOWER_TYPES = ['Community', 'Street'];
export const MAX_RECIPIENTS = 20;

/**
 * A request in one of these is finished (closed out, 销号, or rejected): there is nothing left to
 * whistle for, so no whistle is blown on it, and the step that brings it here stops the clock of
 * the whistles already blown on it (`Whistle.stoppedAt`). So does closing out a PROBLEM item.
 */
export const REQUEST_STATUSES_ENDING_WHISTLES: readonly RequestStatus[] = [RequestStatus.CLOSED, RequestStatus.REJECTED];

const R = WhistleResponseStatus;

/**
 * THE transition table of a called department's answer: 报到 (report), then 反馈 (feedback), each
 * once. Any other step is ILLEGAL_TRANSITION; one racing another on the same row is CONFLICT
 * (whistle.service.ts, `answer`).
 */
export const RESPONSE_MOVES = {
  report: { from: [R.AWAITING_REPORT], to: R.REPORTED },
  answer: { from: [R.REPORTED], to: R.ANSWERED },
} satisfies Record<string, Move<WhistleResponseStatus>>;

/**
 * THE lateness rule of a department's duty (report by `reportDueAt`, feed back by `feedbackDueAt`).
 * The clock runs until the duty is done, or until the whistle stops (its request closed out or
 * rejected, its problem closed: `stoppedAt`), whichever comes first:
 * - done by the deadline, while the clock ran: on time (`metDeadline`);
 * - deadline passed while the clock ran (not done by then): late (`missedDeadline`), whether it was
 *   done later or not yet, and it stays late, whatever happens after (the matter closing does not
 *   forgive a department already late; an answer after the stop is recorded, still late);
 * - the whistle stopped before the deadline, and the duty not done by then: neither on time nor
 *   late, even if the department answers after the stop (before or after its deadline): it was
 *   no longer called, and counts nowhere (lists, assessments, dashboards). Nor does a deadline
 *   still to come.
 * A department is overdue (`responseOverdue`) when it missed either deadline: the `overdue` field
 * and the `overdue` filters of `whistles` and `whistleResponses` (and their totalCount) mean this
 * (`reportOverdue` and `feedbackOverdue` each one deadline). The unit assessment's `whistles` part
 * and the dashboard's rate read the feedback deadline alone (answered on time, `metDeadline`, of
 * those that met or missed it): a department that reported late and fed back in time is overdue, and
 * on time in those figures. Who is still to be chased is another question (`awaitingPastDeadline`,
 * below). Every reader goes through these functions (in code) or their `…Sql` twins (in SQL), side
 * by side below.
 */
export function missedDeadline(dueAt: Date, doneAt: Date | null | undefined, stoppedAt: Date | null | undefined, now: Date): boolean {
  const clockEnd = doneAt ?? now;
  return (stoppedAt && stoppedAt < clockEnd ? stoppedAt : clockEnd) > dueAt;
}

/**
 * `missedDeadline` in SQL, on column (or parameter) expressions: `least` skips a null `stopped`
 * (a whistle still running), as `coalesce` puts now for a duty not done.
 */
export function missedDeadlineSql(due: string, done: string, stopped: string, now: string): string {
  return `(${due} < least(coalesce(${done}, ${now}), ${stopped}))`;
}

/** Done by the deadline, while the clock ran (not after the whistle stopped). */
export function metDeadline(dueAt: Date, doneAt: Date | null | undefined, stoppedAt: Date | null | undefined): boolean {
  return doneAt != null && doneAt <= dueAt && (stoppedAt == null || doneAt <= stoppedAt);
}

/** `metDeadline` in SQL (`least` skips a null `stopped`). */
export function metDeadlineSql(due: string, done: string, stopped: string): string {
  return `(${done} is not null and ${done} <= least(${due}, ${stopped}))`;
}

/** On time (true), late (false), or neither (null: not due yet, or the whistle stopped first). */
export function deadlineKept(dueAt: Date, doneAt: Date | null | undefined, stoppedAt: Date | null | undefined, now: Date): boolean | null {
  if (metDeadline(dueAt, doneAt, stoppedAt)) return true;
  return missedDeadline(dueAt, doneAt, stoppedAt, now) ? false : null;
}

/** A department's two duties, as WhistleRecipient holds them. */
export interface ResponseDuties {
  reportDueAt: Date;
  reportedAt?: Date | null;
  feedbackDueAt: Date;
  answeredAt?: Date | null;
}

/**
 * Overdue: missed the report deadline or the feedback deadline (`missedDeadline`): reported or fed
 * back late, or not yet and past it. A department that answered late stays overdue.
 */
export function responseOverdue(duties: ResponseDuties, stoppedAt: Date | null | undefined, now: Date): boolean {
  return missedDeadline(duties.reportDueAt, duties.reportedAt, stoppedAt, now) || missedDeadline(duties.feedbackDueAt, duties.answeredAt, stoppedAt, now);
}

/** `responseOverdue` in SQL, on the whistle_recipient row `recipient` (an alias); `now` is used twice. */
export function responseOverdueSql(recipient: string, stopped: string, now: string): string {
  return `(${missedDeadlineSql(`${recipient}.report_due_at`, `${recipient}.reported_at`, stopped, now)}
    or ${missedDeadlineSql(`${recipient}.feedback_due_at`, `${recipient}.answered_at`, stopped, now)})`;
}

/**
 * To chase now (the `awaitingPastDeadline` field and filters): the whistle has not stopped, and the
 * department still owes a duty whose deadline has passed (not reported by `reportDueAt`, or not fed
 * back by `feedbackDueAt`, and not done yet). Narrower than `responseOverdue`: a department that
 * did its part late (reported late, fed back late) stays overdue but owes nothing past due now;
 * nor is anything owed under a stopped whistle, even by a department late at the stop (it stays
 * overdue). A deadline still to come is not chased yet.
 */
export function awaitingPastDeadline(duties: ResponseDuties, stoppedAt: Date | null | undefined, now: Date): boolean {
  // Nothing done and no stop: `missedDeadline` comes down to the deadline lying before now.
  return stoppedAt == null && ((duties.reportedAt == null && duties.reportDueAt < now) || (duties.answeredAt == null && duties.feedbackDueAt < now));
}

/** `awaitingPastDeadline` in SQL, on the whistle_recipient row `recipient` (an alias); `now` is used twice. */
export function awaitingPastDeadlineSql(recipient: string, stopped: string, now: string): string {
  return `(${stopped} is null
    and ((${recipient}.reported_at is null and ${recipient}.report_due_at < ${now})
      or (${recipient}.answered_at is null and ${recipient}.feedback_due_at < ${now})))`;
}
