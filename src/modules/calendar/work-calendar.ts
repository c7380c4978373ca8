/**
 * China's working-day calendar: what "N working days" (限时办结) means for a service item's
 * deadline. Government counters work Monday-Friday, except on the statutory holidays the State
 * Council announces each year (Spring Festival alone closes them for a week or more), and they
 * work some weekend days in lieu (调休上班). Counting Monday-Friday only, a certificate received
 * on the Thursday before Spring Festival 2026 with 5 working days was due in the middle of the
 * holiday, so the on-time share fell every February and October for no fault of the counters.
 *
 * The holidays and days worked in lieu come from the chinese-days package (MIT; the State
 * Council's announcements since 2004). Years it does not know yet count Monday-Friday until the
 * package is updated or an administrator enters the announced days (adjustWorkCalendar, kept in
 * work_calendar_adjustment and laid over the package's): syncWorkCalendar then rewrites the table
 * and recomputes the on-time counts of the days it changed.
 */
import { createHash } from 'node:crypto';
import calendarData from 'chinese-days/dist/chinese-days.json';
import type { SqlRunner } from '../../../analytics';
import { ROLLUP_TIME_ZONE } from '../service-data/time-zone';

/** The days the table holds. Outside them (and on an empty table) deadlines count Monday-Friday. */
export const WORK_CALENDAR_RANGE = { first: '2000-01-01', last: '2040-12-31' } as const;

const HOLIDAYS: Record<string, string> = calendarData.holidays;
const WORKED_IN_LIEU: Record<string, string> = calendarData.workdays;

/** 'Spring Festival,春节,4' → '春节'. */
const holidayName = (entry: string | undefined) => (entry === undefined ? null : (entry.split(',')[1] ?? entry).slice(0, 20));

/**
 * The statutory holidays, as the words any spelling of their names holds: 国庆, 国庆节 and 国庆假期
 * alike, 清明 and 清明节, 劳动节 and 五一 (the State Council's notices and the package spell them
 * differently, and administrators will type either).
 */
const STATUTORY_HOLIDAY_WORDS = ['元旦', '春节', '清明', '劳动', '五一', '端午', '中秋', '国庆'];

/** Whether a holiday name names a statutory holiday (not a local closure such as 台风停工). */
export function isStatutoryHoliday(name: string): boolean {
  return STATUTORY_HOLIDAY_WORDS.some((word) => name.includes(word));
}

/** The last year whose holidays the chinese-days package knows. */
export const HOLIDAYS_KNOWN_THROUGH = Math.max(...Object.keys(HOLIDAYS).map((day) => Number(day.slice(0, 4))));

/** A day set by hand (work_calendar_adjustment): it wins over the package's word for that day. */
export interface DayAdjustment {
  day: string;
  workday: boolean;
  holiday: string | null;
}

/**
 * The last year whose holidays are known: the package's, or a later one an administrator entered a
 * statutory holiday in (a day off named 元旦, 春节, 国庆节 …, however spelled). A local closure
 * (a typhoon day) does not announce a year's holidays, so it neither counts nor silences the warning.
 */
export function holidaysKnownThrough(adjustments: readonly DayAdjustment[]): number {
  const announced = adjustments.filter((entry) => !entry.workday && entry.holiday !== null && isStatutoryHoliday(entry.holiday));
  return Math.max(HOLIDAYS_KNOWN_THROUGH, ...announced.map((entry) => Number(entry.day.slice(0, 4))));
}

export async function readAdjustments(db: SqlRunner): Promise<DayAdjustment[]> {
  return (await db.query<DayAdjustment>(`select day::text, workday, holiday from work_calendar_adjustment order by day`)).rows;
}

/**
 * What to tell the operator when the calendar data lag behind: the State Council announces a
 * year's holidays in November or December of the year before, so from November on the next year
 * is expected too. Null when the data cover it.
 */
export function holidaysOutOfDate(now: Date, knownThrough = HOLIDAYS_KNOWN_THROUGH): string | null {
  const chinaNow = new Date(now.getTime() + 8 * 3600_000);
  const needed = chinaNow.getUTCFullYear() + (chinaNow.getUTCMonth() >= 10 ? 1 : 0);
  if (knownThrough >= needed) return null;
  return `the working-day calendar knows the holidays through ${knownThrough}; ${needed}'s count Monday-Friday until an administrator enters them as announced (the adjustWorkCalendar mutation, see README) or the chinese-days package is updated (npm update chinese-days, then restart); on-time counts are recomputed either way`;
}


export interface WorkCalendarEntry {
  day: string;
  workday: boolean;
  holiday: string | null;
}

/** Every day of WORK_CALENDAR_RANGE, in order: the package's calendar with `adjustments` laid over it. */
export function workCalendar(adjustments: readonly DayAdjustment[] = []): WorkCalendarEntry[] {
  const adjusted = new Map(adjustments.map((entry) => [entry.day, entry]));
  const days: WorkCalendarEntry[] = [];
  const last = Date.parse(`${WORK_CALENDAR_RANGE.last}T00:00:00Z`);
  for (let t = Date.parse(`${WORK_CALENDAR_RANGE.first}T00:00:00Z`); t <= last; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const byHand = adjusted.get(day);
    if (byHand) {
      days.push({ day, workday: byHand.workday, holiday: byHand.holiday });
      continue;
    }
    const weekday = new Date(t).getUTCDay();
    const inLieu = WORKED_IN_LIEU[day];
    const off = HOLIDAYS[day];
    const workday = inLieu !== undefined || (off === undefined && weekday !== 0 && weekday !== 6);
    days.push({ day, workday, holiday: holidayName(inLieu ?? off) });
  }
  return days;
}

/**
 * SQL for the end (China time) of the N-th working day after the China day `received` falls on,
 * as a timestamptz; N = 0 means the same day. `joins` go after the FROM item holding the columns
 * `received` and `days` read; `alias` keeps two uses in one query apart. From work_calendar where
 * it has the days, else counting Monday-Friday (before 2000, after 2040, or before the first start
 * filled the table).
 */
export function workingDayDeadline(received: string, days: string, alias = 'wc'): { joins: string; deadline: string } {
  const d0 = `(${received} at time zone '${ROLLUP_TIME_ZONE}')::date`;
  const dow = `extract(isodow from ${d0})::int`;
  const mondayToFriday = `${d0} - greatest(${dow} - 5, 0) + ${days} + 2 * ((least(${dow}, 5) - 1 + ${days}) / 5)`;
  return {
    // The received day's ordinal counts the working days up to it, so a day off counts as the working day before it.
    joins: `left join work_calendar ${alias}_received on ${alias}_received.day = ${d0}
      left join work_calendar ${alias}_due on ${alias}_due.workday and ${alias}_due.workday_ordinal = ${alias}_received.workday_ordinal + ${days}`,
    deadline: `((case when ${days} = 0 then ${d0} else coalesce(${alias}_due.day, ${mondayToFriday}) end) + 1)::timestamp at time zone '${ROLLUP_TIME_ZONE}'`,
  };
}

/** A Postgres array literal of strings (null as NULL), for a value that must travel as one parameter. */
function arrayLiteral(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

export interface WorkCalendarSync {
  /** Days whose working status or holiday changed (all of them on the first fill). */
  changedDays: number;
  /** The China days whose records' deadlines may have moved, handed to refreshOnTime; null when none. */
  refreshed: { from: string; to: string } | null;
}

/**
 * Brings work_calendar to workCalendar(adjustments): nothing to do (one statement) when it is
 * current; otherwise, in the caller's transaction, rewrites it and calls refreshOnTime for the
 * received days whose deadlines may have moved: from the first day whose working status changed,
 * less the longest a deadline reaches back, to the last such day. On a fresh database the roll-ups
 * are empty and that costs nothing.
 */
export async function syncWorkCalendar(
  db: SqlRunner,
  refreshOnTime: (db: SqlRunner, from: string, to: string) => Promise<void>,
  lockExclusive: (db: SqlRunner) => Promise<void>,
): Promise<WorkCalendarSync> {
  // Every start asks only for a digest of the table (one row, not 15,000) and the few days set by
  // hand, in one statement: equal, nothing to do.
  const digestOf = (entries: readonly WorkCalendarEntry[]) => createHash('md5').update(entries.map((e) => `${e.day}:${e.workday}:${e.holiday ?? ''}`).join(',')).digest('hex');
  const [stored0] = (await db.query<{ digest: string | null; adjustments: DayAdjustment[] }>(
    `select (select md5(string_agg(day::text || ':' || workday::text || ':' || coalesce(holiday, ''), ',' order by day)) from work_calendar) as digest,
      coalesce((select json_agg(json_build_object('day', day::text, 'workday', workday, 'holiday', holiday) order by day) from work_calendar_adjustment), '[]') as adjustments`,
  )).rows;
  if (stored0?.digest === digestOf(workCalendar(stored0.adjustments))) return { changedDays: 0, refreshed: null };
  const read = async () => (await db.query<WorkCalendarEntry>(`select day::text, workday, holiday from work_calendar order by day`)).rows;

  // The roll-up writers wait (they read the calendar); read again under the lock, another process
  // may have synced, or an administrator's adjustment committed meanwhile.
  await lockExclusive(db);
  const wanted = workCalendar(await readAdjustments(db));
  const stored = new Map((await read()).map((row) => [row.day, row]));
  const changed = wanted.filter((entry) => {
    const before = stored.get(entry.day);
    return !before || before.workday !== entry.workday || before.holiday !== entry.holiday;
  });
  if (changed.length === 0 && stored.size === wanted.length) return { changedDays: 0, refreshed: null };

  let ordinal = 0;
  const ordinals = wanted.map((entry) => (ordinal += entry.workday ? 1 : 0));
  await db.query('delete from work_calendar');
  await db.query(
    `insert into work_calendar (day, workday, workday_ordinal, holiday)
      select * from unnest($1::date[], $2::boolean[], $3::int[], $4::text[])`,
    [arrayLiteral(wanted.map((entry) => entry.day)), `{${wanted.map((entry) => entry.workday).join(',')}}`, `{${ordinals.join(',')}}`, arrayLiteral(wanted.map((entry) => entry.holiday))],
  );

  // A day that only gained its name moves no deadline; one whose working status changed does.
  const moved = changed.filter((entry) => {
    const before = stored.get(entry.day);
    const wasWorkday = before ? before.workday : !isWeekend(entry.day);
    return wasWorkday !== entry.workday;
  });
  if (moved.length === 0) return { changedDays: changed.length, refreshed: null };
  // Before the first moved day the old and new calendars agree, ordinals included. A record
  // received there with N working days is due on the working day of ordinal ordinal(received) + N,
  // which lies before that day, the same in both, unless ordinal(received) + N > P, P the last
  // ordinal before it. So the first day affected is the first whose ordinal reaches P - longest + 1,
  // however many days off lie in between (a long closure entered by hand, a lengthened Spring
  // Festival): counting calendar days back missed records received before a closure. After the
  // last moved day every ordinal shifts by the same amount, and so do the deadlines: unaffected.
  const [{ from: affectedFrom }] = (await db.query<{ from: string | null }>(
    `with before_moved as (select day, workday_ordinal from work_calendar where day < $1::date)
    select min(day)::text as from from before_moved
      where workday_ordinal >= (select coalesce(max(workday_ordinal), 0) from before_moved) - (select coalesce(max(deadline_working_days), 0) from service_item) + 1`,
    [moved[0].day],
  )).rows;
  const from = affectedFrom ?? moved[0].day;
  const to = moved[moved.length - 1].day;
  await refreshOnTime(db, from, to);
  return { changedDays: changed.length, refreshed: { from, to } };
}

/** Saturday or Sunday (a YYYY-MM-DD day): what Monday-Friday counting takes off. */
export function isWeekend(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}
