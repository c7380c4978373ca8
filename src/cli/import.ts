import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config/env';
import { PROJECT_ROOT } from '../config/paths';
import { createLogger } from '../common/logger';
import { cannotConnectMessage, connectClients, openDatabase } from '../db/database';
import { releaseEmbeddedPostgresSignals } from '../db/embedded-postgres';
import { DEFAULT_CONNECTIONS, importFailureMessage, importServiceFile, importStoppedEarly, nothingImportedReason, type ImportSummary } from '../modules/service-data/import';
import { loadMapping } from '../modules/service-data/mapping';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

const USAGE = `usage: npm run import -- FILE [--mapping MAPPING.json] [--encoding utf8|gbk] [--report FILE] [--batch ROWS] [--connections N]
  Imports one-window service records from a CSV export (default mapping: mappings/gongjian.json).
  Rejected rows go to FILE.rejects.csv (or --report) and to the import run; re-running a file adds nothing twice.
  --connections: database connections batches go round (default ${DEFAULT_CONNECTIONS}: parse one batch while others insert).
  Exit code: 0 when anything was imported (or already was), 1 when nothing could be, or the file is unreadable;
  130 (143) on Ctrl-C (SIGTERM): the batches committed before are kept.`;

runCli(async () => {
  const parsed = parseFlags(process.argv.slice(2), ['mapping', 'encoding', 'report', 'batch', 'connections']);
  if (typeof parsed === 'string' || parsed.positional.length !== 1) {
    console.error(typeof parsed === 'string' ? `${parsed}\n${USAGE}` : USAGE);
    return 2;
  }
  const file = parsed.positional[0];
  const { values } = parsed;
  if (values.encoding && !['utf8', 'gbk'].includes(values.encoding)) {
    console.error(`--encoding must be utf8 or gbk\n${USAGE}`);
    return 2;
  }
  const batchRows = values.batch ? Number(values.batch) : undefined;
  if (batchRows !== undefined && (!Number.isSafeInteger(batchRows) || batchRows < 1)) {
    console.error(`--batch must be a whole number >= 1\n${USAGE}`);
    return 2;
  }
  const connections = values.connections ? Number(values.connections) : DEFAULT_CONNECTIONS;
  if (!Number.isSafeInteger(connections) || connections < 1 || connections > 8) {
    console.error(`--connections must be a whole number 1-8\n${USAGE}`);
    return 2;
  }
  let mapping;
  try {
    mapping = loadMapping(values.mapping ?? path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    console.error(`cannot read ${file}`);
    return 1;
  }
  const reportPath = values.report ?? `${file}.rejects.csv`;
  // The report is written from the start: naming the input would truncate it before it is read.
  if (fs.existsSync(reportPath) && fs.realpathSync(reportPath) === fs.realpathSync(file)) {
    console.error(`--report must not be the file being imported\n${USAGE}`);
    return 2;
  }

  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL));
  let clients: pg.Client[];
  try {
    clients = await connectClients(database.url, connections, 'gongjian-import');
  } catch (error) {
    // The embedded cluster was started for us: left running, it outlived the command. The line
    // starts as runCli's for a database that cannot be used (scripts and tests read it).
    await database.embedded?.stop().catch(() => undefined);
    console.error(`cannot use the database: ${cannotConnectMessage(database.url, error)}`);
    return 1;
  }
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('error', () => undefined); // raised again where the import reads it
  // Ctrl-C or SIGTERM: the import stops at its next safe point (importServiceFile's `signal`):
  // reading stops, a batch not yet committed is rolled back (also after the whole file was read,
  // while the last batches are inserted), the batches committed stay, the run is marked failed;
  // `finally` then stops the embedded cluster (its own handler stopped it under the running import,
  // which failed with exit 1). A second signal ends the connections at once (the server rolls back
  // what they had not committed).
  let interrupted: NodeJS.Signals | undefined;
  const stop = new AbortController();
  releaseEmbeddedPostgresSignals();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) {
        for (const client of clients) void client.end().catch(() => undefined);
        return;
      }
      interrupted = signal;
      // Stopping can take the seconds a batch's insert takes: say that it is coming, and how not to wait.
      console.error(`${signal}: stopping before the next batch commits (again to stop at once)`);
      stop.abort(new Error(`import interrupted (${signal})`));
    });
  }
  const progress = createProgress(size);
  const started = Date.now();
  /** Rows of the batches committed so far (every progress report counts committed batches only). */
  let committedRows = 0;
  let summary: ImportSummary;
  try {
    summary = await importServiceFile({
      db: clients[0],
      more: clients.slice(1),
      input,
      fileName: file,
      mapping,
      encoding: values.encoding as 'utf8' | 'gbk' | undefined,
      batchRows,
      reportPath,
      signal: stop.signal,
      onProgress: ({ rowsRead, bytesRead, totals }) => {
        committedRows = totals.rowsRead;
        progress.update(bytesRead, rowsRead, totals.rowsRead);
      },
    });
  } catch (error) {
    progress.stop();
    if (interrupted) {
      console.error(`import interrupted (${interrupted}): ${importStoppedEarly(committedRows)}`);
      return 128 + os.constants.signals[interrupted];
    }
    // Never the raw message: a database error's can quote a row's values (importFailureMessage).
    console.error(`import failed: ${importFailureMessage(error, committedRows)}`);
    return 1;
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await database.embedded?.stop();
  }
  progress.stop();
  // A signal handled after the last batch committed has nothing left to stop: the import is
  // complete, and is reported and exits as one (the statistics were skipped, see importServiceFile).
  if (interrupted) console.error(`${interrupted} received after the last batch was committed: the import is complete`);
  const seconds = (Date.now() - started) / 1000;
  const n = (value: number) => value.toLocaleString('en-US');
  console.log(`import run ${summary.runId}: read ${n(summary.rowsRead)}, inserted ${n(summary.inserted)}, duplicate ${n(summary.duplicates)}, rejected ${n(summary.rejected)} in ${seconds.toFixed(1)} s (${n(Math.round(summary.rowsRead / Math.max(seconds, 0.001)))} rows/s)`);
  if (summary.encodingDetected) console.log(`read as ${summary.encoding === 'gbk' ? 'GBK' : summary.encoding}: the file is not UTF-8 (pass --encoding to choose)`);
  if (summary.rejected) console.log(`rejected rows: ${reportPath}`);
  const failure = nothingImportedReason(summary);
  if (failure) console.error(failure);
  return failure ? 1 : 0;
});

/**
 * A cli-progress bar on a terminal, a line every 5 s otherwise. The bar follows committed rows,
 * not rows read: the last batches commit well after the last row is read (seconds per batch), and a
 * bar driven by reading sat at 100 % with ETA 0 meanwhile. The total is estimated from the bytes
 * read so far (rows read × file size / bytes read), exact once the file is read.
 */
function createProgress(totalBytes: number): { update(bytes: number, rowsRead: number, committed: number): void; stop(): void } {
  const started = Date.now();
  const n = (value: number) => value.toLocaleString('en-US');
  const rate = (rows: number) => n(Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)));
  const estimatedRows = (bytes: number, rowsRead: number) => (bytes > 0 ? Math.max(rowsRead, Math.round((rowsRead * totalBytes) / bytes)) : 0);
  /** Seconds left at the committed rate so far (null before the first commit). */
  const secondsLeft = (total: number, committed: number) => (committed > 0 ? ((Date.now() - started) / 1000) * (total / committed - 1) : null);
  if (process.stderr.isTTY) {
    // Our own ETA: cli-progress prints an unknown one as "NFs" (its "INF" cut to two characters).
    const eta = (seconds: number | null) => (seconds === null ? '…' : seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.round(seconds)}s`);
    const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {read} rows read, {committed} committed | {rate} rows/s | ETA {left}', hideCursor: true });
    bar.start(1, 0, { read: '0', committed: '0', rate: '0', left: '…' });
    return {
      update(bytes, rowsRead, committed) {
        const total = Math.max(1, estimatedRows(bytes, rowsRead));
        bar.setTotal(total);
        bar.update(committed, { read: n(rowsRead), committed: n(committed), rate: rate(committed), left: eta(secondsLeft(total, committed)) });
      },
      stop: () => bar.stop(),
    };
  }
  // From the first commit on, every 5 s: no line of zeros before anything is in.
  let last = 0;
  return {
    update(bytes, rowsRead, committed) {
      if (committed === 0 || Date.now() - last < 5000) return;
      last = Date.now();
      const total = estimatedRows(bytes, rowsRead);
      const left = secondsLeft(total, committed);
      console.log(`progress: ${n(rowsRead)} rows read, ${n(committed)} committed, ${Math.floor((100 * committed) / Math.max(total, 1))}%, ${rate(committed)} rows/s, ETA ${left === null ? '…' : `${Math.round(left)} s`}`);
    },
    stop: () => undefined,
  };
}
