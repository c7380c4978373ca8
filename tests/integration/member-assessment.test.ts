import type { EntityManager } from '@mikro-orm/postgresql';
import { toGlobalId } from '../../src/common/global-id';
import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { MEMBER_ASSESSMENT_WEIGHTS } from '../../src/modules/assessment/assessment.rules';
import { Role } from '../../src/modules/identity/role';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { PointEntry, PointKind } from '../../src/modules/points/points.entity';
import { Request, RequestChannel, RequestLevel, RequestStatus } from '../../src/modules/request/request.entity';
import { PostClaim, PostClaimStatus, ServicePost } from '../../src/modules/service-post/service-post.entity';
import { accountViewer, areaPath, portalViewer } from '../helpers/access-fixtures';
import { buildTree, createUnit, dbId, expectError, ok, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * 反向考核 of 双报到: the community scores the party members reported to it, and their workplace
 * receives it. Assessed "on" 2026-01-15 (China), year 2025; every number below is worked by hand.
 */

let app: TestApp;
let tree: Tree;
let u1: string;
let u2: string;
const ids: Record<'m1' | 'm2' | 'm3', number> = { m1: 0, m2: 0, m3: 0 };

const NOW = new Date('2026-01-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);

/*
 * Community C = tree.communityId, O = tree.otherCommunityId.
 *
 * Reported to C by 2025-12-31: M1 (2025-01-01, works at U1), M2 (2025-07-01, U2), M3 (2025-02-01, U1).
 * Not: P4 (reported to O), P5 (lives in C, never reported), P6 (reported 2026-01-10, after the year).
 *
 * Posts of C: M1 holds one (ACTIVE, claimed 2024)              → 1/1
 *             M2 held one, ENDED, claimed and ended in 2024     → 0/1
 *             M3 held one, ENDED, claimed and ended in 2025     → 1/1
 *             (P5's ACTIVE claim on O's post counts for no one)
 *
 * Activities of C in 2025: X1 03-01, X2 06-01, X3 09-01, X4 12-31 23:30 (X0 in 2024, X5 in 2026, X6 in O)
 *   M1 (all four since reporting) attended X1, X2, X6          → 2/4
 *   M2 (since 07-01: X3, X4) attended X1 (before), X3          → 1/2
 *   M3 (since 02-01: all four) attended nothing, signed up X2  → 0/4
 *
 * Requests in C assigned to M1, created 2025:
 *   R1 resolved on time, rated 5; R2 resolved late, rated 3; R3 TAKEN, due 2025-12-01 (overdue);
 *   R4 TAKEN, due 2026-02-01 (not yet due: left out); R5 in O resolved on time rated 1 (not C's);
 *   R6 created 2024                                           → on time 1/3, satisfaction 8/10
 *
 * Points: M1 +10 (2025), -5 spent (2025), +7 (2024)             → earned 10
 *
 * Scores (0.25 each, re-normalised over parts with data):
 *   M1 (1 + 0.5 + 1/3 + 0.8) / 4 = 65.83
 *   M3 (1 + 0) / 2              = 50
 *   M2 (0 + 0.5) / 2            = 25
 */
async function insertFixture(em: EntityManager): Promise<void> {
  const C = dbId(tree.communityId);
  const O = dbId(tree.otherCommunityId);
  const U1 = dbId(u1);
  const U2 = dbId(u2);
  const person = (name: string, residence: number, reportedOn: string | null, employer: number | null = null) =>
    em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: residence, reportedOn, employerUnit: employer });
  const m1 = person('成员甲', C, '2025-01-01', U1);
  const m2 = person('成员乙', C, '2025-07-01', U2);
  const m3 = person('成员丙', C, '2025-02-01', U1);
  person('和平里党员', O, '2025-01-01', U1);
  const p5 = person('未报到', C, null, U1);
  person('新报到', C, '2026-01-10', U1);

  const post = (community: number, title: string) => em.create(ServicePost, { community, title, capacity: 5 });
  const cPost = post(C, '楼栋长');
  const cPost2 = post(C, '文明劝导员');
  const oPost = post(O, '治安巡逻');
  const claim = (p: ServicePost, who: Person, status: PostClaimStatus, claimedOn: string, endedOn: string | null = null) =>
    em.create(PostClaim, { post: p, person: who, status, claimedOn, endedOn });
  claim(cPost, m1, PostClaimStatus.ACTIVE, '2024-06-01');
  claim(cPost2, m2, PostClaimStatus.ENDED, '2024-03-01', '2024-09-30');
  claim(cPost2, m3, PostClaimStatus.ENDED, '2025-04-01', '2025-08-31');
  claim(oPost, p5, PostClaimStatus.ACTIVE, '2025-04-01');

  const activity = (community: number, title: string, startsAt: Date) =>
    em.create(Activity, { community, title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
  const x0 = activity(C, 'X0', at('2024-12-31T23:00:00'));
  const x1 = activity(C, 'X1', at('2025-03-01T09:00:00'));
  const x2 = activity(C, 'X2', at('2025-06-01T09:00:00'));
  const x3 = activity(C, 'X3', at('2025-09-01T09:00:00'));
  activity(C, 'X4', at('2025-12-31T23:30:00'));
  const x5 = activity(C, 'X5', at('2026-01-01T00:30:00'));
  const x6 = activity(O, 'X6', at('2025-05-01T09:00:00'));
  const took = (a: Activity, p: Person, attended = true) => em.create(ActivityParticipation, { activity: a, person: p, attendedAt: attended ? new Date(a.startsAt.getTime() + 600_000) : null });
  took(x0, m1);
  took(x1, m1);
  took(x2, m1);
  took(x5, m1);
  took(x6, m1);
  took(x1, m2);
  took(x3, m2);
  took(x2, m3, false);

  const [category] = await em.execute<{ id: number }[]>(`select id from request_category where code = 'GRID-SANITATION'`);
  let n = 0;
  const request = (area: number, status: RequestStatus, createdAt: Date, dueAt: Date, resolvedAt: Date | null, satisfaction: number | null) =>
    em.create(Request, {
      number: `QC-MA-${(n += 1)}`,
      title: '楼道堆物',
      body: '楼道堆放杂物，影响通行',
      channel: RequestChannel.GRID_PATROL,
      category: category.id,
      area,
      status,
      level: RequestLevel.COMMUNITY,
      assigneePerson: m1,
      dueAt,
      resolvedAt,
      satisfaction,
      createdAt,
    });
  request(dbId(tree.gridId), RequestStatus.CLOSED, at('2025-03-01T10:00:00'), at('2025-03-04T10:00:00'), at('2025-03-03T10:00:00'), 5);
  request(C, RequestStatus.CLOSED, at('2025-04-01T10:00:00'), at('2025-04-04T10:00:00'), at('2025-04-06T10:00:00'), 3);
  request(dbId(tree.buildingId), RequestStatus.TAKEN, at('2025-11-28T10:00:00'), at('2025-12-01T10:00:00'), null, null);
  request(C, RequestStatus.TAKEN, at('2025-12-30T10:00:00'), at('2026-02-01T10:00:00'), null, null);
  request(O, RequestStatus.CLOSED, at('2025-05-01T10:00:00'), at('2025-05-04T10:00:00'), at('2025-05-02T10:00:00'), 1);
  request(C, RequestStatus.CLOSED, at('2024-05-01T10:00:00'), at('2024-05-04T10:00:00'), at('2024-05-06T10:00:00'), 1);

  const points = (who: Person, amount: number, createdAt: Date, sourceId: number) =>
    em.create(PointEntry, { person: who, kind: amount > 0 ? PointKind.REQUEST_RESOLVED : PointKind.SERVICE_REDEEMED, amount, sourceType: 'Request', sourceId, createdAt });
  points(m1, 10, at('2025-03-03T10:00:00'), 1);
  points(m1, -5, at('2025-08-01T10:00:00'), 2);
  points(m1, 7, at('2024-05-06T10:00:00'), 3);
  await em.flush();
  Object.assign(ids, { m1: m1.id, m2: m2.id, m3: m3.id });
}

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  tree = await buildTree(app);
  u1 = await createUnit(app, { name: '区卫健局', kind: 'AGENCY', areaId: tree.streetId });
  u2 = await createUnit(app, { name: '区交通运输局', kind: 'AGENCY', areaId: tree.streetId });
  await app.orm.em.fork().transactional((em) => insertFixture(em));
});
afterAll(async () => {
  await app?.close();
});

const PART = 'score numerator denominator weight appliedWeight';
const QUERY = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) {
  person { id name } employerUnit { id name } community { id } year score rank pointsEarned notes
  posts { ${PART} } attendance { ${PART} } requests { ${PART} } satisfaction { ${PART} }
} }`;

function part(numerator: number, denominator: number, appliedWeight: number) {
  return { score: denominator ? expect.closeTo(numerator / denominator, 10) : null, numerator, denominator, weight: 0.25, appliedWeight: expect.closeTo(appliedWeight, 10) };
}

const personId = (key: keyof typeof ids) => toGlobalId('Person', ids[key]);
describe('memberAssessments (反向考核 of 双报到)', () => {
  test('scores and ranks every member reported to the community that year, against hand-computed values', async () => {
    const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } })).memberAssessments;
    expect(rows.map((row: any) => [row.person.name, row.employerUnit?.name, row.rank, row.score])).toEqual([
      ['成员甲', '区卫健局', 1, 65.83],
      ['成员丙', '区卫健局', 2, 50],
      ['成员乙', '区交通运输局', 3, 25],
    ]);
    const [m1, m3, m2] = rows;
    expect(m1).toMatchObject({
      person: { id: personId('m1') },
      community: { id: tree.communityId },
      year: 2025,
      pointsEarned: 10,
      posts: part(1, 1, 0.25),
      attendance: part(2, 4, 0.25),
      requests: part(1, 3, 0.25),
      satisfaction: part(8, 10, 0.25),
      notes: [],
    });
    expect(m3).toMatchObject({ pointsEarned: 0, posts: part(1, 1, 0.5), attendance: part(0, 4, 0.5), requests: part(0, 0, 0), satisfaction: part(0, 0, 0) });
    expect(m2).toMatchObject({ posts: part(0, 1, 0.5), attendance: part(1, 2, 0.5), requests: part(0, 0, 0), satisfaction: part(0, 0, 0) });
    expect(m2.notes).toEqual([expect.stringContaining('requests resolved on time'), expect.stringContaining('resident satisfaction')]);
  });

  test('weights are data and sum to 1', () => {
    expect(Object.values(MEMBER_ASSESSMENT_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  test('a party member reads only their own row, with their rank in the whole community', async () => {
    const viewer = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, tree.communityId)], { personId: ids.m2 });
    const result = await app.execute(QUERY, { input: { communityId: tree.communityId, year: 2025 } }, viewer);
    expect(result.errors).toBeUndefined();
    expect(result.data.memberAssessments.map((row: any) => [row.person.id, row.rank, row.score])).toEqual([[personId('m2'), 3, 25]]);
  });

  test("a unit's liaison reads only its own staff's rows (the feedback its workplace receives)", async () => {
    const viewer = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, tree.communityId)], { unitId: dbId(u1) });
    const result = await app.execute(QUERY, { input: { communityId: tree.communityId, year: 2025 } }, viewer);
    expect(result.errors).toBeUndefined();
    expect(result.data.memberAssessments.map((row: any) => [row.person.id, row.rank])).toEqual([[personId('m1'), 1], [personId('m3'), 2]]);
  });

  test("staff of another community may not read this one's; a portal may not ask at all", async () => {
    const otherStaff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, tree.otherCommunityId)]);
    expectError(await app.execute(QUERY, { input: { communityId: tree.communityId, year: 2025 } }, otherStaff), 'FORBIDDEN');
    expectError(await app.execute(QUERY, { input: { communityId: tree.communityId, year: 2025 } }, portalViewer()), 'FORBIDDEN');
  });

  test('another community assesses only the members reported to it', async () => {
    const rows = (await ok(app, QUERY, { input: { communityId: tree.otherCommunityId, year: 2025 } })).memberAssessments;
    // P4: O's activity X6 held that year, not attended; no post, no request.
    expect(rows).toEqual([expect.objectContaining({ person: expect.objectContaining({ name: '和平里党员' }), rank: 1, score: 0, posts: part(0, 1, 0.5), attendance: part(0, 1, 0.5) })]);
  });

  test('a few SQL statements, not a query per member', async () => {
    const statements = await app.countStatements(() => ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } }));
    // community lookup, the facts aggregate, people by id, units by id, community by id
    expect(statements.length).toBeLessThanOrEqual(5);
  });

  test.each([
    ['year 1999', { year: 1999 }, 'BAD_USER_INPUT', 'input.year'],
    ['a Grid as communityId', () => ({ communityId: tree.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
  ])('%s is refused', async (_label, overrides, code, field) => {
    const extra = typeof overrides === 'function' ? overrides() : overrides;
    expectError(await app.execute(QUERY, { input: { communityId: tree.communityId, year: 2025, ...extra } }), code, field);
  });
});
