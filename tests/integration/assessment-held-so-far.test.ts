import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { buildTree, createUnit, dbId, ok, type Tree } from '../helpers/fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * 反向考核 "for this year so far": an activity the community has scheduled for later in the year
 * cannot have been attended yet, so it must not count against every paired unit's attendance.
 */

let app: TestApp;
let tree: Tree;
let unitId: string;

/** Mid-year, China time. */
const NOW = new Date('2026-06-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);

const QUERY = `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) {
  unit { id } year score rank attendance { score numerator denominator }
} }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  tree = await buildTree(app);
  unitId = await createUnit(app, { name: '区卫健局', kind: 'AGENCY', areaId: tree.streetId });
  await createPairing(app, unitId, tree.communityId, '2024-01-01');
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const person = em.create(Person, { name: '卫健甲', partyStatus: PartyStatus.IN_SERVICE, employerUnit: dbId(unitId), residenceCommunity: C });
    const activity = (title: string, startsAt: Date) =>
      em.create(Activity, { community: C, title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
    const held = activity('三月主题党日', at('2026-03-01T09:00:00'));
    activity('七一主题党日', at('2026-07-01T09:00:00')); // scheduled, not yet held
    activity('国庆志愿服务', at('2026-10-01T09:00:00')); // scheduled, not yet held
    em.create(ActivityParticipation, { activity: held, person, unit: dbId(unitId), attendedAt: at('2026-03-01T09:10:00') });
  });
});
afterAll(async () => {
  await app?.close();
});

test("the current year's attendance counts the activities held so far, not those still to come", async () => {
  const [row] = (await ok(app, QUERY, { input: { communityId: tree.communityId } })).unitAssessments;
  expect(row).toMatchObject({ unit: { id: unitId }, year: 2026, attendance: { numerator: 1, denominator: 1, score: 1 }, score: 100, rank: 1 });
});

test('an activity that has started counts (it can be attended), and a past year counts all of its activities', async () => {
  app.clock.set(at('2026-07-01T09:30:00'));
  try {
    const [row] = (await ok(app, QUERY, { input: { communityId: tree.communityId } })).unitAssessments;
    expect(row.attendance).toMatchObject({ numerator: 1, denominator: 2 });
    app.clock.set(at('2027-01-10T10:00:00'));
    const [last] = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2026 } })).unitAssessments;
    expect(last.attendance).toMatchObject({ numerator: 1, denominator: 3 });
  } finally {
    app.clock.set(NOW);
  }
});
