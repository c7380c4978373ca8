import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Lookups, Rejection } from './mapping';
import { AMBIGUOUS, STAGE_COLUMNS, scopedName } from './mapping';
import { ROLLUP_RECORD_COLUMNS, lockRollupsShared, recordRollupCtes } from './rollups';
import { cutText } from '../../common/text';

/** A pg client or pool client: COPY needs the raw connection. */
export type PgClient = pg.ClientBase;

const STAGE_TABLE = 'service_record_stage';
/** COPY data is sent in chunks of about this many bytes. */
const COPY_CHUNK_BYTES = 256 * 1024;

/**
 * Settings for a connection dedicated to a file import, before its first temporary table: the
 * staging table and the roll-up aggregate of a batch stay in memory (at the defaults, 8 MB of
 * temp buffers and 4 MB of work_mem, both spill to disk), and no JIT compilation (it costs more
 * than it saves on statements this simple).
 */
export async function prepareImportSession(db: PgClient, batchRows: number): Promise<void> {
  const tempMegabytes = Math.max(8, Math.ceil((batchRows * 300) / 1e6));
  // PostgreSQL refuses to change temp_buffers once the session has used a temporary table (a
  // second import on the same connection): the first import's setting then stays.
  await db.query(`set temp_buffers = '${tempMegabytes}MB'`).catch(() => undefined);
  await db.query(`set work_mem = '64MB'`);
  await db.query('set jit = off');
}

/** Creates the session's staging table (temporary: nothing to clean up after a crash). */
export async function ensureStage(db: PgClient): Promise<void> {
  await db.query(`create temp table if not exists ${STAGE_TABLE} (
      source_id varchar(64) not null, item_id int not null, received_s bigint not null, finished_s bigint, status text not null,
      community_id int not null, grid_id int, building_id int, resident_groups smallint not null, channel text not null,
      satisfaction smallint, agency varchar(100), note text, resident_hash varchar(32)
    ) on commit delete rows`);
}

/** Each service_record column as computed from a staged row ($1 = source, $2 = import run id). */
const FROM_STAGE = {
  source: '$1::varchar(32)', source_id: 's.source_id', item_id: 's.item_id', received_at: 'to_timestamp(s.received_s)',
  finished_at: 'to_timestamp(s.finished_s)', status: 's.status', community_id: 's.community_id', grid_id: 's.grid_id',
  building_id: 's.building_id', resident_groups: 's.resident_groups', channel: 's.channel', satisfaction: 's.satisfaction',
  agency: 's.agency', note: 's.note', resident_hash: 's.resident_hash', import_run_id: '$2::int',
} as const;
const RECORD_COLUMNS = Object.keys(FROM_STAGE) as (keyof typeof FROM_STAGE)[];
/** The staged batch as service_record rows, with only `columns`. */
const stagedRecords = (columns: readonly (keyof typeof FROM_STAGE)[]) =>
  `select ${columns.map((column) => `${FROM_STAGE[column]} as ${column}`).join(', ')} from ${STAGE_TABLE} s`;
/**
 * The same, in source id order, for the inserts: each inserted key is locked until commit, so two
 * imports of the same ids in opposite orders each waited for a key the other held (a deadlock,
 * and one run FAILED). In one order, the later one just waits for the earlier one's commit.
 */
const stagedRecordsInKeyOrder = (columns: readonly (keyof typeof FROM_STAGE)[]) => `${stagedRecords(columns)} order by s.source_id`;

/**
 * Fast path, when no staged row is a duplicate: a plain insert (PostgreSQL's ON CONFLICT costs a
 * second index probe and a confirmation record per row: twice the CPU here), then the roll-ups
 * from the staged rows, which are exactly the rows inserted. Any duplicate makes the insert fail
 * with a unique violation, and the batch takes the deduplicating path instead. The roll-ups read
 * only the columns they use: carrying notes and agencies through their CTE cost ~10 % of it.
 */
const INSERT_ALL_SQL = `insert into service_record (${RECORD_COLUMNS.join(', ')}) ${stagedRecordsInKeyOrder(RECORD_COLUMNS)}`;
const ROLLUP_STAGED_SQL = `with inserted as (${stagedRecords(ROLLUP_RECORD_COLUMNS)}), ${recordRollupCtes('inserted')} select 1`;
/** Deduplicating path: skip (source, source_id) already present; roll up exactly the rows inserted. */
const INSERT_NEW_SQL = `with inserted as (
      insert into service_record (${RECORD_COLUMNS.join(', ')}) ${stagedRecordsInKeyOrder(RECORD_COLUMNS)}
      on conflict (source, source_id) do nothing
      returning ${ROLLUP_RECORD_COLUMNS.join(', ')}
    ), ${recordRollupCtes('inserted')}
    select (select count(*) from inserted)::int as inserted`;

function isDuplicateKey(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'service_record_pkey';
}

/** Codes and names → ids, read once per import (a few thousand areas at most). */
export async function loadLookups(db: PgClient): Promise<Lookups> {
  const items = await db.query<{ id: number; code: string; name: string }>('select id, code, name from service_item where active');
  const areas = await db.query<{ id: number; code: string; name: string; level: string; path: string }>(
    `select id, code, name, level, path from area where level in ('COMMUNITY', 'GRID', 'BUILDING')`,
  );
  const lookups: Lookups = {
    itemByCode: new Map(items.rows.map((row) => [row.code, row.id])),
    itemByName: new Map(),
    communityByCode: new Map(),
    communityByName: new Map(),
    gridByCode: new Map(),
    gridByName: new Map(),
    buildingByCode: new Map(),
    buildingByName: new Map(),
  };
  // Names need not be unique (two cities' 幸福里): a name two share maps to AMBIGUOUS, never to
  // whichever was read last.
  const byName = <V>(map: Map<string, V>, name: string, value: V, ambiguous: V) => map.set(name, map.has(name) ? ambiguous : value);
  for (const item of items.rows) byName(lookups.itemByName, item.name, item.id, AMBIGUOUS);
  for (const area of areas.rows) {
    const communityId = Number(area.path.split('/')[3]);
    if (area.level === 'COMMUNITY') {
      lookups.communityByCode.set(area.code, area.id);
      byName(lookups.communityByName, area.name, area.id, AMBIGUOUS);
    } else {
      const [byCode, names] = area.level === 'GRID' ? [lookups.gridByCode, lookups.gridByName] : [lookups.buildingByCode, lookups.buildingByName];
      byCode.set(area.code, { id: area.id, communityId });
      byName(names, scopedName(communityId, area.name), { id: area.id, communityId }, { id: AMBIGUOUS, communityId: AMBIGUOUS });
    }
  }
  return lookups;
}

/** Milliseconds a loader spent waiting on each step of its batches (summed over batches; for the benchmark). */
export type PhaseTimes = Record<'copy' | 'insert' | 'rollup' | 'deduplicate' | 'bookkeeping' | 'commit', number>;
const noTimes = (): PhaseTimes => ({ copy: 0, insert: 0, rollup: 0, deduplicate: 0, bookkeeping: 0, commit: 0 });

export interface BatchCounts {
  rowsRead: number;
  inserted: number;
  duplicates: number;
  rejected: number;
}

/**
 * Writes mapped rows in batches, each one transaction: COPY into the staging table, one
 * set-based insert that skips known (source, source_id) and updates the roll-ups for exactly
 * the rows it inserted, the batch's rejections, and the run's counters. A crash loses at most
 * the open batch, which a re-run then inserts: every row ends up exactly once.
 */
export class BatchLoader {
  readonly totals: BatchCounts = { rowsRead: 0, inserted: 0, duplicates: 0, rejected: 0 };
  readonly times: PhaseTimes = noTimes();
  private copy: Writable | null = null;
  /** An error the COPY stream raised between our writes (kept so it is not an unhandled 'error' event). */
  private copyError: Error | null = null;
  /**
   * COPY lines are encoded straight into a byte buffer (15-25 % less CPU in the importer than
   * concatenating strings and encoding each chunk: measured on 1M rows).
   */
  private buffer = Buffer.allocUnsafe(2 * COPY_CHUNK_BYTES);
  private used = 0;
  private good = 0;
  private rejections: { row: number; column: string | null; reason: string }[] = [];
  private pendingRead = 0;
  /** The last batch had duplicates: go straight to the deduplicating insert. */
  private expectDuplicates = false;

  constructor(
    private readonly db: PgClient,
    private readonly source: string,
    private readonly runId: number,
    private readonly onRejected?: (row: number, rejection: Rejection) => void,
    /** Called after each commit, with `totals` then counting the batch. */
    private readonly onCommitted?: () => void,
    /**
     * Called just before each commit, the batch written; throwing leaves it uncommitted (the caller
     * rolls back). The API path refuses to commit once its client was answered REQUEST_TIMEOUT, the
     * file import once told to stop (a Ctrl-C).
     */
    private readonly beforeCommit?: () => void,
  ) {}

  /** Rows taken since the last commit (good and rejected). */
  get pending(): number {
    return this.pendingRead;
  }

  /**
   * Adds a mapped COPY line. Returns a promise only when the caller must wait (a batch is
   * being opened, or the connection is applying back-pressure): no promise per row.
   */
  write(line: string): Promise<void> | undefined {
    if (!this.copy) return this.open().then(() => this.write(line));
    if (this.copyError) return Promise.reject(this.copyError);
    this.pendingRead += 1;
    this.good += 1;
    // A line needs at most 3 bytes per UTF-16 code unit. Mapped lines are short (notes are cut at
    // 1,000 characters), so this only triggers near the end of a full buffer.
    if (this.used + 3 * line.length > this.buffer.length) {
      const wait = this.send(3 * line.length);
      this.used += this.buffer.write(line, this.used);
      return wait;
    }
    this.used += this.buffer.write(line, this.used);
    if (this.used >= COPY_CHUNK_BYTES) return this.send();
    return undefined;
  }

  reject(row: number, rejection: Rejection): void {
    this.pendingRead += 1;
    // Cut to the columns' widths: a long (or NUL-bearing) header must not fail the batch it reports on.
    const column = rejection.column == null ? rejection.column : cutText(rejection.column.replace(/\u0000/g, ''), 100);
    this.rejections.push({ row, column, reason: cutText(rejection.reason.replace(/\u0000/g, ''), 300) });
    this.onRejected?.(row, rejection);
  }

  /** Ends the open batch: insert, roll up, record rejections and counters, commit. */
  async commit(): Promise<BatchCounts> {
    if (this.pendingRead === 0) return this.totals;
    if (!this.copy) await this.open();
    if (this.used) await this.send();
    const copy = this.copy!;
    this.copy = null;
    if (this.copyError) throw this.copyError;
    let mark = performance.now();
    const lap = (phase: keyof PhaseTimes) => {
      const now = performance.now();
      this.times[phase] += now - mark;
      mark = now;
    };
    copy.end();
    await once(copy, 'finish');
    lap('copy');
    const inserted = await this.insertStaged(lap);
    const batch: BatchCounts = { rowsRead: this.pendingRead, inserted, duplicates: this.good - inserted, rejected: this.rejections.length };
    if (this.rejections.length) {
      await this.db.query(
        `insert into import_rejection (run_id, row_number, column_name, reason) select $1, * from unnest($2::int[], $3::text[], $4::text[])`,
        [this.runId, this.rejections.map((r) => r.row), this.rejections.map((r) => r.column), this.rejections.map((r) => r.reason)],
      );
    }
    await this.db.query(
      `update import_run set rows_read = rows_read + $2, inserted = inserted + $3, duplicates = duplicates + $4, rejected = rejected + $5, updated_at = now() where id = $1`,
      [this.runId, batch.rowsRead, batch.inserted, batch.duplicates, batch.rejected],
    );
    lap('bookkeeping');
    this.beforeCommit?.();
    await this.db.query('commit');
    lap('commit');
    for (const key of Object.keys(batch) as (keyof BatchCounts)[]) this.totals[key] += batch[key];
    this.good = 0;
    this.pendingRead = 0;
    this.rejections = [];
    this.onCommitted?.();
    return this.totals;
  }

  /** Abandons the open batch (on error). */
  async rollback(): Promise<void> {
    const copy = this.copy;
    this.copy = null;
    this.used = 0;
    if (copy) {
      copy.destroy(new Error('import aborted'));
      await once(copy, 'close').catch(() => undefined);
    }
    await this.db.query('rollback').catch(() => undefined);
  }

  /** Inserts the staged batch (see INSERT_ALL_SQL); returns how many rows were new. */
  private async insertStaged(lap: (phase: keyof PhaseTimes) => void): Promise<number> {
    const params = [this.source, this.runId];
    // Before the records, so a full rebuild either counts this batch or runs before it (rollups.ts).
    await lockRollupsShared(this.db);
    if (!this.expectDuplicates) {
      await this.db.query('savepoint insert_all');
      try {
        const result = await this.db.query(INSERT_ALL_SQL, params);
        await this.db.query('release savepoint insert_all');
        lap('insert');
        await this.db.query(ROLLUP_STAGED_SQL, [this.source]);
        lap('rollup');
        return result.rowCount ?? 0;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        await this.db.query('rollback to savepoint insert_all');
        lap('insert');
      }
    }
    const { rows } = await this.db.query<{ inserted: number }>(INSERT_NEW_SQL, params);
    lap('deduplicate');
    // A batch with duplicates (a re-run, or resuming after a crash) is usually followed by more.
    this.expectDuplicates = rows[0].inserted < this.good;
    return rows[0].inserted;
  }

  private async open(): Promise<void> {
    await this.db.query('begin');
    this.copyError = null;
    const copy = this.db.query(copyFrom(`copy ${STAGE_TABLE} (${STAGE_COLUMNS.join(', ')}) from stdin`));
    copy.on('error', (error: Error) => void (this.copyError ??= error));
    this.copy = copy;
  }

  private send(room = 0): Promise<void> | undefined {
    // The stream keeps the chunk until the socket has taken it: hand over this buffer, start a new one.
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(Math.max(2 * COPY_CHUNK_BYTES, room));
    this.used = 0;
    if (!this.copy!.write(chunk)) return once(this.copy!, 'drain').then(() => undefined);
    return undefined;
  }

}

/**
 * BatchLoaders on several connections, in turn: while earlier batches' inserts and roll-ups
 * run in PostgreSQL, the next batch is parsed and streamed through COPY on the next free
 * connection. At most one batch per connection is open; each is still its own transaction, so
 * crash-safety holds. Batches that touch the same roll-up rows wait for each other's commit
 * (row locks, taken in key order by every batch, so they cannot deadlock).
 */
export class PipelinedLoader {
  private current = 0;
  private readonly inflight: (Promise<void> | null)[];
  private failure: unknown = null;
  private waited = 0;

  constructor(private readonly loaders: BatchLoader[]) {
    if (loaders.length === 0) throw new Error('PipelinedLoader needs at least one BatchLoader');
    this.inflight = loaders.map(() => null);
  }

  get totals(): BatchCounts {
    const sum: BatchCounts = { rowsRead: 0, inserted: 0, duplicates: 0, rejected: 0 };
    for (const loader of this.loaders) for (const key of Object.keys(sum) as (keyof BatchCounts)[]) sum[key] += loader.totals[key];
    return sum;
  }

  get pending(): number {
    return this.loaders[this.current].pending;
  }

  /** Where the batches' time went, summed over the connections, plus how long parsing waited for a free connection. */
  get times(): PhaseTimes & { waitForConnection: number } {
    const sum = { ...noTimes(), waitForConnection: this.waited };
    for (const loader of this.loaders) for (const key of Object.keys(loader.times) as (keyof PhaseTimes)[]) sum[key] += loader.times[key];
    return sum;
  }

  write(line: string): Promise<void> | undefined {
    return this.loaders[this.current].write(line);
  }

  reject(row: number, rejection: Rejection): void {
    this.loaders[this.current].reject(row, rejection);
  }

  /** Starts committing the current batch and moves to the next connection once it is free. */
  async rotate(): Promise<void> {
    if (this.failure) throw this.failure;
    const index = this.current;
    if (this.loaders.length === 1) {
      await this.loaders[0].commit();
      return;
    }
    this.inflight[index] = this.loaders[index].commit().then(
      () => undefined,
      (error: unknown) => this.failed(index, error),
    );
    this.current = (index + 1) % this.loaders.length;
    const started = performance.now();
    await this.inflight[this.current];
    this.waited += performance.now() - started;
    if (this.failure) throw this.failure;
  }

  /** Commits what is open and waits for everything in flight. */
  async finish(): Promise<void> {
    const index = this.current;
    await this.loaders[index].commit().catch((error: unknown) => this.failed(index, error));
    await Promise.all(this.inflight);
    if (this.failure) throw this.failure;
  }

  /**
   * A batch that failed (or was refused its commit: a Ctrl-C) lets go of its locks at once: a later
   * batch may be waiting for the roll-up rows it updated, and rollback() below, which comes only
   * after every batch in flight, left the two waiting for each other for ever.
   */
  private async failed(index: number, error: unknown): Promise<void> {
    this.failure ??= error;
    await this.loaders[index].rollback();
  }

  async rollback(): Promise<void> {
    await Promise.all(this.inflight).catch(() => undefined);
    for (const loader of this.loaders) await loader.rollback();
  }
}
