import type { AppContext } from '../../context/context';
import { addDays, periodLength, todayInChina } from '../../common/dates';
import { badInput } from '../../common/errors';
import { inTransaction } from '../../common/transaction';
import { entityManagerRunner, lockRollupsExclusive, syncWorkCalendarAndRollups } from '../service-data/rollups';
import type { SqlRunner } from '../../../analytics';
import type { AdjustWorkCalendarInput } from './calendar.inputs';
import type { WorkCalendar, WorkCalendarAdjustmentResult, WorkCalendarDay } from './calendar.types';
import { WORK_CALENDAR_RANGE, holidaysKnownThrough, isWeekend, readAdjustments } from './work-calendar';

/** The longest span one workCalendar query answers: a year and its edges. */
export const MAX_CALENDAR_SPAN_DAYS = 400;

function assertInRange(day: string, field: string): void {
  if (day < WORK_CALENDAR_RANGE.first || day > WORK_CALENDAR_RANGE.last) throw badInput(field, `must lie between ${WORK_CALENDAR_RANGE.first} and ${WORK_CALENDAR_RANGE.last}, the years the calendar holds`);
}

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

async function daysOf(db: SqlRunner, where: string, params: unknown[]): Promise<WorkCalendarDay[]> {
  return (await db.query<WorkCalendarDay>(
    `select c.day::text, c.workday, c.holiday, a.day is not null as adjusted
      from work_calendar c left join work_calendar_adjustment a on a.day = c.day
      where ${where} order by c.day`,
    params,
  )).rows;
}

export const calendarService = {
  /** The working days from `from` to `to` (default: this year, China time). */
  async days(ctx: AppContext, from?: string | null, to?: string | null): Promise<WorkCalendar> {
    const year = todayInChina(ctx.now()).slice(0, 4);
    if (from) assertInRange(from, 'from');
    if (to) assertInRange(to, 'to');
    // One end given: a year from it, inside the calendar's years.
    const first = from ?? (to ? maxDay(addDays(to, -364), WORK_CALENDAR_RANGE.first) : `${year}-01-01`);
    const last = to ?? (from ? minDay(addDays(from, 364), WORK_CALENDAR_RANGE.last) : `${year}-12-31`);
    if (last < first) throw badInput('to', `must not be before ${first}`);
    if (periodLength(first, last) > MAX_CALENDAR_SPAN_DAYS) throw badInput('to', `at most ${MAX_CALENDAR_SPAN_DAYS} days from \`from\``);
    const db = entityManagerRunner(ctx.em);
    return {
      holidaysKnownThrough: holidaysKnownThrough(await readAdjustments(db)),
      days: await daysOf(db, 'c.day between $1::date and $2::date', [first, last]),
    };
  },

  /**
   * Sets days by hand (next year's holidays as announced, before the built-in data have them) or
   * gives them back to the built-in calendar, then rewrites the calendar and recomputes the on-time
   * counts of the received days whose deadlines moved, all in one transaction.
   */
  async adjust(ctx: AppContext, input: AdjustWorkCalendarInput): Promise<WorkCalendarAdjustmentResult> {
    const set = (input.set ?? []).map((entry, index) => ({ day: entry.day, workday: entry.workday, holiday: entry.holiday ?? null, field: `input.set.${index}` }));
    const clear = input.clear ?? [];
    if (set.length + clear.length === 0) throw badInput('input', 'give days to set or to clear');
    const seen = new Set<string>();
    const once = (day: string, field: string) => {
      assertInRange(day, field);
      if (seen.has(day)) throw badInput(field, `${day} is given twice`);
      seen.add(day);
    };
    for (const entry of set) {
      once(entry.day, `${entry.field}.day`);
      // A day off on a weekday, or a weekend day worked, is always for some holiday: name it, so
      // the calendar (and a dashboard showing it) says why.
      if (entry.workday === isWeekend(entry.day) && entry.holiday === null) {
        throw badInput(`${entry.field}.holiday`, entry.workday ? `${entry.day} is a weekend day: name the holiday it is worked in lieu for` : `${entry.day} is a weekday: name the holiday that closes the counters`);
      }
    }
    clear.forEach((day, index) => once(day, `input.clear.${index}`));

    return inTransaction(ctx, async (em) => {
      const db = entityManagerRunner(em);
      // The lock syncWorkCalendar takes, taken before any row is written: two administrators'
      // overlapping adjustments then run one after the other instead of locking rows in opposite orders.
      await lockRollupsExclusive(db);
      if (set.length) {
        await db.query(
          `insert into work_calendar_adjustment (day, workday, holiday, updated_at)
            select day, workday, holiday, now() from json_to_recordset($1::json) as t(day date, workday boolean, holiday text)
            on conflict (day) do update set workday = excluded.workday, holiday = excluded.holiday, updated_at = excluded.updated_at`,
          [JSON.stringify(set.map(({ day, workday, holiday }) => ({ day, workday, holiday })))],
        );
      }
      if (clear.length) {
        await db.query(`delete from work_calendar_adjustment where day in (select value::date from json_array_elements_text($1::json))`, [JSON.stringify(clear)]);
      }
      const sync = await syncWorkCalendarAndRollups(db);
      return {
        changedDays: sync.changedDays,
        recomputedFrom: sync.refreshed?.from ?? null,
        recomputedTo: sync.refreshed?.to ?? null,
        holidaysKnownThrough: holidaysKnownThrough(await readAdjustments(db)),
        days: await daysOf(db, 'c.day in (select value::date from json_array_elements_text($1::json))', [JSON.stringify([...seen])]),
      };
    });
  },
};
