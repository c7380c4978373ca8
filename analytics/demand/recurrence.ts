/**
 * Recurrence: the share of requests in the period that repeat one of the same category from the
 * same building within the 90 days before. Read from the request table itself (requests are
 * few: thousands a year per district, not millions); one-window records keep no address, so
 * they have no recurrence. Only requests located at a building count (numerator and denominator).
 */
import type { SqlRunner } from '../sources/sql';
import { keyOf, type CellShape } from './cells';
import type { Scope } from './scope';

export const RECURRENCE_WINDOW_DAYS = 90;

export async function readRecurrence(db: SqlRunner, shape: CellShape, scope: Scope, from: string, to: string): Promise<Map<string, number>> {
  const { rows } = await db.query(
    `with located as (
       select q.id, q.category_id, q.area_id, q.created_at, q.resident_group, a.path
         from request q join area a on a.id = q.area_id
        where a.level = 'BUILDING'
          and q.created_at >= ($1::date - ${RECURRENCE_WINDOW_DAYS})::timestamp at time zone 'Asia/Shanghai'
          and q.created_at < ($2::date + 1)::timestamp at time zone 'Asia/Shanghai'
     ), marked as (
       select *, lag(created_at) over (partition by category_id, area_id order by created_at, id) as previous from located
     )
     select category_id, split_part(path, '/', 4)::int as community_id, split_part(path, '/', 5)::int as grid_id, coalesce(resident_group, 'UNKNOWN') as grp,
            count(*)::int as n,
            (count(*) filter (where previous >= created_at - interval '${RECURRENCE_WINDOW_DAYS} days'))::int as repeats
       from marked
      where created_at >= $1::date::timestamp at time zone 'Asia/Shanghai'
      group by 1, 2, 3, 4`,
    [from, to],
  );
  const totals = new Map<string, [number, number]>();
  for (const row of rows) {
    const community = Number(row.community_id);
    const grid = Number(row.grid_id);
    const unit = scope.unitLevel === 'GRID' ? grid : community;
    if (!scope.units.has(unit)) continue;
    const area = shape.area === 'GRID' ? grid : shape.area === 'COMMUNITY' ? community : null;
    const { id } = keyOf(shape, Number(row.category_id), area, shape.byGroup ? String(row.grp) : null);
    const t = totals.get(id) ?? [0, 0];
    t[0] += Number(row.n);
    t[1] += Number(row.repeats);
    totals.set(id, t);
  }
  return new Map([...totals].map(([id, [n, repeats]]) => [id, Math.round((repeats / n) * 1e6) / 1e6]));
}
