/**
 * Views for dashboards: a time series for any ranked row, and hot spots of one category.
 * Both read the same roll-ups as rankDemand.
 */
import { empiricalBayesRates } from '../stats/empirical-bayes';
import { mannKendall, seasonalMannKendall, seasonalSenSlope, senSlope } from '../stats/mann-kendall';
import type { SqlRunner } from '../sources/sql';
import { GROUPS } from './cells';
import { addDays, daysInclusive, isDay, monthEnd } from './dates';
import { resolveScope } from './scope';
import { GRID_ONLY_RECORDS_NOTE, SERIES_COLUMNS, readBuckets, readPeriod } from './source';
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
  const areaPaths = input.key.gridId !== undefined || input.key.communityId !== undefined
    ? (await db.query(`select path from area where id = $1`, [input.key.gridId ?? input.key.communityId])).rows.map((r) => String(r.path))
    : input.areaPaths;
  if (areaPaths && areaPaths.length === 0) throw new DemandInputError('key', 'unknown area');
  if (input.areaPaths && areaPaths !== input.areaPaths && !areaPaths!.some((p) => input.areaPaths!.some((scope) => p.startsWith(scope)))) throw new DemandInputError('key', 'the area is outside the scope');
  const scope = await resolveScope(db, areaPaths, input.key.gridId !== undefined);
  const rows = await readBuckets(
    db,
    { mode: scope.unitLevel === 'GRID' ? 'GRID' : 'COMMUNITY', what: 'category', byUnit: false, unitIds: scope.filter, sources: input.sources, columns: SERIES_COLUMNS, categoryIds: input.key.categoryId !== undefined ? [input.key.categoryId] : undefined },
    input.from, input.to, input.interval === 'DAY' ? 'day' : input.interval === 'WEEK' ? 'week' : 'month-of-days',
  );
  const group = input.key.residentGroup ? GROUPS.find(([, g]) => g === input.key.residentGroup)?.[0] : undefined;
  if (input.key.residentGroup && !group) throw new DemandInputError('key', `unknown resident group ${input.key.residentGroup}`);
  if (group && input.includeConsultations) throw new DemandInputError('includeConsultations', CONSULTATIONS_HAVE_NO_GROUP);
  const byBucket = new Map<string, DemandSeriesPoint>();
  for (const row of rows) {
    const point = byBucket.get(row.bucket) ?? { start: row.bucket, days: 0, volume: 0, open: group ? null : 0, finished: group ? null : 0 };
    point.volume += group ? (row.values[group] ?? 0) : (row.values.demands ?? 0) + (input.includeConsultations ? (row.values.consultations ?? 0) : 0);
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
  const values = out.map((p) => p.volume);
  const period = input.interval === 'MONTH' ? 12 : input.interval === 'WEEK' ? 52 : 7;
  const seasonal = values.length >= 2 * period;
  const mk = seasonal ? seasonalMannKendall(values, period) : mannKendall(values);
  return {
    points: out,
    total: values.reduce((s, v) => s + v, 0),
    trend: mk ? { z: mk.z, p: mk.p, senSlope: seasonal ? seasonalSenSlope(values, period) : senSlope(values), method: seasonal ? 'SEASONAL' : 'PLAIN' } : null,
  };
}

function bucketStart(day: string, interval: DemandSeriesInput['interval']): string {
  if (interval === 'DAY') return day;
  if (interval === 'MONTH') return `${day.slice(0, 7)}-01`;
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}
function nextBucket(start: string, interval: DemandSeriesInput['interval']): string {
  if (interval === 'DAY') return addDays(start, 1);
  if (interval === 'WEEK') return addDays(start, 7);
  return addDays(monthEnd(start), 1);
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
  const counts = new Map<number, number>();
  for (const row of rows) {
    const area = input.level === 'COMMUNITY' && scope.unitLevel === 'GRID' ? scope.units.get(row.unit)!.communityId : row.unit;
    counts.set(area, (counts.get(area) ?? 0) + (row.values.demands ?? 0) + (input.includeConsultations ? (row.values.consultations ?? 0) : 0));
  }
  const areas = new Map<number, { label: string; population: number | null }>();
  for (const unit of scope.units.values()) {
    const id = input.level === 'COMMUNITY' ? unit.communityId : unit.id;
    const seen = areas.get(id);
    areas.set(id, { label: input.level === 'COMMUNITY' && scope.unitLevel === 'GRID' ? String(id) : unit.label, population: (seen?.population ?? 0) + (unit.population ?? 0) || null });
  }
  if (input.level === 'COMMUNITY' && scope.unitLevel === 'GRID') {
    const labels = await db.query(`select id, name from area where id = any($1::int[])`, [[...areas.keys()]]);
    for (const row of labels.rows) areas.get(Number(row.id))!.label = String(row.name);
  }
  const ids = [...areas.keys()];
  const n = ids.map((id) => counts.get(id) ?? 0);
  const d = ids.map((id) => areas.get(id)!.population ?? 0);
  const totalN = n.reduce((s, v, i) => s + (d[i] > 0 ? v : 0), 0);
  const totalD = d.reduce((s, v) => s + v, 0);
  const parentRate = totalD > 0 ? totalN / totalD : null;
  const eb = empiricalBayesRates(n, d);
  const out: DemandHotspot[] = ids.map((id, i) => {
    const expected = parentRate !== null && d[i] > 0 ? parentRate * d[i] : null;
    const z = expected !== null && expected > 0 ? (n[i] - expected) / Math.sqrt(expected) : null;
    const ratio = eb && parentRate && Number.isFinite(eb.smoothed[i]) ? eb.smoothed[i] / parentRate : null;
    const key = input.level === 'COMMUNITY' ? { communityId: id } : { gridId: id };
    return {
      ...key, label: areas.get(id)!.label, volume: n[i], population: d[i] || null,
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
