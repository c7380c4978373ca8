import { badInput } from '../../common/errors';
import type { Move } from '../../common/state-machine';
import type { Area, Community } from '../area/area.entity';

/** The longest one activity may run; a longer campaign is several activities. */
export const MAX_ACTIVITY_HOURS = 7 * 24;

/**
 * An activity runs forward in time, for at most a week, and is created before it ends: sign-ups
 * close when it ends and attendance is recorded only for sign-ups, so one created after the fact
 * could never have anyone on it (nor count on a record card). One already under way is fine.
 * With the week's limit this also keeps startsAt within a week of now (no 1900-01-01).
 */
export function assertActivityTimes(startsAt: Date, endsAt: Date, now: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw badInput('input.endsAt', 'must be after startsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_ACTIVITY_HOURS * 3600_000) throw badInput('input.endsAt', `must be at most ${MAX_ACTIVITY_HOURS} hours after startsAt`);
  if (endsAt.getTime() <= now.getTime()) throw badInput('input.endsAt', 'must be in the future: an activity that has already ended can take no sign-ups or attendance');
}

/**
 * The organiser is on the community's own branch of the tree: an organisation inside it
 * (its committee, a grid branch) or above it (the street's working committee). Not another
 * community's.
 */
export function assertOrganizerPlace(organizerArea: Area, community: Community): void {
  const inside = organizerArea.path.startsWith(community.path);
  const above = community.path.startsWith(organizerArea.path);
  if (!inside && !above) throw badInput('input.organizerId', 'must be a party organisation of that community or of an area above it');
}

/**
 * How long after an activity ends its attendance may still be recorded. Organisers verify the
 * sign-in sheet after the event, so a few days' delay is normal; months later is not verification,
 * and it would pay points into (and change the attendance of) a year already assessed.
 */
export const ATTENDANCE_GRACE_DAYS = 7;

/** Attendance is recorded from the activity's start until ATTENDANCE_GRACE_DAYS after its end (inclusive). */
export function assertAttendanceWindow(activity: { startsAt: Date; endsAt: Date }, now: Date, field: string): void {
  if (now.getTime() < activity.startsAt.getTime()) throw badInput(field, 'the activity has not started yet');
  const closesAt = activity.endsAt.getTime() + ATTENDANCE_GRACE_DAYS * 86_400_000;
  if (now.getTime() > closesAt) {
    throw badInput(field, `attendance is recorded until ${ATTENDANCE_GRACE_DAYS} days after the activity ends; this one closed at ${new Date(closesAt).toISOString()}`);
  }
}

/**
 * The moment attendance points count on (the ledger entry's created_at, by which the leaderboard's
 * year and the member assessments date them): the activity's start, as the assessments date the
 * attendance itself, not the day the sheet was checked, which ATTENDANCE_GRACE_DAYS lets fall in the
 * next year (or after a move to another community). When it was recorded stays on the entry's
 * updatedAt and the participation's attendedAt. Only an earning is dated back, so no balance, at
 * any moment, is lowered by it.
 */
export function attendancePointsDate(activity: { startsAt: Date }): Date {
  return activity.startsAt;
}

/** Where a sign-up stands. Not a column: `attendedAt` is set once, when attendance is verified. */
export enum ParticipationState {
  SIGNED_UP = 'SIGNED_UP',
  ATTENDED = 'ATTENDED',
}

export function participationStateOf(participation: { attendedAt?: Date | null }): ParticipationState {
  return participation.attendedAt ? ParticipationState.ATTENDED : ParticipationState.SIGNED_UP;
}

/** THE transition table of a sign-up: attendance is recorded once (and earns its points once). */
export const PARTICIPATION_MOVES = {
  'record attendance for': { from: [ParticipationState.SIGNED_UP], to: ParticipationState.ATTENDED },
} satisfies Record<string, Move<ParticipationState>>;
