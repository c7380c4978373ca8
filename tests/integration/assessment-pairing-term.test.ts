import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { buildTree, createUnit, dbId, expectError, expectNothingWritten, ok, type Tree } from '../helpers/fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review: 反向考核's attendance counted every activity of the community's year against every paired
 * unit, those held before its pairing began or after it ended too, so a unit paired from September
 * answered for the spring, and one whose term ended in August for the autumn. Only the activities
 * held during the unit's term count (a pairing in force on the activity's day, China time), in the
 * denominator and in what it attended.
 */

let app: TestApp;
let tree: Tree;
let units: Record<'whole' | 'late' | 'ended' | 'twice', string>;
let endedPairing: string;

const at = (local: string) => new Date(`${local}+08:00`);
const QUERY = `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) { unit { id } attendance { numerator denominator } } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2027-01-10T10:00:00'));
  tree = await buildTree(app);
  const unit = (name: string) => createUnit(app, { name, kind: 'AGENCY', areaId: tree.streetId });
  units = { whole: await unit('区卫健局'), late: await unit('区文旅局'), ended: await unit('区水务局'), twice: await unit('区司法局') };
  await createPairing(app, units.whole, tree.communityId, '2024-01-01');
  await createPairing(app, units.late, tree.communityId, '2026-09-01');
  endedPairing = await createPairing(app, units.ended, tree.communityId, '2025-01-01', '2026-08-31');
  await createPairing(app, units.twice, tree.communityId, '2026-01-01', '2026-03-31');
  await createPairing(app, units.twice, tree.communityId, '2026-10-01');
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const activity = (title: string, startsAt: Date) =>
      em.create(Activity, { community: C, title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
    const a1 = activity('三月主题党日', at('2026-03-01T09:00:00'));
    const a2 = activity('八月末夜校', at('2026-08-31T23:30:00'));
    // 00:30 on 1 September in China is still 31 August in UTC: the day is China's.
    const a3 = activity('九月开学夜巡', at('2026-09-01T00:30:00'));
    const a4 = activity('十一月主题党日', at('2026-11-01T09:00:00'));
    const attended = (a: Activity, unitId: string, name: string) => {
      const person = em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, employerUnit: dbId(unitId), residenceCommunity: C });
      em.create(ActivityParticipation, { activity: a, person, unit: dbId(unitId), attendedAt: new Date(a.startsAt.getTime() + 600_000) });
    };
    attended(a1, units.whole, '卫健甲');
    attended(a2, units.late, '文旅甲'); // before its term: a guest, not its activity
    attended(a3, units.late, '文旅乙');
    attended(a4, units.ended, '水务甲'); // after its term
  });
});
afterAll(async () => {
  await app?.close();
});

test("attendance counts only the activities held during the unit's pairing term (China time), before it began or after it ended neither in the denominator nor attended", async () => {
  const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2026 } })).unitAssessments;
  const attendance = Object.fromEntries(rows.map((row: any) => [Object.keys(units).find((key) => units[key as keyof typeof units] === row.unit.id), row.attendance]));
  expect(attendance).toEqual({
    whole: { numerator: 1, denominator: 4 }, // all four
    late: { numerator: 1, denominator: 2 }, // from 1 September: the night patrol (China's 1 September) and November
    ended: { numerator: 0, denominator: 2 }, // to 31 August: March and the evening class of 31 August
    twice: { numerator: 0, denominator: 2 }, // January to March, and from October: March and November
  });
});

test("a past year's assessment stays as it was: the end of a term that has ended is neither cleared nor moved later (review: re-opening it counted the autumn's activities against the unit in 2026), BAD_USER_INPUT on input.endsOn", async () => {
  const attendanceOfEnded = async () =>
    (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2026 } })).unitAssessments.find((row: any) => row.unit.id === units.ended).attendance;
  const before = await attendanceOfEnded();
  expect(before).toEqual({ numerator: 0, denominator: 2 });
  const UPDATE = `mutation($id: ID!, $input: UpdatePairingInput!) { updatePairing(id: $id, input: $input) { id endsOn } }`;
  for (const endsOn of [null, '2027-01-10', '2027-12-31']) {
    const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id: endedPairing, input: { endsOn } }), [{ table: 'pairing', id: endedPairing }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.endsOn');
  }
  expect(await attendanceOfEnded()).toEqual(before);
});
