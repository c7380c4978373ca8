import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../person/person.entity';
import { PastReport, PostClaim } from './service-post.entity';
import { CLAIM_MOVES } from './service-post.rules';
import { ROLLUP_TIME_ZONE } from '../service-data/time-zone';

/**
 * Ends, on `day` (China time), every post the person holds: the claims stay, with their end day,
 * as the record of when each post was held. The caller has locked the claims (person.service).
 */
export async function endPostsOf(em: EntityManager, personId: number, day: string): Promise<void> {
  // Unscoped: a consequence of the checked step, every post the person holds, whoever ends them.
  await em.nativeUpdate(PostClaim, { person: personId, status: { $in: CLAIM_MOVES.end.from } }, { status: CLAIM_MOVES.end.to, endedOn: day }, { filters: false });
}

/**
 * Ends a member's 双报到 report to `communityId` on `day`, and the posts held with it (a report ends
 * when the member moves, retires or leaves their employer: person.service). The report is kept in
 * past_report, so a past year's member assessment still counts them, as staff of `employerUnitId`, the
 * employer they reported through (the one on record before the change that ends the report: leaving
 * it is one). The caller has locked the person.
 */
export async function endReport(em: EntityManager, person: Person, communityId: number, employerUnitId: number | null, day: string): Promise<void> {
  if (!person.reportedOn) return;
  em.create(PastReport, { person, community: communityId, employerUnit: employerUnitId, endedOn: day, ...(await currentStretch(em, person)) });
  person.reportedOn = null;
  await endPostsOf(em, person.id, day);
}

/**
 * A reported member who moves to another employer (updatePerson) stays reported, through the new
 * one, posts and placement kept; but the report up to `day` was made through `employerUnitId`, the
 * one on record before the change: that stretch is kept in past_report as ended on `day`, and the
 * current stretch begins that day (counting from the next: REPORTS_TO_COMMUNITY_SQL). Left whole, a
 * current report is read with the employer on record now, and a past year's assessment moved to the
 * new employer. person.reportedOn stays the day they reported (their profile, the dashboard's count
 * of members who reported in a period). The caller has locked the person.
 */
export async function splitReportAtEmployerChange(em: EntityManager, person: Person, communityId: number, employerUnitId: number | null, day: string): Promise<void> {
  if (!person.reportedOn) return;
  em.create(PastReport, { person, community: communityId, employerUnit: employerUnitId, endedOn: day, ...(await currentStretch(em, person)) });
}

/**
 * Where the current report's latest stretch began: the day they reported, or the last employer change
 * since (the end of their latest past_report row, when it is after the day they reported: an ended
 * report's end never is, assertAfterLastReport). On that day itself the row may be a report that
 * ended the day they reported anew, or a change made on the report day: either way the stretch is
 * taken as begun with the report, which the dashboard's count may then read (the member did report
 * that day). The SQL twin is in REPORTS_TO_COMMUNITY_SQL.
 */
async function currentStretch(em: EntityManager, person: Person): Promise<{ reportedOn: string; beganAtEmployerChange: boolean }> {
  const reportedOn = person.reportedOn!;
  const lastEnd = await lastReportEnd(em, person.id);
  return lastEnd !== null && lastEnd > reportedOn ? { reportedOn: lastEnd, beganAtEmployerChange: true } : { reportedOn, beganAtEmployerChange: false };
}

/**
 * The day the person's last ended report ended (null: none). Unscoped, as the rule reading it
 * (assertAfterLastReport) is about every report they made, wherever. The caller has locked the
 * person: endReport and splitReportAtEmployerChange, the only writers of past_report, run under the same lock.
 */
export async function lastReportEnd(em: EntityManager, personId: number): Promise<string | null> {
  const [row] = await em.execute<{ day: string | null }[]>(`select max(ended_on)::text as day from past_report where person_id = ?`, [personId]);
  return row?.day ?? null;
}

/**
 * THE days a 双报到 report counts for, what an assessment holds a member to (and credits them with)
 * in the community: one place for the rule, read by memberAssessments (assessment.service.ts).
 *
 * A report counts from the day it began to the day it ended, both included (China days; a current
 * report, not ended, to today). A report begun on the day the member's previous report ended (the
 * usual move: updatePerson ends the old report that day, endReport, and the member reports anew where
 * they live the same day, which assertAfterLastReport allows) counts from the NEXT day: the day belongs
 * to the report that ended. Else that day's activities, requests and points counted in both communities.
 * The day goes to the old report, not the new one, because an ended report's end day is its last day
 * everywhere (a post claim's endedOn, a report ended by retiring, which no report follows), and because
 * the new report is the one that knows, from its start, that it follows: a report made later and dated
 * back to that day (reportedOn may be) does not rewrite the old community's assessment.
 *
 * `REPORTS_TO_COMMUNITY_SQL` lists every report, current (person.reported_on) and ended (past_report),
 * to the community bound as `:community`: person_id, reported_on, ended_on (null: current),
 * employer_unit_id, and counts_from (the first day it counts for). "Previous" is among the member's
 * reports wherever made: an ended report's previous ones are those ended before it (past_report ids
 * follow the order reports end in, as endReport and splitReportAtEmployerChange are their only
 * writers, under the person's lock); every ended one is previous to the current report.
 *
 * A report that went on through another employer (splitReportAtEmployerChange) is its stretches, each
 * a row with its employer: the stretch begun on the day of a change counts from the next day, as a
 * report after a move does (the day of the change is the old employer's).
 */
export const REPORTS_TO_COMMUNITY_SQL = `
select t.person_id, t.reported_on, t.ended_on, t.employer_unit_id,
       case when exists (
              select 1 from past_report prev
               where prev.person_id = t.person_id and prev.ended_on = t.reported_on
                 and (t.past_report_id is null or prev.id < t.past_report_id))
            then t.reported_on + 1 else t.reported_on end as counts_from
  from (
    -- The current report's latest stretch: from the last employer change since they reported, if any (currentStretch).
    select p.id as person_id, null::int as past_report_id,
           greatest(p.reported_on, (select max(x.ended_on) from past_report x where x.person_id = p.id)) as reported_on,
           null::date as ended_on, p.employer_unit_id
      from person p
     where p.residence_community_id = :community and p.reported_on is not null
    union all
    select r.person_id, r.id, r.reported_on, r.ended_on, r.employer_unit_id
      from past_report r
     where r.community_id = :community
  ) t`;

/**
 * SQL: the instant `column` (a timestamptz) falls on a day the report `alias` (a row of
 * REPORTS_TO_COMMUNITY_SQL) counts for, China time.
 */
export function onReportDaySql(alias: string, column: string): string {
  return `${column} >= (${alias}.counts_from::timestamp at time zone '${ROLLUP_TIME_ZONE}')
     and (${alias}.ended_on is null or ${column} < ((${alias}.ended_on + 1)::timestamp at time zone '${ROLLUP_TIME_ZONE}'))`;
}
