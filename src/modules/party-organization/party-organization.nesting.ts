import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, notFound } from '../../common/errors';
import { expectGlobalId } from '../../common/global-id';
import type { Area } from '../area/area.entity';
import type { PartyOrganizationKind } from './party-organization.entity';

// The party tree's shape rules, apart from party-organization.service.ts: area moves (area.service)
// keep them too, and that module is loaded before the entities the service reads (an import cycle),
// so this one reads rows with SQL and imports entities for their types only.

/**
 * Serialises the writers whose checks read the tree's shape (a new parent, a child created under a
 * parent, a kind becoming GROUP, an area move re-parenting the organisations it carries): each checks
 * against what the previous one committed, so two moves cannot together make a cycle and a group never
 * gains a child. Taken first in the transaction, before any party_organization row is read or locked,
 * so there is one lock order: this lock, then rows. An area move takes it right after the area-tree
 * lock (area.service), before any other lock or row: nesting checks then read the area paths from
 * before the move or after it, never in between. Among rows, areas come before organisations: the
 * move writes its subtree's areas, then the organisations it re-parents, so a writer holding an
 * organisation FOR SHARE must not then wait for its area (reportMember and updatePerson lock the
 * areas first: lockPlacementAreasBefore, service-post/placements.ts).
 */
export async function lockPartyTree(em: EntityManager): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('party_tree'))`);
}

const GROUP: `${PartyOrganizationKind.GROUP}` = 'GROUP';

/** A party group (党小组) is the smallest cell: it has no child organisations. */
export function assertMayHaveChildren(parentKind: string | undefined, field: string): void {
  if (parentKind === GROUP) throw badInput(field, 'a party group (党小组) cannot have child organisations');
}

/** What the nesting rule reads of an area (an entity, or a row read after a move rewrote the paths). */
export type AreaOnLine = Pick<Area, 'path' | 'name'>;

/** THE nesting rule: a parent's area is the organisation's own, above it or inside it. */
export function assertOnOneLine(area: AreaOnLine, parentArea: AreaOnLine, field: string): void {
  if (!area.path.startsWith(parentArea.path) && !parentArea.path.startsWith(area.path)) {
    throw badInput(field, `the parent organisation sits on ${parentArea.name}, outside ${area.name}'s line of the area tree: a parent sits on the organisation's area, above it or inside it`);
  }
}

/** No organisation sits under itself or its own descendants: the chain above `parentId`, as stored, does not reach `organizationId`. */
export async function assertNotUnderItself(em: EntityManager, organizationId: number, parentId: number, field: string): Promise<void> {
  const [{ cycle }] = await em.execute<{ cycle: boolean }[]>(
    `with recursive up(id, parent_id) as (
       select id, parent_id from party_organization where id = ?
       union
       select o.id, o.parent_id from party_organization o join up on o.id = up.parent_id where up.id <> ?
     ) select exists (select 1 from up where id = ?) as cycle`,
    [parentId, organizationId, organizationId],
  );
  if (cycle) throw badInput(field, 'an organisation cannot be placed under itself or its own descendants');
}

/** An organisation the move separated from its parent: its area (new path) and its parent's name. */
interface Stray {
  id: number;
  name: string;
  code: string;
  path: string;
  area_name: string;
  parent_name: string;
  moved: boolean;
}

/**
 * After an area move (`movedPrefix`: the moved area's new path, already written to its whole
 * subtree), the nesting rule holds again for every organisation the move separated from its parent:
 * - one attached inside the moved subtree whose parent stayed outside it, off its new line (a grid
 *   branch under the old community's committee), goes under `chosenParentId` when given (checked as
 *   a new parent given to updatePartyOrganization is), else under the one territorial organisation
 *   (not a group, not functional) of the nearest area above its own on its new line (the new
 *   community's committee; the new district's, for a street's committee). None or several there:
 *   CONFLICT on `input.organizationParentId`, naming them;
 * - one left outside under a parent the move takes off its line (a functional branch of the old
 *   community under the moved grid's branch) is not re-parented behind its staff's back: CONFLICT
 *   on `input.parentId`, naming it; they re-parent it first.
 * Organisations whose chain stays on one line (the nested committees of a moved street, a branch
 * under its street's committee moved within the street) are left as they are. Runs under the
 * party-tree lock, taken by the move; a refusal throws, and the move's transaction writes nothing.
 * Written with SQL, like the paths: the rows are the moved area's, which the scope guard checked.
 */
export async function reparentAfterAreaMove(em: EntityManager, movedPrefix: string, chosenParentId: string | null | undefined): Promise<void> {
  const prefix = `${movedPrefix}%`;
  const strays = await em.execute<Stray[]>(
    `select o.id, o.name, o.code, oa.path, oa.name as area_name, p.name as parent_name, oa.path like ? as moved
       from party_organization o
       join area oa on oa.id = o.area_id
       join party_organization p on p.id = o.parent_id
       join area pa on pa.id = p.area_id
      where ((oa.path like ? and pa.path not like ?) or (pa.path like ? and oa.path not like ?))
        and oa.path not like pa.path || '%' and pa.path not like oa.path || '%'
      order by o.id`,
    [prefix, prefix, prefix, prefix, prefix],
  );
  const leftBehind = strays.filter((stray) => !stray.moved);
  if (leftBehind.length) {
    throw conflict(`the move would take the parent organisation of ${named(leftBehind)} off its line of the area tree: re-parent ${leftBehind.length > 1 ? 'them' : 'it'} first`, 'input.parentId');
  }
  if (!strays.length) return;
  const parents = chosenParentId ? await chosenParent(em, strays, chosenParentId) : await nearestParents(em, strays);
  // One at a time, each checked against the rows the previous ones wrote: together they make no cycle either.
  for (const stray of strays) {
    const parentId = parents.get(stray.id)!;
    await assertNotUnderItself(em, stray.id, parentId, chosenParentId ? 'input.organizationParentId' : 'input.parentId');
    await em.execute(`update party_organization set parent_id = ?, updated_at = now() where id = ?`, [parentId, stray.id]);
  }
}

/** The parent named on the move, for every stray: checked as updatePartyOrganization checks a new parent. */
async function chosenParent(em: EntityManager, strays: Stray[], chosenParentId: string): Promise<Map<number, number>> {
  const field = 'input.organizationParentId';
  const { id, typeName } = expectGlobalId(chosenParentId, ['PartyOrganization'], field);
  const [parent] = await em.execute<{ kind: string; path: string; name: string }[]>(
    `select o.kind, a.path, a.name from party_organization o join area a on a.id = o.area_id where o.id = ?`,
    [id],
  );
  if (!parent) throw notFound(typeName, chosenParentId, field);
  assertMayHaveChildren(parent.kind, field);
  for (const stray of strays) assertOnOneLine({ path: stray.path, name: stray.area_name }, parent, field);
  return new Map(strays.map((stray) => [stray.id, id]));
}

/** For each stray, the one territorial organisation of the nearest area above it that has any; CONFLICT when none or several. */
async function nearestParents(em: EntityManager, strays: Stray[]): Promise<Map<number, number>> {
  const above = (path: string) => path.split('/').filter(Boolean).map(Number).slice(0, -1).reverse();
  const candidates = await em.execute<{ id: number; name: string; area_id: number }[]>(
    `select id, name, area_id from party_organization where area_id = any(?::int[]) and kind <> ? and not functional order by id`,
    // The ids as one array literal: knex would spread a JS array into a list of parameters.
    [`{${[...new Set(strays.flatMap((stray) => above(stray.path)))].join(',')}}`, GROUP],
  );
  const parents = new Map<number, number>();
  const unresolved: string[] = [];
  for (const stray of strays) {
    const nearest = above(stray.path).map((areaId) => candidates.filter((c) => c.area_id === areaId)).find((onArea) => onArea.length > 0) ?? [];
    if (nearest.length === 1) parents.set(stray.id, nearest[0].id);
    else unresolved.push(`${named([stray])}: ${nearest.length ? `${nearest.map((c) => c.name).join(', ')} could each take it` : 'no committee or branch above it on its new line'}`);
  }
  if (unresolved.length) {
    throw conflict(
      `the move takes party organisations off the line of their parent organisation, and no single organisation above them on their new line can take them: ${unresolved.join('; ')}. Name their new parent as organizationParentId, or re-parent them first`,
      'input.organizationParentId',
    );
  }
  return parents;
}

const named = (strays: Stray[]) => strays.map((stray) => `${stray.name} (${stray.code}, under ${stray.parent_name})`).join(', ');
