import { assertPeriodDay, resolvePeriod } from '../../common/dates';
import type { Knex } from '@mikro-orm/postgresql';
import {
  DemandInputError, demandHotspots, demandSeries, rankDemand, type DemandHotspot, type DemandHotspotsResult, type DemandRankingResult, type DemandRow, type DemandSeriesResult, type SqlRunner,
} from '../../../analytics';
import { badInput } from '../../common/errors';
import { expectGlobalId, toGlobalId } from '../../common/global-id';
import { maskPersonalNumbersInKey, maySeePersonalData } from '../../common/privacy';
import {
  MIN_CELL_RECORDS, SMALL_CELL_REASON, SUPPRESSED_COUNT_REASON, figureShown, hiddenCounts, isSmallCount, ratedComplement, suppressedCells, suppressesSmallCounts, suppressesTotal, withholdsRow, withoutSmallCellDetails, withoutSmallCountFigures,
} from '../../common/disclosure';
import { chinaMidnightAtOrBefore } from '../dashboard/dashboard.rules';
import type { AppContext } from '../../context/context';
import { authorizeArea } from '../identity/access';
import { type DemandHotspotsInput, type DemandRankingInput, type DemandSeriesInput } from './demand.inputs';
import type { DemandHotspots, DemandRanking, DemandRankingRow, DemandResidentGroup, DemandSeries } from './demand.types';


/** Runs analytics SQL on the ORM's pool, one pooled connection per statement (so independent reads run in parallel). */
export function poolRunner(knex: Knex): SqlRunner {
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      const connection = (await knex.client.acquireConnection()) as { query(sql: string, params: unknown[]): Promise<{ rows: R[] }> };
      try {
        return { rows: (await connection.query(sql, params)).rows };
      } finally {
        await knex.client.releaseConnection(connection);
      }
    },
  };
}

/** Analytics input errors become BAD_USER_INPUT naming `input.<field>`. */
export async function translateDemandError<T>(work: () => Promise<T>, fields: Record<string, string> = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // `fields` renames an analytics field that is not one of the GraphQL input's (a series' `key`).
    if (error instanceof DemandInputError) throw badInput(`input.${fields[error.field] ?? error.field}`, error.message);
    throw error;
  }
}

const SERVICE_RECORD_EVIDENCE = /^(ServiceRecord:[a-z0-9_-]+:)(.*)$/s;

/**
 * An evidence id as this viewer may see it: a ServiceRecord reference whose source id is, or holds,
 * a personal number (a mapping that took the wrong column for sourceId; a key composed of one) is
 * masked for viewers who may not see personal data; ordinary record keys and request ids stay as
 * they are, traceable.
 */
function evidenceIdFor(seesPersonalData: boolean, id: string): string {
  const reference = seesPersonalData ? null : SERVICE_RECORD_EVIDENCE.exec(id);
  return reference ? `${reference[1]}${maskPersonalNumbersInKey(reference[2])}` : id;
}

/**
 * A shown row without the counts a portal may not read (withoutSmallCountFigures, disclosure.ts):
 * nulled (the fields are nullable), each with a note; the rate's note quoting those counts goes.
 */
function withoutSmallCounts(row: DemandRankingRow, baselineVolume: number | undefined): DemandRankingRow {
  const { metrics, hidden } = withoutSmallCountFigures(row.metrics, baselineVolume, row.communityId !== null || row.gridId !== null);
  if (hidden.length === 0) return row;
  return {
    ...row,
    metrics,
    notes: [...row.notes.filter((note) => !hidden.includes(note.metric)), ...hidden.map((metric) => ({ metric, reason: SUPPRESSED_COUNT_REASON }))],
  };
}

/** The pool an area cell's rate is smoothed in (analytics' ebByPool): the cells alike but for the area. */
const poolOf = (key: DemandRow['key']) => `${key.categoryId ?? key.serviceItemId ?? '-'}|${key.residentGroup ?? '-'}`;

/**
 * A portal's smoothed rates by area without the pool's rate r̄ (Σ demands ÷ Σ residents of every area
 * of the pool) behind them: r̄ × the residents (readable on the areas) less the rows shown gives the
 * rows withheld (`withheld`: their keys) back. Null, with a note, where r̄ stands in for an area with
 * no population (it is r̄), and in a pool holding a cell withheld or with its rate nulled (`unread`;
 * each smoothed rate is drawn towards r̄, and a few of them beside their own rates give it). A cell
 * without an area is its own rate.
 */
function withoutPooledRates(unread: DemandRow['key'][]): (row: DemandRankingRow) => DemandRankingRow {
  const tainted = new Set(unread.map(poolOf));
  return (row) => {
    const byArea = row.key.communityId !== undefined || row.key.gridId !== undefined;
    if (!byArea || row.metrics.smoothedRatePer10k === null) return row;
    if (row.metrics.population !== null && !tainted.has(poolOf(row.key))) return row;
    return {
      ...row,
      metrics: { ...row.metrics, smoothedRatePer10k: null },
      notes: [...row.notes.filter((note) => note.metric !== 'smoothedRatePer10k'), { metric: 'smoothedRatePer10k', reason: POOLED_RATE_REASON }],
    };
  };
}
const POOLED_RATE_REASON = `drawn from the rate of its pool (all areas of the cell's kind), which counts rows of fewer than ${MIN_CELL_RECORDS} records withheld from portals: with the areas' residents it would give them back`;

function toRow(row: DemandRow, seesPersonalData: boolean, includeConsultations: boolean): DemandRankingRow {
  // Small cells (disclosure.ts): their count and score, not how their few cases went, nor which they are.
  // The details are the demands' (consultations are counted in volume only when asked for).
  const demands = row.metrics.volume - (includeConsultations ? row.metrics.consultations : 0);
  const small = seesPersonalData ? null : withoutSmallCellDetails(row.metrics, { demands, ratings: row.ratings, timed: row.timed });
  const evidenceHidden = !figureShown(!seesPersonalData, demands) && row.evidenceIds.length > 0;
  // A reason quoting a hidden rate would tell it all the same.
  const topicOfMonth = small?.hidden.includes('resolutionGap') ? withoutResolutionQuote(row.topicOfMonth) : row.topicOfMonth;
  return {
    key: row.key,
    categoryId: row.key.categoryId !== undefined ? toGlobalId('RequestCategory', row.key.categoryId) : null,
    serviceItemId: row.key.serviceItemId !== undefined ? toGlobalId('ServiceItem', row.key.serviceItemId) : null,
    communityId: row.key.communityId !== undefined ? toGlobalId('Community', row.key.communityId) : null,
    gridId: row.key.gridId !== undefined ? toGlobalId('Grid', row.key.gridId) : null,
    residentGroup: (row.key.residentGroup ?? null) as DemandResidentGroup | null,
    label: row.label,
    metrics: small ? small.metrics : row.metrics,
    score: row.score,
    rank: row.rank,
    topicOfMonth,
    evidenceIds: evidenceHidden ? [] : row.evidenceIds.map((id) => evidenceIdFor(seesPersonalData, id)),
    notes: [
      ...row.notes,
      ...(small?.hidden ?? []).map((metric) => ({ metric, reason: SMALL_CELL_REASON })),
      ...(evidenceHidden ? [{ metric: 'evidenceIds', reason: SMALL_CELL_REASON }] : []),
    ],
    belowSupportReason: row.belowSupportReason ?? null,
  };
}

/** The topic-of-the-month reasons without the cell's resolution rate (hidden in a small cell). */
function withoutResolutionQuote(topic: DemandRow['topicOfMonth']): DemandRow['topicOfMonth'] {
  const neutral = (text: string) => (/^resolved \d/.test(text) ? `resolution not shown (${SMALL_CELL_REASON})` : text);
  return { ...topic, reasons: topic.reasons.map(neutral), missing: topic.missing.map(neutral) };
}

/**
 * A series as a viewer who `suppresses` small counts reads it (disclosure.ts): a point of 1-4
 * records without its counts, with its complement (the total less the points shown gives no small
 * count back); open, finished and the rest (volume less them) judged as columns of their own, and
 * hidden together (volume = open + finished + rest: one hidden, the other two give it back); the
 * total null when it is 1-4 itself; the Sen slope, a median of differences between points, not
 * beside suppressed points (one difference is often the slope).
 */
function seriesFor(suppresses: boolean, series: DemandSeriesResult): DemandSeries {
  // The rest as a reader works it out from the point: volume less open and finished. Open and
  // finished count demands only; volume counts consultations too when asked for, and then the rest
  // is the cancelled demands and the consultations (no group: both null, nothing to work out).
  const points = suppressedCells(suppresses, series.points, ['volume', 'open', 'finished'] as const, {
    size: (point) => point.volume, counts: ['open', 'finished'], remainder: { of: 'volume', parts: ['open', 'finished'] },
  });
  const totalSuppressed = suppressesTotal(suppresses, series.total);
  const trend = series.trend && points.some((point) => point.volume === null) ? { ...series.trend, senSlope: null } : series.trend;
  return { ...series, points, total: totalSuppressed ? null : series.total, totalSuppressed, trend };
}

/**
 * A hot-spot list as a viewer who `suppresses` small counts reads it, judged over every area before
 * the list is cut to `limit` (the residents of areas left off are readable elsewhere): an area of 1-4
 * demands (and its complement, disclosure.ts) without its count and the figures that give it back
 * (expected, z, rates, hot). The parent's rate × the residents gives the demands it counts (those of
 * areas with a population), and less the areas' shown (rate × population) the hidden ones': their
 * complement is chosen among the areas the rate counts (ratedComplement), and the rate is null when
 * what it gives back is still 1-4, with every area's expected, z and ratio (each gives the rate back).
 * Hidden areas come after the shown ones in a neutral order (by label), so their place tells no z.
 */
function hotspotsFor(suppresses: boolean, result: DemandHotspotsResult, limit: number): Omit<DemandHotspotsResult, 'areas'> & { areas: HotspotShown[] } {
  if (!suppresses) return { ...result, areas: result.areas.slice(0, limit).map((area) => ({ ...area, suppressed: false })) };
  // What the rate counts per area: its ratePer10k × population (an area with none counts nothing).
  const rated = result.areas.map((area) => (area.ratePer10k !== null && area.population ? Math.round((area.ratePer10k * area.population) / 1e4) : 0));
  const byVolume = hiddenCounts(true, result.areas.map((area) => area.volume));
  const hidden = ratedComplement(rated, byVolume);
  const parentCount = result.parentRatePer10k === null ? 0 : Math.round((result.parentRatePer10k * result.areas.reduce((sum, area) => sum + (area.population ?? 0), 0)) / 1e4);
  const rateHidden = isSmallCount(parentCount - rated.reduce((sum, count, i) => sum + (hidden[i] ? 0 : count), 0));
  const areas: HotspotShown[] = result.areas.map((area, i) => ({
    ...area,
    ...(hidden[i] ? { volume: null, expected: null, z: null, ratePer10k: null, smoothedRateRatio: null, hot: null } : {}),
    ...(rateHidden ? { expected: null, z: null, smoothedRateRatio: null } : {}),
    suppressed: hidden[i],
  }));
  const neutral = (a: HotspotShown, b: HotspotShown) => a.label.localeCompare(b.label) || (a.communityId ?? a.gridId ?? 0) - (b.communityId ?? b.gridId ?? 0);
  const ordered = [...areas.filter((area) => !area.suppressed), ...areas.filter((area) => area.suppressed).sort(neutral)];
  return { ...result, parentRatePer10k: rateHidden ? null : result.parentRatePer10k, areas: ordered.slice(0, limit) };
}
type HotspotShown = Omit<DemandHotspot, 'volume' | 'expected' | 'z' | 'ratePer10k' | 'smoothedRateRatio' | 'hot'> & {
  volume: number | null; expected: number | null; z: number | null; ratePer10k: number | null; smoothedRateRatio: number | null; hot: boolean | null; suppressed: boolean;
};

/** Demand ranking, series and hot spots: input checks and area scope here, the numbers in analytics/. */
export const demandService = {
  async ranking(ctx: AppContext, input: DemandRankingInput): Promise<DemandRanking> {
    const { from, to } = resolvePeriod(ctx.now(), input);
    if (!input.groupBy || input.groupBy.length < 1 || input.groupBy.length > 2) throw badInput('input.groupBy', 'give 1 or 2 dimensions');
    if (!Number.isInteger(input.minSupport) || input.minSupport < 0) throw badInput('input.minSupport', 'must be a whole number ≥ 0');
    if (!Number.isInteger(input.topN) || input.topN < 1 || input.topN > 100) throw badInput('input.topN', 'must be 1-100');
    let baselineFrom = input.baselineFrom;
    let baselineTo = input.baselineTo;
    if (input.baseline && (baselineFrom || baselineTo)) throw badInput('input.baseline', 'give baseline or baselineFrom/baselineTo, not both');
    if (baselineFrom) assertPeriodDay(baselineFrom, 'input.baselineFrom');
    if (baselineTo) assertPeriodDay(baselineTo, 'input.baselineTo');
    const policyWeights: Record<string, number> = {};
    for (const [i, w] of (input.policyWeights ?? []).entries()) {
      if (!(w.weight >= 0 && w.weight <= 10)) throw badInput(`input.policyWeights[${i}].weight`, 'a weight is 0-10');
      policyWeights[w.metric] = w.weight;
    }
    const { paths } = await authorizeArea(ctx, input.areaId, 'input.areaId');
    const result: DemandRankingResult = await translateDemandError(() =>
      rankDemand(poolRunner(ctx.em.getKnex()), {
        from, to, baselineFrom, baselineTo, baselineKind: input.baseline, areaPaths: paths, groupBy: input.groupBy, sources: input.sources, includeConsultations: input.includeConsultations,
        minSupport: input.minSupport, policyWeights: input.policyWeights ? policyWeights : undefined, topN: input.topN, now: ctx.now(),
        // A portal's rows are judged against every cell of their pools (withoutPooledRates), then cut to topN.
        allRows: suppressesSmallCounts(ctx.viewer),
      }),
    );
    ctx.logger.debug({ timings: result.timings }, 'demand ranking');
    // Each row remembers where its free text lies, for residentsSay (one batched statement for all rows).
    const texts = (row: DemandRankingRow): DemandRankingRow => ({ ...row, textScope: { key: row.key, from, to, paths, sources: input.sources } });
    const seesPersonalData = maySeePersonalData(ctx.viewer);
    const suppresses = suppressesSmallCounts(ctx.viewer);
    // A portal reads no row of 1-4 demands, records or consultations (disclosure.ts): left out, as the
    // types keep their counts non-null; the rows shown keep their computed ranks.
    const includeConsultations = input.includeConsultations ?? false;
    const shown = (ranked: DemandRow) => !withholdsRow(suppresses, [ranked.metrics.volume, ranked.metrics.volume - (includeConsultations ? ranked.metrics.consultations : 0), ranked.metrics.consultations]);
    const row = (ranked: DemandRow) => {
      const out = toRow(ranked, seesPersonalData, includeConsultations);
      return texts(suppresses ? withoutSmallCounts(out, ranked.baselineVolume) : out);
    };
    const top = result.rows.slice(0, input.topN);
    const cells = [...result.rows, ...result.belowSupport];
    const rowOf = new Map(cells.map((cell) => [cell, row(cell)] as const));
    // The cells whose counts a portal may not read (the rows withheld, the rates nulled), in whichever pool they are.
    const unread = suppresses ? cells.filter((cell) => !shown(cell) || (cell.metrics.ratePer10k !== null && rowOf.get(cell)!.metrics.ratePer10k === null)) : [];
    const pooled = suppresses ? withoutPooledRates(unread.map((cell) => cell.key)) : (shownRow: DemandRankingRow) => shownRow;
    const rows = top.filter(shown).map((cell) => pooled(rowOf.get(cell)!));
    const belowSupport = result.belowSupport.filter(shown).map((cell) => pooled(rowOf.get(cell)!));
    const rowsWithheld = top.length + result.belowSupport.length - rows.length - belowSupport.length;
    // The latest record's moment, to the second, is one resident's visit: its China day tells a portal how fresh the data are.
    const latestRecordAt = seesPersonalData || !result.snapshot.latestRecordAt ? result.snapshot.latestRecordAt : chinaMidnightAtOrBefore(result.snapshot.latestRecordAt);
    // The whole count less the rows shown would give the rows withheld: a portal reads the rows shown, summed.
    const recordsCounted = suppresses ? [...rows, ...belowSupport].reduce((sum, shownRow) => sum + shownRow.metrics.volume, 0) : result.snapshot.recordsCounted;
    return { ...result, snapshot: { latestRecordAt, recordsCounted, rowsWithheld }, rows, belowSupport };
  },

  async series(ctx: AppContext, input: DemandSeriesInput): Promise<DemandSeries> {
    const { from, to } = resolvePeriod(ctx.now(), input);
    const { paths } = await authorizeArea(ctx, input.areaId, 'input.areaId');
    const key: { categoryId?: number; communityId?: number; gridId?: number; residentGroup?: string } = {};
    if (input.categoryId) key.categoryId = expectGlobalId(input.categoryId, ['RequestCategory'], 'input.categoryId').id;
    if (input.cellAreaId) {
      const decoded = expectGlobalId(input.cellAreaId, ['Community', 'Grid'], 'input.cellAreaId');
      await authorizeArea(ctx, input.cellAreaId, 'input.cellAreaId');
      if (decoded.typeName === 'Grid') key.gridId = decoded.id;
      else key.communityId = decoded.id;
    }
    if (input.residentGroup && input.cellResidentGroup) throw badInput('input.cellResidentGroup', 'give residentGroup or cellResidentGroup, not both');
    if (input.residentGroup) key.residentGroup = input.residentGroup;
    if (input.cellResidentGroup) key.residentGroup = input.cellResidentGroup;
    // Of the key, only the cell's area can be refused here (the area outside areaId): the form's field is cellAreaId.
    const series = await translateDemandError(
      () => demandSeries(poolRunner(ctx.em.getKnex()), { from, to, now: ctx.now(), areaPaths: paths, key, interval: input.interval, sources: input.sources, includeConsultations: input.includeConsultations }),
      { key: 'cellAreaId', residentGroup: input.cellResidentGroup ? 'cellResidentGroup' : 'residentGroup' },
    );
    return seriesFor(suppressesSmallCounts(ctx.viewer), series);
  },

  async hotspots(ctx: AppContext, input: DemandHotspotsInput): Promise<DemandHotspots> {
    const { from, to } = resolvePeriod(ctx.now(), input);
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 100) throw badInput('input.limit', 'must be 1-100');
    const categoryId = expectGlobalId(input.categoryId, ['RequestCategory'], 'input.categoryId').id;
    const { paths } = await authorizeArea(ctx, input.areaId, 'input.areaId');
    const result = await translateDemandError(() =>
      // Every area: a portal's suppression is judged over all of them before the list is cut (hotspotsFor).
      demandHotspots(poolRunner(ctx.em.getKnex()), { from, to, areaPaths: paths, categoryId, level: input.level, sources: input.sources, includeConsultations: input.includeConsultations, limit: Number.MAX_SAFE_INTEGER }),
    );
    const shown = hotspotsFor(suppressesSmallCounts(ctx.viewer), result, input.limit);
    return {
      ...shown,
      areas: shown.areas.map((a) => ({
        ...a, communityKey: a.communityId, gridKey: a.gridId,
        communityId: a.communityId !== undefined ? toGlobalId('Community', a.communityId) : null,
        gridId: a.gridId !== undefined ? toGlobalId('Grid', a.gridId) : null,
      })),
    };
  },
};
