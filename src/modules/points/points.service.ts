import type { EntityManager } from '@mikro-orm/postgresql';
import { forbidden } from '../../common/errors';
import type { Viewer } from '../../context/context';
import type { Person } from '../person/person.entity';
import { pathCondition } from '../identity/access';
import { PointEntry, PointKind, PointRule } from './points.entity';

export interface AwardInput {
  person: Person | number;
  kind: PointKind;
  /** What earned it, e.g. 'Request', 'Claim', 'Activity', 'MicroWish'; with sourceId it names the work once. */
  sourceType: string;
  sourceId: number;
  note?: string;
  /** Who verifies the work (rates, confirms, records attendance): never the person it pays. */
  verifier: Viewer;
  /** When it was verified (the request's clock, `ctx.now()`): when the entry is written (its updatedAt). */
  at: Date;
  /**
   * The moment the points count on (the entry's createdAt, which yearly figures count by), when not
   * `at`: an attendance's is its activity's start (attendancePointsDate). Never after `at`.
   */
  countsOn?: Date;
}

/**
 * Awards the points the active rule gives for `kind`, inside the caller's transaction
 * (the caller flushes). The same work earns once: an existing entry for the same source is
 * returned, and a unique key backs that up under concurrency. Null when no rule pays for it.
 * Points pay for work someone else has verified: a verifier whose account is the person's own
 * (staff who are also members) is refused, and the whole verification with it.
 */
export async function awardPoints(em: EntityManager, input: AwardInput): Promise<PointEntry | null> {
  const personId = typeof input.person === 'number' ? input.person : input.person.id;
  assertSomeoneElseVerifies(input.verifier, personId, input.kind);
  const rule = await em.findOne(PointRule, { kind: input.kind, active: true }, { orderBy: { id: 'DESC' } });
  if (!rule || rule.points <= 0) return null;
  // Unfiltered: the entry belongs to the member's residence community, which the viewer verifying
  // the work (e.g. rating a re-resolved request) may not read; missing it would insert a duplicate.
  const existing = await em.findOne(PointEntry, { person: personId, kind: input.kind, sourceType: input.sourceType, sourceId: input.sourceId }, { filters: false });
  if (existing) return existing;
  return em.create(PointEntry, {
    person: personId,
    kind: input.kind,
    amount: rule.points,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    note: input.note ?? rule.description,
    // The app's clock, not the server's: the leaderboard's year and the member assessment count entries
    // by createdAt; updatedAt keeps when it was written (an entry is never changed after).
    createdAt: input.countsOn ?? input.at,
    updatedAt: input.at,
  });
}

/**
 * THE self-verification rule: the verifying act (rating a request, confirming a claim or wish,
 * recording attendance) is someone else's than the person whose work it verifies and pays. Also for
 * a verification that happens to pay nothing (a rating under 3): the act is refused, not its points.
 */
export function assertSomeoneElseVerifies(verifier: Viewer, personId: number, kind: PointKind): void {
  if (verifier.kind === 'account' && verifier.personId === personId) {
    throw forbidden(`this is the work of your own account's person (it is what earns ${kind} points): someone else verifies it (rates, confirms or records it)`);
  }
}

/** Where a redemption names itself in the ledger: per person, 1, 2, 3, … (under the person lock). */
export const REDEMPTION_SOURCE = 'Redemption';

/** A person's balance: the sum of their entries, read inside the caller's transaction. */
export async function balanceOf(em: EntityManager, personId: number): Promise<number> {
  const rows: { balance: number }[] = await em.execute('select coalesce(sum(amount), 0)::int as balance from point_entry where person_id = ?', [personId]);
  return Number(rows[0]?.balance ?? 0);
}

/**
 * Balances of many people as a viewer with area scope `paths` (null: everywhere) may see them, in
 * one statement: a person's ledger is kept by their residence community (PointEntry's scope), so
 * a person read through their work elsewhere (a grid they serve) has a balance the viewer cannot
 * see: null, not a sum of entries `pointEntries` would not show beside it.
 */
export async function visibleBalancesOf(em: EntityManager, personIds: readonly number[], paths: string[] | null): Promise<Map<number, number | null>> {
  const result = new Map<number, number | null>();
  if (personIds.length === 0) return result;
  const scope = pathCondition(paths, 'a.path');
  const rows: { id: number; visible: boolean; balance: number }[] = await em.execute(
    `select p.id, coalesce(${scope.sql}, false) as visible,
        (select coalesce(sum(e.amount), 0)::int from point_entry e where e.person_id = p.id) as balance
      from person p left join area a on a.id = p.residence_community_id
      where p.id in (${personIds.map(() => '?').join(', ')})`,
    [...scope.bindings, ...personIds],
  );
  for (const row of rows) result.set(Number(row.id), row.visible ? Number(row.balance) : null);
  return result;
}

