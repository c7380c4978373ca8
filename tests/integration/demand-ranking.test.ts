import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { rankDemand, type DemandRankingInput } from '../../analytics';
import { PROJECT_ROOT } from '../../src/config/paths';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { seedDemoCity } from '../../src/seed/demo-city';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { PLANTED_CATEGORY, plantedCsv, tinyCsv } from '../fixtures/demand-fixture';

let app: TestApp;
let db: pg.Client;
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));

beforeAll(async () => {
  app = await createTestApp();
  await seedDemoCity(app.orm.em.fork(), { scale: 'small' });
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  for (const csv of [plantedCsv(), tinyCsv()]) {
    const summary = await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'fixture.csv', mapping: gongjian, batchRows: 5000 });
    expect(summary.rejected).toBe(0);
  }
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

const base: DemandRankingInput = {
  from: '2025-04-01', to: '2025-06-30', areaPaths: null, groupBy: ['CATEGORY'], sources: 'BOTH', includeConsultations: false, minSupport: 30, topN: 20, now: new Date('2025-07-01T02:00:00Z'),
};

test('the planted rising category ranks first and is flagged topic of the month with the right reasons', async () => {
  const result = await rankDemand(db, base);
  const top = result.rows[0];
  const planted = (await db.query(`select id from request_category where code = $1`, [PLANTED_CATEGORY])).rows[0].id;
  expect(top.key).toEqual({ categoryId: planted });
  expect(top.rank).toBe(1);
  expect(top.metrics.volume).toBe((16 + 17 + 18) * 8);
  expect(top.topicOfMonth.flagged).toBe(true);
  expect(top.topicOfMonth.missing).toEqual([]);
  expect(top.topicOfMonth.reasons).toEqual([
    `rank 1 of 6 (top 5 needed)`,
    'present in 67% of communities (≥ 30% needed)',
    expect.stringMatching(/^rising: Mann–Kendall z = \d+\.\d\d \(p = 0\.000\), Sen slope \+\d+\.\d a month$/),
    // Month m (0 = Jan 2024) has 8(m + 1) elevator demands against 72 for each background category: in the top 5
    // (ties included) from m = 8 on, i.e. the last 10 months. Of 16 + 17 + 18 per community, 6 each month are finished.
    'among the top 5 by volume for 10 months running',
    expect.stringMatching(/^resolved 35% vs \d+% across all cells \(lower needed\)$/),
  ]);
  // No background category is flagged: they are flat and fully resolved.
  expect(result.rows.slice(1).every((row) => !row.topicOfMonth.flagged)).toBe(true);
  expect(result.rows.slice(1).every((row) => row.metrics.trendZ === 0)).toBe(true);
});
