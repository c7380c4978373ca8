/**
 * Turning roll-up rows into cells: the cell key of a (what, unit) row for the requested
 * dimensions, and the resident-group unpivot (a row's g_* columns become one row per group).
 */
import { GROUP_COLUMNS, UNKNOWN_GROUP } from '../sources/demand-tables';
import type { CellRow } from './source';
import type { Scope } from './scope';
import type { DemandDimension, DemandKey } from './types';

export interface CellShape {
  what: 'category' | 'item' | null;
  area: 'COMMUNITY' | 'GRID' | null;
  byGroup: boolean;
}

export function shapeOf(groupBy: readonly DemandDimension[]): CellShape {
  return {
    what: groupBy.includes('CATEGORY') ? 'category' : groupBy.includes('SERVICE_ITEM') ? 'item' : null,
    area: groupBy.includes('COMMUNITY') ? 'COMMUNITY' : groupBy.includes('GRID') ? 'GRID' : null,
    byGroup: groupBy.includes('RESIDENT_GROUP'),
  };
}

export const GROUPS: readonly [column: string, name: string][] = [...GROUP_COLUMNS.map(([c, , g]) => [c, g] as [string, string]), ['g_unknown', UNKNOWN_GROUP]];

/** The area id of a unit for the cell's area dimension (a grid's community, or the grid itself). */
export function areaOf(shape: CellShape, scope: Scope, unit: number): number | null {
  if (!shape.area) return null;
  if (shape.area === 'GRID') return unit;
  return scope.unitLevel === 'GRID' ? (scope.units.get(unit)?.communityId ?? null) : unit;
}

export function keyOf(shape: CellShape, what: number, area: number | null, group: string | null): { id: string; key: DemandKey } {
  const key: DemandKey = {};
  if (shape.what === 'category') key.categoryId = what;
  if (shape.what === 'item') key.serviceItemId = what;
  if (shape.area === 'COMMUNITY' && area !== null) key.communityId = area;
  if (shape.area === 'GRID' && area !== null) key.gridId = area;
  if (shape.byGroup && group) key.residentGroup = group;
  return { id: `${shape.what ? what : '-'}|${area ?? '-'}|${group ?? '-'}`, key };
}

/** A row of a cell: its key, and the row's numbers (for a group cell, the group's demand count as `demands`). */
export interface KeyedRow {
  id: string;
  key: DemandKey;
  row: CellRow;
  /** Demands of the row in this cell (the group's count for group cells). */
  demands: number;
  consultations: number;
}

/** Every cell a roll-up row contributes to (one, or one per group with any demands). */
export function explode(shape: CellShape, scope: Scope, row: CellRow): KeyedRow[] {
  const area = areaOf(shape, scope, row.unit);
  if (shape.area && area === null) return [];
  if (!shape.byGroup) {
    const { id, key } = keyOf(shape, row.what, area, null);
    return [{ id, key, row, demands: row.values.demands ?? 0, consultations: row.values.consultations ?? 0 }];
  }
  const out: KeyedRow[] = [];
  for (const [column, group] of GROUPS) {
    const n = row.values[column] ?? 0;
    if (n <= 0) continue;
    const { id, key } = keyOf(shape, row.what, area, group);
    out.push({ id, key, row, demands: n, consultations: 0 });
  }
  return out;
}
