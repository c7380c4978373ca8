import { rankDemand, type DemandCell, type DemandRow } from '../../../analytics';
import { chinaDayOf } from '../../common/dates';
import type { AppContext } from '../../context/context';
import { poolRunner, translateDemandError } from '../demand/demand.service';

/**
 * THE one place suggestions get their demand from: the demand ranking itself, one cell per
 * (category × community) in the scope and period, consultations excluded, service records and
 * requests together. C is the cell's TOPSIS closeness, so a project is worth what the ranking
 * says its demand is worth, and every metric of the ranking row travels with the cell.
 */

export interface DemandScope {
  /** Area-path prefixes to restrict to (from authorizeArea), or null for everything. */
  paths: string[] | null;
}

export interface DemandPeriod {
  /** First and last China-time day, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

export interface DemandCells {
  cells: DemandCell[];
  /** How C was computed, stated in every suggestion's assumptions. */
  scoreSource: string;
  /** The latest day with any record in the period (null when none), and the records the ranking counted. */
  snapshot: { latestDay: string | null; recordsCounted: number };
}

export const SCORE_SOURCE = 'the demand ranking\'s TOPSIS closeness of the cell (demandRanking grouped by CATEGORY and COMMUNITY, both sources, consultations excluded, minSupport 1, same period and area)';

/** `now`: the instant the ranking is computed for (its surge and trend depend on how much of the period has gone by). */
export async function loadDemandCells(ctx: AppContext, scope: DemandScope, period: DemandPeriod, now: Date): Promise<DemandCells> {
  const result = await translateDemandError(() =>
    rankDemand(poolRunner(ctx.em.getKnex()), {
      from: period.from, to: period.to, areaPaths: scope.paths, groupBy: ['CATEGORY', 'COMMUNITY'], sources: 'BOTH',
      includeConsultations: false, minSupport: 1, topN: 1, allRows: true, evidencePerRow: 0, now,
    }),
  );
  const cells = result.rows.filter((row) => row.metrics.volume > 0).map(toCell);
  cells.sort((a, b) => a.communityId - b.communityId || a.categoryId - b.categoryId);
  const latest = result.snapshot.latestRecordAt;
  return { cells, scoreSource: SCORE_SOURCE, snapshot: { latestDay: latest ? chinaDayOf(latest) : null, recordsCounted: result.snapshot.recordsCounted } };
}

function toCell(row: DemandRow): DemandCell {
  // Only the numeric metrics travel (trendMethod is a word, not a number).
  const metrics: Record<string, number | null> = {};
  const all = row.metrics as unknown as Record<string, unknown>;
  for (const name in all) {
    const value = all[name];
    if (typeof value === 'number' || value === null) metrics[name] = value;
  }
  return {
    categoryId: row.key.categoryId!,
    communityId: row.key.communityId!,
    volume: row.metrics.volume,
    score: row.score,
    vulnerableShare: row.metrics.vulnerableShare,
    metrics,
    label: row.label,
  };
}
