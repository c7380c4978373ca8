import type { SqlRunner } from '../sources/sql';
import type { ReadMode } from './source';

/** An area the cells are broken down by: a community (or a grid in GRID mode). */
export interface Unit {
  id: number;
  communityId: number;
  label: string;
  population: number | null;
}

export interface Scope {
  /** 'GRID' when the scope is below a community or cells are per grid. */
  unitLevel: 'COMMUNITY' | 'GRID';
  units: Map<number, Unit>;
  /** Unit ids to filter the roll-ups by, or null when the scope is everything. */
  filter: number[] | null;
  /** Residents of the whole scope (sum of the units' populations, hasPopulation; null if none is known). */
  population: number | null;
  communityCount: number;
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/**
 * Resolves area path prefixes to the units the roll-ups are read by. Paths at community level
 * or above read community roll-ups (unless `perGrid`); a grid's path (or a building's, widened
 * to its grid: the roll-ups stop at grids) reads the grid roll-ups.
 */
export async function resolveScope(db: SqlRunner, areaPaths: string[] | null, perGrid: boolean): Promise<Scope> {
  const paths = areaPaths?.map((p) => (depth(p) > 4 ? `/${p.split('/').filter(Boolean).slice(0, 4).join('/')}/` : p)) ?? null;
  const gridLevel = perGrid || (paths?.some((p) => depth(p) >= 4) ?? false);
  const level = gridLevel ? 'GRID' : 'COMMUNITY';
  const where = paths === null ? 'true' : paths.length === 0 ? 'false' : `(${paths.map((_, i) => `a.path like $${i + 2}`).join(' or ')})`;
  const { rows } = await db.query(
    `select a.id, a.name, a.population, a.path from area a where a.level = $1 and ${where} order by a.id`,
    [level, ...(paths ?? []).map((p) => `${p}%`)],
  );
  const units = new Map<number, Unit>();
  for (const row of rows) {
    const id = Number(row.id);
    units.set(id, { id, communityId: Number(String(row.path).split('/').filter(Boolean)[2]), label: String(row.name), population: row.population === null ? null : Number(row.population) });
  }
  const known = [...units.values()].filter(hasPopulation);
  return {
    unitLevel: level,
    units,
    filter: paths === null ? null : [...units.keys()],
    population: known.length ? known.reduce((s, u) => s + u.population!, 0) : null,
    communityCount: new Set([...units.values()].map((u) => u.communityId)).size,
  };
}

/**
 * Whether a unit's residents are known. A rate per residents counts these units alone, their
 * demand over their residents (ratePer10k, demandHotspots): the demand of a unit with no population
 * recorded has no residents to be divided by, and over the others' it would raise the rate.
 */
export function hasPopulation(unit: Unit | undefined): unit is Unit & { population: number } {
  return unit !== undefined && unit.population !== null && unit.population > 0;
}

export function readModeFor(scope: Scope, byItem: boolean): ReadMode {
  if (byItem) return 'ITEM';
  return scope.unitLevel === 'GRID' ? 'GRID' : 'COMMUNITY';
}

/** Names of categories (with their parent's name) or service items, by id. */
export async function readLabels(db: SqlRunner, what: 'category' | 'item', ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const sql =
    what === 'category'
      ? `select c.id, coalesce(p.name || ' / ', '') || c.name as label from request_category c left join request_category p on p.id = c.parent_id where c.id = any($1::int[])`
      : `select i.id, i.name as label from service_item i where i.id = any($1::int[])`;
  const { rows } = await db.query(sql, [ids]);
  return new Map(rows.map((row) => [Number(row.id), String(row.label)]));
}
