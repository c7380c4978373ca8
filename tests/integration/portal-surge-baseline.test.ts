import { isSmallCount } from '../../src/common/disclosure';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, portalViewer } from '../helpers/access-fixtures';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { readAs } from '../helpers/portal-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A row's surge beside its volume gives its baseline's count back: μ = (baseline count) × period
 * days ÷ baseline days, and z = (n − μ)/√μ solves for μ. A portal reads no surge whose baseline held
 * 1-4 records (disclosure.ts). Found by a review: the rule worked the baseline back from μ as shown
 * (two decimals), so with a long baseline against a short period (chosen by the reader: a year
 * against one day) μ of 1 record, 1 ÷ 365 = 0.0027, showed as 0.00, read as "no baseline records",
 * and z = 114.6 beside n = 6 gave μ, and the 1 record, back.
 */

let app: TestApp;
let w: World;
let targetCategory: number;

const PERIOD = '2026-06-10';
const BASELINE = { baselineFrom: '2025-06-10', baselineTo: '2026-06-09' };

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const em = app.orm.em.fork();
  const items = await em.execute(`select i.code, i.category_id from service_item i where not i.is_consultation order by i.code`);
  const target = items[0];
  const background = items.find((item: any) => item.category_id !== target.category_id)!;
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.otherCommunityId)]);
  const record = (sourceId: string, itemCode: string, day: string) => ({
    sourceId, itemCode, communityCode: community.code, status: 'FINISHED', receivedAt: `${day}T02:00:00Z`, finishedAt: `${day}T03:00:00Z`,
  });
  const records = [
    // The cell: 6 records on the period's day, 1 in the baseline year.
    ...Array.from({ length: 6 }, (_, n) => record(`SB-T-${n}`, target.code, PERIOD)),
    record('SB-T-base', target.code, '2025-12-01'),
  ];
  // Collection runs through the baseline year (a record of another category every 5 days), so every day of it is covered.
  for (let t = Date.parse('2025-06-10T00:00:00Z'); t <= Date.parse(`${PERIOD}T00:00:00Z`); t += 5 * 86_400_000) {
    records.push(record(`SB-B-${t}`, background.code, new Date(t).toISOString().slice(0, 10)));
  }
  app.clock.set(new Date('2026-06-20T02:00:00Z'));
  const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "window", records: $records) { inserted } }`, { records });
  expect(imported.importServiceRecords.inserted).toBe(records.length);
  targetCategory = Number(target.category_id);
});
afterAll(async () => {
  await app?.close();
});

const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { category { id } metrics { volume surgeZ surgeExpected } notes { metric reason } }
  period { coveredDays } baseline { coveredDays } } }`;

test('a one-day period against a year\'s baseline of 1 record: staff read the surge, a portal reads neither μ nor z (μ 0.0027 shown as 0.00 does not make the baseline empty)', async () => {
  const input = { areaId: w.otherCommunityId, from: PERIOD, to: PERIOD, ...BASELINE, groupBy: ['CATEGORY'], sources: 'SERVICE_RECORDS', minSupport: 0 };
  const staff = (await readAs(app, RANKING, { input }, accountViewer(Role.ANALYST, null))).demandRanking;
  const target = Buffer.from(`RequestCategory:${targetCategory}`).toString('base64url');
  const exact = staff.rows.find((row: any) => row.category.id === target);
  expect(staff.baseline.coveredDays).toBe(365);
  expect(staff.period.coveredDays).toBe(1);
  // μ = 1 × 1 ÷ 365; z = (6 − μ)/√μ.
  expect(exact.metrics.volume).toBe(6);
  expect(exact.metrics.surgeExpected).toBe(0);
  expect(exact.metrics.surgeZ).toBeCloseTo((6 - 1 / 365) / Math.sqrt(1 / 365), 3);

  const portal = (await readAs(app, RANKING, { input }, portalViewer())).demandRanking;
  const shown = portal.rows.find((row: any) => row.category.id === target);
  expect(shown.metrics.volume).toBe(6);
  // What a reader works out from n and z: √μ = (−z + √(z² + 4n))/2, and the baseline's count = μ × its days ÷ the period's.
  if (shown.metrics.surgeZ !== null) {
    const root = (-shown.metrics.surgeZ + Math.sqrt(shown.metrics.surgeZ ** 2 + 4 * shown.metrics.volume)) / 2;
    const baselineCount = Math.round((root * root * portal.baseline.coveredDays) / portal.period.coveredDays);
    expect({ baselineCount, small: isSmallCount(baselineCount) }).toEqual({ baselineCount, small: false });
  }
  expect({ surgeZ: shown.metrics.surgeZ, surgeExpected: shown.metrics.surgeExpected }).toEqual({ surgeZ: null, surgeExpected: null });
  expect(shown.notes.map((note: any) => note.metric)).toEqual(expect.arrayContaining(['surgeZ', 'surgeExpected']));
});
