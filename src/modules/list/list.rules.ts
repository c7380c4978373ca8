import { badInput } from '../../common/errors';
import { ClaimStatus, ListItemKind, ListItemStatus, ResourceType } from './list.entity';
import type { Move } from '../../common/state-machine';

/*
 * The rules of the four lists (四项清单) and claims (认领), each in one place.
 */

// ---------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------

/** YYYY-MM, YYYY-Qn or YYYY. */
export const PERIOD_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** First and last day (YYYY-MM-DD) of a period label; BAD_USER_INPUT naming `field` otherwise. */
export function periodBounds(period: string, field = 'input.period'): { startsOn: string; endsOn: string } {
  if (!PERIOD_PATTERN.test(period)) throw badInput(field, 'must be YYYY-MM, YYYY-Qn or YYYY, e.g. 2026-11, 2026-Q4, 2026');
  const year = Number(period.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) throw badInput(field, `the year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  const quarter = /-Q([1-4])$/.exec(period);
  const month = /-(\d{2})$/.exec(period);
  const [firstMonth, lastMonth] = quarter ? [Number(quarter[1]) * 3 - 2, Number(quarter[1]) * 3] : month ? [Number(month[1]), Number(month[1])] : [1, 12];
  return { startsOn: day(year, firstMonth, 1), endsOn: day(year, lastMonth, lastDayOfMonth(year, lastMonth)) };
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function day(year: number, month: number, date: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Item fields per kind
// ---------------------------------------------------------------------------

/** Units claim these kinds (服务清单 and 需求清单); resources are what they claim with. */
export const CLAIMABLE_KINDS: readonly ListItemKind[] = [ListItemKind.SERVICE, ListItemKind.DEMAND];

/** Which optional fields each kind may carry; anything else is refused naming the field. */
export const FIELDS_ONLY_FOR: Record<'unitId' | 'resourceType' | 'sourceRequestId' | 'dueAt', ListItemKind> = {
  unitId: ListItemKind.RESOURCE,
  resourceType: ListItemKind.RESOURCE,
  sourceRequestId: ListItemKind.DEMAND,
  dueAt: ListItemKind.PROBLEM,
};

/** Fields a kind cannot do without. */
export const REQUIRED_FOR: Partial<Record<ListItemKind, readonly ('unitId' | 'resourceType')[]>> = {
  [ListItemKind.RESOURCE]: ['unitId', 'resourceType'],
};

/**
 * Cash is counted in yuan: a MONEY resource is metered, its quantity the yuan it offers (its value
 * when no quantity is given). Unmetered, projectSuggestions counted it at its value for every
 * suggestion while an acceptance took nothing of it, so the same cash funded every project accepted.
 * Other kinds may go unmetered (a venue offered without a count). Returns the quantity to keep;
 * BAD_USER_INPUT on `input.quantity` for cash with neither.
 */
export function meteredQuantity(resourceType: ResourceType | null | undefined, quantity: number | null | undefined, value: number | null | undefined): number | null {
  if (resourceType !== ResourceType.MONEY || quantity != null) return quantity ?? null;
  if (value == null) throw badInput('input.quantity', 'a MONEY resource is counted in yuan: give its quantity (or its value)');
  return value;
}

/**
 * Cash whose quantity was its value follows a corrected value (listed 50,000, corrected to 30,000:
 * 30,000 are offered, not 50,000), unless the edit gives the quantity itself. `item` is the item
 * after the edit's fields were applied; returns the quantity to meter (meteredQuantity).
 */
export function quantityAfterEdit(
  before: { quantity: number | null; value: number | null },
  edit: { quantity?: number | null; value?: number | null },
  item: { resourceType?: ResourceType | null; quantity?: number | null; value?: number | null },
): number | null {
  const followsValue = item.resourceType === ResourceType.MONEY && edit.quantity === undefined && edit.value !== undefined && before.quantity === before.value;
  return meteredQuantity(item.resourceType, followsValue ? item.value : item.quantity, item.value);
}

/**
 * A resource's quantity counts its kind's unit (hours, square metres, pieces; yuan for MONEY).
 * Changing the kind without giving the quantity anew kept the old count under the new unit (a
 * venue's 50 m² became 50 yuan of cash, and totalResourceValue counted them so); refused on
 * `input.quantity`. A resource without a quantity changes kind freely.
 */
export function assertQuantityFitsNewType(
  before: { resourceType: ResourceType | null; quantity: number | null },
  edit: { resourceType?: ResourceType | null; quantity?: number | null },
): void {
  if (edit.resourceType == null || edit.resourceType === before.resourceType || before.quantity == null || edit.quantity !== undefined) return;
  throw badInput('input.quantity', `${before.quantity} counts the resource as ${before.resourceType}: give the quantity again for ${edit.resourceType} (null for none${edit.resourceType === ResourceType.MONEY ? ': then its value, in yuan' : ''})`);
}

/**
 * What claims and projects hold of a resource (`used`: claims of USING_CLAIM_STATUSES and projects
 * not cancelled) stays covered by an edit, or the edit is refused with BAD_USER_INPUT on the field
 * and nothing is written. Read `used` after locking the resource row: claims and projects lock it
 * too (claim.service.ts, livelihood.service.ts), so it counts every one committed before.
 *
 * Its kind is kept while they hold some: what they hold is counted in the old kind's unit.
 */
export function assertKindKeptWhileUsed(before: ResourceType | null, after: ResourceType | null, used: number): void {
  if (used > 0 && after !== before) throw badInput('input.resourceType', `claims and projects hold ${used} of this ${before} resource: it cannot change kind while they do`);
}

/**
 * Its quantity is not cleared while they hold some (unmetered, nothing says how much exists: the
 * claims would hold more than the resource has), nor lowered below what they hold (to a
 * millionth, as remainingOf: 0.1 + 0.2 used leaves a quantity of 0.3 exactly covered).
 */
export function assertQuantityCoversUse(quantity: number | null, used: number): void {
  if (!(used > 0)) return;
  if (quantity == null) throw badInput('input.quantity', `claims and projects hold ${used} of this resource: it cannot go unmetered while they do`);
  if (Math.round((quantity - used) * 1e6) < 0) throw badInput('input.quantity', `cannot go below the ${used} that claims and projects already use`);
}

// ---------------------------------------------------------------------------
// State machines: THE transition tables of items and claims
// ---------------------------------------------------------------------------

const I = ListItemStatus;
const C = ClaimStatus;

/** What happens to an item. Claims move items; closeProblem closes out a PROBLEM. */
export const ITEM_MOVES = {
  claim: { from: [I.OPEN], to: I.CLAIMED },
  deliver: { from: [I.CLAIMED], to: I.DELIVERED },
  confirm: { from: [I.DELIVERED], to: I.CLOSED },
  release: { from: [I.CLAIMED], to: I.OPEN },
  'close out': { from: [I.OPEN, I.CLAIMED, I.DELIVERED], to: I.CLOSED },
} satisfies Record<string, Move<ListItemStatus>>;

/** A claim: CLAIMED → DELIVERED (the unit) → CONFIRMED (the community); CANCELLED while CLAIMED. */
export const CLAIM_MOVES = {
  deliver: { from: [C.CLAIMED], to: C.DELIVERED },
  confirm: { from: [C.DELIVERED], to: C.CONFIRMED },
  cancel: { from: [C.CLAIMED], to: C.CANCELLED },
} satisfies Record<string, Move<ClaimStatus>>;

/** The item move that goes with each claim move. */
export const ITEM_MOVE_OF_CLAIM_MOVE: Record<keyof typeof CLAIM_MOVES, keyof typeof ITEM_MOVES> = {
  deliver: 'deliver',
  confirm: 'confirm',
  cancel: 'release',
};

/** Claims that use (or used) part of a resource: everything but a cancelled claim. */
export const USING_CLAIM_STATUSES: readonly ClaimStatus[] = [C.CLAIMED, C.DELIVERED, C.CONFIRMED];

/**
 * What is left of a resource: its quantity minus what using claims take, to a millionth (the
 * quantities are binary floats: 0.3 less a claim of 0.1 is 0.19999999999999998, which refused a
 * claim of the 0.2 left). Null for a resource with no quantity (not metered: a venue offered
 * without a count).
 */
export function remainingOf(quantity: number | null | undefined, used: number): number | null {
  return quantity == null ? null : Math.max(0, Math.round((quantity - used) * 1e6) / 1e6);
}

// ---------------------------------------------------------------------------
// Matching suggestions
// ---------------------------------------------------------------------------

/** Score points per reason; higher first. */
export const MATCH_WEIGHTS = {
  sameCategory: 50,
  sameParentCategory: 25,
  paired: 30,
  /** Serving the community from a seat in its alliance counts as much as a pairing: both may claim. */
  seatedInAlliance: 30,
  inCommunity: 20,
  inStreet: 10,
  coversQuantity: 10,
} as const;

export interface MatchFacts {
  sameCategory: boolean;
  categoryName: string;
  familyName: string;
  paired: boolean;
  /** Serves the community from a seat in its alliance, not paired with it. */
  seatedInAlliance: boolean;
  inCommunity: boolean;
  inStreet: boolean;
  communityName: string;
  streetName: string;
  remaining: number | null;
  needed: number | null;
}

/** The score of one candidate resource and the reasons, in the order they were counted. */
export function scoreMatch(facts: MatchFacts): { score: number; reasons: string[] } {
  const parts: [number, string][] = [];
  if (facts.sameCategory) parts.push([MATCH_WEIGHTS.sameCategory, `same category (${facts.categoryName})`]);
  else parts.push([MATCH_WEIGHTS.sameParentCategory, `same parent category (${facts.familyName})`]);
  if (facts.paired) parts.push([MATCH_WEIGHTS.paired, `paired with ${facts.communityName}`]);
  else if (facts.seatedInAlliance) parts.push([MATCH_WEIGHTS.seatedInAlliance, `seated in ${facts.communityName}'s alliance`]);
  if (facts.inCommunity) parts.push([MATCH_WEIGHTS.inCommunity, `sits in ${facts.communityName}`]);
  else if (facts.inStreet) parts.push([MATCH_WEIGHTS.inStreet, `sits in ${facts.streetName}`]);
  if (facts.needed != null && (facts.remaining == null || facts.remaining >= facts.needed)) {
    parts.push([MATCH_WEIGHTS.coversQuantity, facts.remaining == null ? 'not metered: covers any quantity' : `remaining ${facts.remaining} covers the ${facts.needed} needed`]);
  }
  return { score: parts.reduce((sum, [points]) => sum + points, 0), reasons: parts.map(([, reason]) => reason) };
}

/** Adds a line to a free-text field (close-out notes, cancellation reasons) without losing what was there. */
export function appendLine(text: string | null | undefined, line: string): string {
  return text ? `${text}\n${line}` : line;
}
