import { badInput } from '../../common/errors';
import { loadByGlobalId } from '../../common/lookup';
import type { AppContext } from '../../context/context';
import { Unit } from '../unit/unit.entity';
import type { ActivityRecordCardsInput } from './activity.inputs';
import { monthRange } from '../../common/dates';
import { authorizeArea, pathCondition } from '../identity/access';

/** 活动记录卡: what one unit's people attended in one month. */
export interface RecordCardRow {
  unitId: number;
  month: string;
  activitiesAttended: number;
  membersAttended: number;
  attendances: number;
  totalHours: number;
  memberHours: number;
  activityIds: number[];
}

/**
 * Monthly activity record cards, one per unit with verified attendance, in ONE aggregate:
 * each attended participation (counted for the unit it was signed up for) joined to its
 * activity; an activity's hours count once per unit (`totalHours`) and once per member
 * (`memberHours`).
 */
export async function activityRecordCards(ctx: AppContext, input: ActivityRecordCardsInput): Promise<RecordCardRow[]> {
  if (!input.communityId && !input.unitId) throw badInput('input.communityId', 'give communityId, unitId or both');
  // Cards count attendance inside the viewer's scope: a unit's card covers only communities the viewer may see.
  const scope = await authorizeArea(ctx, input.communityId, 'input.communityId', ['Community']);
  const communityId = input.communityId ? scope.area!.id : null;
  const unitId = input.unitId ? (await loadByGlobalId(ctx.em, Unit, input.unitId, 'input.unitId')).id : null;
  const inScope = pathCondition(scope.paths, 'scope_area.path');
  const { from, to } = monthRange(input.month);
  const rows: {
    unit_id: number;
    activities: number;
    members: number;
    attendances: number;
    total_hours: number;
    member_hours: number;
    activity_ids: number[];
  }[] = await ctx.em.execute(
    `select unit_id,
            count(distinct activity_id)::int as activities,
            count(distinct person_id)::int as members,
            count(*)::int as attendances,
            round(coalesce(sum(hours) filter (where first_of_activity), 0), 2)::float8 as total_hours,
            round(sum(hours), 2)::float8 as member_hours,
            array_agg(distinct activity_id) as activity_ids
       from (select p.unit_id, p.person_id, p.activity_id,
                    extract(epoch from a.ends_at - a.starts_at) / 3600.0 as hours,
                    row_number() over (partition by p.unit_id, p.activity_id order by p.id) = 1 as first_of_activity
               from activity_participation p
               join activity a on a.id = p.activity_id
               join area scope_area on scope_area.id = a.community_id
              where p.attended_at is not null
                and ${inScope.sql}
                and p.unit_id is not null
                and a.starts_at >= ? and a.starts_at < ?
                and (?::int is null or a.community_id = ?)
                and (?::int is null or p.unit_id = ?)) attended
      group by unit_id
      order by unit_id`,
    [...inScope.bindings, from, to, communityId, communityId, unitId, unitId],
  );
  return rows.map((row) => ({
    unitId: Number(row.unit_id),
    month: input.month,
    activitiesAttended: row.activities,
    membersAttended: row.members,
    attendances: row.attendances,
    totalHours: Number(row.total_hours),
    memberHours: Number(row.member_hours),
    activityIds: [...row.activity_ids].map(Number).sort((a, b) => a - b),
  }));
}
