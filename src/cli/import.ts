import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config/env';
import { PROJECT_ROOT } from '../config/paths';
import { createLogger } from '../common/logger';
import { openDatabase } from '../db/database';
import { DEFAULT_CONNECTIONS, importServiceFile, type ImportSummary } from '../modules/service-data/import';
import { loadMapping } from '../modules/service-data/mapping';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

const USAGE = `usage: npm run import -- FILE [--mapping MAPPING.json] [--encoding utf8|gbk] [--report FILE] [--batch ROWS] [--connections N]
  Imports one-window service records from a CSV export (default mapping: mappings/gongjian.json).
  Rejected rows go to FILE.rejects.csv (or --report) and to the import run; re-running a file adds nothing twice.
  --connections: database connections batches go round (default ${DEFAULT_CONNECTIONS}: parse one batch while others insert).
  Exit code: 0 when anything was imported (or already was), 1 when nothing could be, or the file is unreadable.`;

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
  const mapping = loadMapping(values.mapping ?? path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
  let size: number;
  try {
    size = fs.statSync(file).size;
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    console.error(`cannot read ${file}`);
    return 1;
  }

  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL));
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: database.url, application_name: 'gongjian-import' }));
  await Promise.all(clients.map((client) => client.connect()));
  const progress = createProgress(size);
  const started = Date.now();
  let summary: ImportSummary;
  try {
    summary = await importServiceFile({
      db: clients[0],
      more: clients.slice(1),
      input: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      fileName: file,
      mapping,
      encoding: values.encoding as 'utf8' | 'gbk' | undefined,
      batchRows,
      reportPath: values.report ?? `${file}.rejects.csv`,
      onProgress: ({ rowsRead, bytesRead }) => progress.update(bytesRead, rowsRead),
    });
  } catch (error) {
    progress.stop();
    console.error(`import failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await database.embedded?.stop();
  }
  progress.stop();
  const seconds = (Date.now() - started) / 1000;
  const n = (value: number) => value.toLocaleString('en-US');
  console.log(`import run ${summary.runId}: read ${n(summary.rowsRead)}, inserted ${n(summary.inserted)}, duplicate ${n(summary.duplicates)}, rejected ${n(summary.rejected)} in ${seconds.toFixed(1)} s (${n(Math.round(summary.rowsRead / Math.max(seconds, 0.001)))} rows/s)`);
  if (summary.encodingDetected) console.log(`read as ${summary.encoding === 'gbk' ? 'GBK' : summary.encoding}: the file is not UTF-8 (pass --encoding to choose)`);
  if (summary.rejected) console.log(`rejected rows: ${values.report ?? `${file}.rejects.csv`}`);
  return summary.inserted + summary.duplicates > 0 ? 0 : 1;
});

/** A cli-progress bar on a terminal (bytes drive the ETA); a line every 5 s otherwise. */
function createProgress(totalBytes: number): { update(bytes: number, rows: number): void; stop(): void } {
  const started = Date.now();
  const rate = (rows: number) => Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)).toLocaleString('en-US');
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}', hideCursor: true, etaBuffer: 50 });
    bar.start(totalBytes, 0, { rows: '0', rate: '0' });
    return {
      update: (bytes, rows) => bar.update(bytes, { rows: rows.toLocaleString('en-US'), rate: rate(rows) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(bytes, rows) {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      const eta = bytes > 0 ? ((Date.now() - started) / 1000) * (totalBytes / bytes - 1) : 0;
      console.log(`progress: ${rows.toLocaleString('en-US')} rows, ${Math.floor((100 * bytes) / Math.max(totalBytes, 1))}%, ${rate(rows)} rows/s, ETA ${Math.round(eta)} s`);
    },
    stop: () => undefined,
  };
}
