import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { buildTree, createUnit, dbId, ok, type Tree } from '../helpers/fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review (posts): 反向考核 "for this year so far" assessed a unit whose pairing had not begun yet.
 * A pairing signed in June for a term from September was in the June assessment, scored on the
 * activities already held (0 of them attended: it could attend none) and ranked last.
 */

let app: TestApp;
let tree: Tree;
let early: string;
let ahead: string;

const NOW = new Date('2026-06-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);
const QUERY = `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) { unit { id } year score rank attendance { numerator denominator } } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  tree = await buildTree(app);
  early = await createUnit(app, { name: '区卫健局', kind: 'AGENCY', areaId: tree.streetId });
  ahead = await createUnit(app, { name: '区文旅局', kind: 'AGENCY', areaId: tree.streetId });
  await createPairing(app, early, tree.communityId, '2024-01-01');
  await createPairing(app, ahead, tree.communityId, '2026-09-01'); // signed ahead: begins in September
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const person = em.create(Person, { name: '卫健甲', partyStatus: PartyStatus.IN_SERVICE, employerUnit: dbId(early), residenceCommunity: C });
    const held = em.create(Activity, { community: C, title: '三月主题党日', kind: ActivityKind.THEME_PARTY_DAY, startsAt: at('2026-03-01T09:00:00'), endsAt: at('2026-03-01T11:00:00') });
    em.create(ActivityParticipation, { activity: held, person, unit: dbId(early), attendedAt: at('2026-03-01T09:10:00') });
  });
});
afterAll(async () => {
  await app?.close();
});

/** The units whose pairing with the community has begun by `day` and not ended before the year: raw SQL. */
async function pairedSoFar(year: number, day: string): Promise<number[]> {
  const rows = await app.orm.em.fork().execute<{ unit_id: number }[]>(
    `select distinct unit_id from pairing where community_id = ? and starts_on <= ? and (ends_on is null or ends_on >= ?) order by 1`,
    [dbId(tree.communityId), day, `${year}-01-01`],
  );
  return rows.map((row) => Number(row.unit_id));
}

test('the current year so far assesses the units paired so far, not one whose term begins later in the year', async () => {
  const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId } })).unitAssessments;
  expect(rows.map((row: any) => dbId(row.unit.id))).toEqual(await pairedSoFar(2026, '2026-06-15'));
  expect(rows).toEqual([{ unit: { id: early }, year: 2026, score: 100, rank: 1, attendance: { numerator: 1, denominator: 1 } }]);
});

test('once its term has begun the unit is assessed, and the whole past year counts it', async () => {
  app.clock.set(at('2026-09-01T08:00:00'));
  try {
    const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId } })).unitAssessments;
    expect(rows.map((row: any) => row.unit.id)).toEqual([early, ahead]);
    app.clock.set(at('2027-01-10T10:00:00'));
    const last = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2026 } })).unitAssessments;
    expect(last.map((row: any) => row.unit.id)).toEqual([early, ahead]);
  } finally {
    app.clock.set(NOW);
  }
});
