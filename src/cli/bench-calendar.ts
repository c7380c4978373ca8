import 'reflect-metadata';
import os from 'node:os';
import pg from 'pg';
import { loadConfig } from '../config/env';
import { createLogger } from '../common/logger';
import { initOrm, migrateUp, openDatabase } from '../db/database';
import { ROLLUP_TIME_ZONE, syncWorkCalendarAndRollups } from '../modules/service-data/rollups';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

const USAGE = `usage: DATABASE_URL=postgres://…/<database with records> npm run bench:calendar -- [--runs N (default 3)]
  What adjustWorkCalendar costs on this database's one-window records: marks one working day, 60 days
  before the last day with records, a day off (as a typhoon closure would be entered) and gives it
  back, N times each, every time in one transaction with the roll-up recomputation it causes, and
  prints the median and worst of each against the reference measured in the same run: one
  sequential scan of service_record (what each of the two inserts read before the BRIN index).
  Leaves the database as it found it. Import records first, e.g. npm run bench:import's file.`;

const BENCH_HOLIDAY = '基准测试';

runCli(async () => {
  const parsed = parseFlags(process.argv.slice(2), ['runs']);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    console.error(`set DATABASE_URL to a database with records\n${USAGE}`);
    return 2;
  }
  const runs = Number(parsed.values.runs ?? 3);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
    console.error(`--runs must be 1-20\n${USAGE}`);
    return 2;
  }
  const database = await openDatabase(config, createLogger('warn'));
  const orm = await initOrm(database.url, config);
  const db = new pg.Client({ connectionString: database.url });
  try {
    await migrateUp(orm);
    await db.connect();
    const [{ last }] = (await db.query(`select max(day)::text as last from demand_daily where source = 1`)).rows;
    if (last === null) {
      console.error(`no one-window records here: import some first\n${USAGE}`);
      return 2;
    }
    // A working day, about 60 days before the data end, that nobody set by hand.
    const [{ day }] = (await db.query(
      `select max(c.day)::text as day from work_calendar c where c.workday and c.day <= $1::date - 60
         and not exists (select 1 from work_calendar_adjustment a where a.day = c.day)`,
      [last],
    )).rows;

    const scans: number[] = [];
    let records = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      records = Number((await db.query('select count(*) as n from service_record')).rows[0].n);
      scans.push(performance.now() - started);
    }
    const timed = async (write: string) => {
      const started = performance.now();
      await db.query('begin');
      await db.query(write, [day, BENCH_HOLIDAY]);
      const sync = await syncWorkCalendarAndRollups(db);
      await db.query('commit');
      return { ms: performance.now() - started, sync };
    };
    const set: number[] = [];
    const cleared: number[] = [];
    let window = { from: day, to: day };
    for (let run = 0; run < runs; run++) {
      const adjusted = await timed(`insert into work_calendar_adjustment (day, workday, holiday, updated_at) values ($1::date, false, $2, now())`);
      set.push(adjusted.ms);
      window = adjusted.sync.refreshed ?? window;
      cleared.push((await timed(`delete from work_calendar_adjustment where day = $1::date and holiday = $2`)).ms);
    }
    const [{ recomputed }] = (await db.query(
      `select count(*) as recomputed from service_record where received_at >= ($1::date::timestamp at time zone '${ROLLUP_TIME_ZONE}') and received_at < (($2::date + 1)::timestamp at time zone '${ROLLUP_TIME_ZONE}')`,
      [window.from, window.to],
    )).rows;

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const [load1] = os.loadavg();
    console.log(`${records.toLocaleString('en-US')} records; ${day} marked a day off and given back, ${runs} time(s) each; machine: ${os.cpus().length} cores, load ${load1.toFixed(1)}`);
    console.log(`recomputed: received ${window.from} … ${window.to}, ${Number(recomputed).toLocaleString('en-US')} records`);
    console.log(`reference: one sequential scan of service_record   p50 ${seconds(median(scans))}   max ${seconds(Math.max(...scans))}`);
    for (const [label, times] of [['day off set', set], ['given back ', cleared]] as const) {
      console.log(`${label} (one transaction)               p50 ${seconds(median(times))}   max ${seconds(Math.max(...times))}   = ${(median(times) / median(scans)).toFixed(2)}× the reference`);
    }
    return 0;
  } finally {
    await db.end().catch(() => undefined);
    await orm.close(true);
    await database.embedded?.stop();
  }
});
