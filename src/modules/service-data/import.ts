import iconv from 'iconv-lite';
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { CSV_ERROR, CsvScanner, MAX_RECORD_CHARS } from './csv';
import { BatchLoader, PipelinedLoader, ensureStage, loadLookups, prepareImportSession, type BatchCounts, type PgClient } from './loader';
import { compileMapping, type Lookups, type Mapping, type Rejection, type RowMapper } from './mapping';
import { ANALYZE_AFTER_ROWS, analyzeAfterImport, type SqlRunner } from './rollups';
import { AppError, ErrorCode } from '../../common/errors';
import { refusedStatement, serializeError } from '../../common/logger';
import { maskFreeText } from '../../common/privacy';
import { sqlStateOf, translateDatabaseError } from '../../common/transaction';
import { cutText } from '../../common/text';

export const DEFAULT_BATCH_ROWS = 100_000;
/**
 * Connections the command-line import uses by default: with three, one batch streams in while
 * two are inserted and rolled up, so on 2 cores parsing hardly ever waits (measured: 1M rows
 * 13.4 s with three, 16.0 s with two).
 */
export const DEFAULT_CONNECTIONS = 3;

export interface ImportOptions {
  /** A dedicated connection (COPY and batch transactions run on it). */
  db: PgClient;
  /**
   * More dedicated connections: batches then go round them (parse one while others insert).
   * Two or three in all suit a 2-core machine (see the README's Performance section).
   */
  more?: PgClient[];
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
  /** Refresh the tables' planner statistics when at least this many rows went in (default ANALYZE_AFTER_ROWS). */
  analyzeAfterRows?: number;
  /**
   * Called every 10,000 rows read, after each batch commits, and at the end; `totals` counts
   * committed batches only (the last batches commit after the last row is read).
   */
  onProgress?: (progress: { rowsRead: number; bytesRead: number; totals: BatchCounts }) => void;
  /**
   * Stops the import (a Ctrl-C), with the signal's reason as its error: reading stops at the next
   * chunk, and a batch not yet committed is refused just before its COMMIT, the one safe point of a
   * batch (those committed stay). Once every batch has committed the import is complete, and a
   * later abort only skips the planner statistics.
   */
  signal?: AbortSignal;
}

export interface ImportSummary extends BatchCounts {
  runId: number;
  /** The encoding the file was read in, and whether it was detected (GBK bytes in a file declared UTF-8). */
  encoding?: 'utf8' | 'gbk';
  encodingDetected?: boolean;
  /** Milliseconds spent in each step of the batches (see PhaseTimes), for the benchmark. */
  times?: PipelinedLoader['times'];
}

/**
 * Streams a CSV (or JSON lines) export into service records through `mapping`: decode (UTF-8 or
 * GBK) → scan CSV (csv.ts) → map each row → COPY in batches (see BatchLoader). Memory stays
 * flat: nothing holds more than one batch's rejections, a 256 KB COPY buffer and the record
 * being scanned. Bad rows are reported and skipped; a file that does not match the mapping's
 * columns, or cannot be read, fails the run.
 */
export async function importServiceFile(options: ImportOptions): Promise<ImportSummary> {
  const { db, mapping } = options;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  // Before anything else: an unwritable report path fails here, with no run left RUNNING.
  const report = options.reportPath ? openReport(options.reportPath) : null;
  const connections = [db, ...(options.more ?? [])];
  let lookups: Lookups;
  let runId: number;
  try {
    for (const connection of connections) {
      await prepareImportSession(connection, batchRows);
      await ensureStage(connection);
    }
    lookups = await loadLookups(db);
    runId = await startRun(db, mapping, options.fileName);
  } catch (error) {
    // Set-up failed before the run's own try below: close the report here, or its file descriptor leaks.
    if (report) await closeReport(report, options.reportPath!).catch(() => undefined);
    throw error;
  }
  report?.write('row,column,reason\n');
  const onRejected = (row: number, rejection: Rejection) => report?.write(`${row},${csvCell(rejection.column ?? '')},${csvCell(rejection.reason)}\n`);
  let bytesRead = 0;
  let rowsSeen = 0;
  const onCommitted = () => options.onProgress?.({ rowsRead: rowsSeen, bytesRead, totals: loader.totals });
  /** Throws the abort's reason once the import was told to stop (options.signal). */
  const stopIfAborted = () => options.signal?.throwIfAborted();
  const loader = new PipelinedLoader(connections.map((connection) => new BatchLoader(connection, mapping.source, runId, onRejected, onCommitted, stopIfAborted)));

  const decoding: DecodeState = { encoding: options.encoding ?? mapping.encoding, detected: false, undecodable: false };
  const text = decodeText(options.input, decoding, options.encoding !== undefined, (bytes) => (bytesRead += bytes));

  let mapper: RowMapper | null = null;
  /** After each row: rotate the batch when full, report progress now and then. */
  const afterRow = async (): Promise<void> => {
    rowsSeen += 1;
    if (loader.pending >= batchRows) await loader.rotate();
    if (rowsSeen % 10_000 === 0) options.onProgress?.({ rowsRead: rowsSeen, bytesRead, totals: loader.totals });
  };
  /** Maps one row and hands it to the loader. Awaits only when the loader must be waited for. */
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

  try {
    if (mapping.format === 'jsonl') {
      // JSON lines: one object per line; the mapping's column names are its keys.
      const columns = mappedColumns(mapping);
      mapper = compileMapping(mapping, columns, lookups);
      let row = 0;
      const handle = async (raw: string): Promise<void> => {
        row += 1;
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          await unreadable(row, unreadableJsonReason(error));
          return;
        }
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          await unreadable(row, 'a line must hold one JSON object');
          return;
        }
        const object = value as Record<string, unknown>;
        const inexact = columns.find((column) => typeof object[column] === 'number' && Math.abs(object[column] as number) > Number.MAX_SAFE_INTEGER);
        if (inexact !== undefined) {
          loader.reject(row, { column: inexact, reason: INEXACT_NUMBER });
          await afterRow();
          return;
        }
        const cells = columns.map((column) => (object[column] === null || object[column] === undefined ? '' : String(object[column])));
        const undecodable = undecodableRow(cells, decoding);
        if (undecodable !== null) await unreadable(row, undecodable);
        else await take(cells, row);
      };
      let carry = '';
      /** A line refused for its length is still coming: drop it up to its end. */
      let skipping = false;
      for await (const chunk of text) {
        stopIfAborted();
        const lines = (carry + chunk).split('\n');
        carry = lines.pop()!;
        if (skipping && lines.length) {
          lines.shift(); // the end of the line already refused
          skipping = false;
        }
        for (const line of lines) await handle(line);
        if (skipping) carry = '';
        else if (carry.length > MAX_RECORD_CHARS) {
          // A line with no end in sight (a one-line JSON array, say): refused now, its rest dropped as it comes.
          row += 1;
          await unreadable(row, `a line longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`);
          skipping = true;
          carry = '';
        }
      }
      if (carry && !skipping) await handle(carry);
    } else {
      const scanner = new CsvScanner(mapping.delimiter);
      // The hot loop: synchronous per row, awaiting only when a batch rotates or COPY pushes back.
      const drain = async (): Promise<void> => {
        for (let record = scanner.next(); record !== null; record = scanner.next()) {
          if (record === CSV_ERROR) {
            if (!mapper) throw new Error(`the header row is unreadable CSV: ${scanner.message}`);
            await unreadable(scanner.line, `unreadable CSV: ${scanner.message}`);
          } else if (!mapper) mapper = compileMapping(mapping, record, lookups);
          else {
            const undecodable = decoding.undecodable || decoding.encoding === 'gbk' ? undecodableRow(record, decoding) : null;
            const mapped = undecodable !== null ? { column: null, reason: undecodable } : mapper(record);
            if (typeof mapped === 'string') {
              const wait = loader.write(mapped);
              if (wait) await wait;
            } else loader.reject(scanner.line, mapped);
            rowsSeen += 1;
            if (loader.pending >= batchRows) await loader.rotate();
            if (rowsSeen % 10_000 === 0) options.onProgress?.({ rowsRead: rowsSeen, bytesRead, totals: loader.totals });
          }
        }
      };
      for await (const chunk of text) {
        stopIfAborted();
        scanner.push(chunk);
        await drain();
      }
      scanner.end();
      await drain();
      if (!mapper) throw new Error('the file is empty (no header row)');
    }
    await loader.finish();
    // Every batch is committed: the import is complete and is reported so, even if told to stop now
    // (the caller says so); the statistics, only a help to the planner, are then left to autovacuum.
    if (!options.signal?.aborted && loader.totals.inserted >= (options.analyzeAfterRows ?? ANALYZE_AFTER_ROWS)) await analyzeAfterImport(db);
    options.onProgress?.({ rowsRead: loader.totals.rowsRead, bytesRead, totals: loader.totals });
    // The report is part of the result: a write that failed (disk full) fails the run.
    if (report) await closeReport(report, options.reportPath!);
    await finishRun(db, runId, nothingImportedReason(loader.totals));
    return { runId, ...loader.totals, encoding: decoding.encoding, encodingDetected: decoding.detected, times: loader.times };
  } catch (error) {
    await loader.rollback();
    await finishRun(db, runId, runFailureReason(error)).catch(() => releaseRun(db, runId));
    throw error;
  } finally {
    if (report && !report.writableFinished) await closeReport(report, options.reportPath!).catch(() => undefined);
  }
}

/** Opens (creates or truncates) the rejected-row report, or throws a readable error. */
function openReport(file: string): fs.WriteStream {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (error) {
    throw new Error(`cannot write the report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const stream = fs.createWriteStream(file, { fd });
  // Kept for closeReport: an unhandled 'error' event would crash the process mid-import.
  stream.on('error', () => undefined);
  return stream;
}

/**
 * Flushes and closes the report; rejects when any write to it failed. Settles on 'close', not on
 * 'finish': the file descriptor is released only after 'finish', so resolving earlier left it open.
 */
function closeReport(report: fs.WriteStream, file: string): Promise<void> {
  const failed = (error: Error) => new Error(`cannot write the report ${file}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
  return new Promise((resolve, reject) => {
    const settle = () => (report.errored ? reject(failed(report.errored)) : resolve());
    if (report.closed) return settle();
    report.once('close', settle);
    if (report.errored) report.destroy();
    else report.end();
  });
}

/** What decoding found: the encoding used, whether it was detected, and whether any bytes were not valid in it. */
export interface DecodeState {
  encoding: 'utf8' | 'gbk';
  detected: boolean;
  undecodable: boolean;
}

/**
 * The input's text, decoded chunk by chunk (characters split across chunks are joined).
 * UTF-8 that was not forced is checked on the first chunk: bytes that are not UTF-8 but decode
 * cleanly as GBK (common in Chinese exports) switch the import to GBK. GBK is decoded as GB18030,
 * its superset (four-byte characters too). Bytes invalid in the encoding (UTF-8 or GBK) set
 * `state.undecodable`, and the caller then refuses rows holding U+FFFD (what the decoders put in
 * their place) instead of storing them garbled.
 */
async function* decodeText(input: Readable, state: DecodeState, forced: boolean, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  // TextDecoder is about twice as fast as StringDecoder here; both replace invalid bytes with U+FFFD.
  const utf8 = new TextDecoder('utf-8');
  let gbk = state.encoding === 'gbk' ? iconv.getDecoder(GBK_DECODER) : null;
  let first = true;
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    if (typeof chunk === 'string') {
      // Already text (an object-mode stream, e.g. generated records): nothing to decode.
      onBytes(chunk.length);
      if (chunk) yield chunk;
      continue;
    }
    onBytes(chunk.length);
    if (!gbk) {
      const bytes = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      const complete = completeUtf8Length(bytes);
      const valid = isUtf8(bytes.subarray(0, complete));
      tail = Buffer.from(bytes.subarray(complete));
      // A character the chunk boundary cuts in two is not evidence against GBK: it is judged without it.
      // UTF-8 Chinese often decodes "cleanly" as GB18030 too: a stray byte in a UTF-8 file rejects its row, not the file's text.
      if (!valid && first && !forced && !mostlyUtf8(bytes) && !iconv.decode(chunk.subarray(0, completeGbLength(chunk)), GBK_DECODER).includes('\ufffd')) {
        state.encoding = 'gbk';
        state.detected = true;
        gbk = iconv.getDecoder(GBK_DECODER);
        tail = Buffer.alloc(0); // a UTF-8 character cut off at the end means nothing in GBK
      } else if (!valid) state.undecodable = true;
    }
    first = false;
    const text = gbk ? gbk.write(chunk) : utf8.decode(chunk, { stream: true });
    if (gbk && text.includes('\ufffd')) state.undecodable = true;
    if (text) yield text;
  }
  if (tail.length) state.undecodable = true; // the input ends inside a UTF-8 character
  const rest = gbk ? gbk.end() : utf8.decode();
  if (gbk && rest?.includes('\ufffd')) state.undecodable = true;
  if (rest) yield rest;
}

/**
 * True when `bytes` is UTF-8 with a few stray bytes: at least ten well-formed multi-byte characters
 * for every byte that fits no UTF-8 character. GBK text gives the opposite (most of its two-byte
 * characters are malformed as UTF-8, and few byte runs happen to form UTF-8 ones).
 */
export function mostlyUtf8(bytes: Uint8Array): boolean {
  let characters = 0;
  let malformed = 0;
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i];
    if (byte < 0x80) {
      i += 1;
      continue;
    }
    const continuations = byte >= 0xc2 && byte <= 0xdf ? 1 : byte >= 0xe0 && byte <= 0xef ? 2 : byte >= 0xf0 && byte <= 0xf4 ? 3 : 0;
    let ok = continuations > 0 && i + continuations < bytes.length;
    for (let k = 1; ok && k <= continuations; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      characters += 1;
      i += continuations + 1;
    } else {
      malformed += 1;
      i += 1;
    }
  }
  return characters > 0 && characters >= 10 * malformed;
}

/** Length of `bytes` without a UTF-8 character cut off at its end. */
function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/**
 * Length of `bytes` without a GBK (or GB18030 four-byte) character cut off at its end. Walked
 * from the start: a trail byte can look like a lead byte, so the end alone does not tell.
 */
function completeGbLength(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] < 0x80) {
      at += 1;
      continue;
    }
    const next = bytes[at + 1];
    const width = next !== undefined && next >= 0x30 && next <= 0x39 ? 4 : 2;
    if (at + width > bytes.length) return at;
    at += width;
  }
  return at;
}

/**
 * JSON.parse rounds numbers past 2^53 to the nearest double: two ids (or resident numbers) that
 * differ in the last digits would become one, silently. Such a row is refused instead.
 */
const INEXACT_NUMBER = 'a number larger than 2^53 cannot be read exactly: give it as a JSON string';

/**
 * Why a JSON line is unreadable: the kind of error and where, never the line's text. V8's
 * messages quote the line ("Unexpected token 'x', \"…tel1381234…\" is not valid JSON"), and
 * reasons are readable by analysts through importRuns, while a line can hold phone or ID numbers.
 */
export function unreadableJsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = / at position (\d+)/.exec(message);
  const where = position ? ` at character ${Number(position[1]) + 1}` : '';
  const kind = /^([A-Za-z ,'{}[\]:-]+?)(?: in JSON at position \d+)?$/.exec(message)?.[1];
  // Only V8's fixed wordings pass; "Unexpected token 'x'" names a character of the line.
  const known = kind && !kind.startsWith('Unexpected token') ? kind : 'unexpected character';
  return `unreadable JSON${where}: ${known}`;
}

/** GBK files are decoded as GB18030: a superset, so a file using its four-byte characters is read too. */
const GBK_DECODER = 'gb18030';

/** The reason a row with undecodable text is refused. */
const NOT_UTF8 = 'the row is not valid UTF-8 text (a GBK export? import it with --encoding gbk)';
const NOT_GBK = 'the row is not valid GBK (GB18030) text (a UTF-8 export? import it with --encoding utf8)';
const undecodableReason = (state: DecodeState) => (state.encoding === 'gbk' ? NOT_GBK : NOT_UTF8);
const hasReplacement = (cells: string[]) => cells.some((cell) => cell.includes('\ufffd'));

const UTF8_IN_GBK = 'the row is UTF-8 text in a file read as GBK (mixed encodings): import such rows from a UTF-8 file (--encoding utf8)';
const CJK = /[\u4e00-\u9fff]/g;

/**
 * The characters GB18030 writes with a lead byte 0xE4-0xE9, the lead bytes of UTF-8's Chinese: UTF-8
 * Chinese read as GBK yields one where its first Chinese character starts (at the cell's start or
 * after ASCII: 材 E6 9D 90 → 鏉…). A cheap regular
 * expression that spares the encode-and-check below the cells that cannot be mojibake (a review
 * measured the check at 2.3-2.5× a UTF-8 import's CPU on every cell; most GBK text has none of them).
 */
let utf8LeadAsGbk: RegExp | null = null;
/** Built on the first GBK row, not at start-up (1,140 decodes, ~8 ms every server start paid for nothing). */
const utf8LeadAsGbkPattern = (): RegExp =>
  (utf8LeadAsGbk ??= new RegExp(
    `[${Array.from({ length: 6 }, (_, k) => 0xe4 + k)
      .flatMap((lead) => Array.from({ length: 0xff - 0x40 }, (_, t) => 0x40 + t).filter((trail) => trail !== 0x7f).map((trail) => iconv.decode(Buffer.from([lead, trail]), GBK_DECODER)))
      .filter((char) => char.length === 1 && char !== '\ufffd')
      .join('')}]`,
  ));

/**
 * In a file read as GBK: whether a cell was written in UTF-8. Its bytes are valid GB18030 too, so
 * nothing flags them (材料齐全 reads 鏉愭枡榻愬叏); encoded back they are well-formed UTF-8 holding
 * Chinese, which GBK Chinese of two characters or more almost never is (the premise of mostlyUtf8).
 * Only rows of files read as GBK pay for this.
 */
function utf8ReadAsGbk(cells: string[]): boolean {
  for (const cell of cells) {
    if (!utf8LeadAsGbkPattern().test(cell)) continue;
    const bytes = iconv.encode(cell, GBK_DECODER);
    if (isUtf8(bytes) && (bytes.toString('utf8').match(CJK)?.length ?? 0) >= 2) return true;
  }
  return false;
}

/** Why a decoded row cannot be taken as text, or null: bytes invalid in the encoding, or UTF-8 read as GBK. */
function undecodableRow(cells: string[], decoding: DecodeState): string | null {
  if (decoding.undecodable && hasReplacement(cells)) return undecodableReason(decoding);
  if (decoding.encoding === 'gbk' && utf8ReadAsGbk(cells)) return UTF8_IN_GBK;
  return null;
}

/** The column (key) names a mapping reads, for JSON lines. */
function mappedColumns(mapping: Mapping): string[] {
  const columns = Object.values(mapping.fields)
    .map((spec) => (spec as { column?: string } | undefined)?.column)
    .filter((column): column is string => Boolean(column));
  return [...new Set(columns)];
}

/**
 * Imports rows already split into cells (the API path): same mapper, same loader, one batch.
 * `beforeCommit` may refuse the batch's commit by throwing: the batch is rolled back and the run FAILED with that error.
 */
export async function importServiceRows(
  db: PgClient,
  mapping: Mapping,
  header: string[],
  rows: string[][],
  { fileName = 'api', beforeCommit }: { fileName?: string; beforeCommit?: () => void } = {},
): Promise<ImportSummary> {
  const lookups = await loadLookups(db);
  await ensureStage(db);
  const mapper = compileMapping(mapping, header, lookups);
  const runId = await startRun(db, mapping, fileName);
  const loader = new BatchLoader(db, mapping.source, runId, undefined, undefined, beforeCommit);
  try {
    for (const [index, row] of rows.entries()) {
      const mapped = mapper(row);
      if (typeof mapped === 'string') await loader.write(mapped);
      else loader.reject(index + 1, mapped);
    }
    await loader.commit();
    await finishRun(db, runId, nothingImportedReason(loader.totals));
    return { runId, ...loader.totals };
  } catch (error) {
    await loader.rollback();
    // The connection goes back to the pool: if the run could not be marked, at least let go of its
    // lock, or the run would read RUNNING for as long as that connection lives.
    await finishRun(db, runId, runFailureReason(error)).catch(() => releaseRun(db, runId));
    throw error;
  }
}

/**
 * A run's importer holds a session-level advisory lock on (RUN_LOCK_CLASS, run id) from the moment
 * the run exists until it ends. PostgreSQL drops it with the importer's connection (kill -9, a
 * crash of the importer or of the database, a lost network), so a RUNNING run whose lock nobody
 * holds will never finish: markInterruptedRuns says so.
 */
const RUN_LOCK_CLASS = `hashtext('import_run')`;

/** Starts a run (marking first the runs whose importer is gone, see markInterruptedRuns) and holds its lock. */
async function startRun(db: PgClient, mapping: Mapping, fileName: string): Promise<number> {
  await markInterruptedRuns(db);
  // One statement: the lock is held before the row is visible, so no sweep sees it unheld.
  const { rows } = await db.query<{ id: number }>(
    `with run as (
       insert into import_run (created_at, updated_at, source, file_name, mapping, status) values (now(), now(), $1, $2, $3, 'RUNNING') returning id
     )
     select id, pg_advisory_lock(${RUN_LOCK_CLASS}, id) from run`,
    [mapping.source, cutText(fileName.split(/[\\/]/).pop()!, 200), mapping.name],
  );
  return rows[0].id;
}

/** Lets go of a run's lock without marking it (when marking it failed). */
async function releaseRun(db: PgClient, runId: number): Promise<void> {
  await db.query(`select pg_advisory_unlock(${RUN_LOCK_CLASS}, $1)`, [runId]).catch(() => undefined);
}

/** The `error` of an interrupted run: what happened and what to do. */
export const INTERRUPTED_REASON = 'the import stopped before its end (killed, or its connection lost); the batches committed before are kept: run the same file again to complete it';

/**
 * Marks INTERRUPTED every RUNNING run whose importer is gone (no session holds its lock, see
 * RUN_LOCK_CLASS), and returns how many. Run when runs are listed (importRuns) and when any import
 * starts (startRun), so a killed import does not read RUNNING for ever.
 */
export async function markInterruptedRuns(db: SqlRunner): Promise<number> {
  const { rows } = await db.query(
    `update import_run r set status = 'INTERRUPTED', error = $1, updated_at = now()
      where r.status = 'RUNNING' and not ${runHeldSql('r.id')}
      returning r.id`,
    [INTERRUPTED_REASON],
  );
  return rows.length;
}

/** SQL: a live importer holds the run whose id is `runId` (an SQL expression): see RUN_LOCK_CLASS. */
function runHeldSql(runId: string): string {
  return `exists (
        select 1 from pg_locks l
         where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
           and l.classid = ${RUN_LOCK_CLASS}::oid and l.objid = (${runId})::oid and l.objsubid = 2)`;
}

/** A run's status and error as they are now (runsWithoutImporter). */
export interface RunState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'INTERRUPTED';
  error: string | null;
}

/**
 * The state now of runs `ids` that were read RUNNING, for those no importer holds any more: what
 * markInterruptedRuns would mark, read without writing, so a run read by node(id) says INTERRUPTED
 * at once. The locks are read first and the runs after, in a later statement (a later snapshot):
 * an importer commits its run's end before it lets go of the lock (finishRun), so a run found
 * unheld that still reads RUNNING then has lost its importer, and one that ended in between reads
 * as it ended. Two statements for any number of runs (the ImportRun status loader batches them);
 * runs still held are left out (they are RUNNING).
 */
export async function runsWithoutImporter(db: SqlRunner, ids: readonly number[]): Promise<Map<number, RunState>> {
  // The ids as array literals: the runner may be an EntityManager's, whose bindings expand arrays.
  const list = (values: readonly number[]) => `{${values.map(Number).join(',')}}`;
  const { rows: unheld } = await db.query(`select id from unnest($1::int[]) id where not ${runHeldSql('id')}`, [list(ids)]);
  const states = new Map<number, RunState>();
  if (unheld.length === 0) return states;
  const { rows } = await db.query(`select id, status, error from import_run where id = any($1::int[])`, [list(unheld.map((row) => Number((row as { id: number }).id)))]);
  for (const row of rows as { id: number; status: RunState['status']; error: string | null }[]) {
    states.set(Number(row.id), row.status === 'RUNNING' ? { status: 'INTERRUPTED', error: INTERRUPTED_REASON } : { status: row.status, error: row.error });
  }
  return states;
}

/**
 * Why a run that read to the end still failed: no row is in the database afterwards (none
 * inserted, none already there). The one rule behind a run's FAILED status and the import
 * command's exit code 1; null when something was imported.
 */
export function nothingImportedReason(totals: Pick<BatchCounts, 'rowsRead' | 'inserted' | 'duplicates' | 'rejected'>): string | null {
  if (totals.inserted + totals.duplicates > 0) return null;
  return totals.rowsRead === 0 ? 'nothing was imported: there are no records after the header' : `nothing was imported: ${totals.rejected === 1 ? 'the one record was' : `all ${totals.rejected} records were`} rejected (see the rejections)`;
}

/**
 * What a failed run stores as its error, which analysts read through importRuns: our own messages
 * (the file, the mapping, a timeout) with numbers masked; a database error by the typed answer it
 * translates to, or else by its SQLSTATE alone: PostgreSQL quotes the value in some of its messages
 * (`invalid input syntax for type bigint: "13812345678"`), and a batch's values are row content.
 */
export function runFailureReason(error: unknown): string {
  const translated = translateDatabaseError(error);
  if (translated instanceof AppError) return maskFreeText(translated.message);
  const sqlState = sqlStateOf(error);
  if (sqlState) return `the database refused a batch (SQLSTATE ${sqlState}); that batch was rolled back, the batches committed before are kept`;
  return maskFreeText(error instanceof Error ? error.message : String(error));
}

/** Database answers that say nothing of the rows: the database went away, a statement ran too long, a collision. */
const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.REQUEST_TIMEOUT, ErrorCode.TRY_AGAIN]);

/**
 * What an import that stopped before its end (the database gone, a Ctrl-C) leaves, from the rows of
 * the batches it saw committed: only that, with no claim about a batch in flight (the database can
 * go away before the first is sent).
 */
export function importStoppedEarly(committedRows: number): string {
  return committedRows > 0
    ? `the batches committed before (${committedRows.toLocaleString('en-US')} rows) are kept, anything not yet committed was rolled back; run the same import again to add the rest (each row goes in once)`
    : 'no batch was committed, so nothing was imported; run the same import again';
}

/**
 * What the import command tells its operator when a run fails, on one line: like runFailureReason,
 * but a database error also says what failed (SQLSTATE, table, column, constraint) and in the
 * driver's words, as the logs would say it (logger.ts's serializeError: quoted values and long digit
 * runs blanked, no statement, no detail), then with free-text personal data masked. Never the raw
 * message: PostgreSQL quotes row values in some (`invalid input syntax for type bigint:
 * "13812345678"`), and terminals are scrolled back, copied into tickets and recorded.
 */
export function importFailureMessage(error: unknown, committedRows: number): string {
  const translated = translateDatabaseError(error);
  if (translated instanceof AppError && translated !== error && TRANSIENT_CODES.has(translated.code)) {
    // The API's words say nothing changed (a mutation is one transaction); an import keeps the batches it committed.
    return `${maskFreeText(translated.message.split(';')[0])}: ${importStoppedEarly(committedRows)}`;
  }
  if (translated instanceof AppError) return maskFreeText(translated.message);
  if (!sqlStateOf(error)) {
    const safe = serializeError(error);
    return maskFreeText(safe && typeof safe === 'object' && typeof (safe as { message?: unknown }).message === 'string' ? (safe as { message: string }).message : String(error));
  }
  const { on, sentence } = refusedStatement(error);
  return `the database refused a batch (${on}): ${maskFreeText(sentence)}; that batch was rolled back, the batches committed before are kept`;
}

/** Marks the run done, and lets go of its lock; `error` (a message about the file or mapping, never row content) marks it failed. */
async function finishRun(db: PgClient, runId: number, error: string | null): Promise<void> {
  // The end first, committed on its own, then the lock: a session lock goes at once, an update at
  // commit, so in one statement a reader could find the lock gone and the run still RUNNING, and
  // take a run that succeeded for an interrupted one (runsWithoutImporter).
  await db.query(`update import_run set status = $2, error = $3, finished_at = now(), updated_at = now() where id = $1`, [
    runId,
    error ? 'FAILED' : 'SUCCEEDED',
    error ? cutText(error, 300) : null,
  ]);
  await releaseRun(db, runId);
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
