import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Lookups, Rejection } from './mapping';
import { STAGE_COLUMNS } from './mapping';
import { importBatchSql } from './rollups';

/** A pg client or pool client: COPY needs the raw connection. */
export type PgClient = pg.ClientBase;

const STAGE_TABLE = 'service_record_stage';
const COPY_CHUNK_CHARS = 256 * 1024;

/** Creates the session's staging table (temporary: nothing to clean up after a crash). */
export async function ensureStage(db: PgClient): Promise<void> {
  await db.query(`create temp table if not exists ${STAGE_TABLE} (
      source_id varchar(64) not null, item_id int not null, received_s bigint not null, finished_s bigint, status text not null,
      community_id int not null, grid_id int, building_id int, resident_groups smallint not null, channel text not null,
      satisfaction smallint, agency varchar(100), note text, resident_hash varchar(32)
    ) on commit delete rows`);
}

/** Codes and names → ids, read once per import (a few thousand areas at most). */
export async function loadLookups(db: PgClient): Promise<Lookups> {
  const items = await db.query<{ id: number; code: string; name: string }>('select id, code, name from service_item where active');
  const areas = await db.query<{ id: number; code: string; name: string; level: string; path: string }>(
    `select id, code, name, level, path from area where level in ('COMMUNITY', 'GRID', 'BUILDING')`,
  );
  const lookups: Lookups = {
    itemByCode: new Map(items.rows.map((row) => [row.code, row.id])),
    itemByName: new Map(items.rows.map((row) => [row.name, row.id])),
    communityByCode: new Map(),
    communityByName: new Map(),
    gridByCode: new Map(),
    gridByName: new Map(),
    buildingByCode: new Map(),
    buildingByName: new Map(),
  };
  for (const area of areas.rows) {
    const communityId = Number(area.path.split('/')[3]);
    if (area.level === 'COMMUNITY') {
      lookups.communityByCode.set(area.code, area.id);
      lookups.communityByName.set(area.name, area.id);
    } else {
      const [byCode, byName] = area.level === 'GRID' ? [lookups.gridByCode, lookups.gridByName] : [lookups.buildingByCode, lookups.buildingByName];
      byCode.set(area.code, { id: area.id, communityId });
      byName.set(area.name, { id: area.id, communityId });
    }
  }
  return lookups;
}

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
  private copy: Writable | null = null;
  /** An error the COPY stream raised between our writes (kept so it is not an unhandled 'error' event). */
  private copyError: Error | null = null;
  private buffer = '';
  private good = 0;
  private rejections: { row: number; column: string | null; reason: string }[] = [];
  private pendingRead = 0;

  constructor(
    private readonly db: PgClient,
    private readonly source: string,
    private readonly runId: number,
    private readonly onRejected?: (row: number, rejection: Rejection) => void,
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
    this.buffer += line;
    if (this.buffer.length >= COPY_CHUNK_CHARS) return this.send();
    return undefined;
  }

  reject(row: number, rejection: Rejection): void {
    this.pendingRead += 1;
    this.rejections.push({ row, column: rejection.column, reason: rejection.reason.slice(0, 300) });
    this.onRejected?.(row, rejection);
  }

  /** Ends the open batch: insert, roll up, record rejections and counters, commit. */
  async commit(): Promise<BatchCounts> {
    if (this.pendingRead === 0) return this.totals;
    if (!this.copy) await this.open();
    if (this.buffer) await this.send();
    const copy = this.copy!;
    this.copy = null;
    if (this.copyError) throw this.copyError;
    copy.end();
    await once(copy, 'finish');
    const { rows } = await this.db.query<{ inserted: number }>(importBatchSql(STAGE_TABLE), [this.source, this.runId]);
    const inserted = rows[0].inserted;
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
    await this.db.query('commit');
    for (const key of Object.keys(batch) as (keyof BatchCounts)[]) this.totals[key] += batch[key];
    this.good = 0;
    this.pendingRead = 0;
    this.rejections = [];
    return this.totals;
  }

  /** Abandons the open batch (on error). */
  async rollback(): Promise<void> {
    const copy = this.copy;
    this.copy = null;
    if (copy) {
      copy.destroy(new Error('import aborted'));
      await once(copy, 'close').catch(() => undefined);
    }
    await this.db.query('rollback').catch(() => undefined);
  }

  private async open(): Promise<void> {
    await this.db.query('begin');
    this.copyError = null;
    const copy = this.db.query(copyFrom(`copy ${STAGE_TABLE} (${STAGE_COLUMNS.join(', ')}) from stdin`));
    copy.on('error', (error: Error) => void (this.copyError ??= error));
    this.copy = copy;
  }

  private send(): Promise<void> | undefined {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.copy!.write(chunk)) return once(this.copy!, 'drain').then(() => undefined);
    return undefined;
  }
}

/**
 * Two BatchLoaders on two connections, alternating: while one batch's insert and roll-up
 * run in PostgreSQL, the next batch is parsed and streamed through COPY on the other. At
 * most two batches are open; each is still its own transaction, so crash-safety holds.
 */
export class PipelinedLoader {
  private current = 0;
  private inflight: (Promise<void> | null)[] = [null, null];
  private failure: unknown = null;

  constructor(private readonly loaders: [BatchLoader] | [BatchLoader, BatchLoader]) {}

  get totals(): BatchCounts {
    const sum: BatchCounts = { rowsRead: 0, inserted: 0, duplicates: 0, rejected: 0 };
    for (const loader of this.loaders) for (const key of Object.keys(sum) as (keyof BatchCounts)[]) sum[key] += loader.totals[key];
    return sum;
  }

  get pending(): number {
    return this.loaders[this.current].pending;
  }

  write(line: string): Promise<void> | undefined {
    return this.loaders[this.current].write(line);
  }

  reject(row: number, rejection: Rejection): void {
    this.loaders[this.current].reject(row, rejection);
  }

  /** Starts committing the current batch and moves to the other connection once it is free. */
  async rotate(): Promise<void> {
    if (this.failure) throw this.failure;
    const index = this.current;
    if (this.loaders.length === 1) {
      await this.loaders[0].commit();
      return;
    }
    this.inflight[index] = this.loaders[index].commit().then(
      () => undefined,
      (error: unknown) => void (this.failure ??= error),
    );
    this.current = 1 - index;
    await this.inflight[this.current];
    if (this.failure) throw this.failure;
  }

  /** Commits what is open and waits for everything in flight. */
  async finish(): Promise<void> {
    await this.loaders[this.current].commit().catch((error: unknown) => void (this.failure ??= error));
    await Promise.all(this.inflight);
    if (this.failure) throw this.failure;
  }

  async rollback(): Promise<void> {
    await Promise.all(this.inflight).catch(() => undefined);
    for (const loader of this.loaders) await loader.rollback();
  }
}
