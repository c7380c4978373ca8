import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../config/env';
import { PROJECT_ROOT } from '../config/paths';
import { createLogger } from '../common/logger';
import { openDatabase } from '../db/database';
import { generateServiceRecords, inChunks } from '../modules/service-data/generator';
import { DEFAULT_BATCH_ROWS, DEFAULT_CONNECTIONS, importServiceFile } from '../modules/service-data/import';
import { loadMapping } from '../modules/service-data/mapping';
import { rebuildServiceDaily } from '../modules/service-data/rollups';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

const USAGE = `usage: npm run bench:import -- [--records N (default 1000000)] [--file FILE] [--batch ROWS] [--connections N] [--keep]
  Generates FILE (unless it exists), then on the same database: raw COPY of FILE into an empty
  unindexed unlogged table (the physical limit; also into a logged one, printed beside it), and our import of FILE into a fresh source (so nothing is
  a duplicate). Prints seconds, rows/s, their ratio and the peak RSS of this process.
  Needs the demo city (npm run seed -- --records 0, so no demo records share its days) and writes
  records with source "bench-<time>": use a scratch database. Prints CPU seconds beside wall time.`;

runCli(async () => {
  const parsed = parseFlags(process.argv.slice(2), ['records', 'file', 'batch', 'connections'], ['keep']);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const records = Number(parsed.values.records ?? 1_000_000);
  const file = parsed.values.file ?? path.join(PROJECT_ROOT, '.data', `bench-${records}.csv`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const started = Date.now();
    const out = fs.createWriteStream(file);
    await pipeline(inChunks(generateServiceRecords({ records })), out);
    console.log(`generated ${records.toLocaleString('en-US')} records into ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const size = fs.statSync(file).size;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'));
  const connections = Number(parsed.values.connections ?? DEFAULT_CONNECTIONS);
  const batchRows = parsed.values.batch === undefined ? undefined : Number(parsed.values.batch);
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: database.url, application_name: 'gongjian-bench' }));
  await Promise.all(clients.map((c) => c.connect()));
  const [db, ...more] = clients;
  try {
    // 1. Raw COPY: the same CSV into an empty table with no indexes (again after our import, see below).
    // Unlogged is the strict reference (no WAL at all); a plain logged table is the wording
    // ("an empty table with no indexes"), printed beside it.
    const backends = await Promise.all(clients.map(backendCpu));
    const rawCopy = async (logging: 'unlogged' | 'logged') => {
      await db.query('drop table if exists bench_raw_copy');
      await db.query(`create ${logging === 'unlogged' ? 'unlogged ' : ''}table bench_raw_copy (source_id text, item_code text, received_at timestamp, finished_at timestamp, status text, community_code text,
        grid_code text, building_code text, resident_groups text, channel text, satisfaction smallint, resident_hash text, note text)`);
      const cpu = cpuMeter(backends);
      const started = Date.now();
      await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), db.query(copyFrom(`copy bench_raw_copy from stdin with (format csv, header true)`)));
      const seconds = (Date.now() - started) / 1000;
      const used = cpu();
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from bench_raw_copy');
      await db.query('drop table bench_raw_copy');
      return { seconds, cpu: used, rows: rows[0].n };
    };
    const rawBefore = await rawCopy('unlogged');
    const loggedBefore = await rawCopy('logged');
    const rawRows = rawBefore.rows;

    // 2. Our import, into a source no earlier run used.
    const mapping = { ...loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json')), source: `bench-${Date.now().toString(36)}` };
    const cpu = cpuMeter(backends);
    const started = Date.now();
    const summary = await importServiceFile({ db, more, batchRows, input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), fileName: file, mapping });
    const ourSeconds = (Date.now() - started) / 1000;
    const ourCpu = cpu();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    // Raw COPY once more: other work on a shared machine comes and goes, so the ratio uses the
    // mean of the raw COPY before and after our import.
    const rawAfter = await rawCopy('unlogged');
    const loggedAfter = await rawCopy('logged');
    const rawSeconds = (rawBefore.seconds + rawAfter.seconds) / 2;
    const loggedSeconds = (loggedBefore.seconds + loggedAfter.seconds) / 2;
    const rawCpu = { postgres: rawBefore.cpu.postgres === null || rawAfter.cpu.postgres === null ? null : (rawBefore.cpu.postgres + rawAfter.cpu.postgres) / 2, node: (rawBefore.cpu.node + rawAfter.cpu.node) / 2 };
    if (!parsed.values.keep) {
      // Leave the database as it was: drop the bench rows and rebuild the roll-ups they touched.
      await db.query('begin');
      await db.query('delete from service_record where source = $1', [mapping.source]);
      await rebuildServiceDaily(db);
      await db.query('commit');
    }

    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
    console.log(`file: ${rawRows.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(0)} MB (${path.basename(file)})`);
    console.log(`raw COPY (no indexes):   ${rawSeconds.toFixed(1)} s, ${rate(rawRows, rawSeconds)} rows/s (mean of ${rawBefore.seconds.toFixed(1)} s before and ${rawAfter.seconds.toFixed(1)} s after our import)`);
    console.log(`our import (${connections} connection${connections === 1 ? '' : 's'}, batches of ${(batchRows ?? DEFAULT_BATCH_ROWS).toLocaleString('en-US')}): ${ourSeconds.toFixed(1)} s, ${rate(summary.rowsRead, ourSeconds)} rows/s (inserted ${summary.inserted.toLocaleString('en-US')}, rejected ${summary.rejected})`);
    console.log(`ratio (ours / raw):      ${((100 * rawSeconds) / ourSeconds).toFixed(0)} % of raw COPY throughput`);
    console.log(
      `raw COPY into a logged table (no indexes): ${loggedSeconds.toFixed(1)} s (${loggedBefore.seconds.toFixed(1)} / ${loggedAfter.seconds.toFixed(1)}); ` +
        `against it ours is ${((100 * loggedSeconds) / ourSeconds).toFixed(0)} %`,
    );
    console.log(`peak RSS of this process: ${(peakRss / 1e6).toFixed(0)} MB`);
    if (rawCpu.postgres !== null && ourCpu.postgres !== null) {
      // CPU seconds depend less than wall time on what else the machine runs (not at all on waiting).
      const line = (c: { postgres: number | null; node: number }) => `${(c.postgres! + c.node).toFixed(1)} s (PostgreSQL backends ${c.postgres!.toFixed(1)} s + this process ${c.node.toFixed(1)} s)`;
      console.log(`CPU, raw COPY (mean):    ${line(rawCpu)}`);
      console.log(`CPU, our import:         ${line(ourCpu)}`);
      // Our wall time cannot drop below our CPU seconds spread over every core: the ratio this
      // machine allows for this much work, and the CPU a 50 % ratio would leave us.
      const cores = os.cpus().length;
      const ours = ourCpu.postgres + ourCpu.node;
      console.log(
        `CPU ceiling:             on ${cores} cores our import cannot beat ${ours.toFixed(1)} / ${cores} = ${(ours / cores).toFixed(1)} s, a ratio of at most ` +
          `${((100 * rawSeconds * cores) / ours).toFixed(0)} % (reached ${((100 * ours) / cores / ourSeconds).toFixed(0)} % of it); 50 % needs ≤ ${(2 * rawSeconds * cores).toFixed(0)} CPU s in all`,
      );
    }
    if (summary.times) {
      const t = summary.times;
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      console.log(`database time per step (summed over the connections, overlapping the parsing): COPY ${s(t.copy)}, insert ${s(t.insert)}, roll-up ${s(t.rollup)}, deduplicating insert ${s(t.deduplicate)}, bookkeeping ${s(t.bookkeeping)}, commit ${s(t.commit)}; parsing waited ${s(t.waitForConnection)} for a free connection`);
    }
    const [load1, load5] = os.loadavg();
    console.log(`machine: ${os.cpus().length} cores, load average ${load1.toFixed(1)} (1 min), ${load5.toFixed(1)} (5 min) at the end`);
    return 0;
  } finally {
    clearInterval(sampler);
    await Promise.all(clients.map((c) => c.end()));
    await database.embedded?.stop();
  }
});

/**
 * CPU seconds a PostgreSQL backend has used, read from /proc when the server runs on this
 * machine (null otherwise): the bench reports CPU beside wall time because other work on a
 * shared machine stretches wall time but not CPU time.
 */
async function backendCpu(client: pg.Client): Promise<() => number | null> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const stat = `/proc/${rows[0].pid}/stat`;
  const ticks = 100; // USER_HZ: 100 on Linux
  return () => {
    try {
      const fields = fs.readFileSync(stat, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      return null;
    }
  };
}

/** Starts measuring: returns a function giving the CPU seconds used since, by the backends and by this process. */
function cpuMeter(backends: (() => number | null)[]): () => { postgres: number | null; node: number } {
  const startNode = process.cpuUsage();
  const startPg = backends.map((read) => read());
  return () => {
    const usage = process.cpuUsage(startNode);
    const now = backends.map((read) => read());
    const postgres = now.some((v) => v === null) || startPg.some((v) => v === null) ? null : now.reduce((sum, v, i) => sum! + v! - startPg[i]!, 0)!;
    return { postgres, node: (usage.user + usage.system) / 1e6 };
  };
}

