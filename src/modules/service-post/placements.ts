import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { expectGlobalId } from '../../common/global-id';

/**
 * The party organisation kinds a reported member is placed in (PLACEMENT_KINDS in
 * service-post.rules.ts, as enum values). Kept here as names, without importing the entities:
 * area.service uses this file, and the entities' modules import area.service in turn.
 */
export const PLACEMENT_KIND_NAMES = ['BRANCH', 'GROUP'] as const;

/** Which placements a change touched: one member, one organisation, or the organisations of an area subtree. */
export type PlacementScope = { personId: number } | { organizationId: number } | { areaPathPrefix: string };

/**
 * reportMember's placement rule (assertPlacement), checked again after a change that moves
 * organisations or members rather than reporting one: an area moved to another community, an
 * organisation re-attached or re-kinded, a reported member's organisation edited. A reported member
 * (双报到) sits in a grid branch or building group inside the community they live in; a change that
 * would leave one elsewhere is refused (BAD_USER_INPUT on `field`, the transaction rolls back).
 * Run after the change is flushed.
 */
export async function assertPlacementsHold(em: EntityManager, scope: PlacementScope, field: string): Promise<void> {
  const [condition, value] =
    'personId' in scope ? ['p.id = ?', scope.personId] : 'organizationId' in scope ? ['o.id = ?', scope.organizationId] : ['oa.path like ?', `${scope.areaPathPrefix}%`];
  const [breach] = await em.execute<{ members: number; community: string | null }[]>(
    `select count(*)::int as members, min(c.name) as community
       from person p
       left join party_organization o on o.id = p.organization_id
       left join area oa on oa.id = o.area_id
       left join area c on c.id = p.residence_community_id
      where p.reported_on is not null and ${condition}
        and (o.id is null or c.id is null or oa.path not like c.path || '%' or o.kind not in (?))`,
    [value, PLACEMENT_KIND_NAMES],
  );
  if (breach.members > 0) {
    const who = 'personId' in scope ? 'this reported member' : `${breach.members} reported member${breach.members === 1 ? '' : 's'} (双报到) placed there`;
    throw badInput(
      field,
      `would leave ${who} in no grid branch or building group of the community they live in${breach.community ? ` (${breach.community})` : ''}: a reported member is placed inside their residence community; place them in another branch first`,
    );
  }
}

/**
 * The area rows a placement check of a write reads, locked FOR SHARE until it commits (null: none):
 * the residence community and the organisation's area (an alliance given a lead locks its own area
 * and the lead's the same way: alliance.service loadLead). A move racing the write either committed
 * first, and the check (run after this) reads the new paths, or waits until the write commits, and
 * its own check then sees the write. Shared: writes checking the same areas do not queue. In one
 * statement, in id order, the order a move locks its subtree in (area.service moveArea): a grid
 * moved into a newer community has a lower id than it, and a writer taking the community first
 * deadlocked with a move of the street above, which held the grid and waited for the community.
 */
export async function lockPlacementAreas(em: EntityManager, communityId: number | null, organizationAreaId: number | null): Promise<void> {
  const ids = [communityId, organizationAreaId].filter((id): id is number => id != null);
  // The ids as one array literal: knex would spread a JS array into a list of parameters.
  if (ids.length) await em.execute('select 1 from area where id = any(?::int[]) order by id for share', [`{${ids.join(',')}}`]);
}

/**
 * lockPlacementAreas for a write about to read the organisation `organizationId` (a global ID) FOR
 * SHARE: the community and the organisation's area as stored now, before the organisation's own
 * row. Rows in one order, areas before organisations: an area move writes the areas of its subtree,
 * then the organisations it re-parents (reparentAfterAreaMove); a report holding a grid branch while
 * it waited for the grid deadlocked with the move of that grid. The caller then locks the
 * organisation and calls lockPlacementAreas with the area it reads (held already, unless a
 * re-attachment committed in between). Nothing to lock for no organisation, or an unknown one
 * (the caller's own lookup answers that).
 */
export async function lockPlacementAreasBefore(em: EntityManager, communityId: number | null, organizationId: string | null | undefined, field: string): Promise<void> {
  const [row] = organizationId == null
    ? []
    : await em.execute<{ area_id: number }[]>('select area_id from party_organization where id = ?', [expectGlobalId(organizationId, ['PartyOrganization'], field).id]);
  await lockPlacementAreas(em, communityId, row?.area_id ?? null);
}
