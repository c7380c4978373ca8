import type { EntityManager } from '@mikro-orm/postgresql';
import { toGlobalId } from '../../src/common/global-id';
import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { rankByScore, scoreAssessment, ASSESSMENT_WEIGHTS } from '../../src/modules/assessment/assessment.rules';
import { Claim, ClaimStatus, ListItem, ListItemKind, ListItemStatus, ProblemList } from '../../src/modules/list/list.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { Request, RequestChannel, RequestLevel, RequestStatus } from '../../src/modules/request/request.entity';
import { Whistle, WhistleRecipient, WhistleResponseStatus } from '../../src/modules/whistle/whistle.entity';
import { buildTree, createUnit, dbId, expectError, ok, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let tree: Tree;
let u: Record<'u1' | 'u2' | 'u3' | 'u4' | 'u5' | 'u6', string>;

/** Assessed "on" 2026-01-15 (China): a whistle due 2026-02-01 and unanswered is still pending. */
const NOW = new Date('2026-01-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);

async function pair(unitId: string, communityId: string, startsOn: string, endsOn: string | null = null): Promise<void> {
  await ok(app, `mutation($input: CreatePairingInput!) { createPairing(input: $input) { id } }`, {
    input: { unitId, communityId, startsOn, endsOn, agreementTitle: '共驻共建协议书', duties: ['共建'] },
  });
}

/*
 * The fixture, community C = tree.communityId, O = tree.otherCommunityId, year 2025 (China time):
 *
 * Paired with C in 2025: U1 (2024-, open), U2 (two terms in 2025), U3 (2023-01-01 to 2025-01-01), U4 (2025-03-01-, no data).
 * Not: U5 (2022 to 2024-12-31), U6 (paired with O only).
 *
 * Activities of C in 2025: X1, X2, X3, X4 (2025-12-31 23:30) = 4. Not: X0 (2024-12-31 23:00),
 * X5 (2026-01-01 00:30, still 2025 in UTC), X6 (in O). Each unit answers for those held during its term:
 *   U1 attended X1 (two people), X2                     → 2/4
 *   U2 attended X4, X5, X6; signed up to X3 only        → 1/4
 *   U3 none held in its term (it ended 2025-01-01)      → null
 *   U4 nothing (its term from 2025-03-01 holds all 4)   → 0/4
 *
 * Claims on C's list items made in 2025 (not cancelled):
 *   U1 CONFIRMED, DELIVERED, CLAIMED (+ CANCELLED, + one on O's list, + one made in 2024) → 2/3
 *   U2 CLAIMED                                          → 0/1
 *   U3, U4 none                                         → null
 *
 * Whistles blown by C in 2025 (answered on time, of answered or overdue on 2026-01-15):
 *   U1 W1 on time, W2 late, W4 unanswered but not due until 2026-02-01 (left out) → 1/2
 *   U2 W1 unanswered and overdue (+ W3 blown by O, on time)                      → 0/1
 *   U3 W6 answered at its deadline, W7 early (its deadline still to come)         → 2/2
 *      (both blown on 2025-01-01, its term's last day: W2 and W4 came after its term)
 *
 * Rated requests in C created in 2025, assigned to the unit:
 *   U1 5 (community), 4 (grid), 3 (building) (+ one in O rated 1, one unrated, one from 2024 rated 1) → 12/15
 *   U3 2 (grid, created 2025-01-01, its term's last day)                                            → 2/5
 *
 * Scores (0.25 each, re-normalised over parts with data):
 *   U1 (0.5 + 2/3 + 0.5 + 0.8) / 4 = 61.67
 *   U2 (0.25 + 0 + 0) / 3          =  8.33   (satisfaction left out)
 *   U3 (1 + 0.4) / 2               = 70      (attendance and claims left out)
 *   U4 0 / 1                       =  0      (claims, whistles, satisfaction left out)
 */
async function insertFixture(em: EntityManager): Promise<void> {
  const C = dbId(tree.communityId);
  const O = dbId(tree.otherCommunityId);
  const [U1, U2, U3, , , U6] = Object.values(u).map(dbId);

  const person = (name: string, unit: number) => em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, employerUnit: unit, residenceCommunity: C });
  const p1a = person('U1甲', U1);
  const p1b = person('U1乙', U1);
  const p2 = person('U2丙', U2);

  const activity = (community: number, title: string, startsAt: Date) =>
    em.create(Activity, { community, title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
  const x0 = activity(C, 'X0', at('2024-12-31T23:00:00'));
  const x1 = activity(C, 'X1', at('2025-03-01T09:00:00'));
  const x2 = activity(C, 'X2', at('2025-06-01T09:00:00'));
  const x3 = activity(C, 'X3', at('2025-09-01T09:00:00'));
  const x4 = activity(C, 'X4', at('2025-12-31T23:30:00'));
  const x5 = activity(C, 'X5', at('2026-01-01T00:30:00'));
  const x6 = activity(O, 'X6', at('2025-05-01T09:00:00'));
  const took = (a: Activity, p: Person, unit: number, attended = true) =>
    em.create(ActivityParticipation, { activity: a, person: p, unit, attendedAt: attended ? new Date(a.startsAt.getTime() + 600_000) : null });
  took(x1, p1a, U1);
  took(x1, p1b, U1);
  took(x2, p1a, U1);
  took(x0, p1b, U1);
  took(x4, p2, U2);
  took(x5, p2, U2);
  took(x6, p2, U2);
  took(x3, p2, U2, false);

  const list = (community: number, period: string) => em.create(ProblemList, { community, period, startsOn: `${period}-01-01`, endsOn: `${period}-12-31`, title: `${period}年四项清单` });
  const item = (l: ProblemList, title: string) => em.create(ListItem, { list: l, kind: ListItemKind.SERVICE, title, status: ListItemStatus.CLAIMED });
  const cList = list(C, '2025');
  const oList = list(O, '2025');
  const i1 = item(cList, '助老服务');
  const i2 = item(cList, '环境整治');
  const i3 = item(oList, '和平里服务');
  const claim = (it: ListItem, unit: number, status: ClaimStatus, createdAt = at('2025-05-01T10:00:00')) => em.create(Claim, { item: it, unit, status, createdAt });
  claim(i1, U1, ClaimStatus.CONFIRMED);
  claim(i2, U1, ClaimStatus.DELIVERED);
  claim(i1, U1, ClaimStatus.CLAIMED);
  claim(i2, U1, ClaimStatus.CANCELLED);
  claim(i3, U1, ClaimStatus.DELIVERED);
  claim(i1, U1, ClaimStatus.DELIVERED, at('2024-12-01T10:00:00'));
  claim(i2, U2, ClaimStatus.CLAIMED);

  const whistle = (blownBy: number, blownAt: Date) => em.create(Whistle, { blownBy, letter: '关于问题整改的函', blownAt });
  const w1 = whistle(C, at('2025-04-01T09:00:00'));
  const w2 = whistle(C, at('2025-11-01T09:00:00'));
  const w3 = whistle(O, at('2025-04-01T09:00:00'));
  const w4 = whistle(C, at('2025-12-30T09:00:00'));
  const w6 = whistle(C, at('2025-01-01T09:00:00'));
  const w7 = whistle(C, at('2025-01-01T10:00:00'));
  const called = (wh: Whistle, unit: number, feedbackDueAt: Date, answeredAt: Date | null) =>
    em.create(WhistleRecipient, {
      whistle: wh,
      unit,
      status: answeredAt ? WhistleResponseStatus.ANSWERED : WhistleResponseStatus.AWAITING_REPORT,
      reportDueAt: new Date(wh.blownAt.getTime() + 86400_000),
      feedbackDueAt,
      answeredAt,
    });
  called(w1, U1, at('2025-04-05T18:00:00'), at('2025-04-02T10:00:00'));
  called(w2, U1, at('2025-11-05T18:00:00'), at('2025-11-10T10:00:00'));
  called(w4, U1, at('2026-02-01T18:00:00'), null);
  called(w1, U2, at('2025-04-05T18:00:00'), null);
  called(w3, U2, at('2025-04-05T18:00:00'), at('2025-04-03T10:00:00'));
  called(w6, U3, at('2025-01-05T18:00:00'), at('2025-01-05T18:00:00'));
  called(w7, U3, at('2026-02-01T18:00:00'), at('2026-01-10T10:00:00'));

  const [category] = await em.execute<{ id: number }[]>(`select id from request_category where code = 'GRID-SANITATION'`);
  let n = 0;
  const request = (area: number, unit: number, satisfaction: number | null, createdAt = at('2025-07-01T10:00:00')) =>
    em.create(Request, {
      number: `QC-TEST-${(n += 1)}`,
      title: '楼道堆物',
      body: '楼道堆放杂物，影响通行',
      channel: RequestChannel.GRID_PATROL,
      category: category.id,
      area,
      status: RequestStatus.CLOSED,
      level: RequestLevel.COMMUNITY,
      assigneeUnit: unit,
      dueAt: new Date(createdAt.getTime() + 72 * 3600_000),
      resolvedAt: createdAt,
      satisfaction,
      createdAt,
    });
  request(C, U1, 5);
  request(dbId(tree.gridId), U1, 4);
  request(dbId(tree.buildingId), U1, 3);
  request(O, U1, 1);
  request(C, U1, null);
  request(C, U1, 1, at('2024-07-01T10:00:00'));
  request(dbId(tree.gridId), U3, 2, at('2025-01-01T10:00:00'));
  request(O, U6, 5);
  await em.flush();
}

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  tree = await buildTree(app);
  const unit = (name: string) => createUnit(app, { name, kind: 'AGENCY', areaId: tree.streetId });
  u = { u1: await unit('区卫健局'), u2: await unit('区交通运输局'), u3: await unit('区司法局'), u4: await unit('区文旅局'), u5: await unit('区水务局'), u6: await unit('区城管局') };
  await pair(u.u1, tree.communityId, '2024-01-01');
  await pair(u.u2, tree.communityId, '2025-01-01', '2025-05-31');
  await pair(u.u2, tree.communityId, '2025-06-01', '2025-12-31');
  await pair(u.u3, tree.communityId, '2023-01-01', '2025-01-01');
  await pair(u.u4, tree.communityId, '2025-03-01');
  await pair(u.u5, tree.communityId, '2022-01-01', '2024-12-31');
  await pair(u.u6, tree.otherCommunityId, '2025-01-01');
  await app.orm.em.fork().transactional((em) => insertFixture(em));
});
afterAll(async () => {
  await app?.close();
});

const PART = 'score numerator denominator weight appliedWeight';
const QUERY = `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) {
  unit { id name } community { id } year score rank notes
  attendance { ${PART} } claims { ${PART} } whistles { ${PART} } satisfaction { ${PART} }
} }`;

function part(numerator: number, denominator: number, appliedWeight: number) {
  return { score: denominator ? expect.closeTo(numerator / denominator, 10) : null, numerator, denominator, weight: 0.25, appliedWeight: expect.closeTo(appliedWeight, 10) };
}

describe('unitAssessments (反向考核)', () => {
  test('scores and ranks every unit paired with the community that year, against hand-computed values', async () => {
    const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } })).unitAssessments;
    expect(rows.map((row: any) => [row.unit.name, row.rank, row.score])).toEqual([
      ['区司法局', 1, 70],
      ['区卫健局', 2, 61.67],
      ['区交通运输局', 3, 8.33],
      ['区文旅局', 4, 0],
    ]);
    const [u3, u1, u2, u4] = rows;
    expect(u1).toMatchObject({
      unit: { id: u.u1 },
      community: { id: tree.communityId },
      year: 2025,
      attendance: part(2, 4, 0.25),
      claims: part(2, 3, 0.25),
      whistles: part(1, 2, 0.25),
      satisfaction: part(12, 15, 0.25),
      notes: [],
    });
    expect(u2).toMatchObject({ attendance: part(1, 4, 1 / 3), claims: part(0, 1, 1 / 3), whistles: part(0, 1, 1 / 3), satisfaction: part(0, 0, 0) });
    expect(u2.notes).toEqual([expect.stringContaining('resident satisfaction')]);
    // Its term ended on 2025-01-01, before any of the year's activities: none were its to attend.
    expect(u3).toMatchObject({ attendance: part(0, 0, 0), claims: part(0, 0, 0), whistles: part(2, 2, 1 / 2), satisfaction: part(2, 5, 1 / 2) });
    expect(u3.notes).toEqual([expect.stringContaining('attendance'), expect.stringContaining('claims delivered')]);
    expect(u4).toMatchObject({ score: 0, attendance: part(0, 4, 1), claims: part(0, 0, 0), whistles: part(0, 0, 0), satisfaction: part(0, 0, 0) });
    expect(u4.notes).toHaveLength(3);
    expect(u4.notes.join(' ')).toContain('re-normalised');
  });

  test('a year with no data at all: paired units listed, no score, no rank, and notes say why', async () => {
    const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2023 } })).unitAssessments;
    expect(rows.map((row: any) => row.unit.id)).toEqual([u.u3, u.u5]);
    for (const row of rows) {
      expect(row).toMatchObject({ score: null, rank: null, attendance: part(0, 0, 0), claims: part(0, 0, 0), whistles: part(0, 0, 0), satisfaction: part(0, 0, 0) });
      expect(row.notes).toHaveLength(5);
      expect(row.notes[4]).toContain('no score');
    }
  });

  test('another community assesses only its own paired units, with its own data', async () => {
    const rows = (await ok(app, QUERY, { input: { communityId: tree.otherCommunityId, year: 2025 } })).unitAssessments;
    // U6: O had one activity (X6) nobody from U6 attended; nothing else is O's except its request rated 5.
    expect(rows).toEqual([expect.objectContaining({ unit: { id: u.u6, name: '区城管局' }, rank: 1, score: 50, attendance: part(0, 1, 0.5), satisfaction: part(5, 5, 0.5) })]);
  });

  test('without a year, the current China year is assessed', async () => {
    const asked = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } })).unitAssessments;
    app.clock.set(new Date('2025-12-31T15:59:59Z')); // 23:59:59 on New Year's Eve in China
    try {
      expect((await ok(app, QUERY, { input: { communityId: tree.communityId } })).unitAssessments).toEqual(asked);
      app.clock.set(new Date('2025-12-31T16:00:00Z')); // 2026 in China
      const next = (await ok(app, QUERY, { input: { communityId: tree.communityId } })).unitAssessments;
      expect(next.every((row: any) => row.year === 2026)).toBe(true);
    } finally {
      app.clock.reset();
    }
  });

  test('a few SQL statements, not a query per unit', async () => {
    const statements = await app.countStatements(() => ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } }));
    // community lookup, the facts aggregate, units by id, community by id
    expect(statements.length).toBeLessThanOrEqual(4);
  });

  test.each([
    ['year 1999', { year: 1999 }, 'BAD_USER_INPUT', 'input.year'],
    ['year 2101', { year: 2101 }, 'BAD_USER_INPUT', 'input.year'],
    ['a Grid as communityId', () => ({ communityId: tree.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
  ])('%s is refused', async (_label, overrides, code, field) => {
    const extra = typeof overrides === 'function' ? overrides() : overrides;
    expectError(await app.execute(QUERY, { input: { communityId: tree.communityId, year: 2025, ...extra } }), code, field);
  });
});

describe('assessment rules', () => {
  test('weights are data and sum to 1', () => {
    expect(Object.values(ASSESSMENT_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  test('parts without data drop out and the rest are re-weighted', () => {
    const none = { numerator: 0, denominator: 0 };
    const scored = scoreAssessment({ attendance: { numerator: 1, denominator: 2 }, claims: none, whistles: { numerator: 1, denominator: 1 }, satisfaction: none }, 2025);
    expect(scored.score).toBe(75);
    expect(scored.parts.attendance.appliedWeight).toBe(0.5);
    expect(scored.parts.claims).toMatchObject({ score: null, appliedWeight: 0 });
    expect(scored.notes).toHaveLength(2);
  });

  test('competition ranking: ties share a rank, the next rank skips, unscored get none', () => {
    const ranked = rankByScore([{ score: 50 }, { score: 70 }, { score: 50 }, { score: null }, { score: 10 }]);
    expect(ranked.map((r) => r.rank)).toEqual([2, 1, 2, null, 4]);
  });
});

describe('whistles whose request was finished (whistle.rules.ts)', () => {
  test('a department not due when its whistle stopped counts in neither figure; one already late by then stays late', async () => {
    await app.orm.em.fork().transactional(async (em) => {
      const w5 = em.create(Whistle, { blownBy: dbId(tree.communityId), letter: '关于积水点整改的函', blownAt: at('2025-06-01T09:00:00'), stoppedAt: at('2025-06-02T09:00:00') });
      const called = (unit: string, feedbackDueAt: Date) =>
        em.create(WhistleRecipient, { whistle: w5, unit: dbId(unit), status: WhistleResponseStatus.AWAITING_REPORT, reportDueAt: at('2025-06-01T12:00:00'), feedbackDueAt });
      called(u.u4, at('2025-06-05T09:00:00')); // due after the stop: no longer called
      called(u.u2, at('2025-06-01T12:00:00')); // missed before the stop: late
    });
    const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } })).unitAssessments;
    const of = (unitId: string) => rows.find((row: any) => row.unit.id === unitId).whistles;
    expect(of(u.u4)).toMatchObject({ numerator: 0, denominator: 0 });
    expect(of(u.u2)).toMatchObject({ numerator: 0, denominator: 2 });
  });
});
