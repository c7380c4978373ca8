import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One China calendar day and whether government counters work on it: Monday-Friday, except the
 * statutory holidays, plus the weekend days worked in lieu (调休上班). What "N working days"
 * means for a service item's deadline (限时办结). Kept by syncWorkCalendar (work-calendar.ts);
 * nothing loads it through the ORM: the roll-up SQL joins it.
 */
@Entity({ tableName: 'work_calendar' })
export class WorkCalendarDay {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'boolean' })
  workday!: boolean;

  /** Working days from the calendar's first day up to and including this one: the N-th working day after d has ordinal(d) + N. */
  @Property({ type: 'integer' })
  @Index()
  workdayOrdinal!: number;

  /** The holiday (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆) a day off or a day worked in lieu belongs to; null for an ordinary day. */
  @Property({ type: 'string', length: 20, nullable: true })
  holiday?: string | null;
}
