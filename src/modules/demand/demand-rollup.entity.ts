import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { COMMON_SUM_COLUMNS, COMMUNITY_ONLY_COLUMNS } from '../service-data/demand-rollups';

/**
 * The demand roll-ups (src/modules/service-data/demand-rollups.ts computes them). Entities only
 * so that migrations and the schema check know the tables; nothing loads them through the ORM.
 * Columns are declared in a loop from the same lists the SQL is generated from.
 */
function camel(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function declare(target: object, columns: readonly string[]): void {
  for (const column of columns) {
    const type = column === 'close_seconds_sum' ? 'bigint' : 'integer';
    Property({ type, fieldName: column })(target, camel(column));
  }
}

/** Keys are declared in each table, in index order (day or month first: periods are ranges). */
abstract class DemandCells {
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  latest?: Date | null;

  /** The greatest record reference of the cell: 'S:<source>:<sourceId>' or 'R:<request id, 12 digits>'. */
  @Property({ type: 'string', length: 100, nullable: true })
  exemplar?: string | null;
}
declare(DemandCells.prototype, COMMON_SUM_COLUMNS);

abstract class CommunityCells extends DemandCells {}
declare(CommunityCells.prototype, COMMUNITY_ONLY_COLUMNS);

abstract class GridCells extends DemandCells {
  @Property({ type: 'integer' })
  communityId!: number;
}

/** China day × source × category × community. */
@Entity({ tableName: 'demand_daily' })
export class DemandDaily extends CommunityCells {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @PrimaryKey({ type: 'smallint' })
  source!: number;

  @PrimaryKey({ type: 'integer' })
  categoryId!: number;

  @PrimaryKey({ type: 'integer' })
  communityId!: number;
}

/** Month (its first day) × source × category × community. */
@Entity({ tableName: 'demand_monthly' })
export class DemandMonthly extends CommunityCells {
  @PrimaryKey({ type: 'date' })
  month!: string;

  @PrimaryKey({ type: 'smallint' })
  source!: number;

  @PrimaryKey({ type: 'integer' })
  categoryId!: number;

  @PrimaryKey({ type: 'integer' })
  communityId!: number;
}

/** China day × source × category × grid. */
@Entity({ tableName: 'demand_grid_daily' })
export class DemandGridDaily extends GridCells {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @PrimaryKey({ type: 'smallint' })
  source!: number;

  @PrimaryKey({ type: 'integer' })
  categoryId!: number;

  @PrimaryKey({ type: 'integer' })
  gridId!: number;
}

/** Month × source × category × grid. */
@Entity({ tableName: 'demand_grid_monthly' })
export class DemandGridMonthly extends GridCells {
  @PrimaryKey({ type: 'date' })
  month!: string;

  @PrimaryKey({ type: 'smallint' })
  source!: number;

  @PrimaryKey({ type: 'integer' })
  categoryId!: number;

  @PrimaryKey({ type: 'integer' })
  gridId!: number;
}

export const DEMAND_ENTITIES = [DemandDaily, DemandMonthly, DemandGridDaily, DemandGridMonthly];
