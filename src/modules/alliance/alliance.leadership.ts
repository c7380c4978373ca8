import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';

// The leading organisation rule, apart from alliance.rules.ts: area moves (area.service) check it
// too, and that module is loaded before the entities alliance.rules.ts reads (an import cycle).

/**
 * Which leaderships a change touched: one alliance's, every alliance one organisation leads, or
 * every alliance sitting in or led from a moved subtree of the area tree (its new path prefix).
 */
export type LeadershipScope = { allianceId: number } | { organizationId: number } | { areaPathPrefix: string };

/**
 * The leading party organisation (the "1") is the alliance area's own: attached to the community
 * (or street) the alliance sits on, or inside it — never another community's committee. Checked
 * after the change is flushed, from every side: an alliance given a lead, a leading organisation
 * re-attached to another area, and an area moved with a lead or an alliance in it (BAD_USER_INPUT
 * on `field`, the transaction rolls back).
 */
export async function assertLeadershipsHold(em: EntityManager, scope: LeadershipScope, field: string): Promise<void> {
  const [condition, values] =
    'allianceId' in scope ? ['al.id = ?', [scope.allianceId]]
    : 'organizationId' in scope ? ['o.id = ?', [scope.organizationId]]
    : ['(oa.path like ? or aa.path like ?)', [`${scope.areaPathPrefix}%`, `${scope.areaPathPrefix}%`]];
  const [breach] = await em.execute<{ alliances: number; alliance: string | null; area: string | null }[]>(
    `select count(*)::int as alliances, min(al.name) as alliance, min(aa.name) as area
       from alliance al
       join area aa on aa.id = al.area_id
       join party_organization o on o.id = al.lead_organization_id
       join area oa on oa.id = o.area_id
      where ${condition} and oa.path not like aa.path || '%'`,
    values,
  );
  if (breach.alliances > 0) {
    throw badInput(field, `the leading organisation of ${breach.alliance} must be attached to ${breach.area} or an area inside it`);
  }
}
