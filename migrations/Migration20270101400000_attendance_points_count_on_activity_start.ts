import { Migration } from '@mikro-orm/migrations';

/**
 * Frozen copy of attendancePointsDate (activity.rules.ts) for every attendance entry at once: the
 * points of an attendance count on the activity's start (the entry's created_at, by which the
 * leaderboard's year and the member assessments date points), as the attendance itself does.
 */
export const ATTENDANCE_POINTS_ON_ACTIVITY_START = `update point_entry e set created_at = a.starts_at
  from activity_participation ap join activity a on a.id = ap.activity_id
  where e.kind = 'ACTIVITY_ATTENDED' and e.source_type = 'ActivityParticipation' and e.source_id = ap.id
    and e.created_at is distinct from a.starts_at;`;

/**
 * Attendance entries written before points counted on the activity's start are dated by the day
 * the sheet was checked: one checked in early January for a 31 December activity counted in the new
 * year's leaderboard and assessment while its attendance counted in the old. This dates them as the
 * code now does. When each was written stays in updated_at (an entry is never changed after), which
 * is what down() puts back.
 */
export class Migration20270101400000_attendance_points_count_on_activity_start extends Migration {
  override async up(): Promise<void> {
    this.addSql(ATTENDANCE_POINTS_ON_ACTIVITY_START);
  }

  override async down(): Promise<void> {
    this.addSql(`update point_entry set created_at = updated_at where kind = 'ACTIVITY_ATTENDED' and source_type = 'ActivityParticipation';`);
  }
}
