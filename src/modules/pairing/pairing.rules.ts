import { badInput } from '../../common/errors';

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
