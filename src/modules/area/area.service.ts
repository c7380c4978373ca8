import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { ClassType } from 'type-graphql';
import { badInput, conflict, forbidden, notFound } from '../../common/errors';
import { containsPattern } from '../../common/filters';
import { expectGlobalId } from '../../common/global-id';
import { paginate, type ConnectionResult } from '../../common/pagination';
import { applyPatch, inTransaction, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { pathInScope, scopePathsOf } from '../identity/access';
import { entityManagerRunner, lockRollupsExclusive, refreshRequestRollupsOf } from '../service-data/rollups';
import { REQUEST_DAY_SQL } from '../service-data/time-zone';
import { AREA_CLASS, AREA_TYPE_NAME, Area, AreaLevel, PARENT_LEVEL } from './area.entity';
import { AreaOrderField, type AreaFieldsInput, type AreaListArgs, type UpdateAreaInput } from './area.inputs';
import { assertPlacementsHold } from '../service-post/placements';
import { assertLeadershipsHold } from '../alliance/alliance.leadership';
import { lockPartyTree, reparentAfterAreaMove } from '../party-organization/party-organization.nesting';

export const ALL_AREA_TYPES = Object.values(AREA_TYPE_NAME);

/** Which optional measures each level keeps; anything else is rejected on input. */
const MEASURES_BY_LEVEL: Record<AreaLevel, readonly ('population' | 'households' | 'floors')[]> = {
  [AreaLevel.DISTRICT]: [],
  [AreaLevel.STREET]: [],
  [AreaLevel.COMMUNITY]: ['population', 'households'],
  [AreaLevel.GRID]: ['population', 'households'],
  [AreaLevel.BUILDING]: ['households', 'floors'],
};

/**
 * Loads an area by global ID, checking its type; NOT_FOUND naming `field` when missing.
 */
export async function loadArea<T extends Area = Area>(em: EntityManager, globalId: string, typeNames: readonly string[], field: string): Promise<T> {
  const { id, typeName } = expectGlobalId(globalId, typeNames, field);
  const area = await em.findOne(Area, { id });
  if (!area || area.graphqlTypeName !== typeName) throw notFound(typeName, globalId, field);
  return area as T;
}

/**
 * For writes the scope guard cannot see: rows it lets through as consequences (a point entry, a
 * project's ledger entry) of an act on a record that may itself stay unchanged. FORBIDDEN, as the
 * guard answers, unless the record's area (`areaId`, null for none) is inside the viewer's
 * subtrees; a record belonging to no area only for a viewer bound to no area.
 */
export async function assertAreaWritable(ctx: AppContext, em: EntityManager, areaId: number | null | undefined, what: string): Promise<void> {
  if (scopePathsOf(ctx.viewer) === null) return;
  const area = areaId == null ? null : await em.findOne(Area, { id: areaId });
  if (!area || !pathInScope(ctx.viewer, area.path)) throw forbidden(`This ${what} is outside the areas you may change`);
}

/** Areas read through the API. */
export const areaService = {
  /** A page of one level, filtered and ordered. */
  async list<T extends Area>(ctx: AppContext, entity: ClassType<T>, args: AreaListArgs): Promise<ConnectionResult<T>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    if (filter.within) {
      const ancestor = await loadArea(ctx.em, filter.within, ALL_AREA_TYPES, 'filter.within');
      where.path = { $like: `${ancestor.path}%` };
    }
    if (filter.parentId) {
      where.parent = (await loadArea(ctx.em, filter.parentId, ALL_AREA_TYPES, 'filter.parentId')).id;
    }
    if (filter.search?.trim()) {
      const pattern = containsPattern(filter.search);
      where.$or = [{ name: { $ilike: pattern } }, { code: { $ilike: pattern } }];
    }
    if (filter.codes) where.code = { $in: filter.codes };
    const order = args.orderBy ?? { field: AreaOrderField.CODE, direction: 'ASC' as never };
    return paginate(ctx.em, entity, where as FilterQuery<T>, { property: order.field, direction: order.direction }, args);
  },

  /** Creates an area at `level` under the parent `parentId` points at (none for a district). */
  async create(ctx: AppContext, level: AreaLevel, input: AreaFieldsInput & Record<string, unknown>, parentId?: string, parentField?: string): Promise<Area> {
    validateMeasures(level, input);
    validateCoordinates(input.longitude, input.latitude);
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const parentLevel = PARENT_LEVEL[level];
      // The parent's path is copied into the new area's: no move may rewrite it meanwhile.
      if (parentLevel) await lockAreaTree(em);
      const parent = parentLevel ? await loadArea(em, parentId!, [AREA_TYPE_NAME[parentLevel]], `input.${parentField}`) : null;
      await assertCodeFree(em, input.code);
      const { [parentField ?? '']: _parentId, ...fields } = input;
      // The path includes the area's own id, so the id is taken from the sequence first: the row
      // is written once, complete (the scope guard checks the path it is written with).
      const [{ id }] = await em.execute<{ id: number }[]>(`select nextval(pg_get_serial_sequence('area', 'id'))::int as id`);
      const area = em.create(AREA_CLASS[level] as ClassType<Area>, { ...fields, id, level, parent, path: `${parent?.path ?? '/'}${id}/` } as never);
      await em.flush();
      return area;
    }), 'input.code', () => codeTaken(input.code));
  },

  /** Changes the given fields; moving to another parent rewrites the paths of the whole subtree. */
  async update(ctx: AppContext, globalId: string, input: UpdateAreaInput): Promise<Area> {
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      // A move reads its own and its new parent's paths: take the tree lock before reading either;
      // then the party tree's, as it may re-parent organisations (reparentAfterAreaMove).
      if (input.parentId) {
        await lockAreaTree(em);
        await lockPartyTree(em);
      }
      const area = await loadArea(em, globalId, ALL_AREA_TYPES, 'id');
      validateMeasures(area.level, input);
      validateCoordinates(
        input.longitude === undefined ? area.longitude : input.longitude,
        input.latitude === undefined ? area.latitude : input.latitude,
      );
      if (input.code && input.code !== area.code) await assertCodeFree(em, input.code);
      const { parentId, organizationParentId, ...fields } = input;
      applyPatch(area, fields, ['name', 'code']);
      if (parentId === null && area.level !== AreaLevel.DISTRICT) throw badInput('input.parentId', 'only a district has no parent');
      if (organizationParentId != null && !parentId) throw badInput('input.organizationParentId', 'only with a move (input.parentId)');
      if (parentId) await moveArea(em, area, parentId, organizationParentId);
      await em.flush();
      return area;
    }), 'input.code', () => codeTaken(input.code));
  },
};

/**
 * Serialises the writers that read a materialised path and write it into other rows: area moves
 * (the moved row, its new parent and the subtree) and area creation under a parent. Without it, a
 * grid moved into a community that was itself moving kept the community's old path prefix.
 * Lock order, the same in every writer: this lock first (before any area row is read), then for a
 * move the party-tree lock (party-organization.nesting.ts), then the roll-ups lock EXCLUSIVE for a move that regroups requests (service-data/rollups.ts), then rows:
 * area rows (in id order: the moved area and its subtree) before party organisation rows, as a move writes them
 * (its paths, then the organisations it re-parents); a placement check locks the areas it reads
 * before the organisation it reads FOR SHARE (lockPlacementAreasBefore, service-post/placements.ts).
 * Request steps and imports take the roll-ups lock shared and never this one, so they cannot wait
 * in a cycle with a move.
 */
async function lockAreaTree(em: EntityManager): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('area_tree'), 0)`);
}

async function moveArea(em: EntityManager, area: Area, parentId: string, organizationParentId: string | null | undefined): Promise<void> {
  const parentLevel = PARENT_LEVEL[area.level];
  if (!parentLevel) throw badInput('input.parentId', 'a district has no parent');
  const parent = await loadArea(em, parentId, [AREA_TYPE_NAME[parentLevel]], 'input.parentId');
  if (parent.id === area.parent?.id) return;
  const oldPath = area.path;
  const newPath = `${parent.path}${area.id}/`;
  const regroups = regroupsRequests(oldPath, newPath);
  // Before the paths change: request steps under way finish first, later ones read the new paths.
  if (regroups) await lockRollupsExclusive(entityManagerRunner(em));
  // The moved area and its subtree locked in id order before any is written: the bulk update below
  // takes them in the table's physical order, and writers reading two of them FOR SHARE take them in
  // id order too (lockPlacementAreas: a community and an area under it, whose id may be lower when
  // it was moved in). Any other order deadlocked with one of them.
  await em.execute(`select 1 from "area" where "path" like ? order by "id" for update`, [`${oldPath}%`]);
  area.parent = parent;
  area.path = newPath;
  await em.flush();
  // Descendants keep their own suffix under the new prefix.
  await em.execute(`update "area" set "path" = ? || substr("path", ?) where "path" like ? and "id" <> ?`, [newPath, oldPath.length + 1, `${oldPath}%`, area.id]);
  // A grid branch moved with its grid must not take members who live in the old community along.
  if (communityAndGrid(oldPath).community !== communityAndGrid(newPath).community) await assertPlacementsHold(em, { areaPathPrefix: newPath }, 'input.parentId');
  // Nor may a leading organisation leave its alliance's area, or an alliance its leading organisation's.
  await assertLeadershipsHold(em, { areaPathPrefix: newPath }, 'input.parentId');
  // Then the party organisations it carries keep their parents on their new line of the area tree
  // (after the refusals about people and alliances, which a new parent cannot cure).
  await reparentAfterAreaMove(em, newPath, organizationParentId);
  if (regroups) await refreshRollupsOfSubtree(em, oldPath, newPath);
}

/** The community and grid ids a materialised path names (/district/street/community/grid/…; '' where it stops above). */
function communityAndGrid(path: string): { community: string; grid: string } {
  const [, , , community = '', grid = ''] = path.split('/');
  return { community, grid };
}

/** Whether moving the area at `oldPath` to `newPath` files its requests under another community or grid. */
function regroupsRequests(oldPath: string, newPath: string): boolean {
  const [before, after] = [communityAndGrid(oldPath), communityAndGrid(newPath)];
  return before.community !== after.community || before.grid !== after.grid;
}

/**
 * The demand roll-ups file each request under the community and grid its place's path names
 * (/district/street/community/grid/…); after a move the subtree's requests may belong elsewhere,
 * so the two communities' rows are recomputed on the days those requests were received — not
 * every community over the whole span, which held back request steps for the move's length.
 * Only for moves that regroup requests: a street or community keeps its communities and grids.
 */
async function refreshRollupsOfSubtree(em: EntityManager, oldPath: string, newPath: string): Promise<void> {
  const communities = [...new Set([oldPath, newPath].map((path) => communityAndGrid(path).community).filter((id) => id !== '').map(Number))];
  const days = await em.execute<{ day: string }[]>(
    `select distinct ${REQUEST_DAY_SQL}::text as day from request q join area a on a.id = q.area_id where a.path like ?`,
    [`${newPath}%`],
  );
  if (days.length) await refreshRequestRollupsOf(entityManagerRunner(em), days.map((d) => d.day), communities);
}

const codeTaken = (code: string | null | undefined) => conflict(`an area with code "${code}" already exists`, 'input.code');

/** Refuses a code already in use; one that races past this check gets the same answer (sameConflictWhenRaced). */
async function assertCodeFree(em: EntityManager, code: string): Promise<void> {
  const existing = await em.findOne(Area, { code }, { fields: ['id', 'level'] as never });
  if (existing) throw codeTaken(code);
}

function validateMeasures(level: AreaLevel, given: object): void {
  const input = given as Record<string, unknown>;
  for (const measure of ['population', 'households', 'floors'] as const) {
    if (input[measure] != null && !MEASURES_BY_LEVEL[level].includes(measure)) {
      throw badInput(`input.${measure}`, `is not kept for a ${AREA_TYPE_NAME[level]}`);
    }
  }
}

function validateCoordinates(longitude: number | null | undefined, latitude: number | null | undefined): void {
  if ((longitude == null) !== (latitude == null)) throw badInput(longitude == null ? 'input.longitude' : 'input.latitude', 'longitude and latitude go together');
}
