import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { UnitKind } from '../unit/unit.entity';
import { AllianceModel, AllianceRole } from './alliance.entity';
import { AreaLevel } from '../area/area.entity';

/** The "3" of "1+3+N" are specific kinds of unit; the other roles take any kind. */
export const ROLE_REQUIRES_KIND: Partial<Record<AllianceRole, UnitKind>> = {
  [AllianceRole.POLICE]: UnitKind.POLICE_STATION,
  [AllianceRole.OWNERS_COMMITTEE]: UnitKind.OWNERS_COMMITTEE,
  [AllianceRole.PROPERTY]: UnitKind.PROPERTY_COMPANY,
};

/** Community alliances sit on a community; a big party committee (大党委) may sit on a street. */
export const MODEL_AREA_LEVELS: Record<AllianceModel, readonly AreaLevel[]> = {
  [AllianceModel.ONE_THREE_N]: [AreaLevel.COMMUNITY],
  [AllianceModel.ONE_N_X]: [AreaLevel.COMMUNITY],
  [AllianceModel.BIG_PARTY_COMMITTEE]: [AreaLevel.COMMUNITY, AreaLevel.STREET],
};

/** The "1": an alliance has one CORE seat, the leading party organisation's unit. */
export const ONE_PER_ALLIANCE: ReadonlySet<AllianceRole> = new Set([AllianceRole.CORE]);

/** Which leaderships a change touched: one alliance's, or every alliance one organisation leads. */
export type LeadershipScope = { allianceId: number } | { organizationId: number };

/**
 * The leading party organisation (the "1") is the alliance area's own: attached to the community
 * (or street) the alliance sits on, or inside it — never another community's committee. Checked
 * after the change is flushed, from both sides: an alliance given a lead, and a leading
 * organisation re-attached to another area (BAD_USER_INPUT on `field`, the transaction rolls back).
 */
export async function assertLeadershipsHold(em: EntityManager, scope: LeadershipScope, field: string): Promise<void> {
  const [condition, value] = 'allianceId' in scope ? ['al.id = ?', scope.allianceId] : ['o.id = ?', scope.organizationId];
  const [breach] = await em.execute<{ alliances: number; alliance: string | null; area: string | null }[]>(
    `select count(*)::int as alliances, min(al.name) as alliance, min(aa.name) as area
       from alliance al
       join area aa on aa.id = al.area_id
       join party_organization o on o.id = al.lead_organization_id
       join area oa on oa.id = o.area_id
      where ${condition} and oa.path not like aa.path || '%'`,
    [value],
  );
  if (breach.alliances > 0) {
    throw badInput(field, `the leading organisation of ${breach.alliance} must be attached to ${breach.area} or an area inside it`);
  }
}
