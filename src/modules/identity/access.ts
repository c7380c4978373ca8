import { forbidden, unauthenticated } from '../../common/errors';
import type { AppContext, Viewer } from '../../context/context';
import { District, type Area } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { STAFF_ROLES } from './access.policy';
import { Role } from './role';

/**
 * Area scope, in one place: which subtrees a viewer may read or act in. Areas are
 * materialised paths (/1/4/17/), so "inside" is a prefix test here and a LIKE in SQL.
 */

/** The viewer's subtrees, or null for everywhere. Anonymous callers have none. */
export function scopePathsOf(viewer: Viewer): string[] | null {
  if (viewer.kind === 'anonymous') return [];
  return viewer.scopePaths;
}

/** Whether the area at `path` lies inside one of the viewer's subtrees. */
export function pathInScope(viewer: Viewer, path: string): boolean {
  const scope = scopePathsOf(viewer);
  return scope === null || scope.some((root) => path.startsWith(root));
}

/**
 * Roles that stand above a community: the street's staff and district administrators, the levels
 * that approve and accept (验收) what a community proposes and does. Community staff and grid
 * workers act for their community, never above it.
 */
const OVERSEEING_ROLES: ReadonlySet<Role> = new Set([Role.DISTRICT_ADMIN, Role.STREET_STAFF]);

/**
 * Whether the viewer acts from above the area at `path`: staff of a level above it (STREET_STAFF,
 * DISTRICT_ADMIN) whose scope holds it through a wider subtree (its street, its district, or
 * everything), not through the area itself. The area's own staff never do, whatever their role:
 * an administrator bound to the community is the community's.
 */
export function actsAbove(viewer: Viewer, path: string): boolean {
  if (viewer.kind !== 'account' || !OVERSEEING_ROLES.has(viewer.role)) return false;
  const scope = scopePathsOf(viewer);
  return scope === null || scope.some((root) => root !== path && path.startsWith(root));
}

/** An area aggregates may report on: `area` is what was asked for (null: everything the viewer may see); `paths` restricts SQL (null: no restriction). */
export interface AreaScope {
  area: Area | null;
  paths: string[] | null;
}

/**
 * Resolves the area argument of an aggregate query (dashboards, statistics, rankings) against
 * the viewer's scope. Without an area, the viewer's own scope is used (a scoped viewer with one
 * subtree gets that area). An area outside the scope is FORBIDDEN; anonymous callers are
 * UNAUTHENTICATED.
 */
export async function authorizeArea(ctx: AppContext, globalId: string | null | undefined, field: string, typeNames: readonly string[] = ALL_AREA_TYPES): Promise<AreaScope> {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  const scope = scopePathsOf(ctx.viewer);
  // Given means given, "" too (an area picker not set yet): loadArea refuses it; it is not "no area".
  if (globalId !== null && globalId !== undefined) {
    const area = await loadArea(ctx.em, globalId, typeNames, field);
    if (!pathInScope(ctx.viewer, area.path)) throw forbidden(`${field} is outside the areas you may see`);
    return { area, paths: [area.path] };
  }
  if (scope === null) return { area: null, paths: null };
  if (scope.length === 1) {
    const area = await ctx.em.findOne('Area', { path: scope[0] });
    return { area: (area as Area | null) ?? null, paths: scope };
  }
  return { area: null, paths: scope };
}

/**
 * The districts a comparison of streets (streetRanking) may cover: those the viewer's scope lies in,
 * so staff, analysts and portals bound to an area compare their street with the others of their
 * district, never another district's. `districtId` (given) must be one of them, else FORBIDDEN.
 * Answers the district paths to restrict to (null: every district).
 */
export async function authorizeDistricts(ctx: AppContext, district: Area | null, field: string): Promise<string[] | null> {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  const scope = scopePathsOf(ctx.viewer);
  if (scope === null) return district ? [district.path] : null;
  const reached = (path: string) => scope.some((root) => root.startsWith(path) || path.startsWith(root));
  if (district) {
    if (!reached(district.path)) throw forbidden(`${field} is outside the areas you may see`);
    return [district.path];
  }
  const districts = await ctx.em.find(District, {}, { fields: ['path'] });
  return districts.map((area) => area.path).filter(reached);
}

/** A SQL condition (and its bindings) restricting `pathColumn` to the scope; `true` when unrestricted. */
export function pathCondition(paths: string[] | null, pathColumn: string): { sql: string; bindings: string[] } {
  if (paths === null) return { sql: 'true', bindings: [] };
  if (paths.length === 0) return { sql: 'false', bindings: [] };
  return { sql: `(${paths.map(() => `${pathColumn} like ?`).join(' or ')})`, bindings: paths.map((path) => `${path}%`) };
}

/**
 * Party members and unit liaisons act only for themselves: a member for their own person
 * (the request dispatched to them, their sign-up, their points), a liaison for their own
 * unit. Staff act for anyone inside their scope (the scope guard checks the rows).
 */
export function assertActsFor(ctx: Pick<AppContext, 'viewer'>, actor: { personId?: number | null; unitId?: number | null }): void {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account') throw unauthenticated();
  if (STAFF_ROLES.has(viewer.role)) return;
  if (viewer.role === Role.PARTY_MEMBER && viewer.personId != null && actor.personId === viewer.personId) return;
  if (viewer.role === Role.UNIT_LIAISON && viewer.unitId != null && actor.unitId === viewer.unitId) return;
  throw forbidden(viewer.role === Role.UNIT_LIAISON ? 'A unit liaison acts only for their own unit' : 'A party member acts only for themselves');
}
