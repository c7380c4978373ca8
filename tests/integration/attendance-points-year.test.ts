import { SYSTEM_VIEWER } from '../../src/context/context';
import { PointKind } from '../../src/modules/points/points.entity';
import { awardPoints } from '../../src/modules/points/points.service';
import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createActivity, createMember, createServicePost, ledgerSum, reportMember, signUp } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { ATTENDANCE_POINTS_ON_ACTIVITY_START, Migration20270101400000_attendance_points_count_on_activity_start } from '../../migrations/Migration20270101400000_attendance_points_count_on_activity_start';

/*
 * Attendance recorded in the first days of January for an activity of 31 December is the old
 * year's attendance (the assessments count activities by their start), and so are its points:
 * the leaderboard of a year and the member assessments put them in the activity's year. The
 * entry still says when it was written (updated_at, and the participation's attendedAt).
 */

let app: TestApp;
let w: World;
let memberId: string;
let participationId: string;

const at = (local: string) => new Date(`${local}+08:00`);
const STARTS = at('2026-12-31T19:00:00');
const RECORDED = at('2027-01-03T10:00:00');

const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { amount person { pointBalance } } }`;
const BOARD = `query($c: ID!, $year: Int) { pointsLeaderboard(communityId: $c, year: $year, first: 100) { earned balance person { id } } }`;
const MEMBERS = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } attendance { numerator denominator } pointsEarned } }`;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const organizations = await buildOrganizations(app, w);
  app.clock.set(at('2026-12-01T10:00:00'));
  const postId = await createServicePost(app, { communityId: w.communityId });
  memberId = await createMember(app, { name: '跨年签到党员', communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId: memberId, communityId: w.communityId, organizationId: organizations.gridBranchId, postId });
  const activityId = await createActivity(app, { communityId: w.communityId, title: '跨年志愿服务', startsAt: STARTS.toISOString(), endsAt: at('2026-12-31T21:00:00').toISOString() });
  participationId = await signUp(app, activityId, memberId);

  // 10 points earned in December, all spent on 2 January: nothing left when the sheet is checked.
  await app.orm.em.fork().transactional(async (em) => {
    await awardPoints(em, { person: dbId(memberId), kind: PointKind.CLAIM_CONFIRMED, sourceType: 'Claim', sourceId: 880_001, verifier: SYSTEM_VIEWER, at: at('2026-12-10T10:00:00') });
    await em.flush();
  });
  app.clock.set(at('2027-01-02T10:00:00'));
  await ok(app, REDEEM, { input: { personId: memberId, points: 10, note: '新年理发' } });

  app.clock.set(RECORDED); // within ATTENDANCE_GRACE_DAYS of the end
  await ok(app, `mutation($id: ID!) { recordAttendance(participationId: $id) { id } }`, { id: participationId });
});
afterAll(async () => {
  await app?.close();
});

test("the entry counts on the activity's start and keeps when it was written", async () => {
  const [entry] = await app.orm.em.fork().execute<{ created_at: Date; updated_at: Date }[]>(
    `select created_at, updated_at from point_entry where person_id = ? and kind = 'ACTIVITY_ATTENDED'`,
    [dbId(memberId)],
  );
  expect(new Date(entry.created_at).toISOString()).toBe(STARTS.toISOString());
  expect(new Date(entry.updated_at).toISOString()).toBe(RECORDED.toISOString());
  const [participation] = await app.orm.em.fork().execute<{ attended_at: Date }[]>('select attended_at from activity_participation where id = ?', [dbId(participationId)]);
  expect(new Date(participation.attended_at).toISOString()).toBe(RECORDED.toISOString());
});

test("pointsLeaderboard puts the points in the activity's year, as the attendance is", async () => {
  const board = async (year: number) => (await ok(app, BOARD, { c: w.communityId, year })).pointsLeaderboard.filter((row: any) => row.person.id === memberId);
  expect(await board(2026)).toEqual([{ earned: 12, balance: 2, person: { id: memberId } }]);
  expect(await board(2027)).toEqual([]);
});

test('the member assessment of the old year has the attendance and its points together; the new year neither', async () => {
  const row = async (year: number) => (await ok(app, MEMBERS, { input: { communityId: w.communityId, year } })).memberAssessments.find((r: any) => r.person.id === memberId);
  expect(await row(2026)).toEqual({ person: { id: memberId }, attendance: { numerator: 1, denominator: 1 }, pointsEarned: 12 });
  expect(await row(2027)).toMatchObject({ attendance: { numerator: 0, denominator: 0 }, pointsEarned: 0 });
});

test('dated back, an earning never takes a balance below zero, at any moment: only what is there now can be spent', async () => {
  const rows: { running: number }[] = await app.orm.em.fork().execute(
    'select min(running)::int as running from (select sum(amount) over (order by created_at, id) as running from point_entry where person_id = ?) t',
    [dbId(memberId)],
  );
  expect(rows[0].running).toBeGreaterThanOrEqual(0);
  expect(await ledgerSum(app, memberId)).toBe(2);
  expectError(await app.execute(REDEEM, { input: { personId: memberId, points: 3, note: '超额' } }), 'BAD_USER_INPUT', 'input.points');
  expect((await ok(app, REDEEM, { input: { personId: memberId, points: 2, note: '用完' } })).redeemPoints).toEqual({ amount: -2, person: { pointBalance: 0 } });
});

test("the migration dates attendance entries written before the rule on their activity's start, and down() puts back when they were written; other entries stay", async () => {
  const entries = async () => (await app.orm.em.fork().execute<{ kind: string; created_at: Date }[]>(
    'select kind, created_at from point_entry where person_id = ? order by id', [dbId(memberId)],
  )).map((row) => [row.kind, new Date(row.created_at).toISOString()]);
  const others = (await entries()).filter(([kind]) => kind !== 'ACTIVITY_ATTENDED');
  // An entry as the old code wrote it: dated by the day the sheet was checked.
  await app.orm.em.fork().execute(`update point_entry set created_at = updated_at where person_id = ? and kind = 'ACTIVITY_ATTENDED'`, [dbId(memberId)]);
  expect((await entries()).filter(([kind]) => kind === 'ACTIVITY_ATTENDED')).toEqual([['ACTIVITY_ATTENDED', RECORDED.toISOString()]]);

  const run = async (direction: 'up' | 'down') => {
    const migration = new Migration20270101400000_attendance_points_count_on_activity_start(app.orm.em.getDriver(), app.orm.config);
    await migration[direction]();
    for (const query of migration.getQueries()) await app.orm.em.fork().execute(String(query));
    return migration.getQueries().map(String);
  };
  expect(await run('up')).toEqual([ATTENDANCE_POINTS_ON_ACTIVITY_START]);
  expect((await entries()).filter(([kind]) => kind === 'ACTIVITY_ATTENDED')).toEqual([['ACTIVITY_ATTENDED', STARTS.toISOString()]]);
  expect((await entries()).filter(([kind]) => kind !== 'ACTIVITY_ATTENDED')).toEqual(others);
  await run('down');
  expect((await entries()).filter(([kind]) => kind === 'ACTIVITY_ATTENDED')).toEqual([['ACTIVITY_ATTENDED', RECORDED.toISOString()]]);
  await run('up');
  expect((await entries()).filter(([kind]) => kind === 'ACTIVITY_ATTENDED')).toEqual([['ACTIVITY_ATTENDED', STARTS.toISOString()]]);
});
