import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A day whose working status an administrator set by hand, over what the chinese-days package
 * says: next year's holidays as the State Council announces them (November or December), before
 * the package has them, or a local change (a day off for a typhoon). syncWorkCalendar lays these
 * over the package's days; clearing one goes back to the package.
 */
@Entity({ tableName: 'work_calendar_adjustment' })
export class WorkCalendarAdjustment {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'boolean' })
  workday!: boolean;

  /** The holiday the day off (or the day worked in lieu) belongs to, e.g. 元旦, 春节. */
  @Property({ type: 'string', length: 20, nullable: true })
  holiday?: string | null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
