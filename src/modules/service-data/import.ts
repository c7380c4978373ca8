import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { BatchLoader, PipelinedLoader, ensureStage, loadLookups, type BatchCounts, type PgClient } from './loader';
import { compileMapping, type Mapping, type Rejection, type RowMapper } from './mapping';

export const DEFAULT_BATCH_ROWS = 100_000;

export interface ImportOptions {
  /** A dedicated connection (COPY and batch transactions run on it). */
  db: PgClient;
  /** A second dedicated connection: batches then alternate between the two (parse one while the other inserts). */
  db2?: PgClient;
  /** The file's bytes. */
  input: Readable;
  /** Shown in the import run (folders are dropped). */
  fileName: string;
  mapping: Mapping;
  /** Overrides the mapping's encoding. */
  encoding?: 'utf8' | 'gbk';
  batchRows?: number;
  /** Where to write the rejected-row report (CSV: row, column, reason); none when omitted. */
  reportPath?: string;
  /** Called every 10,000 rows and at the end; `totals` counts committed batches only. */
  onProgress?: (progress: { rowsRead: number; bytesRead: number; totals: BatchCounts }) => void;
}

export interface ImportSummary extends BatchCounts {
  runId: number;
}

/**
 * Streams a CSV (or JSON lines) export into service records through `mapping`: decode (UTF-8 or GBK) →
 * csv-parse → map each row → COPY in batches (see BatchLoader). Memory stays flat: nothing
 * holds more than one batch's rejections and a 256 KB COPY buffer. Bad rows are reported and
 * skipped; a file that does not match the mapping's columns, or cannot be read, fails the run.
 */
export async function importServiceFile(options: ImportOptions): Promise<ImportSummary> {
  const { db, mapping } = options;
  const lookups = await loadLookups(db);
  await ensureStage(db);
  if (options.db2) await ensureStage(options.db2);
  const runId = await startRun(db, mapping, options.fileName);
  const report = options.reportPath ? fs.createWriteStream(options.reportPath) : null;
  report?.write('row,column,reason\n');
  const onRejected = (row: number, rejection: Rejection) => report?.write(`${row},${csvCell(rejection.column ?? '')},${csvCell(rejection.reason)}\n`);
  const loader = new PipelinedLoader(
    options.db2
      ? [new BatchLoader(db, mapping.source, runId, onRejected), new BatchLoader(options.db2, mapping.source, runId, onRejected)]
      : [new BatchLoader(db, mapping.source, runId, onRejected)],
  );
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;

  let bytesRead = 0;
  options.input.on('data', (chunk: Buffer) => void (bytesRead += chunk.length));
  const encoding = options.encoding ?? mapping.encoding;
  const decoded = encoding === 'gbk' ? options.input.pipe(iconv.decodeStream('gbk')) : options.input;
  let inputError: Error | null = null;

  let mapper: RowMapper | null = null;
  let rowsSeen = 0;
  /** Maps one row and hands it to the loader; commits a batch when it is full. */
  const take = async (cells: string[], row: number): Promise<void> => {
    const mapped = mapper!(cells);
    if (typeof mapped === 'string') {
      const wait = loader.write(mapped);
      if (wait) await wait;
    } else loader.reject(row, mapped);
    await afterRow();
  };
  const unreadable = async (row: number, reason: string): Promise<void> => {
    loader.reject(row, { column: null, reason });
    await afterRow();
  };
  const afterRow = async (): Promise<void> => {
    rowsSeen += 1;
    if (loader.pending >= batchRows) await loader.rotate();
    if (rowsSeen % 10_000 === 0) options.onProgress?.({ rowsRead: rowsSeen, bytesRead, totals: loader.totals });
  };

  try {
    if (mapping.format === 'jsonl') {
      // JSON lines: one object per line; the mapping's column names are its keys.
      const columns = mappedColumns(mapping);
      mapper = compileMapping(mapping, columns, lookups);
      const lines = readline.createInterface({ input: decoded, crlfDelay: Infinity });
      options.input.on('error', (error) => {
        inputError = error;
        lines.close();
      });
      let row = 0;
      for await (const line of lines) {
        row += 1;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          await unreadable(row, `unreadable JSON: ${(error as Error).message.slice(0, 150)}`);
          continue;
        }
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          await unreadable(row, 'a line must hold one JSON object');
          continue;
        }
        const object = value as Record<string, unknown>;
        await take(columns.map((column) => (object[column] === null || object[column] === undefined ? '' : String(object[column]))), row);
      }
    } else {
      const parser = parse({ delimiter: mapping.delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, info: true });
      options.input.on('error', (error) => {
        inputError = error;
        parser.destroy(error);
      });
      // Broken quoting and the like: csv-parse skips the record and tells us where. One row may
      // raise two errors (an invalid closing quote, then "quote not closed" at the end): report it once.
      const skipped: { line: number; message: string }[] = [];
      let lastSkippedLine = -1;
      parser.on('skip', (error: Error & { lines?: number }) => {
        const line = error.lines ?? 0;
        if (line === lastSkippedLine) return;
        lastSkippedLine = line;
        skipped.push({ line, message: error.message.replace(/\s+/g, ' ').slice(0, 200) });
      });
      decoded.pipe(parser);
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        while (skipped.length) {
          const bad = skipped.shift()!;
          await unreadable(bad.line, `unreadable CSV: ${bad.message}`);
        }
        if (!mapper) mapper = compileMapping(mapping, record, lookups);
        else await take(record, info.lines);
      }
      for (const bad of skipped) await unreadable(bad.line, `unreadable CSV: ${bad.message}`);
      if (!mapper && !inputError) throw new Error('the file is empty (no header row)');
    }
    if (inputError) throw inputError;
    await loader.finish();
    options.onProgress?.({ rowsRead: loader.totals.rowsRead, bytesRead, totals: loader.totals });
    await finishRun(db, runId, null);
    return { runId, ...loader.totals };
  } catch (error) {
    await loader.rollback();
    await finishRun(db, runId, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  } finally {
    if (report) await new Promise((resolve) => report.end(resolve));
  }
}

/** The column (key) names a mapping reads, for JSON lines. */
function mappedColumns(mapping: Mapping): string[] {
  const columns = Object.values(mapping.fields)
    .map((spec) => (spec as { column?: string } | undefined)?.column)
    .filter((column): column is string => Boolean(column));
  return [...new Set(columns)];
}

/** Imports rows already split into cells (the API path): same mapper, same loader, one batch. */
export async function importServiceRows(db: PgClient, mapping: Mapping, header: string[], rows: string[][], fileName = 'api'): Promise<ImportSummary> {
  const lookups = await loadLookups(db);
  await ensureStage(db);
  const mapper = compileMapping(mapping, header, lookups);
  const runId = await startRun(db, mapping, fileName);
  const loader = new BatchLoader(db, mapping.source, runId);
  try {
    for (const [index, row] of rows.entries()) {
      const mapped = mapper(row);
      if (typeof mapped === 'string') await loader.write(mapped);
      else loader.reject(index + 1, mapped);
    }
    await loader.commit();
    await finishRun(db, runId, null);
    return { runId, ...loader.totals };
  } catch (error) {
    await loader.rollback();
    await finishRun(db, runId, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}

async function startRun(db: PgClient, mapping: Mapping, fileName: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into import_run (created_at, updated_at, source, file_name, mapping, status) values (now(), now(), $1, $2, $3, 'RUNNING') returning id`,
    [mapping.source, fileName.split(/[\\/]/).pop()!.slice(0, 200), mapping.name],
  );
  return rows[0].id;
}

/** Marks the run done; `error` (a message about the file or mapping, never row content) marks it failed. */
async function finishRun(db: PgClient, runId: number, error: string | null): Promise<void> {
  await db.query(`update import_run set status = $2, error = $3, finished_at = now(), updated_at = now() where id = $1`, [
    runId,
    error ? 'FAILED' : 'SUCCEEDED',
    error ? error.slice(0, 300) : null,
  ]);
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
