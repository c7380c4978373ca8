import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { PROJECT_ROOT } from '../../config/paths';
import { generateServiceRecords, inChunks } from './generator';
import { importServiceFile, type ImportSummary } from './import';
import { loadMapping } from './mapping';

/** The `source` of the demo city's generated one-window records (their dedup namespace). */
export const DEMO_RECORDS_SOURCE = 'demo';
export const DEMO_RECORDS_DAYS = 730;
export const DEMO_RECORDS_SEED = 20240701;

export interface DemoRecordsOptions {
  records: number;
  /** Last China-time day the records cover (YYYY-MM-DD); default: yesterday in China time. */
  lastDay?: string;
  /** Days covered, ending on `lastDay` (default 730: two years). */
  days?: number;
  seed?: number;
  /** Called every 10,000 rows. */
  onProgress?: (rowsRead: number) => void;
}

export interface DemoRecordsSummary extends ImportSummary {
  firstDay: string;
  lastDay: string;
  seconds: number;
}

/** YYYY-MM-DD of China time, `offsetDays` from the day `at` falls on there. */
export function chinaDay(at: Date, offsetDays = 0): string {
  return new Date(at.getTime() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Loads generated one-window records for the demo city's communities (as found in the
 * database, so both seed scales work) through the real import path: generator → CSV text →
 * importServiceFile with our export mapping, source "demo". Deterministic for a given seed and
 * last day; the default window is the two years up to yesterday (China time), so rankings
 * over "recent" data have something to rank on the day the database is seeded. Importing the
 * same window again adds nothing (source ids).
 */
export async function seedDemoRecords(databaseUrl: string, options: DemoRecordsOptions): Promise<DemoRecordsSummary> {
  const started = Date.now();
  const days = options.days ?? DEMO_RECORDS_DAYS;
  const lastDay = options.lastDay ?? chinaDay(new Date(), -1);
  const firstDay = new Date(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const clients = [0, 1].map(() => new pg.Client({ connectionString: databaseUrl, application_name: 'gongjian-seed-records' }));
  // As the import's (cli/import.ts): a connection the database ends fails the statement in flight, not the process.
  for (const client of clients) client.on('error', () => undefined);
  await Promise.all(clients.map((client) => client.connect()));
  try {
    const { rows } = await clients[0].query<{ code: string }>(`select code from area where level = 'COMMUNITY' order by code`);
    if (rows.length === 0) throw new Error('seedDemoRecords: the database has no communities (seed the demo city first)');
    const lines = generateServiceRecords({
      records: options.records,
      seed: options.seed ?? DEMO_RECORDS_SEED,
      communities: rows.map((row) => row.code),
      startDay: firstDay,
      days,
    });
    const mapping = { ...loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json')), source: DEMO_RECORDS_SOURCE };
    const summary = await importServiceFile({
      db: clients[0],
      more: clients.slice(1),
      input: Readable.from(inChunks(lines, 1 << 18)),
      fileName: `demo-records-${firstDay}-${lastDay}.csv`,
      mapping,
      onProgress: options.onProgress ? ({ rowsRead }) => options.onProgress!(rowsRead) : undefined,
    });
    return { ...summary, firstDay, lastDay, seconds: (Date.now() - started) / 1000 };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}
