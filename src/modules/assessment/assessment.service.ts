import type { AppContext, Viewer } from '../../context/context';
import { yearRange } from '../../common/dates';
import { chinaDayOf, todayInChina } from '../../common/dates';
import { ClaimStatus } from '../list/list.entity';
import type { MemberAssessmentsInput, UnitAssessmentsInput } from './assessment.inputs';
import { rankByScore, scoreAssessment, scoreMemberAssessment, type MemberAssessmentPartName, type PartFacts, type UnitAssessmentPartName } from './assessment.rules';
import type { MemberAssessment, UnitAssessment } from './assessment.types';
import { assignableWithinSql, assignedAtSql, assigneeDueAtSql, heldPastDueSql } from '../request/request.states';
import { Role } from '../identity/role';
import { authorizeArea } from '../identity/access';
import { metDeadlineSql, missedDeadlineSql } from '../whistle/whistle.rules';
import { REPORTS_TO_COMMUNITY_SQL, onReportDaySql } from '../service-post/report-end';
import { onTermDaySql } from '../pairing/pairing.rules';

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
 * The community's activities of the year held so far (started by now): one still to come could not
 * have been attended yet. Both assessments' attendance parts count these.
 */
const HELD_ACTIVITIES_SQL = `select id, starts_at from activity
   where community_id = :community and starts_at >= :from and starts_at < :to and starts_at <= :now`;

/** A department's feedback under a whistle, met or missed (whistle.rules.ts), on `r` (whistle_recipient) and `w` (whistle). */
const WHISTLE_FEEDBACK_MET = metDeadlineSql('r.feedback_due_at', 'r.answered_at', 'w.stopped_at');
const WHISTLE_FEEDBACK_MISSED = missedDeadlineSql('r.feedback_due_at', 'r.answered_at', 'w.stopped_at', ':now');

/**
 * SQL: a lateral join giving `g.at`, the instant that dates request `q` for `assignee` (`id`) (request.states.ts,
 * assignedAtSql). OFFSET 0 keeps it a subquery, read once a row: pulled up, its ledger look-up ran once per use.
 */
const assignedAtJoin = (assignee: 'person' | 'unit', id: string) => `cross join lateral (select ${assignedAtSql('q', assignee, id)} as at offset 0) g`;

/**
 * SQL: the community's requests that an `assignee` may have got in the year (request.states.ts,
 * assignableWithinSql) with the columns the assessments read, for a CTE the statements read as `q`:
 * the year's requests, not every one of the community's years with a ledger look-up each. Each is
 * read by its key (OFFSET 0 keeps the look-up per id: joined plainly, the planner may hash all the
 * years' requests against them); the CTE is MATERIALIZED so that no join of theirs goes into that loop.
 */
const yearRequestsSql = (assignee: 'person' | 'unit') => `
  select q.* from (${assignableWithinSql(assignee, ':from', ':to')}) d
   cross join lateral (
     select id, area_id, created_at, status, status_before_suspension, suspended_at, due_at, assignee_due_at,
            resolved_at, satisfaction, assignee_person_id, assignee_unit_id
       from request where id = d.id offset 0) q
   join area a on a.id = q.area_id
  where a.path like :pathPrefix and q.created_at < :to`;

/** What dates a request `q` for the unit assigned it, `g.at`: when it was first dispatched to the unit. */
const UNIT_REQUEST_AT = assignedAtJoin('unit', 'q.assignee_unit_id');

/**
 * The facts of every unit paired with the community in the year, in ONE statement: the paired
 * units, then one aggregate per part (each GROUP BY unit), left-joined. No per-unit queries.
 * The assessment is of the pairing: each part counts only what fell on a day of one of the unit's
 * terms (China time: onTermDaySql, pairing.rules.ts), dated by the instant that puts it in the
 * year: an activity held (one before the term or after it was not the unit's to attend, nor does
 * attending it as a guest count), a claim made, a whistle blown, a request dispatched to the unit
 * (UNIT_REQUEST_AT: one received the day before its term began and dispatched to it on the first
 * day is the pairing's, one received on the term's last day and dispatched to it after is not). What a unit did
 * while unpaired (a claim through an alliance seat, a request or whistle any department may get)
 * served the community, not the pairing. Whistles too: a department is called whatever its
 * pairings, and the whistle lists and the dashboard count every answer; but only a paired unit
 * has a row here, an unpaired department's answers count in none, and so neither do this unit's
 * from before or between its terms. A whistle blown during a term counts, answered after it too.
 */
const FACTS_SQL = `
with terms as (
  -- Paired in the year so far: a term that has not begun yet (signed ahead for later in the
  -- year) is no pairing to assess; its unit would rank last on activities it could not attend.
  select unit_id, starts_on, ends_on from pairing
   where community_id = :community and starts_on <= :lastDay and (ends_on is null or ends_on >= :firstDay)
), paired as (
  select distinct unit_id from terms
), acts as (
  ${HELD_ACTIVITIES_SQL}
), unit_acts as (
  -- Each unit's activities: those on a day of one of its terms (terms of a pair do not overlap; distinct all the same).
  select distinct t.unit_id, acts.id as activity_id
    from terms t
    join acts on ${onTermDaySql('t', 'acts.starts_at')}
), attendance as (
  select ua.unit_id,
         count(*) as held,
         count(*) filter (where exists (
           select 1 from activity_participation p
            where p.activity_id = ua.activity_id and p.unit_id = ua.unit_id and p.attended_at is not null)) as attended
    from unit_acts ua
   group by ua.unit_id
), claims as (
  select c.unit_id,
         count(*) filter (where c.status in (:delivered)) as delivered,
         count(*) as total
    from claim c
    join list_item i on i.id = c.item_id
    join problem_list l on l.id = i.list_id
   where l.community_id = :community and c.status <> :cancelled
     and c.created_at >= :from and c.created_at < :to
     and exists (select 1 from terms t where t.unit_id = c.unit_id and ${onTermDaySql('t', 'c.created_at')})
   group by c.unit_id
), whistles as (
  -- Answered by the feedback deadline, of those answered by it or that missed it (whistle.rules.ts):
  -- a department whose whistle stopped (its request closed out) before its deadline counts in neither.
  select r.unit_id,
         count(*) filter (where ${WHISTLE_FEEDBACK_MET}) as on_time,
         count(*) as total
    from whistle_recipient r join whistle w on w.id = r.whistle_id
   where w.blown_by_id = :community and w.blown_at >= :from and w.blown_at < :to
     and (${WHISTLE_FEEDBACK_MET} or ${WHISTLE_FEEDBACK_MISSED})
     and exists (select 1 from terms t where t.unit_id = r.unit_id and ${onTermDaySql('t', 'w.blown_at')})
   group by r.unit_id
), dispatched as materialized (
  ${yearRequestsSql('unit')}
), satisfaction as (
  select q.assignee_unit_id as unit_id, sum(q.satisfaction) as points, count(*) as rated
    from dispatched q
    ${UNIT_REQUEST_AT}
   where q.satisfaction is not null and q.assignee_unit_id in (select unit_id from paired)
     and g.at >= :from and g.at < :to
     and exists (select 1 from terms t where t.unit_id = q.assignee_unit_id and ${onTermDaySql('t', 'g.at')})
   group by q.assignee_unit_id
)
select paired.unit_id,
       coalesce(attendance.held, 0)::int as activities_total,
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

interface MemberFactsRow {
  person_id: number;
  employer_unit_id: number | null;
  posts_held: number;
  activities_held: number;
  activities_attended: number;
  requests_on_time: number;
  requests_due: number;
  satisfaction_points: number;
  satisfaction_rated: number;
  points_earned: number;
}

/** The due time a request counts against its assignee by (request.states.ts), on `q` (request). */
const ASSIGNEE_DUE = assigneeDueAtSql('q');

/**
 * Held by its assignee past their due time (request.states.ts, heldPastDue), on `q`: DISPATCHED ones
 * too (a member who never takes a request dispatched to them is late with it), and ones suspended
 * already past it (suspending does not forgive their lateness); not those suspended in time, nor
 * reopened ones waiting in the owning level's queue.
 */
const HELD_PAST_DUE = heldPastDueSql('q', ':now');

/**
 * SQL: `instant` falls on a day a report of `person` here counts for: a row of the `reports` CTE
 * of MEMBER_FACTS_SQL, by onReportDaySql (report-end.ts has the rule).
 */
const onReportDayOf = (person: string, instant: string) =>
  `exists (select 1 from reports r where r.person_id = ${person} and ${onReportDaySql('r', instant)})`;

/**
 * SQL for request `q` and `person` (its assignee, or a member it was taken from late): `join` dates
 * it for them (`g.at`) by when they got it, and `counts` holds when that fell in the year on a day
 * a report of theirs here counts for.
 */
const memberRequest = (person: string) => ({
  join: assignedAtJoin('person', person),
  counts: `g.at >= :from and g.at < :to and ${onReportDayOf(person, 'g.at')}`,
});
/** The member a ledger entry (alias `entry`) records it was taken from late, if any (request.states.ts). */
const lateAssigneeOf = (entry: string) => `(${entry}.data->'lateAssignee'->>'personId')::int`;
const LATE_ASSIGNEE = lateAssigneeOf('e');
const LATE_REQUEST = memberRequest(LATE_ASSIGNEE);
const ASSIGNED_REQUEST = memberRequest('q.assignee_person_id');

/**
 * The facts of every member reported to the community (双报到) at some time in the year so far, in
 * ONE statement, one aggregate per part. A member's reports are their current one (person) and the
 * ended ones (past_report): a member who retired or moved since is still assessed for the year, as
 * staff of the employer they reported through (their latest report's).
 * Activities, requests and points earned count on the days they were reported here (from their
 * report's day to its end day, China time; a report begun the day the previous one ended counts from
 * the next day: REPORTS_TO_COMMUNITY_SQL, report-end.ts): an activity held before could not be theirs
 * to attend, and points earned while reported to another community are that community's. A request
 * is dated for the member by when they first got it (request.states.ts, assignedAtSql: dispatched to
 * them, or taken by them for their unit), the moment they became answerable for it, which puts it in
 * the year and a report: one received the day before they reported and dispatched to them after
 * counts (dated by its arrival, it counted in no row at all). One date a request and member, so it
 * counts for one year and one report of theirs, however often it is handed back, given them again or
 * resolved; one of the community given them while they were reported elsewhere (or nowhere) served
 * the community, not their report here, and counts in no row (its rating neither, nor, taken from
 * them late, its lateness). Posts count when held some time in the year.
 */
const MEMBER_FACTS_SQL = `
with reports as (
  -- Each report with the first day it counts for (counts_from: report-end.ts has the rule), that
  -- counts for some day of the year so far: one begun the day the last one ended and itself ended
  -- that day, or begun on :lastDay so (a move on the year's last day, or today), counts for none and
  -- does not make them a member here that year (a row scored on that day's post claim alone).
  select r.* from (${REPORTS_TO_COMMUNITY_SQL}) r
   where r.counts_from <= :lastDay and (r.ended_on is null or r.ended_on >= greatest(r.counts_from, :firstDay::date))
), members as (
  -- One row a member; their workplace that of their latest report in the year (the current one first).
  select distinct on (r.person_id) r.person_id, r.employer_unit_id
    from reports r
   order by r.person_id, r.ended_on desc nulls first, r.reported_on desc
), acts as (
  ${HELD_ACTIVITIES_SQL}
), attendance as (
  select m.person_id,
         count(*) as held,
         count(*) filter (where exists (
           select 1 from activity_participation ap
            where ap.activity_id = a.id and ap.person_id = m.person_id and ap.attended_at is not null)) as attended
    from members m join acts a on ${onReportDayOf('m.person_id', 'a.starts_at')}
   group by m.person_id
), posts as (
  select c.person_id, count(*) as held
    from post_claim c join service_post sp on sp.id = c.post_id
   where sp.community_id = :community and c.person_id in (select person_id from members)
     and c.claimed_on <= :lastDay and (c.ended_on is null or c.ended_on >= :firstDay)
   group by c.person_id
), given as materialized (
  ${yearRequestsSql('person')}
), late_taken as (
  -- Requests taken from them past their due time while they held it (handed back, escalated: the
  -- ledger's lateAssignee, request.states.ts): one pair per member and request, however often.
  -- Given them on a day their report here counts for (above), dated as those still theirs are: one
  -- date a pair, so one they got back counts once (requests, below) or not at all.
  select distinct ${LATE_ASSIGNEE} as person_id, q.id as request_id
    from given q
    -- Each one's own entries (OFFSET 0: by its key, never a scan of the whole ledger).
    cross join lateral (select data from request_event where request_id = q.id and data->'lateAssignee' is not null offset 0) e
    ${LATE_REQUEST.join}
   where ${LATE_ASSIGNEE} in (select person_id from members)
     and ${LATE_REQUEST.counts}
), requests as (
  -- A request counts once for a member: one they were late with and got back stays late.
  select q.assignee_person_id as person_id,
         count(*) filter (where lt.request_id is null and q.resolved_at is not null and q.resolved_at <= ${ASSIGNEE_DUE}) as on_time,
         count(*) filter (where lt.request_id is not null or q.resolved_at is not null or ${HELD_PAST_DUE}) as due,
         coalesce(sum(q.satisfaction), 0) as points,
         count(q.satisfaction) as rated
    from given q
    ${ASSIGNED_REQUEST.join}
    -- Its pair in late_taken, if any (dated as here, so counted alike), found among the request's own
    -- entries: a join to late_taken itself, misjudged small, was rescanned for every request.
    left join lateral (select l.request_id from request_event l
       where l.request_id = q.id and ${lateAssigneeOf('l')} = q.assignee_person_id limit 1) lt on true
   where q.assignee_person_id in (select person_id from members)
     and ${ASSIGNED_REQUEST.counts}
   group by q.assignee_person_id
), taken_late as (
  -- Those no longer assigned to them: due and not on time.
  select lt.person_id, count(*) as late
    from late_taken lt join request q on q.id = lt.request_id
   where q.assignee_person_id is distinct from lt.person_id
   group by lt.person_id
), points as (
  -- Earned while reported here: points earned before, or after a move while reported elsewhere, are
  -- the other community's (the ledger keeps no community; the day the entry counts on tells: an
  -- attendance's is its activity's start, so its points go where and when the attendance counts).
  select e.person_id, sum(e.amount) as earned
    from point_entry e
   where e.amount > 0 and e.created_at >= :from and e.created_at < :to
     and ${onReportDayOf('e.person_id', 'e.created_at')}
   group by e.person_id
)
select members.person_id, members.employer_unit_id,
       coalesce(posts.held, 0)::int as posts_held,
       coalesce(attendance.held, 0)::int as activities_held,
       coalesce(attendance.attended, 0)::int as activities_attended,
       coalesce(requests.on_time, 0)::int as requests_on_time,
       (coalesce(requests.due, 0) + coalesce(taken_late.late, 0))::int as requests_due,
       coalesce(requests.points, 0)::int as satisfaction_points,
       coalesce(requests.rated, 0)::int as satisfaction_rated,
       coalesce(points.earned, 0)::int as points_earned
  from members
  left join attendance on attendance.person_id = members.person_id
  left join posts on posts.person_id = members.person_id
  left join requests on requests.person_id = members.person_id
  left join taken_late on taken_late.person_id = members.person_id
  left join points on points.person_id = members.person_id
 order by members.person_id`;

/**
 * Whose member assessments a viewer reads: a party member only their own, a unit's liaison only
 * their unit's staff (the feedback a workplace gets from 双报到); staff and analysts every member
 * of a community in their scope. Ranks are among all the community's members, so a member's rank
 * is their place in the community, whoever reads it.
 */
function mayReadMemberAssessment(viewer: Viewer, row: { personId: number; employerUnitId: number | null }): boolean {
  if (viewer.kind !== 'account') return false;
  if (viewer.role === Role.PARTY_MEMBER) return viewer.personId != null && row.personId === viewer.personId;
  if (viewer.role === Role.UNIT_LIAISON) return viewer.unitId != null && row.employerUnitId === viewer.unitId;
  return true;
}

/** 反向考核 of the units paired with a community. */
export const assessmentService = {
  async unitAssessments(ctx: AppContext, input: UnitAssessmentsInput): Promise<UnitAssessment[]> {
    const { community, year, bindings } = await assessedYear(ctx, input);
    const knex = ctx.em.getKnex();
    const query = knex.raw(FACTS_SQL, {
      ...bindings,
      delivered: knex.raw('?, ?', [ClaimStatus.DELIVERED, ClaimStatus.CONFIRMED]),
      cancelled: ClaimStatus.CANCELLED,
    });
    const rows: FactsRow[] = await ctx.em.execute(query);
    const scored = rows.map((row) => {
      const facts: Record<UnitAssessmentPartName, PartFacts> = {
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

  async memberAssessments(ctx: AppContext, input: MemberAssessmentsInput): Promise<MemberAssessment[]> {
    const { community, year, bindings } = await assessedYear(ctx, input);
    const knex = ctx.em.getKnex();
    const query = knex.raw(MEMBER_FACTS_SQL, bindings);
    const rows: MemberFactsRow[] = await ctx.em.execute(query);
    const scored = rows.map((row) => {
      const facts: Record<MemberAssessmentPartName, PartFacts> = {
        posts: { numerator: Math.min(row.posts_held, 1), denominator: 1 },
        attendance: { numerator: row.activities_attended, denominator: row.activities_held },
        requests: { numerator: row.requests_on_time, denominator: row.requests_due },
        satisfaction: { numerator: row.satisfaction_points, denominator: row.satisfaction_rated * MAX_RATING },
      };
      const { parts, score, notes } = scoreMemberAssessment(facts, year);
      return {
        personId: Number(row.person_id),
        employerUnitId: row.employer_unit_id == null ? null : Number(row.employer_unit_id),
        communityId: community.id,
        year,
        score,
        notes,
        pointsEarned: row.points_earned,
        ...parts,
      };
    });
    return rankByScore(scored)
      .filter((row) => mayReadMemberAssessment(ctx.viewer, row))
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.personId - b.personId);
  },
};

/**
 * The community (in the viewer's scope) and the year asked about, with the bindings both
 * assessments' SQL reads: the year's bounds, its last day so far (its last day, or today in China
 * while it runs), now, and the community's subtree.
 */
async function assessedYear(ctx: AppContext, input: { communityId: string; year?: number | null }) {
  const community = (await authorizeArea(ctx, input.communityId, 'input.communityId', ['Community'])).area!;
  const year = input.year ?? Number(chinaDayOf(ctx.now()).slice(0, 4));
  const { from, to } = yearRange(year);
  const today = todayInChina(ctx.now());
  const lastDay = `${year}-12-31` < today ? `${year}-12-31` : today;
  return { community, year, bindings: { community: community.id, firstDay: `${year}-01-01`, lastDay, from, to, now: ctx.now(), pathPrefix: `${community.path}%` } };
}
