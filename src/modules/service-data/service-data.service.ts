import { daysFromTo, resolvePeriod } from '../../common/dates';
import type { FilterQuery } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { badInput } from '../../common/errors';
import { onOneSnapshot, refuseCommitAfterTimeout } from '../../common/transaction';
import { expectGlobalId, toGlobalId } from '../../common/global-id';
import { containsPattern } from '../../common/filters';
import { OrderDirection, paginate, type ConnectionArgs, type ConnectionResult } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import {
  REMAINDER, figureShown, hidesSmallCells, overlapSuppressesTotal, remainderLinks, remainderOf, suppressedCells, suppressesSmallCounts, suppressesTotal, totalShown, withDerivedNulled, type Remainder,
} from '../../common/disclosure';
import { byForeignKey } from '../../context/loaders';
import { AreaLevel } from '../area/area.entity';
import { importServiceRows, markInterruptedRuns, runsWithoutImporter, type RunState } from './import';
import { entityManagerRunner } from './rollups';
import { parseMapping } from './mapping';
import { GROUP_VALUES_SQL } from './resident-groups';
import { ImportRejection, ImportRun, ImportRunStatus, ServiceItem } from './service-data.entity';
import { ServiceStatsGroupBy, type ImportRunListArgs, type ImportServiceRecordsArgs, type ServiceItemListArgs, type ServiceStatsInput } from './service-data.inputs';
import type { ServiceStats, ServiceStatsRow } from './service-data.types';
import { authorizeArea } from '../identity/access';

const rejectionsOfRun = byForeignKey('ImportRun.rejections', ImportRejection, 'run');

/** The mapping the API path uses: the same mapper and loader as a file import. */
const API_HEADER = ['sourceId', 'itemCode', 'receivedAt', 'finishedAt', 'status', 'communityCode', 'gridCode', 'buildingCode', 'residentGroups', 'channel', 'satisfaction', 'residentRef', 'agency', 'note'];
const apiMapping = (source: string) =>
  parseMapping({
    name: 'api',
    source,
    timezone: '+08:00',
    dateFormats: ['YYYY-MM-DD HH:mm:ss'],
    fields: {
      sourceId: { column: 'sourceId' },
      item: { column: 'itemCode' },
      receivedAt: { column: 'receivedAt' },
      finishedAt: { column: 'finishedAt' },
      status: { column: 'status' },
      community: { column: 'communityCode' },
      grid: { column: 'gridCode' },
      building: { column: 'buildingCode' },
      residentGroups: { column: 'residentGroups' },
      channel: { column: 'channel' },
      satisfaction: { column: 'satisfaction' },
      residentId: { column: 'residentRef' },
      agency: { column: 'agency' },
      note: { column: 'note' },
    },
  });

function chinaTime(date: Date | null | undefined): string {
  return date ? new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : '';
}

/** The service catalogue, imports and roll-up statistics. */
export const serviceDataService = {
  async listItems(ctx: AppContext, args: ServiceItemListArgs): Promise<ConnectionResult<ServiceItem>> {
    const filter = args.filter ?? {};
    const where: Record<string, unknown> = {};
    if (filter.categoryId) {
      const { id } = expectGlobalId(filter.categoryId, ['RequestCategory'], 'filter.categoryId');
      where.category = { $or: [{ id }, { parent: id }] };
    }
    if (filter.isConsultation !== undefined && filter.isConsultation !== null) where.isConsultation = filter.isConsultation;
    if (filter.search) where.$or = [{ name: { $ilike: containsPattern(filter.search) } }, { code: { $ilike: containsPattern(filter.search) } }];
    return paginate(ctx.em, ServiceItem, where as FilterQuery<ServiceItem>, { property: 'id', direction: OrderDirection.ASC }, args);
  },

  async listRuns(ctx: AppContext, args: ImportRunListArgs): Promise<ConnectionResult<ImportRun>> {
    // A killed importer cannot say it stopped: a run no importer holds any more is marked here, so the list never shows it RUNNING.
    await markInterruptedRuns(entityManagerRunner(ctx.em));
    const where: Record<string, unknown> = {};
    if (args.filter?.statuses?.length) where.status = { $in: args.filter.statuses };
    if (args.filter?.source != null) where.source = args.filter.source;
    return paginate(ctx.em, ImportRun, where as FilterQuery<ImportRun>, { property: 'id', direction: OrderDirection.DESC }, args);
  },

  /**
   * A run's status and error as they are now: a RUNNING run whose importer is gone reads
   * INTERRUPTED however it is reached (node(id), a mutation's answer), not only once importRuns has
   * marked it; one that ended since it was read, as it ended. Batched (runsWithoutImporter).
   */
  async stateOf(ctx: AppContext, run: ImportRun): Promise<{ status: ImportRunStatus; error: string | null }> {
    if (run.status !== ImportRunStatus.RUNNING) return { status: run.status, error: run.error ?? null };
    const state = await ctx.loaders
      .get<number, RunState | null>('ImportRun.withoutImporter', async (ids) => {
        const states = await runsWithoutImporter(entityManagerRunner(ctx.em), ids);
        return ids.map((id) => states.get(id) ?? null);
      })
      .load(run.id);
    return state ? { status: state.status as ImportRunStatus, error: state.error } : { status: run.status, error: run.error ?? null };
  },

  /** A run's rejected rows, batched across the runs of a page (an import screen lists runs with their first rejections). */
  listRejections(ctx: AppContext, run: ImportRun, args: ConnectionArgs): Promise<ConnectionResult<ImportRejection>> {
    return ctx.loaders.connection(rejectionsOfRun, run.id, args, { property: 'id', direction: OrderDirection.ASC });
  },

  /** Up to 5,000 records inline, through the file import's mapper and loader (one batch, one transaction). */
  async importRecords(ctx: AppContext, args: ImportServiceRecordsArgs): Promise<ImportRun> {
    const rows = args.records.map((r) => [
      r.sourceId, r.itemCode, chinaTime(r.receivedAt), chinaTime(r.finishedAt), r.status, r.communityCode, r.gridCode ?? '', r.buildingCode ?? '',
      (r.residentGroups ?? []).join('|'), r.channel ?? '', r.satisfaction ? String(r.satisfaction) : '', r.residentRef ?? '', r.agency ?? '', r.note ?? '',
    ]);
    const knex = ctx.em.getKnex();
    const connection = (await knex.client.acquireConnection()) as pg.PoolClient;
    let runId: number;
    try {
      // Outside inTransaction (a COPY needs the raw connection), so its rule is applied here: a batch
      // the client was told timed out is rolled back, not stored.
      runId = (await importServiceRows(connection, apiMapping(args.source), API_HEADER, rows, { beforeCommit: () => refuseCommitAfterTimeout(ctx) })).runId;
    } finally {
      await knex.client.releaseConnection(connection);
    }
    return ctx.em.findOneOrFail(ImportRun, { id: runId }, { refresh: true });
  },

  /** Aggregates from service_daily and request_daily only: never raw records. */
  async stats(ctx: AppContext, input: ServiceStatsInput): Promise<ServiceStats> {
    const { area } = await authorizeArea(ctx, input.areaId, 'input.areaId');
    if (!area) throw new Error('an explicit area always resolves');
    if (area.level === AreaLevel.GRID || area.level === AreaLevel.BUILDING) throw badInput('input.areaId', 'statistics go down to communities: pass a district, street or community');
    const { from, to } = resolvePeriod(ctx.now(), input);
    const params = [`${area.path}%`, from, to];
    const communities = `select id from area where level = 'COMMUNITY' and path like ?`;
    const dims = DIMENSIONS[input.groupBy];
    // Rows and total from one snapshot: a batch committed between their statements would count in one only.
    return onOneSnapshot(ctx, async (em) => {
      const services = await em.execute<RawRow[]>(
        `select ${dims.serviceKey} as key, ${dims.serviceLabel} as label, ${dims.id?.column ?? 'null'} as id, sum(d.count)::bigint as count, sum(d.consultations)::bigint as consultations,
            sum(d.open)::bigint as open, sum(d.finished)::bigint as finished, sum(d.close_seconds_sum)::bigint as close_seconds,
            sum(d.satisfaction_sum)::bigint as satisfaction_sum, sum(d.satisfaction_count)::bigint as satisfaction_count
          from service_daily d ${dims.serviceJoin}
          where d.community_id in (${communities}) and d.day between ? and ?
          group by 1, 2, 3`,
        params,
      );
      const requests = dims.requestKey
        ? await em.execute<RawRow[]>(
            `select ${dims.requestKey} as key, ${dims.requestLabel} as label, ${dims.id?.column ?? 'null'} as id, sum(d.count)::bigint as count
              from request_daily d ${dims.requestJoin}
              where d.community_id in (${communities}) and d.day between ? and ?
              group by 1, 2, 3`,
            params,
          )
        : [];
      const rows = new Map<string, ExactRow>();
      const hides = hidesSmallCells(ctx.viewer);
      const typeName = dims.id?.typeName;
      for (const raw of services) rows.set(String(raw.key), toRow(raw, hides, typeName));
      for (const raw of requests) {
        const row = rows.get(String(raw.key)) ?? toRow({ key: raw.key, label: raw.label, id: raw.id }, hides, typeName);
        row.requestCount = Number(raw.count);
        row.demandTotal = row.demands + row.requestCount;
        rows.set(String(raw.key), row);
      }
      // By day, every day of the period (a line chart draws a day with nothing counted as 0, not a
      // line across it); zeros are never suppressed nor taken as a complement (disclosure.ts).
      if (input.groupBy === ServiceStatsGroupBy.DAY) {
        for (const day of daysFromTo(from, to)) if (!rows.has(day)) rows.set(day, toRow({ key: day, label: day }, hides));
      }
      const list = [...rows.values()].sort(
        input.groupBy === ServiceStatsGroupBy.DAY ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.demandTotal - a.demandTotal || a.key.localeCompare(b.key),
      );
      // The total is read without the resident-group expansion, so a record counts once.
      const [totalServices] = await em.execute<RawRow[]>(
        `select 'TOTAL' as key, 'TOTAL' as label, sum(d.count)::bigint as count, sum(d.consultations)::bigint as consultations, sum(d.open)::bigint as open,
            sum(d.finished)::bigint as finished, sum(d.close_seconds_sum)::bigint as close_seconds, sum(d.satisfaction_sum)::bigint as satisfaction_sum,
            sum(d.satisfaction_count)::bigint as satisfaction_count
          from service_daily d where d.community_id in (${communities}) and d.day between ? and ?`,
        params,
      );
      const [totalRequests] = await em.execute<{ count: string | null }[]>(
        `select sum(d.count)::bigint as count from request_daily d where d.community_id in (${communities}) and d.day between ? and ?`,
        params,
      );
      const total = toRow(totalServices, hides);
      // The total less the rows shown would give the hidden rows' figures (disclosure.ts, totalShown).
      const hiddenRatings = list.reduce((sum, row) => sum + (row.satisfactionAverage === null ? row.satisfactionCount : 0), 0);
      const hiddenFinished = list.reduce((sum, row) => sum + (row.averageCloseHours === null ? row.finished : 0), 0);
      if (!totalShown(hides, hiddenRatings)) total.satisfactionAverage = null;
      if (!totalShown(hides, hiddenFinished)) total.averageCloseHours = null;
      total.requestCount = Number(totalRequests.count ?? 0);
      total.demandTotal = total.demands + total.requestCount;
      return withoutSmallCounts(suppressesSmallCounts(ctx.viewer), { from, to, total, rows: list });
    });
  },
};

/** A row's counts, and the figures drawn from them. */
const ROW_COUNTS = ['serviceCount', 'consultations', 'demands', 'open', 'finished', 'satisfactionCount', 'requestCount', 'demandTotal'] as const;
const ROW_FIGURES = [...ROW_COUNTS, 'averageCloseHours', 'satisfactionAverage'] as const;
type Figure = (typeof ROW_FIGURES)[number];
type ExactStats = Omit<ServiceStats, 'rows' | 'total'> & { total: ExactRow; rows: ExactRow[] };
/** A row before the small-count rule: every count a number. */
type ExactRow = Omit<ServiceStatsRow, (typeof ROW_COUNTS)[number] | 'suppressed'> & Record<(typeof ROW_COUNTS)[number], number>;

/** The counts judged column by column (the others are sums of them), and the figures drawn from counts. */
const BASE_COUNTS = ['consultations', 'demands', 'open', 'finished', 'satisfactionCount', 'requestCount'] as const;
const DERIVED: Partial<Record<Figure, readonly Figure[]>> = {
  serviceCount: ['demands', 'consultations'],
  demandTotal: ['demands', 'requestCount'],
  averageCloseHours: ['finished'],
  satisfactionAverage: ['satisfactionCount'],
};
/**
 * The CANCELLED records: serviceCount less open and finished (open and finished count every record,
 * consultations too). Not a field, but a reader works it out from the three (disclosure.ts, Remainder).
 */
const CANCELLED: Remainder<Figure> = { of: 'serviceCount', parts: ['open', 'finished'] };

/**
 * The statistics as a viewer who `suppresses` small counts reads them (disclosure.ts): a row of 1-4
 * records (one-window records and requests together), and its complement, without its counts and
 * averages; each count of the shown rows judged as a column too (1 open of 30 records), with its
 * complement, and the sums and averages drawn from a hidden count null; open, finished and the
 * cancelled hidden together; each count of the total null when it is 1-4, or when the rows overlap
 * (resident groups) by 1-4 or the total less the rows shown is 1-4 (overlapSuppressesTotal), with what
 * is drawn from it.
 */
function withoutSmallCounts(suppresses: boolean, stats: ExactStats): ServiceStats {
  const judged = suppressedCells(suppresses, stats.rows, ROW_FIGURES, { size: (row) => row.serviceCount + row.requestCount, counts: BASE_COUNTS, derived: DERIVED, remainder: CANCELLED });
  // Each of the total's columns: its exact count, the rows' exact cells and the cells shown (null: hidden).
  const cancelled = (row: { [P in Figure]?: number | null }) => remainderOf(row, CANCELLED);
  const columns: [Figure | typeof REMAINDER, number, number[], (number | null)[]][] = [
    ...ROW_COUNTS.map((count): [Figure, number, number[], (number | null)[]] => [count, stats.total[count], stats.rows.map((row) => row[count]), judged.map((row) => row[count])]),
    [REMAINDER, cancelled(stats.total) ?? 0, stats.rows.map((row) => cancelled(row) ?? 0), judged.map(cancelled)],
  ];
  const nulled = new Set<Figure | typeof REMAINDER>();
  for (const [count, exact, cells, shown] of columns) {
    if (suppressesTotal(suppresses, exact) || overlapSuppressesTotal(suppresses, exact, cells, shown)) nulled.add(count);
  }
  withDerivedNulled(nulled, remainderLinks(DERIVED, CANCELLED));
  const total: ServiceStatsRow = { ...stats.total, suppressed: false };
  for (const figure of nulled) if (figure !== REMAINDER) total[figure] = null;
  total.suppressed = ROW_COUNTS.some((count) => total[count] === null);
  return { ...stats, total, rows: judged };
}

interface RawRow {
  key: unknown;
  label: unknown;
  id?: unknown;
  count?: string | null;
  consultations?: string | null;
  open?: string | null;
  finished?: string | null;
  close_seconds?: string | null;
  satisfaction_sum?: string | null;
  satisfaction_count?: string | null;
}

/** `hides`: the small-cell rule (disclosure.ts): no mean of fewer than 5 ratings, no close time of fewer than 5 finished records. */
function toRow(raw: RawRow, hides: boolean, typeName?: string): ExactRow {
  const count = Number(raw.count ?? 0);
  const consultations = Number(raw.consultations ?? 0);
  const finished = Number(raw.finished ?? 0);
  const satisfactionCount = Number(raw.satisfaction_count ?? 0);
  return {
    key: String(raw.key),
    label: String(raw.label),
    id: typeName && raw.id != null ? toGlobalId(typeName, Number(raw.id)) : null,
    serviceCount: count,
    consultations,
    demands: count - consultations,
    open: Number(raw.open ?? 0),
    finished,
    // close seconds are summed over FINISHED records with a finish time (see FINISHED_WITH_TIME), the records `finished` counts.
    averageCloseHours: finished > 0 && figureShown(hides, finished) ? Math.round((Number(raw.close_seconds ?? 0) / finished / 3600) * 100) / 100 : null,
    satisfactionAverage: satisfactionCount > 0 && figureShown(hides, satisfactionCount) ? Math.round((Number(raw.satisfaction_sum ?? 0) / satisfactionCount) * 100) / 100 : null,
    satisfactionCount,
    requestCount: 0,
    demandTotal: count - consultations,
  };
}

interface Dimension {
  serviceKey: string;
  serviceLabel: string;
  serviceJoin: string;
  requestKey?: string;
  requestLabel?: string;
  requestJoin?: string;
  /** The row's node (a category, item or community): its database id column and GraphQL type. */
  id?: { column: string; typeName: string };
}

const DIMENSIONS: Record<ServiceStatsGroupBy, Dimension> = {
  [ServiceStatsGroupBy.CATEGORY]: {
    serviceKey: 'c.code', serviceLabel: 'c.name', serviceJoin: 'join service_item i on i.id = d.item_id join request_category c on c.id = i.category_id',
    requestKey: 'c.code', requestLabel: 'c.name', requestJoin: 'join request_category c on c.id = d.category_id',
    id: { column: 'c.id', typeName: 'RequestCategory' },
  },
  [ServiceStatsGroupBy.ITEM]: { serviceKey: 'i.code', serviceLabel: 'i.name', serviceJoin: 'join service_item i on i.id = d.item_id', id: { column: 'i.id', typeName: 'ServiceItem' } },
  [ServiceStatsGroupBy.COMMUNITY]: {
    serviceKey: 'a.code', serviceLabel: 'a.name', serviceJoin: 'join area a on a.id = d.community_id',
    requestKey: 'a.code', requestLabel: 'a.name', requestJoin: 'join area a on a.id = d.community_id',
    id: { column: 'a.id', typeName: 'Community' },
  },
  [ServiceStatsGroupBy.RESIDENT_GROUP]: {
    serviceKey: 'grp.name', serviceLabel: 'grp.name', serviceJoin: `join ${GROUP_VALUES_SQL} on (grp.bit = 0 and d.resident_groups = 0) or (d.resident_groups & grp.bit) <> 0`,
    requestKey: 'grp.name', requestLabel: 'grp.name', requestJoin: `join ${GROUP_VALUES_SQL} on (grp.bit = 0 and d.resident_groups = 0) or (d.resident_groups & grp.bit) <> 0`,
  },
  [ServiceStatsGroupBy.DAY]: {
    serviceKey: `to_char(d.day, 'YYYY-MM-DD')`, serviceLabel: `to_char(d.day, 'YYYY-MM-DD')`, serviceJoin: '',
    requestKey: `to_char(d.day, 'YYYY-MM-DD')`, requestLabel: `to_char(d.day, 'YYYY-MM-DD')`, requestJoin: '',
  },
};


