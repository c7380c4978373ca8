import { toGlobalId } from '../../src/common/global-id';
import {
  buildTree,
  buildUnits,
  buildWorld,
  createUnit,
  dbId,
  expectError,
  expectNothingWritten,
  ok,
  rawRow,
  walkPages,
  type Tree,
  type Units,
  type World,
} from '../helpers/fixtures';
import { hold, waiters } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.reset());

/** Today in China (UTC+8), as the server computes it. */
function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

const PAIRING = `id startsOn endsOn agreementTitle agreementSignedOn duties isActive unit { id name } community { id name }`;
const CREATE = `mutation($input: CreatePairingInput!) { createPairing(input: $input) { ${PAIRING} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePairingInput!) { updatePairing(id: $id, input: $input) { ${PAIRING} } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on Pairing { ${PAIRING} } } }`;
const LIST = `query($filter: PairingFilter, $first: Int, $after: String) {
  pairings(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
}`;

async function createPairing(input: Record<string, unknown>): Promise<string> {
  return (await ok(app, CREATE, { input: { agreementTitle: '共驻共建协议书', duties: ['开展共建活动'], ...input } })).createPairing.id;
}

async function listIds(filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(app, LIST, { filter, first: 100 });
  expect(data.pairings.totalCount).toBe(data.pairings.edges.length);
  return data.pairings.edges.map((edge: any) => edge.node.id);
}

/** A unit of its own, so overlap rules of other tests do not interfere. */
async function freshUnit(name = '幸福里结对企业'): Promise<string> {
  return createUnit(app, { name, kind: 'ENTERPRISE', areaId: w.communityId });
}

describe('createPairing', () => {
  test('returns the pairing with the given fields; readable through node(id:)', async () => {
    const result = await app.execute(CREATE, {
      input: {
        unitId: w.units.hospitalId,
        communityId: w.communityId,
        startsOn: '2023-01-01',
        agreementTitle: '共驻共建协议书',
        agreementSignedOn: '2022-12-20',
        duties: ['义诊进社区', '健康知识讲座', '慢病随访'],
      },
    });
    expect(result.errors).toBeUndefined();
    const pairing = result.data.createPairing;
    expect(pairing).toEqual({
      id: expect.any(String),
      startsOn: '2023-01-01',
      endsOn: null,
      agreementTitle: '共驻共建协议书',
      agreementSignedOn: '2022-12-20',
      duties: ['义诊进社区', '健康知识讲座', '慢病随访'],
      isActive: true,
      unit: { id: w.units.hospitalId, name: '市第一人民医院' },
      community: { id: w.communityId, name: '幸福里社区' },
    });
    expect(await rawRow(app, 'pairing', pairing.id)).toMatchObject({ unit_id: dbId(w.units.hospitalId), community_id: dbId(w.communityId), duties: ['义诊进社区', '健康知识讲座', '慢病随访'] });
    expect((await ok(app, NODE, { id: pairing.id })).node).toEqual({ __typename: 'Pairing', ...pairing });
  });

  test('isActive follows the term: past and future terms are not active, a one-day term ending today is', async () => {
    const unitId = await freshUnit();
    const past = await ok(app, CREATE, { input: { unitId, communityId: w.communityId, startsOn: '2018-01-01', endsOn: '2018-12-31', agreementTitle: '旧协议', duties: ['共建'] } });
    const future = await ok(app, CREATE, { input: { unitId, communityId: w.communityId, startsOn: '2099-01-01', agreementTitle: '新协议', duties: ['共建'] } });
    const today = todayInChina();
    const oneDay = await ok(app, CREATE, { input: { unitId, communityId: w.otherCommunityId, startsOn: today, endsOn: today, agreementTitle: '一日协议', duties: ['共建'] } });
    expect([past.createPairing.isActive, future.createPairing.isActive, oneDay.createPairing.isActive]).toEqual([false, false, true]);
  });

  test('terms that follow each other are fine; overlapping ones give CONFLICT and write nothing', async () => {
    const unitId = await freshUnit();
    const communityId = w.otherCommunityId;
    await createPairing({ unitId, communityId, startsOn: '2019-01-01', endsOn: '2020-12-31' });
    await createPairing({ unitId, communityId, startsOn: '2021-01-01' });
    const overlapping: Record<string, unknown>[] = [
      { startsOn: '2020-12-31', endsOn: '2020-12-31' }, // last day of the first term
      { startsOn: '2018-06-01', endsOn: '2019-01-01' }, // first day of the first term
      { startsOn: '2030-01-01' }, // inside the open-ended second term
      { startsOn: '2021-01-01', endsOn: '2021-06-30' }, // same start as the second term
      { startsOn: '2010-01-01' }, // open-ended, covering both
    ];
    for (const term of overlapping) {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { unitId, communityId, agreementTitle: '协议', duties: ['共建'], ...term } }));
      expectError(result, 'CONFLICT');
    }
    // Another community or another unit in the same term is fine.
    await createPairing({ unitId, communityId: w.communityId, startsOn: '2030-01-01' });
    await createPairing({ unitId: await freshUnit('另一家企业'), communityId, startsOn: '2030-01-01' });
  });

  test('overlapping terms created at the same moment: one pairing, the others CONFLICT', async () => {
    const unitId = await freshUnit('并发结对企业');
    // Every two of these overlap (all hold 2025-06-01…2025-07-31), so whichever goes first, the others must fail.
    const terms = [{ startsOn: '2025-01-01' }, { startsOn: '2025-06-01', endsOn: '2026-05-31' }, { startsOn: '2024-01-01', endsOn: '2025-07-31' }];
    // Line them up: holding the unit row makes each insert wait after its own overlap check.
    const pending: Promise<any>[] = [];
    await app.orm.em.fork().transactional(async (em) => {
      await em.execute('select id from unit where id = ? for update', [dbId(unitId)]);
      pending.push(...terms.map((term) => app.execute(CREATE, { input: { unitId, communityId: w.communityId, agreementTitle: '共驻共建协议书', duties: ['共建'], ...term } })));
      for (let waited = 0; waited < 5000; waited += 50) {
        const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (n >= terms.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const results = await Promise.all(pending);
    const failed = results.filter((r) => r.errors);
    expect(results.length - failed.length).toBe(1);
    for (const result of failed) expectError(result, 'CONFLICT', 'input.startsOn');
    expect(await listIds({ unitId })).toHaveLength(1);
  });

  test('endsOn before startsOn is rejected; endsOn equal to startsOn is fine', async () => {
    const unitId = await freshUnit();
    const result = await expectNothingWritten(app, () =>
      app.execute(CREATE, { input: { unitId, communityId: w.communityId, startsOn: '2024-05-01', endsOn: '2024-04-30', agreementTitle: '协议', duties: ['共建'] } }),
    );
    expectError(result, 'BAD_USER_INPUT', 'input.endsOn');
    await createPairing({ unitId, communityId: w.communityId, startsOn: '2024-05-01', endsOn: '2024-05-01' });
  });

  describe('rejects bad input and writes nothing', () => {
    let unitId: string;
    beforeAll(async () => {
      unitId = await freshUnit();
    });
    const base = () => ({ unitId, communityId: w.communityId, startsOn: '2024-01-01', agreementTitle: '共驻共建协议书', duties: ['志愿服务'] });
    const cases: [string, () => Record<string, unknown>, string, string | undefined][] = [
      ['an empty agreementTitle', () => ({ agreementTitle: '' }), 'BAD_USER_INPUT', 'agreementTitle'],
      ['an agreementTitle of 201 characters', () => ({ agreementTitle: '协'.repeat(201) }), 'BAD_USER_INPUT', 'agreementTitle'],
      ['no duties', () => ({ duties: [] }), 'BAD_USER_INPUT', 'duties'],
      ['31 duties', () => ({ duties: Array.from({ length: 31 }, (_, i) => `职责${i + 1}`) }), 'BAD_USER_INPUT', 'duties'],
      ['an empty duty', () => ({ duties: ['志愿服务', ''] }), 'BAD_USER_INPUT', 'duties'],
      ['a duty of 201 characters', () => ({ duties: ['责'.repeat(201)] }), 'BAD_USER_INPUT', 'duties'],
      ['a Community id as unitId', () => ({ unitId: w.communityId }), 'BAD_USER_INPUT', 'input.unitId'],
      ['a malformed unitId', () => ({ unitId: 'VW5pdDo' }), 'BAD_USER_INPUT', 'input.unitId'],
      ['a missing unit', () => ({ unitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.unitId'],
      ['a Unit id as communityId', () => ({ communityId: w.units.schoolId }), 'BAD_USER_INPUT', 'input.communityId'],
      ['a Grid id as communityId', () => ({ communityId: w.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
      ['a Street id as communityId', () => ({ communityId: w.streetId }), 'BAD_USER_INPUT', 'input.communityId'],
      ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
      ['an impossible startsOn', () => ({ startsOn: '2023-02-30' }), 'BAD_USER_INPUT', undefined],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), ...overrides() } }));
      expectError(result, code, field);
    });

    test('only blank duties (the agreement would list no duty at all)', async () => {
      const input = { ...base(), unitId: await freshUnit(), duties: ['   ', '\t'] };
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input }));
      expectError(result, 'BAD_USER_INPUT', 'duties');
    });
  });
});

/** p1 hospital–幸福里 2023– (active), p2 hospital–和平里 2019–2020 (past), p3 school–幸福里 2099– (future), p4 police–和平里 2024–2099 (active). */
async function buildPairings(tree: Tree, units: Units) {
  return {
    p1: await createPairing({ unitId: units.hospitalId, communityId: tree.communityId, startsOn: '2023-01-01' }),
    p2: await createPairing({ unitId: units.hospitalId, communityId: tree.otherCommunityId, startsOn: '2019-01-01', endsOn: '2020-12-31' }),
    p3: await createPairing({ unitId: units.schoolId, communityId: tree.communityId, startsOn: '2099-01-01' }),
    p4: await createPairing({ unitId: units.policeStationId, communityId: tree.otherCommunityId, startsOn: '2024-01-01', endsOn: '2099-12-31' }),
  };
}

describe('pairings list', () => {
  let tree: Tree;
  let units: Units;
  let p: Awaited<ReturnType<typeof buildPairings>>;
  beforeAll(async () => {
    tree = await buildTree(app);
    units = await buildUnits(app, tree);
    p = await buildPairings(tree, units);
  });

  test('filters by communityId, unitId, within and activeOn', async () => {
    expect(await listIds({ communityId: tree.communityId })).toEqual([p.p1, p.p3]);
    expect(await listIds({ unitId: units.hospitalId })).toEqual([p.p1, p.p2]);
    expect(await listIds({ within: tree.districtId })).toEqual([p.p1, p.p2, p.p3, p.p4]);
    expect(await listIds({ within: tree.streetId })).toEqual([p.p1, p.p2, p.p3, p.p4]);
    expect(await listIds({ within: tree.otherCommunityId })).toEqual([p.p2, p.p4]);
    expect(await listIds({ within: tree.districtId, activeOn: '2020-06-01' })).toEqual([p.p2]);
    expect(await listIds({ within: tree.districtId, activeOn: todayInChina() })).toEqual([p.p1, p.p4]);
    expect(await listIds({ within: tree.districtId, activeOn: '2099-06-01' })).toEqual([p.p1, p.p3, p.p4]);
    expect(await listIds({ communityId: tree.communityId, unitId: units.schoolId })).toEqual([p.p3]);
    expect(await listIds({ communityId: tree.communityId, within: tree.otherCommunityId })).toEqual([]);
  });

  test('bad filter ids', async () => {
    expectError(await app.execute(LIST, { filter: { communityId: tree.gridId } }), 'BAD_USER_INPUT', 'filter.communityId');
    expectError(await app.execute(LIST, { filter: { communityId: toGlobalId('Community', 999999) } }), 'NOT_FOUND', 'filter.communityId');
    expectError(await app.execute(LIST, { filter: { unitId: tree.communityId } }), 'BAD_USER_INPUT', 'filter.unitId');
    expectError(await app.execute(LIST, { filter: { within: units.hospitalId } }), 'BAD_USER_INPUT', 'filter.within');
  });

  test('pagination: first 2 then after endCursor, no duplicates or gaps; first 101 and a garbage after are rejected', async () => {
    const { ids, pages } = await walkPages(app, LIST, 'pairings', 2, { filter: { within: tree.districtId } });
    expect(ids).toEqual([p.p1, p.p2, p.p3, p.p4]);
    expect(pages).toBe(2);
    const { ids: one } = await walkPages(app, LIST, 'pairings', 1, { filter: { within: tree.districtId } });
    expect(one).toEqual(ids);
    expectError(await app.execute(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(LIST, { first: 2, after: '!!!' }), 'BAD_USER_INPUT', 'after');
  });
});

describe('updatePairing', () => {
  async function fresh(): Promise<string> {
    return createPairing({
      unitId: await freshUnit(),
      communityId: w.communityId,
      startsOn: '2022-01-01',
      endsOn: '2024-12-31',
      agreementSignedOn: '2021-12-25',
      agreementTitle: '共驻共建协议书',
      duties: ['环境整治', '助老服务'],
    });
  }

  test('changes only the given fields', async () => {
    const id = await fresh();
    const before = (await ok(app, NODE, { id })).node;
    const result = await ok(app, UPDATE, { id, input: { agreementTitle: '共驻共建协议书（续签）' } });
    expect(result.updatePairing).toEqual({ ...before, __typename: undefined, agreementTitle: '共驻共建协议书（续签）' });
  });

  // On 2024-06-01 the fresh term (2022-01-01…2024-12-31) is still in force, so its end may move later
  // or be cleared. (These two ran on the real clock, after the term had ended: they re-opened an ended
  // term, which is refused now; see "a term that has ended keeps its end" below.)
  test('replaces the duties and extends a term in force (no conflict with itself)', async () => {
    app.clock.set(new Date('2024-06-01T10:00:00+08:00'));
    const id = await fresh();
    const result = await ok(app, UPDATE, { id, input: { duties: ['垃圾分类宣传'], endsOn: '2030-12-31' } });
    expect(result.updatePairing).toMatchObject({ duties: ['垃圾分类宣传'], endsOn: '2030-12-31', startsOn: '2022-01-01' });
    expect((await rawRow(app, 'pairing', id))!.duties).toEqual(['垃圾分类宣传']);
  });

  test('null clears the optional fields (the end of a term in force included)', async () => {
    app.clock.set(new Date('2024-06-01T10:00:00+08:00'));
    const id = await fresh();
    const result = await ok(app, UPDATE, { id, input: { endsOn: null, agreementSignedOn: null } });
    expect(result.updatePairing).toMatchObject({ endsOn: null, agreementSignedOn: null, isActive: true, agreementTitle: '共驻共建协议书' });
    expect(await rawRow(app, 'pairing', id)).toMatchObject({ ends_on: null, agreement_signed_on: null });
  });

  test('a term that has ended keeps its end (review: clearing or moving it re-opened the term, and the activities held since it ended counted in past assessments): BAD_USER_INPUT on input.endsOn, nothing written; pairing again is a new pairing from today', async () => {
    // 00:30 on 2026-03-15 in China, still 2026-03-14 in UTC. The term ended last month.
    app.clock.set(new Date('2026-03-15T00:30:00+08:00'));
    const unitId = await freshUnit('期满企业');
    const id = await createPairing({ unitId, communityId: w.communityId, startsOn: '2025-01-01', endsOn: '2026-02-28' });
    const unchanged = [{ table: 'pairing' as const, id }];
    const cleared = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { endsOn: null, agreementTitle: '续签协议' } }), unchanged);
    expectError(cleared, 'BAD_USER_INPUT', 'input.endsOn');
    expect(cleared.errors![0].message).toBe(
      'input.endsOn: the term ended on 2026-02-28 (before today, 2026-03-15, China time): an ended term is history and its end stays as it is; to pair the unit with the community again, create a new pairing from today',
    );
    // Nor moved: to today, later, or earlier.
    for (const endsOn of ['2026-03-15', '2026-12-31', '2026-03-14', '2026-01-31']) {
      expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { endsOn } }), unchanged), 'BAD_USER_INPUT', 'input.endsOn');
    }
    // Nor its start moved, earlier (activities before it would join past assessments) or later.
    for (const startsOn of ['2024-06-01', '2025-03-01']) {
      expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { startsOn } }), unchanged), 'BAD_USER_INPUT', 'input.startsOn');
    }
    // Sent back unchanged with another edit (a form sends every field), it is fine; the term stays over.
    expect((await ok(app, UPDATE, { id, input: { endsOn: '2026-02-28', agreementTitle: '共驻共建协议书（已期满）' } })).updatePairing).toMatchObject({ endsOn: '2026-02-28', isActive: false });
    // Paired again: a new pairing of the same unit and community, from today.
    const again = (await ok(app, CREATE, { input: { unitId, communityId: w.communityId, startsOn: '2026-03-15', agreementTitle: '共驻共建协议书（续）', duties: ['共建'] } })).createPairing;
    expect(again).toMatchObject({ startsOn: '2026-03-15', endsOn: null, isActive: true });
    expect(await listIds({ unitId })).toEqual([id, again.id]);
    expect(await rawRow(app, 'pairing', id)).toMatchObject({ starts_on: '2025-01-01', ends_on: '2026-02-28' });
    // A term whose last day is today has not ended: it may still be extended or left open.
    const lastDay = await createPairing({ unitId: await freshUnit('今日期满企业'), communityId: w.communityId, startsOn: '2025-01-01', endsOn: '2026-03-15' });
    expect((await ok(app, UPDATE, { id: lastDay, input: { endsOn: null } })).updatePairing).toMatchObject({ endsOn: null, isActive: true });
  });

  test.each(['startsOn', 'agreementTitle', 'duties'])('null on the required field %s gives BAD_USER_INPUT and writes nothing', async (field) => {
    const id = await fresh();
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { [field]: null } }), [{ table: 'pairing', id }]);
    expectError(result, 'BAD_USER_INPUT', `input.${field}`);
  });

  test('endsOn before startsOn (either way round) is rejected and nothing changes', async () => {
    const id = await fresh();
    const unchanged = [{ table: 'pairing' as const, id }];
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { endsOn: '2021-12-31' } }), unchanged), 'BAD_USER_INPUT', 'input.endsOn');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { startsOn: '2025-01-01' } }), unchanged), 'BAD_USER_INPUT');
  });

  test('moving a term onto another term of the same unit and community gives CONFLICT', async () => {
    const unitId = await freshUnit();
    await createPairing({ unitId, communityId: w.communityId, startsOn: '2020-01-01', endsOn: '2020-12-31' });
    const later = await createPairing({ unitId, communityId: w.communityId, startsOn: '2022-01-01' });
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: later, input: { startsOn: '2020-06-01' } }), [{ table: 'pairing', id: later }]);
    expectError(result, 'CONFLICT');
    expect((await ok(app, UPDATE, { id: later, input: { startsOn: '2021-01-01' } })).updatePairing.startsOn).toBe('2021-01-01');
  });

  test('two concurrent edits of one pairing: the second sees the first, so it never ends before it starts', async () => {
    // On 2023-12-01, so ending the term on 2024-06-30 ends it in the future (a term is not ended in the past)
    // and moving its start to 2024-09-01 moves a start not yet reached (a start that came is not moved later).
    app.clock.set(new Date('2023-12-01T10:00:00+08:00'));
    const unitId = await freshUnit('并发改期企业');
    const id = await createPairing({ unitId, communityId: w.communityId, startsOn: '2024-01-01' });
    // Hold the pair's lock: the first edit waits for it; the second then waits for the first.
    const release = await hold(app, `select pg_advisory_xact_lock(hashtext('pairing'), hashtext($1 || ':' || $2))`, [String(dbId(unitId)), String(dbId(w.communityId))]);
    const end = app.execute(UPDATE, { id, input: { endsOn: '2024-06-30' } });
    await waiters(app, 1);
    const start = app.execute(UPDATE, { id, input: { startsOn: '2024-09-01' } });
    await waiters(app, 2);
    await release();
    expect((await end).errors).toBeUndefined();
    expectError(await start, 'BAD_USER_INPUT', 'input.endsOn');
    expect(await rawRow(app, 'pairing', id)).toMatchObject({ starts_on: '2024-01-01', ends_on: '2024-06-30' });
  });

  test('a term is not ended in the past, China time (review: ending it retroactively rewrote what claims and assessments relied on): BAD_USER_INPUT on input.endsOn, nothing written', async () => {
    // 00:30 on 2026-03-15 in China, still 2026-03-14 in UTC.
    app.clock.set(new Date('2026-03-15T00:30:00+08:00'));
    try {
      const id = await createPairing({ unitId: await freshUnit('提前终止企业'), communityId: w.communityId, startsOn: '2025-01-01' });
      const unchanged = [{ table: 'pairing' as const, id }];
      for (const endsOn of ['2026-03-14', '2025-06-30', '2025-01-01']) {
        const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { endsOn, agreementTitle: '终止协议' } }), unchanged);
        expectError(refused, 'BAD_USER_INPUT', 'input.endsOn');
        expect(refused.errors![0].message).toBe(
          'input.endsOn: cannot end the term before today (2026-03-15, China time): claims and assessments already relied on it as it stood; end it today at the earliest',
        );
      }
      // Today (China) is the earliest end: the pairing is still in force today.
      expect((await ok(app, UPDATE, { id, input: { endsOn: '2026-03-15' } })).updatePairing).toMatchObject({ endsOn: '2026-03-15', isActive: true });
      // Once that day is past, the end is sent back unchanged with another edit (a form sends every field), but not moved earlier.
      app.clock.set(new Date('2026-04-01T10:00:00+08:00'));
      expect((await ok(app, UPDATE, { id, input: { endsOn: '2026-03-15', agreementTitle: '共驻共建协议书（已终止）' } })).updatePairing).toMatchObject({ endsOn: '2026-03-15', isActive: false });
      expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { endsOn: '2026-03-10' } }), unchanged), 'BAD_USER_INPUT', 'input.endsOn');
      // createPairing still records a past term (an agreement that ran before it was entered): it rewrites nothing relied on.
      await createPairing({ unitId: await freshUnit('补录企业'), communityId: w.communityId, startsOn: '2024-01-01', endsOn: '2024-12-31' });
    } finally {
      app.clock.reset();
    }
  });

  test('nor is a start that came moved later, China time (review: it took the days from the old start out of the term as an early end does, and past today it ended a pairing in force): BAD_USER_INPUT on input.startsOn, nothing written', async () => {
    // 00:30 on 2026-03-15 in China, still 2026-03-14 in UTC.
    app.clock.set(new Date('2026-03-15T00:30:00+08:00'));
    const id = await createPairing({ unitId: await freshUnit('推迟起始企业'), communityId: w.communityId, startsOn: '2025-01-01' });
    const unchanged = [{ table: 'pairing' as const, id }];
    for (const startsOn of ['2025-01-02', '2026-03-15', '2026-09-01']) {
      const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { startsOn, agreementTitle: '改期协议' } }), unchanged);
      expectError(refused, 'BAD_USER_INPUT', 'input.startsOn');
      expect(refused.errors![0].message).toBe(
        'input.startsOn: cannot move the start of a term that began on 2025-01-01 later (today is 2026-03-15, China time): claims and assessments already relied on it as it stood',
      );
    }
    // Sent back unchanged, or moved earlier: nothing taken out.
    expect((await ok(app, UPDATE, { id, input: { startsOn: '2025-01-01', agreementTitle: '共驻共建协议书（修订）' } })).updatePairing).toMatchObject({ startsOn: '2025-01-01', isActive: true });
    expect((await ok(app, UPDATE, { id, input: { startsOn: '2024-07-01' } })).updatePairing).toMatchObject({ startsOn: '2024-07-01', isActive: true });
    // A term that begins today has come: today's claims relied on it.
    const today = await createPairing({ unitId: await freshUnit('今日起始企业'), communityId: w.communityId, startsOn: '2026-03-15' });
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id: today, input: { startsOn: '2026-03-16' } }), [{ table: 'pairing', id: today }]), 'BAD_USER_INPUT', 'input.startsOn');
    // One signed ahead, not begun yet, may still move later.
    const ahead = await createPairing({ unitId: await freshUnit('提前签约企业'), communityId: w.communityId, startsOn: '2026-03-16' });
    expect((await ok(app, UPDATE, { id: ahead, input: { startsOn: '2026-04-01' } })).updatePairing).toMatchObject({ startsOn: '2026-04-01', isActive: false });
  });

  test('bad input and missing ids', async () => {
    const id = await fresh();
    const unchanged = [{ table: 'pairing' as const, id }];
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { agreementTitle: '' } }), unchanged), 'BAD_USER_INPUT', 'agreementTitle');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { duties: [] } }), unchanged), 'BAD_USER_INPUT', 'duties');
    expectError(await app.execute(UPDATE, { id: toGlobalId('Pairing', 999999), input: { agreementTitle: '无' } }), 'NOT_FOUND', 'id');
    expectError(await app.execute(UPDATE, { id: w.units.hospitalId, input: { agreementTitle: '无' } }), 'BAD_USER_INPUT', 'id');
    expectError(await app.execute(UPDATE, { id: 'bad id', input: { agreementTitle: '无' } }), 'BAD_USER_INPUT', 'id');
  });
});

describe('nested relations', () => {
  test('community { pairings, pairedUnitCount } and unit { pairings, pairedCommunityCount } count what was created', async () => {
    const tree = await buildTree(app);
    const units = await buildUnits(app, tree);
    const p = await buildPairings(tree, units);
    const data = await ok(app, `query($c: ID!, $o: ID!, $h: ID!, $s: ID!, $e: ID!) {
      c: node(id: $c) { ... on Community { pairedUnitCount pairings { totalCount edges { node { id isActive unit { name } } } } } }
      o: node(id: $o) { ... on Community { pairedUnitCount pairings { totalCount edges { node { id isActive unit { name } } } } } }
      h: node(id: $h) { ... on Unit { pairedCommunityCount pairings { totalCount edges { node { id community { name } } } } } }
      s: node(id: $s) { ... on Unit { pairedCommunityCount pairings { totalCount } } }
      e: node(id: $e) { ... on Unit { pairedCommunityCount pairings { totalCount } } }
    }`, { c: tree.communityId, o: tree.otherCommunityId, h: units.hospitalId, s: units.schoolId, e: units.enterpriseId });
    expect(data.c).toEqual({
      pairedUnitCount: 1,
      pairings: {
        totalCount: 2,
        edges: [
          { node: { id: p.p1, isActive: true, unit: { name: '市第一人民医院' } } },
          { node: { id: p.p3, isActive: false, unit: { name: '和平里小学' } } },
        ],
      },
    });
    expect(data.o).toEqual({
      pairedUnitCount: 1,
      pairings: {
        totalCount: 2,
        edges: [
          { node: { id: p.p2, isActive: false, unit: { name: '市第一人民医院' } } },
          { node: { id: p.p4, isActive: true, unit: { name: '新华派出所' } } },
        ],
      },
    });
    expect(data.h).toEqual({
      pairedCommunityCount: 1,
      pairings: { totalCount: 2, edges: [{ node: { id: p.p1, community: { name: '幸福里社区' } } }, { node: { id: p.p2, community: { name: '和平里社区' } } }] },
    });
    expect(data.s).toEqual({ pairedCommunityCount: 0, pairings: { totalCount: 1 } });
    expect(data.e).toEqual({ pairedCommunityCount: 0, pairings: { totalCount: 0 } });
  });

  test('pairedUnitCount, pairedCommunityCount and isActive take "today" from the clock the rules use, and agree with pairings(filter: { activeOn })', async () => {
    const tree = await buildTree(app);
    const units = await buildUnits(app, tree);
    const term2020 = await createPairing({ unitId: units.hospitalId, communityId: tree.communityId, startsOn: '2020-01-01', endsOn: '2020-12-31' });
    const from2030 = await createPairing({ unitId: units.schoolId, communityId: tree.communityId, startsOn: '2030-01-01' });
    const QUERY = `query($c: ID!, $h: ID!, $s: ID!, $day: LocalDate!) {
      c: node(id: $c) { ... on Community { pairedUnitCount pairings { edges { node { id isActive } } } } }
      h: node(id: $h) { ... on Unit { pairedCommunityCount } }
      s: node(id: $s) { ... on Unit { pairedCommunityCount } }
      list: pairings(filter: { communityId: $c, activeOn: $day }, first: 100) { totalCount edges { node { id } } }
    }`;
    const at = async (instant: string, day: string) => {
      app.clock.set(new Date(instant));
      return ok(app, QUERY, { c: tree.communityId, h: units.hospitalId, s: units.schoolId, day });
    };
    try {
      // The last evening of the 2020 term, China time (15:30 UTC): the hospital's pairing is in force.
      const lastDay = await at('2020-12-31T23:30:00+08:00', '2020-12-31');
      expect(lastDay.list).toEqual({ totalCount: 1, edges: [{ node: { id: term2020 } }] });
      expect(lastDay.c).toEqual({ pairedUnitCount: 1, pairings: { edges: [{ node: { id: term2020, isActive: true } }, { node: { id: from2030, isActive: false } }] } });
      expect([lastDay.h.pairedCommunityCount, lastDay.s.pairedCommunityCount]).toEqual([1, 0]);
      // An hour later it is 2021 in China (still 2020 in UTC): the term is over.
      const nextDay = await at('2021-01-01T00:30:00+08:00', '2021-01-01');
      expect(nextDay.list.totalCount).toBe(0);
      expect(nextDay.c).toEqual({ pairedUnitCount: 0, pairings: { edges: [{ node: { id: term2020, isActive: false } }, { node: { id: from2030, isActive: false } }] } });
      expect([nextDay.h.pairedCommunityCount, nextDay.s.pairedCommunityCount]).toEqual([0, 0]);
      // In 2031 the school's open-ended pairing is.
      const later = await at('2031-03-01T10:00:00+08:00', '2031-03-01');
      expect(later.list).toEqual({ totalCount: 1, edges: [{ node: { id: from2030 } }] });
      expect(later.c).toEqual({ pairedUnitCount: 1, pairings: { edges: [{ node: { id: term2020, isActive: false } }, { node: { id: from2030, isActive: true } }] } });
      expect([later.h.pairedCommunityCount, later.s.pairedCommunityCount]).toEqual([0, 1]);
    } finally {
      app.clock.reset();
    }
  });
});
