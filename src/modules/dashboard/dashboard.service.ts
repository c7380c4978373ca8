import { badInput } from '../../common/errors';
import type { AppContext } from '../../context/context';
import { AreaLevel, Street } from '../area/area.entity';
import { figureShown, hidesSmallCells, rateShown, suppressedCells, suppressesSmallCounts, suppressesTotal } from '../../common/disclosure';
import { loadArea } from '../area/area.service';
import { RequestCategory } from '../category/category.entity';
import { RequestStatus } from '../request/request.entity';
import { pastDueSql } from '../request/request.states';
import { RANKING_WEIGHTS, RESPONSE_WINDOW_HOURS, SATISFIED_FROM, chinaMidnightAtOrBefore, isChinaMidnight, monthBounds, rate } from './dashboard.rules';
import { chinaDayOf, daysFromTo } from '../../common/dates';
import type { DashboardFigures, DashboardInput, StreetRankingInput, StreetRankingRow } from './dashboard.types';
import { authorizeArea, authorizeDistricts, pathCondition } from '../identity/access';
import { rankByScore } from '../assessment/assessment.rules';
import { onOneSnapshot } from '../../common/transaction';
import { metDeadlineSql, missedDeadlineSql } from '../whistle/whistle.rules';

const DONE_STATUSES: ReadonlySet<string> = new Set([RequestStatus.RESOLVED, RequestStatus.CLOSED]);
const DONE = `(${[...DONE_STATUSES].map((status) => `'${status}'`).join(', ')})`;
const MAX_DAYS = 366;

type Row = Record<string, string | number | null>;
const int = (value: unknown) => Number(value ?? 0);

/**
 * The period asked for: from/to, or the last N days up to now. `wholeDays` (viewers who may not see
 * personal data, see dashboard.rules): from/to must be China midnights, and lastDays starts at
 * the midnight before now − N days.
 */
function resolvePeriod(ctx: AppContext, input: DashboardInput, wholeDays: boolean): { from: Date; to: Date } {
  if (input.lastDays != null) {
    if (input.from || input.to) throw badInput('input.lastDays', 'give either lastDays or from and to');
    const to = ctx.now();
    const from = new Date(to.getTime() - input.lastDays * 86400_000);
    return { from: wholeDays ? chinaMidnightAtOrBefore(from) : from, to };
  }
  // Name the one missing, as resolvePeriod (common/dates.ts) does: a form marks that field.
  if (!input.from) throw badInput('input.from', 'give from and to, or lastDays');
  if (!input.to) throw badInput('input.to', 'give from and to, or lastDays');
  if (wholeDays) {
    for (const field of ['from', 'to'] as const) {
      if (!isChinaMidnight(input[field]!)) {
        throw badInput(`input.${field}`, 'for your role a period is whole China days (00:00+08:00, e.g. 2026-11-01T00:00:00+08:00): a shorter window can single out one resident\'s request');
      }
    }
  }
  return { from: input.from, to: input.to };
}

/**
 * The period's China days, oldest first, each with its counts: a day without requests is a row of
 * zeros, so a line chart draws it as 0 instead of joining its neighbours across it. The last day is
 * the one of the period's last instant (`to` is exclusive).
 */
function everyDay(from: Date, to: Date, counted: Row[]): { day: string; received: number; resolved: number }[] {
  const byDay = new Map(counted.map((row) => [String(row.day), row]));
  return daysFromTo(chinaDayOf(from), chinaDayOf(new Date(to.getTime() - 1))).map((day) => {
    const row = byDay.get(day);
    return { day, received: int(row?.received), resolved: int(row?.resolved) };
  });
}

/** Dashboard figures: each is one SQL aggregate over the area's subtree (path prefix), never a loop. */
export const dashboardService = {
  async figures(ctx: AppContext, given: DashboardInput): Promise<DashboardFigures> {
    const restricted = hidesSmallCells(ctx.viewer);
    const input = { ...given, ...resolvePeriod(ctx, given, restricted) };
    if (!(input.to > input.from)) throw badInput('input.to', 'must be after input.from');
    // lastDays' whole-day start may add up to a day to its at most MAX_DAYS.
    if (given.lastDays == null && input.to.getTime() - input.from.getTime() > MAX_DAYS * 86400_000) throw badInput('input.to', `a period is at most ${MAX_DAYS} days`);
    const { area } = await authorizeArea(ctx, input.areaId, 'input.areaId');
    if (!area) throw new Error('an explicit area always resolves');
    // A building's figures describe a few households (one request, its day, category and rating):
    // for viewers who may not see personal data (portals, analysts), grids up, as the demand
    // figures widen a building to its grid.
    if (restricted && area.level === AreaLevel.BUILDING) {
      throw badInput('input.areaId', 'figures of a building describe a few households: pass its grid or a wider area');
    }
    const prefix = `${area.path}%`;
    const period = [input.from, input.to];

    const statements: [sql: string, params: unknown[]][] = [
      [
        `select count(*) as received,
                count(*) filter (where r.status in ${DONE}) as resolved,
                count(*) filter (where r.status in ${DONE} and r.resolved_at <= r.due_at) as on_time,
                avg(r.satisfaction) as mean_rating,
                count(r.satisfaction) as rated,
                count(*) filter (where r.satisfaction >= ${SATISFIED_FROM}) as satisfied
           from request r join area a on a.id = r.area_id
          where a.path like ? and r.created_at >= ? and r.created_at < ?`,
        [prefix, ...period],
      ],
      [
        // Overdue as `isOverdue` (request.states.ts, pastDue): suspended already past its due time too.
        `select count(*) as overdue from request r join area a on a.id = r.area_id
          where a.path like ? and ${pastDueSql('r', '?')}`,
        [prefix, ctx.now()],
      ],
      [
        // A department still inside its deadline is neither on time nor late yet, nor is one whose
        // whistle stopped before its deadline: the rate counts those that answered by the deadline
        // or missed it (whistle.rules.ts), as the unit assessment does.
        `select count(distinct w.id) as blown, count(wr.id) as responses,
                count(wr.id) filter (where ${metDeadlineSql('wr.feedback_due_at', 'wr.answered_at', 'w.stopped_at')}
                                        or ${missedDeadlineSql('wr.feedback_due_at', 'wr.answered_at', 'w.stopped_at', '?')}) as due,
                count(wr.id) filter (where ${metDeadlineSql('wr.feedback_due_at', 'wr.answered_at', 'w.stopped_at')}) as on_time
           from whistle w join area a on a.id = w.blown_by_id left join whistle_recipient wr on wr.whistle_id = w.id
          where a.path like ? and w.blown_at >= ? and w.blown_at < ?`,
        [ctx.now(), prefix, ...period],
      ],
      [
        `select count(*) as fulfilled from micro_wish m join area a on a.id = m.community_id
          where a.path like ? and m.status in ('FULFILLED', 'CONFIRMED') and m.fulfilled_at >= ? and m.fulfilled_at < ?`,
        [prefix, ...period],
      ],
      [
        `select count(*) as claimed from claim c
           join list_item li on li.id = c.item_id join problem_list pl on pl.id = li.list_id join area a on a.id = pl.community_id
          where a.path like ? and c.status <> 'CANCELLED' and c.created_at >= ? and c.created_at < ?`,
        [prefix, ...period],
      ],
      [
        `select count(distinct report.person_id) as reported
           from (select p.id as person_id, p.residence_community_id as community_id, p.reported_on from person p where p.reported_on is not null
                 union all
                 select r.person_id, r.community_id, r.reported_on from past_report r where not r.began_at_employer_change) report
           join area a on a.id = report.community_id
          where a.path like ? and report.reported_on between ?::date and ?::date`,
        // A report has a day, not an instant: it counts when its China day is one the period
        // touches, the day of \`to\` included (the period is [from, to), so its last instant's day).
        // Reports that ended since count too (past_report): a past period's figure stays as it was
        // when a member moves or retires; one who reported twice in the area counts once. A stretch
        // begun at a change of employer (report-end.ts) is not a report made that day.
        [prefix, chinaDayOf(input.from), chinaDayOf(new Date(input.to.getTime() - 1))],
      ],
      [
        `select coalesce(c.parent_id, c.id) as category_id, count(*) as count
           from request r join area a on a.id = r.area_id join request_category c on c.id = r.category_id
          where a.path like ? and r.created_at >= ? and r.created_at < ?
          group by 1 order by 2 desc, 1`,
        [prefix, ...period],
      ],
      [
        `select r.status, count(*) as count from request r join area a on a.id = r.area_id
          where a.path like ? and r.created_at >= ? and r.created_at < ? group by 1 order by 1`,
        [prefix, ...period],
      ],
      [
        `select to_char(r.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*) as received,
                count(*) filter (where r.status in ${DONE}) as resolved
           from request r join area a on a.id = r.area_id
          where a.path like ? and r.created_at >= ? and r.created_at < ? group by 1 order by 1`,
        [prefix, ...period],
      ],
    ];
    // One snapshot: a request step committing between two figures would otherwise count in one and
    // not the other (requestsReceived against the sum by category), and the small-cell rule reads
    // several of them together. One after another: a transaction is one connection.
    const [requests, overdue, whistles, wishes, claims, members, byCategory, byStatus, byDay] = await onOneSnapshot(ctx, async (em) => {
      const results: Row[][] = [];
      for (const [sql, params] of statements) results.push(await em.execute<Row[]>(sql, params));
      return results;
    });

    const r = requests[0];
    // A few ratings are a few residents' opinions (the small-cell rule, common/disclosure.ts).
    const ratingsHidden = !figureShown(restricted, int(r.rated));
    // So is whether a few resolved cases met their deadline: how fast those residents were served.
    const onTimeHidden = !figureShown(restricted, int(r.resolved));
    const categories = await ctx.em.find(RequestCategory, { id: { $in: byCategory.map((row) => int(row.category_id)) } });
    const categoryById = new Map(categories.map((category) => [category.id, category]));

    // Small counts (disclosure.ts): a portal reads no count of 1-4 requests, wishes or people, each
    // breakdown's cells suppressed with their complement, column by column, so no total less the
    // cells shown gives one back, nor a rate beside its counts. Whistles and claims count
    // departments' and units' acts, not residents: exact.
    const suppresses = suppressesSmallCounts(ctx.viewer);
    const requestsByCategory = suppressedCells(suppresses, byCategory.map((row) => ({ category: categoryById.get(int(row.category_id))!, count: int(row.count) })), ['count'] as const, { size: (row) => row.count });
    // requestsResolved is the RESOLVED and CLOSED rows' subtotal (received less it, the others'): each group judged apart.
    const requestsByStatus = suppressedCells(suppresses, byStatus.map((row) => ({ status: row.status as RequestStatus, count: int(row.count) })), ['count'] as const, {
      counts: ['count'], groupOf: (row) => DONE_STATUSES.has(row.status),
    });
    // A day's resolved and its unresolved (received less it, the remainder) are both counts: each
    // judged as a column, and either hidden hides the other (beside received, one gives the other back).
    const requestsByDay = suppressedCells(
      suppresses,
      everyDay(input.from, input.to, byDay),
      ['received', 'resolved'] as const,
      { size: (row) => row.received, counts: ['resolved'], remainder: { of: 'received', parts: ['resolved'] } },
    );
    const received = int(r.received);
    const resolved = int(r.resolved);
    // The top-level figures as a viewer who `hide`s small counts (a portal) reads them: a count of 1-4
    // null (suppressesTotal), and a rate whose numerator or rest is 1-4 (rateShown).
    const figuresFor = (hide: boolean) => {
      const counted = (count: number) => (suppressesTotal(hide, count) ? null : count);
      const rated = (numerator: number, denominator: number) => (rateShown(hide, numerator, denominator) ? rate(numerator, denominator) : null);
      return {
        requestsReceived: counted(received),
        // Shown beside received, received less it (the other rows' subtotal) is a count too: null when that is 1-4.
        requestsResolved: counted(resolved) === null || (counted(received) !== null && suppressesTotal(hide, received - resolved)) ? null : resolved,
        resolutionRate: rated(resolved, received),
        overdueNow: counted(int(overdue[0].overdue)),
        microWishesFulfilled: counted(int(wishes[0].fulfilled)),
        membersReported: counted(int(members[0].reported)),
        // Whether a few resolved cases met their deadline, or a few ratings: also the small-cell rule for every viewer who hides small cells.
        onTimeRate: onTimeHidden ? null : rated(int(r.on_time), resolved),
        satisfactionRate: ratingsHidden ? null : rated(int(r.satisfied), int(r.rated)),
      };
    };
    const figures = figuresFor(suppresses);
    // Named when nulled by the portal's count rule (not by the small-cell rule, nor a rate of nothing).
    const exact = figuresFor(false);
    const suppressedFigures = (Object.keys(figures) as (keyof typeof figures)[]).filter((name) => figures[name] === null && exact[name] !== null);
    return {
      area,
      from: input.from,
      to: input.to,
      ...figures,
      averageSatisfaction: r.mean_rating == null || ratingsHidden ? null : Math.round(Number(r.mean_rating) * 100) / 100,
      whistlesBlown: int(whistles[0].blown),
      whistleResponses: int(whistles[0].responses),
      whistlesAnsweredOnTimeRate: rate(int(whistles[0].on_time), int(whistles[0].due)),
      claimedServiceItems: int(claims[0].claimed),
      suppressedFigures,
      requestsByCategory,
      requestsByStatus,
      requestsByDay,
    };
  },

  /** Beijing-style monthly ranking of streets by response, resolution and satisfaction. */
  async streetRanking(ctx: AppContext, input: StreetRankingInput): Promise<StreetRankingRow[]> {
    const month = input.month ?? chinaDayOf(ctx.now()).slice(0, 7);
    const { from, to } = monthBounds(month);
    const district = input.districtId ? await loadArea(ctx.em, input.districtId, ['District'], 'input.districtId') : null;
    // Only the districts the viewer's scope lies in: a viewer bound to one district never reads another's streets.
    const districts = pathCondition(await authorizeDistricts(ctx, district, 'input.districtId'), 'd.path');
    const rows = await ctx.em.execute<Row[]>(
      `with cohort as (
         select s.id as street_id, r.id, r.created_at, r.status, r.satisfaction
           from area s join area a on a.path like s.path || '%' join request r on r.area_id = a.id
          where s.level = 'STREET' and s.path like ? and r.created_at >= ? and r.created_at < ?
       ), first_dispatch as (
         select e.request_id, min(e.created_at) as at from request_event e
          where e.kind = 'DISPATCHED' and e.request_id in (select id from cohort) group by e.request_id
       )
       select s.id as street_id,
              count(c.id) as received,
              count(c.id) filter (where fd.at <= c.created_at + interval '${RESPONSE_WINDOW_HOURS} hours') as responded,
              count(c.id) filter (where c.status in ${DONE}) as resolved,
              count(c.satisfaction) as rated,
              count(c.id) filter (where c.satisfaction >= ${SATISFIED_FROM}) as satisfied
         from area s left join cohort c on c.street_id = s.id left join first_dispatch fd on fd.request_id = c.id
        where s.level = 'STREET' and exists (select 1 from area d where d.level = 'DISTRICT' and s.path like d.path || '%' and ${districts.sql})
        group by s.id`,
      [district ? `${district.path}%` : '/%', from, to, ...districts.bindings],
    );
    const streets = await ctx.em.find(Street, { id: { $in: rows.map((row) => int(row.street_id)) } });
    const streetById = new Map(streets.map((street) => [street.id, street]));
    const hides = hidesSmallCells(ctx.viewer);
    const suppresses = suppressesSmallCounts(ctx.viewer);
    const scored = rows.map((row) => {
      const received = int(row.received);
      // Small counts (disclosure.ts): a street's month of 1-4 requests, with its rates and score (drawn from them), not for a portal.
      if (suppressesTotal(suppresses, received)) {
        return { month, street: streetById.get(int(row.street_id))!, requestsReceived: null, responseRate: null, resolutionRate: null, satisfactionRate: null, score: null, suppressed: true };
      }
      // Small counts (rateShown): a rate beside requestsReceived whose numerator or rest is 1-4 gives it back.
      const rated = (numerator: number, denominator: number) => (rateShown(suppresses, numerator, denominator) ? rate(numerator, denominator) : null);
      const rates = {
        response: rated(int(row.responded), received),
        resolution: rated(int(row.resolved), received),
        // Small-cell rule (disclosure.ts): out of the rate and, for these viewers, out of the score, from which it could be worked back.
        satisfaction: figureShown(hides, int(row.rated)) ? rated(int(row.satisfied), int(row.rated)) : null,
      };
      let weight = 0;
      let sum = 0;
      for (const key of Object.keys(RANKING_WEIGHTS) as (keyof typeof RANKING_WEIGHTS)[]) {
        if (rates[key] == null) continue;
        weight += RANKING_WEIGHTS[key];
        sum += RANKING_WEIGHTS[key] * rates[key]!;
      }
      return {
        month,
        street: streetById.get(int(row.street_id))!,
        requestsReceived: received,
        responseRate: rates.response,
        resolutionRate: rates.resolution,
        satisfactionRate: rates.satisfaction,
        score: received > 0 && weight > 0 ? Math.round((sum / weight) * 10000) / 100 : null,
        suppressed: false,
      };
    });
    // Scores are rounded to 0.01, so ties are common: equal scores share a rank (1, 1, 3), as in
    // the unit assessment and the points leaderboard; tied streets are listed by their code.
    return rankByScore(scored).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.street.code.localeCompare(b.street.code));
  },
};

