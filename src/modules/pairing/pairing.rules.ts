import { badInput } from '../../common/errors';
import { ROLLUP_TIME_ZONE } from '../service-data/time-zone';

/*
 * The rules of a pairing's term, each in one place.
 */

/**
 * A term is not ended in the past (China time). Claims, micro-wishes, whistles and the yearly
 * assessments already relied on the term as it stood: the unit served the community on those
 * days. Ending it before today would rewrite that history (an assessment taken since would change,
 * claims made while paired would lie outside the term), so the earliest end is today. An end that
 * is already in the past may be sent again unchanged (a form sends every field back), and
 * createPairing may still record a past term: a new record rewrites nothing relied on.
 */
export function assertEndNotInPast(previousEnd: string | null | undefined, end: string | null | undefined, today: string, field = 'input.endsOn'): void {
  if (end == null || end === (previousEnd ?? null) || end >= today) return;
  throw badInput(field, `cannot end the term before today (${today}, China time): claims and assessments already relied on it as it stood; end it today at the earliest`);
}

/**
 * Nor is a term's start moved later once it has come (China time): that takes the days from the
 * old start on out of the term just as an early end does (claims made while paired would lie
 * before the term, an assessment taken since would change), and a start moved past today ends a
 * pairing in force. A start not yet reached may move later; any start may move earlier.
 */
export function assertStartNotMovedFromPast(previousStart: string, start: string, today: string, field = 'input.startsOn'): void {
  if (start <= previousStart || previousStart > today) return;
  throw badInput(field, `cannot move the start of a term that began on ${previousStart} later (today is ${today}, China time): claims and assessments already relied on it as it stood`);
}

/**
 * A term that has ended (its last day before today, China time) is history: its end is neither
 * cleared (open-ended again) nor moved, to today, later or earlier; sent back unchanged it is
 * fine (a form sends every field back). Re-opening it put the days since it ended back into the
 * term: the activities held in that gap counted retroactively in the unit's attendance, and an
 * assessment of a past year changed. A unit paired with the community again is a new pairing
 * (createPairing, from today on: terms that follow each other do not overlap). A term whose last
 * day is today has not ended and may still be extended.
 */
export function assertEndedTermStaysEnded(previousEnd: string | null | undefined, end: string | null | undefined, today: string, field = 'input.endsOn'): void {
  if (previousEnd == null || previousEnd >= today || end === previousEnd) return;
  throw badInput(field, `the term ended on ${previousEnd} (before today, ${today}, China time): an ended term is history and its end stays as it is; to pair the unit with the community again, create a new pairing from today`);
}

/**
 * Nor does an ended term's start move (earlier took activities held before it into past unit
 * assessments, just as re-opening its end did): its days are history (assertEndedTermStaysEnded).
 */
export function assertEndedTermStartStays(previousEnd: string | null | undefined, previousStart: string, start: string, today: string): void {
  if (previousEnd == null || previousEnd >= today || start === previousStart) return;
  throw badInput('input.startsOn', `the term ended on ${previousEnd} (before today, ${today}, China time): an ended term is history and its start stays ${previousStart}`);
}

/**
 * SQL: the instant `column` (a timestamptz) falls on a day of the pairing term `alias` (a row with
 * starts_on and ends_on), China time, both days included, an open end ongoing: activeOn's rule
 * (pairing.service.ts) for an instant. THE term window of the unit assessment
 * (assessment.service.ts): every part counts what fell on a day the unit was paired.
 */
export function onTermDaySql(alias: string, column: string): string {
  const day = `(${column} at time zone '${ROLLUP_TIME_ZONE}')::date`;
  return `${day} >= ${alias}.starts_on and (${alias}.ends_on is null or ${day} <= ${alias}.ends_on)`;
}
