import type { AppContext } from '../../context/context';
import { yearRange } from '../activity/activity.rules';
import { chinaDayOf, todayInChina } from '../../common/dates';
import { ClaimStatus } from '../list/list.entity';
import type { UnitAssessmentsInput } from './assessment.inputs';
import { rankByScore, scoreAssessment, type AssessmentPartName, type PartFacts } from './assessment.rules';
import type { UnitAssessment } from './assessment.types';
import { authorizeArea } from '../identity/access';

interface FactsRow {
  unit_id: number;
  activities_total: number;
  activities_attended: number;
  claims_delivered: number;
  claims_total: number;
  whistles_on_time: number;
  whistles_total: number;
  satisfaction_points: number;
  satisfaction_rated: number;
}

/**
 * The facts of every unit paired with the community in the year, in ONE statement: the paired
 * units, then one aggregate per part (each GROUP BY unit), left-joined. No per-unit queries.
 */
const FACTS_SQL = `
with paired as (
  -- Paired in the year so far: a term that has not begun yet (signed ahead for later in the
  -- year) is no pairing to assess; its unit would rank last on activities it could not attend.
  select distinct unit_id from pairing
   where community_id = :community and starts_on <= :lastDay and (ends_on is null or ends_on >= :firstDay)
), acts as (
  -- Held so far (started): one still to come this year could not have been attended yet.
  select id from activity where community_id = :community and starts_at >= :from and starts_at < :to and starts_at <= :now
), attendance as (
  select p.unit_id, count(distinct p.activity_id) as attended
    from activity_participation p join acts on acts.id = p.activity_id
   where p.attended_at is not null and p.unit_id in (select unit_id from paired)
   group by p.unit_id
), claims as (
  select c.unit_id,
         count(*) filter (where c.status in (:delivered)) as delivered,
         count(*) as total
    from claim c
    join list_item i on i.id = c.item_id
    join problem_list l on l.id = i.list_id
   where l.community_id = :community and c.status <> :cancelled
     and c.created_at >= :from and c.created_at < :to
     and c.unit_id in (select unit_id from paired)
   group by c.unit_id
), whistles as (
  select r.unit_id,
         count(*) filter (where r.answered_at is not null and r.answered_at <= r.feedback_due_at) as on_time,
         count(*) as total
    from whistle_recipient r join whistle w on w.id = r.whistle_id
   where w.blown_by_id = :community and w.blown_at >= :from and w.blown_at < :to
     and (r.answered_at is not null or r.feedback_due_at < :now)
     and r.unit_id in (select unit_id from paired)
   group by r.unit_id
), satisfaction as (
  select q.assignee_unit_id as unit_id, sum(q.satisfaction) as points, count(*) as rated
    from request q join area a on a.id = q.area_id
   where a.path like :pathPrefix and q.satisfaction is not null
     and q.created_at >= :from and q.created_at < :to
     and q.assignee_unit_id in (select unit_id from paired)
   group by q.assignee_unit_id
)
select paired.unit_id,
       (select count(*) from acts)::int as activities_total,
       coalesce(attendance.attended, 0)::int as activities_attended,
       coalesce(claims.delivered, 0)::int as claims_delivered,
       coalesce(claims.total, 0)::int as claims_total,
       coalesce(whistles.on_time, 0)::int as whistles_on_time,
       coalesce(whistles.total, 0)::int as whistles_total,
       coalesce(satisfaction.points, 0)::int as satisfaction_points,
       coalesce(satisfaction.rated, 0)::int as satisfaction_rated
  from paired
  left join attendance on attendance.unit_id = paired.unit_id
  left join claims on claims.unit_id = paired.unit_id
  left join whistles on whistles.unit_id = paired.unit_id
  left join satisfaction on satisfaction.unit_id = paired.unit_id
 order by paired.unit_id`;

/** 5 points per rated request: the mean rating over 5 is the part's share. */
const MAX_RATING = 5;

/** 反向考核 of the units paired with a community. */
export const assessmentService = {
  async unitAssessments(ctx: AppContext, input: UnitAssessmentsInput): Promise<UnitAssessment[]> {
    const community = (await authorizeArea(ctx, input.communityId, 'input.communityId', ['Community'])).area!;
    const year = input.year ?? Number(chinaDayOf(ctx.now()).slice(0, 4));
    const { from, to } = yearRange(year);
    // The year so far: its last day, or today (China time) while it runs.
    const today = todayInChina(ctx.now());
    const lastDay = `${year}-12-31` < today ? `${year}-12-31` : today;
    const knex = ctx.em.getKnex();
    const query = knex.raw(FACTS_SQL, {
      community: community.id,
      firstDay: `${year}-01-01`,
      lastDay,
      from,
      to,
      now: ctx.now(),
      pathPrefix: `${community.path}%`,
      delivered: knex.raw('?, ?', [ClaimStatus.DELIVERED, ClaimStatus.CONFIRMED]),
      cancelled: ClaimStatus.CANCELLED,
    });
    const rows: FactsRow[] = await ctx.em.execute(query);
    const scored = rows.map((row) => {
      const facts: Record<AssessmentPartName, PartFacts> = {
        attendance: { numerator: row.activities_attended, denominator: row.activities_total },
        claims: { numerator: row.claims_delivered, denominator: row.claims_total },
        whistles: { numerator: row.whistles_on_time, denominator: row.whistles_total },
        satisfaction: { numerator: row.satisfaction_points, denominator: row.satisfaction_rated * MAX_RATING },
      };
      const { parts, score, notes } = scoreAssessment(facts, year);
      return { unitId: Number(row.unit_id), communityId: community.id, year, score, notes, ...parts };
    });
    return rankByScore(scored).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unitId - b.unitId);
  },
};
