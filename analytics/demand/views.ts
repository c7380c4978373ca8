/**
 * Views for dashboards: a time series for any ranked row, and hot spots of one category.
 * Both read the same roll-ups as rankDemand.
 */
import { empiricalBayesRates } from '../stats/empirical-bayes';
import type { SqlRunner } from '../sources/sql';
import { GROUPS } from './cells';
import { addDays, chinaDay, daysInclusive, isDay } from './dates';
import { hasPopulation, resolveScope } from './scope';
import { GRID_ONLY_RECORDS_NOTE, SERIES_COLUMNS, readBuckets, readDataStart, readPeriod, type ReadSpec } from './source';
import { MIN_TREND_DAYS, collectionGapsIn, dataEndNote, gapNote, gapsWithin, nextBucket, trendBegin, trendBuckets, trendEnd, trendEndNote, trendTest, trendValues } from './trend';
import {
  CONSULTATIONS_HAVE_NO_GROUP, DemandInputError, type DemandHotspot, type DemandHotspotsInput, type DemandHotspotsResult, type DemandSeriesInput, type DemandSeriesPoint, type DemandSeriesResult,
} from './types';

const MAX_POINTS = 1000;
/** A hot spot: Poisson z ≥ this and an EB-smoothed rate at least this many times the parent's. */
export const HOTSPOT = { z: 1.96, ratio: 1.2 };

function checkPeriod(from: string, to: string): void {
  if (!isDay(from)) throw new DemandInputError('from', 'must be a day, YYYY-MM-DD');
  if (!isDay(to)) throw new DemandInputError('to', 'must be a day, YYYY-MM-DD');
  if (to < from) throw new DemandInputError('to', `must not be before ${from}`);
}

/** Volume per day, week (Monday start) or month for one cell; trend statistics over the points. */
export async function demandSeries(db: SqlRunner, input: DemandSeriesInput): Promise<DemandSeriesResult> {
  checkPeriod(input.from, input.to);
  const days = daysInclusive(input.from, input.to);
  const points = input.interval === 'DAY' ? days : input.interval === 'WEEK' ? days / 7 : days / 30;
  if (points > MAX_POINTS) throw new DemandInputError('to', `at most ${MAX_POINTS} points: use a coarser interval`);
  if (input.key.serviceItemId !== undefined) throw new DemandInputError('key', 'series are per category, area and group; not per service item');
  const group = input.key.residentGroup ? GROUPS.find(([, g]) => g === input.key.residentGroup)?.[0] : undefined;
  if (input.key.residentGroup && !group) throw new DemandInputError('key', `unknown resident group ${input.key.residentGroup}`);
  if (group && input.includeConsultations) throw new DemandInputError('includeConsultations', CONSULTATIONS_HAVE_NO_GROUP);
  // The scope as rankDemand resolves it (its data say where the trend begins); a cell's area
  // (a community, or a grid) is one of its units.
  const scope = await resolveScope(db, input.areaPaths, input.key.gridId !== undefined);
  const cellArea = input.key.gridId ?? input.key.communityId;
  if (cellArea !== undefined && !scope.units.has(cellArea)) {
    const known = (await db.query(`select 1 from area where id = $1`, [cellArea])).rows.length > 0;
    throw new DemandInputError('key', known ? 'the area is outside the scope' : 'unknown area');
  }
  // Grid roll-ups keep no per-group counts: a group's series of a grid would read 0 throughout.
  if (group && scope.unitLevel === 'GRID') throw new DemandInputError('residentGroup', 'resident groups are kept per community: pick the grid\'s community, or no group');
  const spec: ReadSpec = {
    mode: scope.unitLevel === 'GRID' ? 'GRID' : 'COMMUNITY', what: 'category', byUnit: false, unitIds: cellArea !== undefined ? [cellArea] : scope.filter, sources: input.sources, columns: SERIES_COLUMNS,
    categoryIds: input.key.categoryId !== undefined ? [input.key.categoryId] : undefined,
  };
  const granularity = input.interval === 'DAY' ? 'day' : input.interval === 'WEEK' ? 'week' : 'month-of-days';
  // The trend reads no day that is not over (trendEnd): the records of those days are read apart,
  // to be taken out of their bucket's volume for the trend (the points show them).
  const today = chinaDay(input.now);
  const trendTo = trendEnd(input.to, today);
  const [rows, dataStart, unfinished] = await Promise.all([
    readBuckets(db, spec, input.from, input.to, granularity),
    // Counted as the points count them: demands (of any group), consultations when asked for.
    readDataStart(db, { ...spec, unitIds: scope.filter }, input.from, input.to, input.includeConsultations, today),
    trendTo < input.to ? readBuckets(db, spec, addDays(trendTo, 1), input.to, granularity) : Promise.resolve([]),
  ]);
  const dataFirst = trendBegin(input.from, dataStart);
  const volumeOf = (values: Record<string, number | null>) => (group ? (values[group] ?? 0) : (values.demands ?? 0) + (input.includeConsultations ? (values.consultations ?? 0) : 0));
  const byBucket = new Map<string, DemandSeriesPoint>();
  for (const row of rows) {
    const point = byBucket.get(row.bucket) ?? { start: row.bucket, days: 0, volume: 0, open: group ? null : 0, finished: group ? null : 0 };
    point.volume += volumeOf(row.values);
    if (!group) {
      point.open! += row.values.open ?? 0;
      point.finished! += row.values.finished ?? 0;
    }
    byBucket.set(row.bucket, point);
  }
  // Every bucket of the period, empty ones included, with the days it covers inside [from, to].
  const out: DemandSeriesPoint[] = [];
  for (let start = bucketStart(input.from, input.interval); start <= input.to; start = nextBucket(start, input.interval)) {
    const end = addDays(nextBucket(start, input.interval), -1);
    const covered = daysInclusive(start < input.from ? input.from : start, end > input.to ? input.to : end);
    out.push({ ...(byBucket.get(start) ?? { start, volume: 0, open: group ? null : 0, finished: group ? null : 0 }), days: covered });
  }
  // The trend reads the points from trendBegin's day (`from`, or where collection resumed, when the
  // scope has data before it; else the scope's first day with data), edge buckets scaled to their
  // length or left out (trend.ts); the points themselves stay raw, so a chart shows what was counted.
  // Up to the last day that is over (trendEnd), without the records of the days after it.
  const notOver = new Map<string, number>();
  for (const row of unfinished) notOver.set(row.bucket, (notOver.get(row.bucket) ?? 0) + volumeOf(row.values));
  // Days of a gap in collection inside the trend are not covered: their buckets scaled or left out (trend.ts).
  const gaps = gapsWithin(dataStart.gaps, dataFirst, trendTo);
  const used = trendBuckets(out.map((p) => p.start), input.interval, input.from, trendTo, dataFirst, gaps);
  const values = trendValues(used, (index) => out[index].volume - (notOver.get(out[index].start) ?? 0));
  const period = input.interval === 'MONTH' ? 12 : input.interval === 'WEEK' ? 52 : 7;
  const trend = trendTest(values, period);
  const first = used[0];
  const last = used[used.length - 1];
  const scaled = used.filter((b) => b.covered < b.length).map((b) => `${out[b.index].start} (${b.covered} of ${b.length} days)`);
  return {
    points: out,
    total: out.reduce((s, p) => s + p.volume, 0),
    collectionGaps: collectionGapsIn(dataStart, input.from, trendTo).map((gap) => ({ ...gap, days: daysInclusive(gap.first, gap.last) })),
    trend: trend ? {
      z: trend.mk.z, p: trend.mk.p, senSlope: trend.senSlope, method: trend.method,
      pointsUsed: used.length, firstPointUsed: out[first.index].start, lastPointUsed: out[last.index].start, dataBegin: dataFirst!,
      note: [
        `points ${out[first.index].start} to ${out[last.index].start} (${used.length} of ${out.length}), ${beginNote(input.from, dataFirst!, dataStart.before)}`,
        trendEndNote(input.to, trendTo),
        dataEndNote(trendTo, dataStart.sourceLast, dataStart.sourceAfter),
        ...gaps.map((gap) => gapNote(gap, input.interval)),
        scaled.length ? `scaled to their full length (volume × length ÷ days covered): ${scaled.join(', ')}` : null,
        input.interval === 'DAY' ? null : `a ${input.interval.toLowerCase()} with under ${MIN_TREND_DAYS[input.interval]} days covered is left out`,
      ].filter(Boolean).join('; '),
    } : null,
  };
}

/** Where the trend begins and why (trendBegin's rule), in words. */
function beginNote(from: string, begin: string, before: boolean): string {
  if (!before) return `from the scope's first day with data in the period, ${begin}`;
  if (begin === from) return `from ${begin}: the scope has records before the period, so an empty point is a real zero`;
  return `from ${begin}: the scope has records before the period, but nothing was recorded anywhere (same sources, whole city) from ${from} until then, so the points before are a gap in the data, not zeros; from then an empty point is a real zero`;
}

function bucketStart(day: string, interval: DemandSeriesInput['interval']): string {
  if (interval === 'DAY') return day;
  if (interval === 'MONTH') return `${day.slice(0, 7)}-01`;
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}

/**
 * Which communities (or grids) stand out for one category: for each area, E = parent rate ×
 * population, Poisson z = (n − E)/√E, and the EB-smoothed rate (Marshall's method of moments over
 * the areas) ÷ the parent's rate. Hot = z ≥ 1.96 and ratio ≥ 1.2.
 */
export async function demandHotspots(db: SqlRunner, input: DemandHotspotsInput): Promise<DemandHotspotsResult> {
  checkPeriod(input.from, input.to);
  const scope = await resolveScope(db, input.areaPaths, input.level === 'GRID');
  const rows = await readPeriod(db, {
    mode: scope.unitLevel === 'GRID' ? 'GRID' : 'COMMUNITY', what: null, byUnit: true, unitIds: scope.filter, sources: input.sources, columns: ['demands', 'consultations'], categoryIds: [input.categoryId],
  }, input.from, input.to);
  // Volumes count every unit; rates only the units with a known population (hasPopulation: the ranking's ratePer10k rule).
  const counts = new Map<number, number>();
  const rated = new Map<number, number>();
  for (const row of rows) {
    const area = input.level === 'COMMUNITY' && scope.unitLevel === 'GRID' ? scope.units.get(row.unit)!.communityId : row.unit;
    const n = (row.values.demands ?? 0) + (input.includeConsultations ? (row.values.consultations ?? 0) : 0);
    counts.set(area, (counts.get(area) ?? 0) + n);
    if (hasPopulation(scope.units.get(row.unit))) rated.set(area, (rated.get(area) ?? 0) + n);
  }
  const areas = new Map<number, { label: string; population: number | null }>();
  for (const unit of scope.units.values()) {
    const id = input.level === 'COMMUNITY' ? unit.communityId : unit.id;
    const seen = areas.get(id);
    areas.set(id, { label: input.level === 'COMMUNITY' && scope.unitLevel === 'GRID' ? String(id) : unit.label, population: (seen?.population ?? 0) + (hasPopulation(unit) ? unit.population : 0) || null });
  }
  if (input.level === 'COMMUNITY' && scope.unitLevel === 'GRID') {
    const labels = await db.query(`select id, name from area where id = any($1::int[])`, [[...areas.keys()]]);
    for (const row of labels.rows) areas.get(Number(row.id))!.label = String(row.name);
  }
  const ids = [...areas.keys()];
  const n = ids.map((id) => rated.get(id) ?? 0);
  const d = ids.map((id) => areas.get(id)!.population ?? 0);
  const totalN = n.reduce((s, v) => s + v, 0);
  const totalD = d.reduce((s, v) => s + v, 0);
  const parentRate = totalD > 0 ? totalN / totalD : null;
  const eb = empiricalBayesRates(n, d);
  const out: DemandHotspot[] = ids.map((id, i) => {
    const expected = parentRate !== null && d[i] > 0 ? parentRate * d[i] : null;
    const z = expected !== null && expected > 0 ? (n[i] - expected) / Math.sqrt(expected) : null;
    const ratio = eb && parentRate && Number.isFinite(eb.smoothed[i]) ? eb.smoothed[i] / parentRate : null;
    const key = input.level === 'COMMUNITY' ? { communityId: id } : { gridId: id };
    return {
      ...key, label: areas.get(id)!.label, volume: counts.get(id) ?? 0, population: d[i] || null,
      expected: expected === null ? null : Math.round(expected * 100) / 100,
      z: z === null ? null : Math.round(z * 1e4) / 1e4,
      ratePer10k: d[i] > 0 ? Math.round((n[i] / d[i]) * 1e8) / 1e4 : null,
      smoothedRateRatio: ratio === null ? null : Math.round(ratio * 1e4) / 1e4,
      hot: z !== null && ratio !== null && z >= HOTSPOT.z && ratio >= HOTSPOT.ratio,
    };
  });
  out.sort((a, b) => (b.z ?? -Infinity) - (a.z ?? -Infinity) || b.volume - a.volume);
  return {
    parentRatePer10k: parentRate === null ? null : Math.round(parentRate * 1e8) / 1e4,
    statistic: `Poisson z = (n − E)/√E with E = parent rate × population; EB-smoothed rate ÷ parent rate; hot when z ≥ ${HOTSPOT.z} and ratio ≥ ${HOTSPOT.ratio}${scope.unitLevel === 'GRID' && input.level === 'GRID' ? `; ${GRID_ONLY_RECORDS_NOTE}` : ''}`,
    areas: out.slice(0, input.limit),
  };
}
