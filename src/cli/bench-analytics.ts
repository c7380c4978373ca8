import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { rankDemand, warmFrames } from '../../analytics';
import { poolRunner } from '../modules/demand/demand.service';
import { loadConfig } from '../config/env';
import { PROJECT_ROOT } from '../config/paths';
import { createLogger } from '../common/logger';
import { SYSTEM_VIEWER, createContext } from '../context/context';
import { initOrm, migrateUp, openDatabase } from '../db/database';
import { generateServiceRecords, inChunks } from '../modules/service-data/generator';
import { importServiceFile } from '../modules/service-data/import';
import { loadMapping } from '../modules/service-data/mapping';
import { hasAreas, seedDemoCity } from '../seed/demo-city';
import { createServer } from '../server';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

const USAGE = `usage: npm run bench:analytics -- [--records N (default 10000000)] [--file FILE] [--skip-load] [--runs R (default 9, at least 7)]
  Loads FILE (generated with N records unless it exists) into the database (DATABASE_URL: use a scratch
  database; the demo city is seeded if missing), unless --skip-load. Then times demandRanking (last 90 days of
  data, by category, whole district) through GraphQL, warm, R runs (median, p90), with danfojs frames and
  without; and the same aggregation by DuckDB over the raw records of FILE in its own in-memory table (query
  only, warm, median). Prints the figures and the ratio.`;

const QUERY = `query Bench($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { rank score label category { code } metrics { volume ratePer10k smoothedRatePer10k trendZ senSlope surgeZ recurrence backlogOpen backlogP90AgeDays resolutionGap satisfactionGap timelinessP50Hours timelinessP90Hours onTimeShare vulnerableShare spread } topicOfMonth { flagged reasons } evidenceIds }
  belowSupport { label belowSupportReason } weights { metric used } snapshot { latestRecordAt recordsCounted } } }`;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

runCli(async () => {
  const parsed = parseFlags(process.argv.slice(2), ['records', 'file', 'runs'], ['skip-load']);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const records = Number(parsed.values.records ?? 10_000_000);
  const runs = Math.max(7, Number(parsed.values.runs ?? 9));
  const file = parsed.values.file ?? path.join(PROJECT_ROOT, '.data', `bench-${records}.csv`);
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openDatabase(config, logger);
  const orm = await initOrm(database.url, config);
  try {
    await migrateUp(orm);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const started = Date.now();
      await pipeline(inChunks(generateServiceRecords({ records })), fs.createWriteStream(file));
      console.log(`generated ${records.toLocaleString('en-US')} records into ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    if (!parsed.values['skip-load']) {
      if (!(await hasAreas(orm.em.fork()))) await seedDemoCity(orm.em.fork(), { scale: 'small' });
      const db = new pg.Client({ connectionString: database.url });
      const db2 = new pg.Client({ connectionString: database.url });
      await Promise.all([db.connect(), db2.connect()]);
      const started = Date.now();
      const summary = await importServiceFile({ db, more: [db2], input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), fileName: file, mapping: loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json')) });
      console.log(`imported ${summary.inserted.toLocaleString('en-US')} (duplicates ${summary.duplicates}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await db.query('vacuum analyze');
      await Promise.all([db.end(), db2.end()]);
    }
    const em = orm.em.fork();
    const [{ to, n }] = await em.execute<{ to: string; n: string }[]>(`select max(day)::text as to, (select count(*) from demand_daily) as n from demand_daily`);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const [{ count }] = await em.execute<{ count: string }[]>(`select sum(demands + consultations)::bigint as count from demand_daily`);
    console.log(`data: ${Number(count).toLocaleString('en-US')} records in the roll-ups (${Number(n).toLocaleString('en-US')} demand_daily rows); period ${from} … ${to}`);

    const server = await createServer({ config, orm, logger });
    warmFrames();
    const run = async () => {
      const started = performance.now();
      const response = await server.apollo.executeOperation(
        { query: QUERY, variables: { input: { from, to, groupBy: ['CATEGORY'], topN: 20 } } },
        { contextValue: createContext(orm, logger, undefined, () => new Date(`${to}T12:00:00Z`), SYSTEM_VIEWER) },
      );
      const ms = performance.now() - started;
      if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(JSON.stringify(response.body));
      return { ms, data: response.body.singleResult.data as { demandRanking: { rows: { label: string; score: number; topicOfMonth: { flagged: boolean } }[] } } };
    };
    const timings: Record<string, number[]> = { danfo: [], plain: [] };
    let sample: Awaited<ReturnType<typeof run>>['data'] | null = null;
    for (const mode of ['danfo', 'plain'] as const) {
      process.env.ANALYTICS_DANFO = mode === 'danfo' ? '1' : '0';
      for (let i = 0; i < 2; i++) await run();
      for (let i = 0; i < runs; i++) {
        const result = await run();
        timings[mode].push(result.ms);
        sample = result.data;
      }
    }
    delete process.env.ANALYTICS_DANFO;
    // Where the time goes inside the ranking (milliseconds per step, median over the runs).
    const steps: Record<string, number[]> = {};
    for (let i = 0; i < runs; i++) {
      const result = await rankDemand(poolRunner(orm.em.getKnex()), {
        from, to, areaPaths: null, groupBy: ['CATEGORY'], sources: 'BOTH', includeConsultations: false, minSupport: 30, topN: 20, now: new Date(`${to}T12:00:00Z`),
      });
      for (const [step, ms] of Object.entries(result.timings)) (steps[step] ??= []).push(ms);
    }
    console.log(`inside rankDemand (median ms): ${Object.entries(steps).map(([step, values]) => `${step} ${fmt(quantile(values, 0.5))}`).join(', ')}`);
    const top = sample!.demandRanking.rows.slice(0, 3).map((r) => `${r.label} (${r.score.toFixed(3)}${r.topicOfMonth.flagged ? ', topic' : ''})`).join('; ');
    console.log(`top 3: ${top}`);

    // DuckDB: the same aggregation over the raw records of FILE in an in-memory table (query time only).
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const items = await em.execute<{ code: string; category: string; consult: boolean; days: number }[]>(
      `select i.code, c.code as category, i.is_consultation as consult, i.deadline_working_days as days from service_item i join request_category c on c.id = i.category_id`,
    );
    await duck.run(`create table items (code varchar, category varchar, consult boolean, days integer)`);
    await duck.run(`insert into items values ${items.map((i) => `('${i.code}', '${i.category}', ${i.consult}, ${i.days})`).join(', ')}`);
    const loadStarted = Date.now();
    await duck.run(`create table records as select * from read_csv('${file.replace(/'/g, "''")}', header = true, timestampformat = '%Y-%m-%d %H:%M:%S',
      columns = {'source_id': 'VARCHAR', 'item_code': 'VARCHAR', 'received_at': 'TIMESTAMP', 'finished_at': 'TIMESTAMP', 'status': 'VARCHAR', 'community_code': 'VARCHAR', 'grid_code': 'VARCHAR',
                 'building_code': 'VARCHAR', 'resident_groups': 'VARCHAR', 'channel': 'VARCHAR', 'satisfaction': 'INTEGER', 'resident_hash': 'VARCHAR', 'note': 'VARCHAR'})`);
    console.log(`DuckDB loaded the raw file in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (not timed below)`);
    const duckSql = `select i.category, count(*) filter (where not i.consult) as demands, count(*) filter (where i.consult) as consultations,
        count(*) filter (where not i.consult and r.status = 'OPEN') as open, count(*) filter (where not i.consult and r.status = 'FINISHED') as finished,
        count(*) filter (where not i.consult and r.status = 'CANCELLED') as cancelled,
        quantile_cont(epoch(r.finished_at - r.received_at) / 3600.0, 0.5) filter (where not i.consult and r.status = 'FINISHED') as p50,
        quantile_cont(epoch(r.finished_at - r.received_at) / 3600.0, 0.9) filter (where not i.consult and r.status = 'FINISHED') as p90,
        avg(r.satisfaction) filter (where not i.consult) as satisfaction, count(distinct r.community_code) as communities,
        count(*) filter (where not i.consult and regexp_matches(coalesce(r.resident_groups, ''), 'ELDERLY|CHILDREN|DISABLED|LOW_INCOME')) as vulnerable
      from records r join items i on i.code = r.item_code
      where r.received_at >= timestamp '${from} 00:00:00' and r.received_at < timestamp '${to} 00:00:00' + interval 1 day
      group by 1 order by 2 desc`;
    const duckTimes: number[] = [];
    for (let i = 0; i < 2 + runs; i++) {
      const started = performance.now();
      const reader = await duck.runAndReadAll(duckSql);
      const ms = performance.now() - started;
      if (i >= 2) duckTimes.push(ms);
      if (i === 0 && reader.getRows().length === 0) throw new Error('DuckDB found no rows in the period');
    }
    duck.closeSync();

    const ours = quantile(timings.danfo, 0.5);
    const duckMedian = quantile(duckTimes, 0.5);
    console.log(`\ndemandRanking via GraphQL, danfojs frames: median ${fmt(ours)}, p90 ${fmt(quantile(timings.danfo, 0.9))} (${runs} warm runs)`);
    console.log(`demandRanking via GraphQL, plain loops:    median ${fmt(quantile(timings.plain, 0.5))}, p90 ${fmt(quantile(timings.plain, 0.9))}`);
    console.log(`DuckDB, same aggregation over raw records:  median ${fmt(duckMedian)}, p90 ${fmt(quantile(duckTimes, 0.9))}`);
    console.log(`ratio ours / DuckDB: ${(ours / duckMedian).toFixed(2)} (target ≤ 1; ranking target p50 ≤ 100 ms)`);
    await server.stop();
    return 0;
  } finally {
    await orm.close(true);
    await database.embedded?.stop();
  }
});
