import { toGlobalId } from '../../src/common/global-id';
import { SYSTEM_VIEWER } from '../../src/context/context';
import { PointEntry, PointKind } from '../../src/modules/points/points.entity';
import { awardPoints } from '../../src/modules/points/points.service';
import { buildTree, buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { createMember, expectNothingWritten, ledgerSum, rawRow } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const RULES = `{ pointRules { id kind points description active } }`;
const UPDATE_RULE = `mutation($id: ID!, $input: UpdatePointRuleInput!) { updatePointRule(id: $id, input: $input) { id kind points description active } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { id kind amount sourceType sourceId note person { id pointBalance } } }`;
const PERSON = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Person { pointBalance pointEntries(first: $first, after: $after) { totalCount edges { node { kind amount sourceType sourceId } } pageInfo { hasNextPage endCursor } } } } }`;

/** What another module does on verified work: award inside its own transaction. */
async function award(personId: string, kind: PointKind, sourceType: string, sourceId: number) {
  return app.orm.em.fork().transactional(async (em) => {
    const entry = await awardPoints(em, { person: dbId(personId), kind, sourceType, sourceId, verifier: SYSTEM_VIEWER, at: new Date() });
    await em.flush();
    return entry;
  });
}

let sourceSeq = 1000;
/** Earns `times` × 10 points (CLAIM_CONFIRMED, 10 each by the seeded rule). */
async function earn(personId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await award(personId, PointKind.CLAIM_CONFIRMED, 'Claim', (sourceSeq += 1));
}

async function balance(personId: string): Promise<number> {
  return (await ok(app, PERSON, { id: personId })).node.pointBalance;
}

async function freshMember(name: string, communityId = w.communityId): Promise<string> {
  return createMember(app, { name, communityId, employerUnitId: w.units.hospitalId });
}

async function ruleOf(kind: string): Promise<any> {
  return (await ok(app, RULES)).pointRules.find((rule: any) => rule.kind === kind);
}

describe('point rules (规则即数据)', () => {
  test('the migration seeds one rule per kind of verified work', async () => {
    const rules = (await ok(app, RULES)).pointRules;
    expect(rules.map((rule: any) => [rule.kind, rule.points, rule.active])).toEqual([
      ['REQUEST_RESOLVED', 5, true],
      ['CLAIM_CONFIRMED', 10, true],
      ['ACTIVITY_ATTENDED', 2, true],
      ['MICRO_WISH_FULFILLED', 5, true],
    ]);
  });

  test('updatePointRule changes what new work earns; entries already made keep their amounts; inactive rules earn nothing', async () => {
    const personId = await freshMember('规则测试党员');
    const rule = await ruleOf('MICRO_WISH_FULFILLED');
    await award(personId, PointKind.MICRO_WISH_FULFILLED, 'MicroWish', 1);
    const updated = (await ok(app, UPDATE_RULE, { id: rule.id, input: { points: 8, description: ' 圆梦微心愿（加倍） ' } })).updatePointRule;
    expect(updated).toEqual({ ...rule, points: 8, description: '圆梦微心愿（加倍）' });
    await award(personId, PointKind.MICRO_WISH_FULFILLED, 'MicroWish', 2);
    expect(await balance(personId)).toBe(5 + 8);
    await ok(app, UPDATE_RULE, { id: rule.id, input: { active: false } });
    expect(await award(personId, PointKind.MICRO_WISH_FULFILLED, 'MicroWish', 3)).toBeNull();
    expect(await balance(personId)).toBe(13);
    await ok(app, UPDATE_RULE, { id: rule.id, input: { active: true, points: 5, description: rule.description } });
  });

  test('the same work earns once', async () => {
    const personId = await freshMember('重复奖励党员');
    const first = await award(personId, PointKind.REQUEST_RESOLVED, 'Request', 77);
    const second = await award(personId, PointKind.REQUEST_RESOLVED, 'Request', 77);
    expect(second!.id).toBe(first!.id);
    expect(await balance(personId)).toBe(5);
  });

  test.each([
    ['negative points', { points: -1 }, 'BAD_USER_INPUT', 'input.points'],
    ['1001 points', { points: 1001 }, 'BAD_USER_INPUT', 'input.points'],
    ['null points', { points: null }, 'BAD_USER_INPUT', 'input.points'],
    ['null active', { active: null }, 'BAD_USER_INPUT', 'input.active'],
    ['an empty description', { description: '' }, 'BAD_USER_INPUT', 'input.description'],
    ['a blank description', { description: '  ' }, 'BAD_USER_INPUT', 'input.description'],
    ['a description of 121 characters', { description: '积'.repeat(121) }, 'BAD_USER_INPUT', 'input.description'],
  ])('updatePointRule with %s is refused and changes nothing', async (_label, input, code, field) => {
    const rule = await ruleOf('REQUEST_RESOLVED');
    const result = await expectNothingWritten(app, () => app.execute(UPDATE_RULE, { id: rule.id, input }), [{ table: 'point_rule', id: rule.id }]);
    expectError(result, code, field);
  });

  test('updatePointRule with a missing or wrong-type id', async () => {
    expectError(await app.execute(UPDATE_RULE, { id: toGlobalId('PointRule', 999999), input: { points: 1 } }), 'NOT_FOUND', 'id');
    expectError(await app.execute(UPDATE_RULE, { id: w.partyMemberId, input: { points: 1 } }), 'BAD_USER_INPUT', 'id');
  });
});

describe('balance and ledger', () => {
  test('a person without entries has balance 0 and an empty ledger', async () => {
    const data = await ok(app, PERSON, { id: await freshMember('无积分党员') });
    expect(data.node).toEqual({ pointBalance: 0, pointEntries: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
  });

  test('pointEntries lists the ledger newest first and pages on', async () => {
    const personId = await freshMember('台账党员');
    await earn(personId, 3);
    await ok(app, REDEEM, { input: { personId, points: 4, note: '理发服务' } });
    const page1 = (await ok(app, PERSON, { id: personId, first: 2 })).node;
    expect(page1.pointBalance).toBe(26);
    expect(page1.pointEntries.totalCount).toBe(4);
    expect(page1.pointEntries.edges.map((e: any) => e.node.amount)).toEqual([-4, 10]);
    const page2 = (await ok(app, PERSON, { id: personId, first: 2, after: page1.pointEntries.pageInfo.endCursor })).node;
    expect(page2.pointEntries.edges.map((e: any) => e.node.amount)).toEqual([10, 10]);
    expect(page2.pointEntries.pageInfo.hasNextPage).toBe(false);
  });

  test('balances of a page of people cost one statement, however many people', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      ids.push(await freshMember(`批量积分党员${i}`));
      await earn(ids[i], i);
    }
    const QUERY = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { pointBalance } } }`;
    let data: any;
    const statements = await app.countStatements(async () => (data = await ok(app, QUERY, { ids })));
    expect(data.nodes.map((n: any) => n.pointBalance)).toEqual([0, 10, 20, 30]);
    expect(statements.filter((sql) => sql.includes('point_entry')).length).toBe(1);
  });
});

describe('redeemPoints (以积分换服务)', () => {
  test('spends points as a negative SERVICE_REDEEMED entry numbered per person', async () => {
    const personId = await freshMember('兑换党员');
    await earn(personId, 2);
    const first = (await ok(app, REDEEM, { input: { personId, points: 5, note: ' 家电维修一次 ' } })).redeemPoints;
    expect(first).toEqual({
      id: expect.any(String),
      kind: 'SERVICE_REDEEMED',
      amount: -5,
      sourceType: 'Redemption',
      sourceId: 1,
      note: '家电维修一次',
      person: { id: personId, pointBalance: 15 },
    });
    const second = (await ok(app, REDEEM, { input: { personId, points: 15, note: '体检套餐' } })).redeemPoints;
    expect(second).toMatchObject({ sourceId: 2, amount: -15, person: { pointBalance: 0 } });
    expect(await rawRow(app, 'point_entry', second.id)).toMatchObject({ person_id: dbId(personId), amount: -15, kind: 'SERVICE_REDEEMED' });
  });

  test("a redemption is dated by the app's clock (the day yearly figures count it on), not the server's", async () => {
    const personId = await freshMember('按时兑换党员');
    await earn(personId, 1);
    app.clock.set(new Date('2031-02-03T10:00:00+08:00'));
    try {
      const spent = (await ok(app, REDEEM, { input: { personId, points: 3, note: '理发一次' } })).redeemPoints;
      expect(new Date((await rawRow(app, 'point_entry', spent.id))!.created_at).toISOString()).toBe('2031-02-03T02:00:00.000Z');
    } finally {
      app.clock.reset();
    }
  });

  test('never more than the balance: BAD_USER_INPUT on input.points, nothing written', async () => {
    const personId = await freshMember('余额不足党员');
    await earn(personId, 1);
    const result = await expectNothingWritten(app, () => app.execute(REDEEM, { input: { personId, points: 11, note: '超额兑换' } }), [{ table: 'person', id: personId }]);
    expectError(result, 'BAD_USER_INPUT', 'input.points');
    expect(result.errors![0].message).toContain('balance of 10');
    await ok(app, REDEEM, { input: { personId, points: 10, note: '正好用完' } });
    expectError(await app.execute(REDEEM, { input: { personId, points: 1, note: '余额为零' } }), 'BAD_USER_INPUT', 'input.points');
  });

  test.each([
    ['0 points', () => ({ points: 0 }), 'BAD_USER_INPUT', 'input.points'],
    ['negative points (earning through redemption)', () => ({ points: -10 }), 'BAD_USER_INPUT', 'input.points'],
    ['100001 points', () => ({ points: 100_001 }), 'BAD_USER_INPUT', 'input.points'],
    ['an empty note', () => ({ note: '' }), 'BAD_USER_INPUT', 'input.note'],
    ['a blank note', () => ({ note: '   ' }), 'BAD_USER_INPUT', 'input.note'],
    ['a note of 201 characters', () => ({ note: '兑'.repeat(201) }), 'BAD_USER_INPUT', 'input.note'],
    ['a missing person', () => ({ personId: toGlobalId('Person', 999999) }), 'NOT_FOUND', 'input.personId'],
    ['a Unit id as personId', () => ({ personId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.personId'],
  ])('%s is refused and writes nothing', async (_label, overrides, code, field) => {
    const input = { personId: w.partyMemberId, points: 1, note: '兑换', ...overrides() };
    expectError(await expectNothingWritten(app, () => app.execute(REDEEM, { input })), code, field);
  });

  test('a member living in another community, only linked to ours by work, is not ours to redeem: FORBIDDEN, nothing written', async () => {
    const personId = await freshMember('外社区党员', w.otherCommunityId);
    await earn(personId, 2);
    // A grid assignment here makes them readable to our staff (person_area), not changeable.
    await ok(app, `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id } }`, { input: { gridId: w.gridId, personId, role: 'FULL_TIME' } });
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    expect((await app.execute(PERSON, { id: personId }, staff)).data?.node).not.toBeNull();
    const result = await expectNothingWritten(app, () => app.execute(REDEEM, { input: { personId, points: 5, note: '越权兑换' } }, staff), [{ table: 'person', id: personId }]);
    expectError(result, 'FORBIDDEN');
    expect(await ledgerSum(app, personId)).toBe(20);
    // Their own community's staff may.
    const home = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]);
    expect((await app.execute(REDEEM, { input: { personId, points: 5, note: '本社区兑换' } }, home)).errors).toBeUndefined();
  });

  test('concurrent redemptions that together exceed the balance: exactly the ones that fit succeed', async () => {
    const personId = await freshMember('并发兑换党员');
    await earn(personId, 3); // 30
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => app.execute(REDEEM, { input: { personId, points: 7, note: `并发兑换${i}` } })));
    const succeeded = results.filter((r) => !r.errors);
    expect(succeeded.length).toBe(4); // 4 × 7 = 28 ≤ 30 < 35
    for (const failed of results.filter((r) => r.errors)) expectError(failed, 'BAD_USER_INPUT', 'input.points');
    expect(succeeded.map((r) => r.data.redeemPoints.sourceId).sort()).toEqual([1, 2, 3, 4]);
    expect(await balance(personId)).toBe(2);
    expect(await ledgerSum(app, personId)).toBe(2);
  });

  test('unequal concurrent redemptions never overdraw, and what is spent is what succeeded', async () => {
    const personId = await freshMember('并发不等额党员');
    await earn(personId, 5); // 50
    const amounts = [20, 15, 15, 10, 9, 8, 5];
    const results = await Promise.all(amounts.map((points, i) => app.execute(REDEEM, { input: { personId, points, note: `不等额${i}` } })));
    const spent = results.reduce((sum, r, i) => sum + (r.errors ? 0 : amounts[i]), 0);
    expect(spent).toBeLessThanOrEqual(50);
    // Each refusal happened because the points left at that moment could not cover it.
    const smallestRefused = Math.min(...amounts.filter((_, i) => results[i].errors));
    expect(50 - spent).toBeLessThan(smallestRefused);
    expect(await balance(personId)).toBe(50 - spent);
  });

  test('invariant: after any sequence of awards and redemptions (some concurrent), balance == sum(entries) >= 0', async () => {
    const personId = await freshMember('不变量党员');
    let expected = 0;
    const steps: (['earn', number] | ['redeem', number])[] = [['earn', 2], ['redeem', 5], ['redeem', 20], ['earn', 1], ['redeem', 25], ['redeem', 1], ['earn', 3], ['redeem', 12]];
    for (const [kind, n] of steps) {
      if (kind === 'earn') {
        await earn(personId, n);
        expected += 10 * n;
      } else {
        const result = await app.execute(REDEEM, { input: { personId, points: n, note: '顺序兑换' } });
        if (n <= expected) {
          expect(result.errors).toBeUndefined();
          expected -= n;
        } else {
          expectError(result, 'BAD_USER_INPUT', 'input.points');
        }
      }
      expect(await balance(personId)).toBe(expected);
      expect(await ledgerSum(app, personId)).toBe(expected);
    }
    // Awards racing redemptions: earning never blocks on, or breaks, spending.
    const before = expected;
    await Promise.all([
      earn(personId, 2),
      ...Array.from({ length: 5 }, (_, i) => app.execute(REDEEM, { input: { personId, points: 6, note: `竞速${i}` } })),
    ]);
    const final = await balance(personId);
    expect(final).toBe(await ledgerSum(app, personId));
    expect(final).toBeGreaterThanOrEqual(0);
    expect((before + 20 - final) % 6).toBe(0);
    const rows: { running: number }[] = await app.orm.em.fork().execute(
      'select min(running)::int as running from (select sum(amount) over (order by id) as running from point_entry where person_id = ?) t',
      [dbId(personId)],
    );
    expect(rows[0].running).toBeGreaterThanOrEqual(0);
  });
});

describe('pointsLeaderboard', () => {
  test('ranks the community\'s people by points earned (ties share a rank); spending does not lower the rank', async () => {
    const tree = await buildTree(app);
    const a = await createMember(app, { name: '甲', communityId: tree.communityId, employerUnitId: w.units.hospitalId });
    const b = await createMember(app, { name: '乙', communityId: tree.communityId, employerUnitId: w.units.hospitalId });
    const c = await createMember(app, { name: '丙', communityId: tree.communityId, employerUnitId: w.units.hospitalId });
    await createMember(app, { name: '丁（无积分）', communityId: tree.communityId, employerUnitId: w.units.hospitalId });
    const elsewhere = await createMember(app, { name: '戊（别的社区）', communityId: tree.otherCommunityId, employerUnitId: w.units.hospitalId });
    await earn(a, 3);
    await earn(b, 3);
    await earn(c, 1);
    await earn(elsewhere, 9);
    await ok(app, REDEEM, { input: { personId: a, points: 25, note: '兑换' } });
    const QUERY = `query($c: ID!, $first: Int) { pointsLeaderboard(communityId: $c, first: $first) { rank earned balance person { id name } } }`;
    const board = (await ok(app, QUERY, { c: tree.communityId })).pointsLeaderboard;
    expect(board).toEqual([
      { rank: 1, earned: 30, balance: 5, person: { id: a, name: '甲' } },
      { rank: 1, earned: 30, balance: 30, person: { id: b, name: '乙' } },
      { rank: 3, earned: 10, balance: 10, person: { id: c, name: '丙' } },
    ]);
    expect((await ok(app, QUERY, { c: tree.communityId, first: 1 })).pointsLeaderboard).toHaveLength(1);
    expectError(await app.execute(QUERY, { c: tree.communityId, first: 0 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(QUERY, { c: tree.communityId, first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(QUERY, { c: tree.gridId }), 'BAD_USER_INPUT', 'communityId');
    expectError(await app.execute(QUERY, { c: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'communityId');
  });
});

describe('pointsLeaderboard for a year (a dashboard\'s "this year": all-time ranks freeze newcomers out)', () => {
  const QUERY = `query($c: ID!, $year: Int, $first: Int) { pointsLeaderboard(communityId: $c, year: $year, first: $first) { rank earned balance person { id name } } }`;
  let ledgerSeq = 500_000;
  /** An entry made at `at` (the ledger's day is its created_at), as the services write them. */
  async function entryAt(personId: string, amount: number, at: string): Promise<void> {
    ledgerSeq += 1;
    const em = app.orm.em.fork();
    const kind = amount > 0 ? PointKind.CLAIM_CONFIRMED : PointKind.SERVICE_REDEEMED;
    em.create(PointEntry, { person: dbId(personId), kind, amount, sourceType: amount > 0 ? 'Claim' : 'Redemption', sourceId: ledgerSeq, createdAt: new Date(at) });
    await em.flush();
  }

  let tree: Awaited<ReturnType<typeof buildTree>>;
  const p: Record<string, string> = {};
  beforeAll(async () => {
    tree = await buildTree(app);
    for (const name of ['老甲', '新乙', '新丙', '丁']) p[name] = await createMember(app, { name, communityId: tree.communityId, employerUnitId: w.units.hospitalId });
    p.elsewhere = await createMember(app, { name: '戊（别的社区）', communityId: tree.otherCommunityId, employerUnitId: w.units.hospitalId });
    await entryAt(p['老甲'], 100, '2025-06-01T10:00:00+08:00');
    await entryAt(p['老甲'], 10, '2026-03-01T10:00:00+08:00');
    // 2026 in China, though still 2025-12-31 in UTC.
    await entryAt(p['新乙'], 30, '2026-01-01T00:30:00+08:00');
    // Spending in the year does not lower what was earned in it; the balance is what is left now.
    await entryAt(p['新乙'], -25, '2026-05-01T10:00:00+08:00');
    await entryAt(p['新丙'], 30, '2026-12-31T23:30:00+08:00');
    // 2025 in China (its last minute): not 2026's.
    await entryAt(p['丁'], 20, '2025-12-31T23:59:00+08:00');
    // Only spending in 2026: nothing earned that year, no place on its board.
    await entryAt(p['丁'], -5, '2026-02-01T10:00:00+08:00');
    await entryAt(p.elsewhere, 50, '2026-04-01T10:00:00+08:00');
  });

  const row = (name: string, rank: number, earned: number, balance: number) => ({ rank, earned, balance, person: { id: p[name], name } });

  test('counts only entries earned in that calendar year (China time); ties share a rank and are ordered by person; the balance is the current one', async () => {
    expect((await ok(app, QUERY, { c: tree.communityId, year: 2026 })).pointsLeaderboard).toEqual([row('新乙', 1, 30, 5), row('新丙', 1, 30, 30), row('老甲', 3, 10, 110)]);
    expect((await ok(app, QUERY, { c: tree.communityId, year: 2025 })).pointsLeaderboard).toEqual([row('老甲', 1, 100, 110), row('丁', 2, 20, 15)]);
    expect((await ok(app, QUERY, { c: tree.communityId, year: 2027 })).pointsLeaderboard).toEqual([]);
    expect((await ok(app, QUERY, { c: tree.communityId, year: 2026, first: 2 })).pointsLeaderboard).toEqual([row('新乙', 1, 30, 5), row('新丙', 1, 30, 30)]);
  });

  test('without a year, all time, as before', async () => {
    expect((await ok(app, QUERY, { c: tree.communityId })).pointsLeaderboard).toEqual([row('老甲', 1, 110, 110), row('新乙', 2, 30, 5), row('新丙', 2, 30, 30), row('丁', 4, 20, 15)]);
  });

  test('without a year, everyone with an entry, as before: one who earned nothing (a legacy entry of 0) is listed last with 0; for a year, only those who earned in it', async () => {
    const zero = await createMember(app, { name: '零分', communityId: tree.communityId, employerUnitId: w.units.hospitalId });
    const em = app.orm.em.fork();
    await em.execute(`insert into point_entry (created_at, updated_at, person_id, kind, amount, source_type, source_id) values ('2026-05-01T02:00:00Z', '2026-05-01T02:00:00Z', ?, 'CLAIM_CONFIRMED', 0, 'Claim', 990001)`, [dbId(zero)]);
    try {
      const allTime = (await ok(app, QUERY, { c: tree.communityId })).pointsLeaderboard;
      expect(allTime.at(-1)).toEqual({ rank: 5, earned: 0, balance: 0, person: { id: zero, name: '零分' } });
      expect((await ok(app, QUERY, { c: tree.communityId, year: 2026 })).pointsLeaderboard.map((r: any) => r.person.id)).not.toContain(zero);
    } finally {
      await em.execute(`delete from point_entry where person_id = ?`, [dbId(zero)]);
    }
  });

  test('a year outside 2000-2100 is BAD_USER_INPUT on year; another community\'s board is FORBIDDEN for a year too', async () => {
    expectError(await app.execute(QUERY, { c: tree.communityId, year: 1999 }), 'BAD_USER_INPUT', 'year');
    expectError(await app.execute(QUERY, { c: tree.communityId, year: 2101 }), 'BAD_USER_INPUT', 'year');
    const staffOfOther = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, tree.otherCommunityId)]);
    expectError(await app.execute(QUERY, { c: tree.communityId, year: 2026 }, staffOfOther), 'FORBIDDEN');
  });

  test('one statement reads the ledger, whatever the board\'s length', async () => {
    let data: any;
    const statements = await app.countStatements(async () => (data = await ok(app, QUERY, { c: tree.communityId, year: 2026 })));
    expect(data.pointsLeaderboard).toHaveLength(3);
    expect(statements.filter((sql) => sql.includes('point_entry')).length).toBe(1);
  });
});
