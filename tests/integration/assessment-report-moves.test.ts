import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { PointEntry, PointKind } from '../../src/modules/points/points.entity';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { gridSanitation } from '../helpers/whistle-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * A member who moves mid-year (their report to A ends, they report to B) is assessed by each
 * community for the days they were reported there: points earned, activities to attend, and requests
 * (dated by the moment they were dispatched to the member, here as they came in), count in one community, never both. A = w.communityId (幸福里), B = w.otherCommunityId (和平里). Assessed on
 * 2026-01-15 (China), year 2025.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;
let categoryId = '';
let categoryHours = 0;

const NOW = new Date('2026-01-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id reportedOn } }`;
const QUERY = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) {
  person { id } pointsEarned attendance { numerator denominator } } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
  ({ categoryId, hours: categoryHours } = await gridSanitation(app));
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.set(NOW));

let seq = 0;
/** A member living in A, reported there on `reportedOn` (the clock set to that day). */
async function reportedInA(reportedOn: string): Promise<string> {
  seq += 1;
  app.clock.set(at(`${reportedOn}T09:00:00`));
  const postId = await createServicePost(app, { communityId: w.communityId, title: `甲岗位${seq}`, capacity: 5 });
  const personId = await createMember(app, { name: `搬家成员${seq}`, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
  return personId;
}

/** On `day` (10:00 China) the member moves to `to` (their report ends) and reports there the same day. */
async function moveAndReport(personId: string, day: string, to: 'A' | 'B'): Promise<void> {
  app.clock.set(at(`${day}T10:00:00`));
  const communityId = to === 'A' ? w.communityId : w.otherCommunityId;
  const organizationId = to === 'A' ? orgs.gridBranchId : orgs.otherBranchId;
  await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: communityId } });
  seq += 1;
  const postId = await createServicePost(app, { communityId, title: `新岗位${seq}`, capacity: 5 });
  await reportMember(app, { personId, communityId, organizationId, postId });
  app.clock.set(NOW);
}

async function earn(personId: string, amount: number, createdAt: Date): Promise<void> {
  seq += 1;
  const em = app.orm.em.fork();
  em.create(PointEntry, { person: dbId(personId), kind: PointKind.ACTIVITY_ATTENDED, amount, sourceType: 'Activity', sourceId: 900_000 + seq, createdAt });
  await em.flush();
}

async function rowIn(to: 'A' | 'B', personId: string): Promise<{ pointsEarned: number; attendance: { numerator: number; denominator: number } } | undefined> {
  const communityId = to === 'A' ? w.communityId : w.otherCommunityId;
  const rows = (await ok(app, QUERY, { input: { communityId, year: 2025 } })).memberAssessments;
  return rows.find((row: any) => row.person.id === personId);
}

describe("points earned count in the assessment of the community the member was reported to when they earned them", () => {
  test("earned in A in March, moved to B in June, earned in B in September: A's 2025 shows March's only, B's September's only", async () => {
    const personId = await reportedInA('2025-01-10');
    await earn(personId, 10, at('2025-03-05T15:00:00'));
    await moveAndReport(personId, '2025-06-15', 'B');
    await earn(personId, 4, at('2025-09-20T15:00:00'));
    expect((await rowIn('A', personId))?.pointsEarned).toBe(10);
    expect((await rowIn('B', personId))?.pointsEarned).toBe(4);
  });

  test('points earned before the member first reported count in neither community', async () => {
    app.clock.set(at('2025-02-01T09:00:00'));
    const personId = await createMember(app, { name: '报到前得分', communityId: w.communityId, employerUnitId: w.units.hospitalId });
    await earn(personId, 6, at('2025-02-01T09:30:00'));
    const postId = await createServicePost(app, { communityId: w.communityId, title: '报到前得分的岗位', capacity: 5 });
    app.clock.set(at('2025-04-01T09:00:00'));
    await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
    await earn(personId, 3, at('2025-05-01T09:00:00'));
    expect((await rowIn('A', personId))?.pointsEarned).toBe(3);
  });
});

const HOUR = 3600_000;
const REQUESTS = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) {
  person { id } requests { numerator denominator } satisfaction { numerator denominator } } }`;
const step = (mutation: string, id: string, inputType?: string, input?: Record<string, unknown>) =>
  ok(app, `mutation($id: ID!${inputType ? `, $input: ${inputType}` : ''}) { ${mutation}(id: $id${inputType ? ', input: $input' : ''}) { id } }`, { id, input });

/**
 * A request in community `where` (its grid) that came in at `receivedAt` (China time) and was
 * dispatched to the member then; resolved `outcome`: in time (an hour later) or late (an hour past
 * its due time), and rated `rating`; or `returned` (handed back) an hour past its due time, which
 * leaves the member late with it (the ledger's lateAssignee).
 */
async function requestFor(personId: string, where: 'A' | 'B', receivedAt: string, outcome: 'inTime' | 'late' | 'returned', rating?: number): Promise<void> {
  const received = at(receivedAt);
  app.clock.set(received);
  const areaId = where === 'A' ? w.gridId : w.otherGridId;
  const { id } = (await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId },
  })).createRequest;
  await step('dispatchRequest', id, 'DispatchRequestInput!', { assigneePersonId: personId });
  await step('takeRequest', id);
  app.clock.set(new Date(received.getTime() + (outcome === 'inTime' ? 1 : categoryHours + 1) * HOUR));
  if (outcome === 'returned') await step('returnRequest', id, 'ReasonStepInput!', { reason: '不在我的服务范围' });
  else await step('resolveRequest', id);
  if (rating != null) await step('rateRequest', id, 'RateRequestInput!', { satisfaction: rating });
  app.clock.set(NOW);
}

type Part = { numerator: number; denominator: number };
async function requestsIn(to: 'A' | 'B', personId: string): Promise<{ requests: Part; satisfaction: Part } | undefined> {
  const communityId = to === 'A' ? w.communityId : w.otherCommunityId;
  const rows = (await ok(app, REQUESTS, { input: { communityId, year: 2025 } })).memberAssessments;
  const row = rows.find((r: any) => r.person.id === personId);
  return row && { requests: row.requests, satisfaction: row.satisfaction };
}

describe('requests count in the assessment of the community the member was reported to on the day each came in', () => {
  test("in A in March, moved to B in June, in B in September: A's 2025 has March's only, B's September's only; one of A's after the move, or B's before it, neither", async () => {
    const personId = await reportedInA('2025-01-10');
    await moveAndReport(personId, '2025-06-15', 'B');
    await requestFor(personId, 'A', '2025-03-05T10:00:00', 'inTime', 5);
    await requestFor(personId, 'B', '2025-03-10T10:00:00', 'inTime', 1); // B's area, while reported to A: neither's
    await requestFor(personId, 'A', '2025-09-01T10:00:00', 'inTime', 1); // A's area, while reported to B: neither's
    await requestFor(personId, 'B', '2025-09-20T10:00:00', 'late', 4);
    expect(await requestsIn('A', personId)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 5, denominator: 5 } });
    expect(await requestsIn('B', personId)).toEqual({ requests: { numerator: 0, denominator: 1 }, satisfaction: { numerator: 4, denominator: 5 } });
  });

  test('requests that came in before the member first reported count in neither community', async () => {
    app.clock.set(at('2025-02-01T09:00:00'));
    const personId = await createMember(app, { name: '报到前派单', communityId: w.communityId, employerUnitId: w.units.hospitalId });
    await requestFor(personId, 'A', '2025-02-01T10:00:00', 'late', 2);
    app.clock.set(at('2025-04-01T09:00:00'));
    const postId = await createServicePost(app, { communityId: w.communityId, title: '报到前派单的岗位', capacity: 5 });
    await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
    await requestFor(personId, 'A', '2025-05-01T10:00:00', 'inTime', 5);
    expect(await requestsIn('A', personId)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 5, denominator: 5 } });
  });

  test("one taken from them late (the ledger's lateAssignee) counts, late, only where and when they were reported as it came in", async () => {
    const personId = await reportedInA('2025-01-10');
    await moveAndReport(personId, '2025-06-15', 'B');
    await requestFor(personId, 'A', '2025-05-01T10:00:00', 'returned'); // A's: late
    await requestFor(personId, 'A', '2025-09-01T10:00:00', 'returned'); // A's area, while reported to B: neither's
    await requestFor(personId, 'B', '2025-03-01T10:00:00', 'returned'); // B's area, while reported to A: neither's
    expect((await requestsIn('A', personId))?.requests).toEqual({ numerator: 0, denominator: 1 });
    expect((await requestsIn('B', personId))?.requests).toEqual({ numerator: 0, denominator: 0 });
  });
});

describe('the day a report ends and another begins counts for the report that ended (report-end.ts, REPORTS_TO_COMMUNITY_SQL)', () => {
  test("points earned that day count in the old community's assessment only; the new one counts from the next day", async () => {
    const personId = await reportedInA('2025-01-10');
    await moveAndReport(personId, '2025-06-15', 'B');
    // Early and late on the move day (China time), and the next morning.
    await earn(personId, 1, at('2025-06-15T00:10:00'));
    await earn(personId, 2, at('2025-06-15T23:50:00'));
    await earn(personId, 20, at('2025-06-16T00:10:00'));
    expect((await rowIn('A', personId))?.pointsEarned).toBe(3);
    expect((await rowIn('B', personId))?.pointsEarned).toBe(20);
  });

  test("that day's activities are the old community's to attend, not the new one's", async () => {
    const personId = await reportedInA('2025-01-10');
    await moveAndReport(personId, '2025-06-15', 'B');
    const before = { A: await rowIn('A', personId), B: await rowIn('B', personId) };
    const em = app.orm.em.fork();
    const activity = (community: string, title: string, startsAt: Date) =>
      em.create(Activity, { community: dbId(community), title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
    const inA = activity(w.communityId, '甲搬家日活动', at('2025-06-15T19:00:00'));
    activity(w.otherCommunityId, '乙搬家日活动', at('2025-06-15T19:00:00'));
    const inBNextDay = activity(w.otherCommunityId, '乙次日活动', at('2025-06-16T09:00:00'));
    await em.flush();
    for (const a of [inA, inBNextDay]) em.create(ActivityParticipation, { activity: a, person: dbId(personId), attendedAt: new Date(a.startsAt.getTime() + 600_000) });
    await em.flush();
    const after = { A: await rowIn('A', personId), B: await rowIn('B', personId) };
    // A: its move-day activity is one more to attend, attended. B: only the next day's, attended.
    expect(after.A!.attendance).toEqual({ numerator: before.A!.attendance.numerator + 1, denominator: before.A!.attendance.denominator + 1 });
    expect(after.B!.attendance).toEqual({ numerator: before.B!.attendance.numerator + 1, denominator: before.B!.attendance.denominator + 1 });
  });

  test("requests that came in that day count in the old community's assessment only; the new one's from the next day", async () => {
    const personId = await reportedInA('2025-01-10');
    await moveAndReport(personId, '2025-06-15', 'B');
    await requestFor(personId, 'A', '2025-06-15T20:00:00', 'late', 3); // A's (its report ended that day)
    await requestFor(personId, 'B', '2025-06-15T12:00:00', 'inTime', 1); // B's area, before B's report counts: neither's
    await requestFor(personId, 'B', '2025-06-16T00:10:00', 'inTime', 5); // B's
    expect(await requestsIn('A', personId)).toEqual({ requests: { numerator: 0, denominator: 1 }, satisfaction: { numerator: 3, denominator: 5 } });
    expect(await requestsIn('B', personId)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 5, denominator: 5 } });
  });

  test('the same between two ended reports, and for a report to a community the member comes back to', async () => {
    // A from 01-10; moves to B on 06-15 (reports there that day); back to A on 10-01 (reports that day).
    const personId = await reportedInA('2025-01-10');
    await moveAndReport(personId, '2025-06-15', 'B');
    await moveAndReport(personId, '2025-10-01', 'A');
    await earn(personId, 1, at('2025-06-15T12:00:00')); // A's (its report ended that day)
    await earn(personId, 10, at('2025-10-01T12:00:00')); // B's (its report ended that day): A's new one counts from 10-02
    await earn(personId, 100, at('2025-10-02T12:00:00')); // A's
    expect((await rowIn('A', personId))?.pointsEarned).toBe(101);
    expect((await rowIn('B', personId))?.pointsEarned).toBe(10);
    const history = await app.orm.em.fork().execute(`select community_id, reported_on::text, ended_on::text from past_report where person_id = ? order by id`, [dbId(personId)]);
    expect(history).toEqual([
      { community_id: dbId(w.communityId), reported_on: '2025-01-10', ended_on: '2025-06-15' },
      { community_id: dbId(w.otherCommunityId), reported_on: '2025-06-15', ended_on: '2025-10-01' },
    ]);
  });

  test('a report begun later than the day the last one ended counts from its own day', async () => {
    const personId = await reportedInA('2025-01-10');
    app.clock.set(at('2025-06-15T10:00:00'));
    await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
    app.clock.set(at('2025-06-20T10:00:00'));
    const postId = await createServicePost(app, { communityId: w.otherCommunityId, title: '晚几天报到', capacity: 5 });
    await reportMember(app, { personId, communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId });
    app.clock.set(NOW);
    await earn(personId, 5, at('2025-06-17T12:00:00')); // reported nowhere: neither's
    await earn(personId, 7, at('2025-06-20T08:00:00')); // B's, from its report's day
    expect((await rowIn('A', personId))?.pointsEarned).toBe(0);
    expect((await rowIn('B', personId))?.pointsEarned).toBe(7);
  });
});

test('still one statement for the facts: the assessment makes no query per member', async () => {
  const statements = await app.countStatements(() => ok(app, QUERY, { input: { communityId: w.communityId, year: 2025 } }));
  expect(statements.length).toBeLessThanOrEqual(5);
});
