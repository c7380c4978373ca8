import { toGlobalId } from '../../src/common/global-id';
import { todayInChina } from '../../src/common/dates';
import { buildWorld, createGrid, createPartyOrganization, createPerson, createUnit, dbId, expectError, ok, type World } from '../helpers/fixtures';
import {
  buildOrganizations,
  createMember,
  createServicePost,
  expectNothingWritten,
  rawRow,
  REPORT,
  reportMember,
  type Organizations,
} from '../helpers/member-fixtures';
import { hold, waiters } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
let orgs: Organizations;

/** 2026-03-15 10:00 in China: "today" is 2026-03-15. */
const NOW = new Date('2026-03-15T10:00:00+08:00');
const TODAY = '2026-03-15';

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
});
afterAll(async () => {
  await app?.close();
});

const REGISTER = `mutation($input: RegisterUnitInput!) { registerUnitWithCommunity(input: $input) { id registeredOn unit { id name } community { id name } } }`;
const CREATE_POST = `mutation($input: CreateServicePostInput!) { createServicePost(input: $input) { id title description capacity claimCount remaining community { id } category { code } } }`;
const UPDATE_POST = `mutation($id: ID!, $input: UpdateServicePostInput!) { updateServicePost(id: $id, input: $input) { id title description capacity claimCount remaining category { code } } }`;
const CLAIM = `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id status claimedOn post { id } person { id } } }`;
const END = `mutation($id: ID!) { endPostClaim(id: $id) { id status } }`;
const POST = `query($id: ID!) { node(id: $id) { ... on ServicePost { id capacity claimCount remaining claims { totalCount edges { node { status person { id } } } } active: claims(activeOnly: true) { totalCount } } } }`;

async function categoryId(code: string): Promise<string> {
  const rows: { id: number }[] = await app.orm.em.fork().execute('select id from request_category where code = ?', [code]);
  return toGlobalId('RequestCategory', rows[0].id);
}

/** A reported member of 幸福里社区 holding `postId` (a fresh post by default). */
async function reportedMember(name: string, postId?: string): Promise<{ personId: string; postId: string }> {
  const post = postId ?? (await createServicePost(app, { communityId: w.communityId, title: `${name}的岗位`, capacity: 10 }));
  const personId = await createMember(app, { name, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId: post });
  return { personId, postId: post };
}

/** The global id of `personId`'s claim on `postId`. */
async function claimIdOf(postId: string, personId: string): Promise<string> {
  const rows = await app.orm.em.fork().execute<{ id: number }[]>('select id from post_claim where post_id = ? and person_id = ?', [dbId(postId), dbId(personId)]);
  return toGlobalId('PostClaim', rows[0].id);
}

/** How many posts the person holds now. */
async function activeClaimCount(personId: string): Promise<number> {
  const rows: { n: number }[] = await app.orm.em.fork().execute(`select count(*)::int as n from post_claim where person_id = ? and status = 'ACTIVE'`, [dbId(personId)]);
  return rows[0].n;
}

describe('registerUnitWithCommunity (单位报到)', () => {
  test('registers once, today by default; a second registration is a CONFLICT and writes nothing', async () => {
    const result = await ok(app, REGISTER, { input: { unitId: w.units.hospitalId, communityId: w.communityId } });
    expect(result.registerUnitWithCommunity).toMatchObject({ registeredOn: TODAY, unit: { id: w.units.hospitalId }, community: { id: w.communityId } });
    const again = await expectNothingWritten(app, () => app.execute(REGISTER, { input: { unitId: w.units.hospitalId, communityId: w.communityId, registeredOn: '2026-01-01' } }));
    expectError(again, 'CONFLICT', 'input.unitId');
    // The same unit with another community is fine.
    const other = await ok(app, REGISTER, { input: { unitId: w.units.hospitalId, communityId: w.otherCommunityId, registeredOn: '2025-09-01' } });
    expect(other.registerUnitWithCommunity.registeredOn).toBe('2025-09-01');
  });

  test('five identical registrations at once: one wins, every loser gets the sequential duplicate answer, one is stored (3 rounds)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const unitId = await createUnit(app, { name: `并发报到单位${round}`, kind: 'ENTERPRISE' });
      const input = { unitId, communityId: w.otherCommunityId };
      const results = await Promise.all(Array.from({ length: 5 }, () => app.execute(REGISTER, { input })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      const sequential = await expectNothingWritten(app, () => app.execute(REGISTER, { input }));
      expectError(sequential, 'CONFLICT', 'input.unitId');
      for (const loser of results.filter((r) => r.errors)) expect(loser).toEqual(sequential);
      const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from unit_registration where unit_id = ?', [dbId(unitId)]);
      expect(count).toBe(1);
    }
  });

  test('Community.registeredUnits / registeredUnitCount and Unit.registrations', async () => {
    await ok(app, REGISTER, { input: { unitId: w.units.schoolId, communityId: w.communityId, registeredOn: '2026-02-01' } });
    const data = await ok(app, `query($c: ID!, $u: ID!) {
      c: node(id: $c) { ... on Community { registeredUnitCount registeredUnits(first: 10) { totalCount edges { node { unit { name } registeredOn } } } } }
      u: node(id: $u) { ... on Unit { registrations { totalCount edges { node { community { name } } } } } }
    }`, { c: w.communityId, u: w.units.hospitalId });
    expect(data.c.registeredUnitCount).toBe(2);
    expect(data.c.registeredUnits.edges.map((e: any) => e.node.unit.name)).toEqual(['市第一人民医院', '和平里小学']);
    expect(data.u.registrations.edges.map((e: any) => e.node.community.name)).toEqual(['幸福里社区', '和平里社区']);
  });

  test.each([
    ['a Community id as unitId', () => ({ unitId: w.communityId }), 'BAD_USER_INPUT', 'input.unitId'],
    ['a missing unit', () => ({ unitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.unitId'],
    ['a Grid as communityId', () => ({ communityId: w.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
    ['a registration day in the future', () => ({ registeredOn: '2026-03-16' }), 'BAD_USER_INPUT', 'input.registeredOn'],
  ])('%s: %s, nothing written', async (_label, overrides, code, field) => {
    const input = { unitId: w.units.enterpriseId, communityId: w.communityId, ...overrides() };
    expectError(await expectNothingWritten(app, () => app.execute(REGISTER, { input })), code, field);
  });
});

describe('service posts', () => {
  test('createServicePost returns the post with its places', async () => {
    const result = await ok(app, CREATE_POST, {
      input: { communityId: w.communityId, title: '  文明劝导员 ', description: '每周两次路口劝导', categoryId: await categoryId('GRID-ORDER'), capacity: 3 },
    });
    expect(result.createServicePost).toEqual({
      id: expect.any(String),
      title: '文明劝导员',
      description: '每周两次路口劝导',
      capacity: 3,
      claimCount: 0,
      remaining: 3,
      community: { id: w.communityId },
      category: { code: 'GRID-ORDER' },
    });
  });

  test.each([
    ['an empty title', () => ({ title: '' }), 'BAD_USER_INPUT', 'input.title'],
    ['a blank title', () => ({ title: '   ' }), 'BAD_USER_INPUT', 'input.title'],
    ['a title of 121 characters', () => ({ title: '岗'.repeat(121) }), 'BAD_USER_INPUT', 'input.title'],
    ['capacity 0', () => ({ capacity: 0 }), 'BAD_USER_INPUT', 'input.capacity'],
    ['capacity 501', () => ({ capacity: 501 }), 'BAD_USER_INPUT', 'input.capacity'],
    ['a Street as communityId', () => ({ communityId: w.streetId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
    ['a missing category', () => ({ categoryId: toGlobalId('RequestCategory', 999999) }), 'NOT_FOUND', 'input.categoryId'],
    ['a Unit id as categoryId', () => ({ categoryId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.categoryId'],
  ])('createServicePost with %s is refused and writes nothing', async (_label, overrides, code, field) => {
    const input = { communityId: w.communityId, title: '楼栋长', capacity: 2, ...overrides() };
    expectError(await expectNothingWritten(app, () => app.execute(CREATE_POST, { input })), code, field);
  });

  test('updateServicePost changes the given fields; null clears optional ones', async () => {
    const id = await createServicePost(app, { communityId: w.communityId, title: '助老志愿者', description: '陪伴', capacity: 2 });
    const result = await ok(app, UPDATE_POST, { id, input: { title: '助老志愿者（周末）', capacity: 4, categoryId: await categoryId('GRID-SPECIAL') } });
    expect(result.updateServicePost).toMatchObject({ title: '助老志愿者（周末）', description: '陪伴', capacity: 4, remaining: 4, category: { code: 'GRID-SPECIAL' } });
    const cleared = await ok(app, UPDATE_POST, { id, input: { description: null, categoryId: null } });
    expect(cleared.updateServicePost).toMatchObject({ description: null, category: null, capacity: 4 });
  });

  test('updateServicePost refuses a capacity below the places taken, null required fields and unknown ids; nothing changes', async () => {
    const { postId } = await reportedMember('周立新');
    await ok(app, UPDATE_POST, { id: postId, input: { capacity: 2 } });
    const { personId: second } = await reportedMember('吴晓东');
    await ok(app, CLAIM, { input: { postId, personId: second } });
    const unchanged = [{ table: 'service_post' as const, id: postId }];
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_POST, { id: postId, input: { capacity: 1 } }), unchanged), 'BAD_USER_INPUT', 'input.capacity');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_POST, { id: postId, input: { capacity: null } }), unchanged), 'BAD_USER_INPUT', 'input.capacity');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_POST, { id: postId, input: { title: null } }), unchanged), 'BAD_USER_INPUT', 'input.title');
    expectError(await expectNothingWritten(app, () => app.execute(UPDATE_POST, { id: postId, input: { title: '' } }), unchanged), 'BAD_USER_INPUT', 'input.title');
    expectError(await app.execute(UPDATE_POST, { id: toGlobalId('ServicePost', 999999), input: { title: '无' } }), 'NOT_FOUND', 'id');
    expectError(await app.execute(UPDATE_POST, { id: w.communityId, input: { title: '无' } }), 'BAD_USER_INPUT', 'id');
    // Exactly the places taken is fine.
    expect((await ok(app, UPDATE_POST, { id: postId, input: { capacity: 2 } })).updateServicePost).toMatchObject({ claimCount: 2, remaining: 0 });
  });

  test('servicePosts filters by community, within, category and title', async () => {
    const otherPost = await createServicePost(app, { communityId: w.otherCommunityId, title: '和平里垃圾分类督导员', capacity: 2 });
    const LIST = `query($filter: ServicePostFilter) { servicePosts(filter: $filter, first: 100) { totalCount edges { node { id title community { id } } } } }`;
    const inOther = await ok(app, LIST, { filter: { communityId: w.otherCommunityId } });
    expect(inOther.servicePosts.edges.map((e: any) => e.node.id)).toEqual([otherPost]);
    const within = await ok(app, LIST, { filter: { within: w.streetId } });
    expect(within.servicePosts.totalCount).toBe(within.servicePosts.edges.length);
    expect(within.servicePosts.edges.map((e: any) => e.node.id)).toContain(otherPost);
    const searched = await ok(app, LIST, { filter: { search: '垃圾分类' } });
    expect(searched.servicePosts.edges.map((e: any) => e.node.id)).toEqual([otherPost]);
    const byCategory = await ok(app, LIST, { filter: { categoryId: await categoryId('GRID-ORDER') } });
    expect(byCategory.servicePosts.edges.map((e: any) => e.node.title)).toEqual(['文明劝导员']);
    expectError(await app.execute(LIST, { filter: { communityId: w.gridId } }), 'BAD_USER_INPUT', 'filter.communityId');
    expectError(await app.execute(LIST, { filter: { within: w.units.schoolId } }), 'BAD_USER_INPUT', 'filter.within');
  });
});

describe('reportMember (双报到)', () => {
  test('reports, places and claims in one go; reportedMembers and Community.reportedMemberCount see it', async () => {
    const postId = await createServicePost(app, { communityId: w.communityId, title: '网格信息员', capacity: 2 });
    const before = (await ok(app, `query($c: ID!) { node(id: $c) { ... on Community { reportedMemberCount } } }`, { c: w.communityId })).node.reportedMemberCount;
    const person = await reportMember(app, { personId: w.partyMemberId, communityId: w.communityId, organizationId: orgs.buildingGroupId, postId });
    expect(person).toEqual({
      id: w.partyMemberId,
      reportedOn: TODAY,
      organization: { id: orgs.buildingGroupId, name: '幸福里1号楼党小组' },
      postClaims: { totalCount: 1, edges: [{ node: { id: expect.any(String), status: 'ACTIVE', claimedOn: TODAY, post: { id: postId, title: '网格信息员' } } }] },
    });
    expect(await rawRow(app, 'person', w.partyMemberId)).toMatchObject({ reported_on: TODAY, organization_id: dbId(orgs.buildingGroupId) });
    const data = await ok(app, `query($c: ID!) {
      c: node(id: $c) { ... on Community { reportedMemberCount reportedMembers { edges { node { id } } } } }
      reportedMembers(filter: { communityId: $c }, first: 100) { totalCount edges { node { id name } } }
      none: reportedMembers(filter: { reportedFrom: "2026-03-16" }) { totalCount }
      post: node(id: "${postId}") { ... on ServicePost { claimCount remaining } }
    }`, { c: w.communityId });
    expect(data.c.reportedMemberCount).toBe(before + 1);
    expect(data.c.reportedMembers.edges.map((e: any) => e.node.id)).toContain(w.partyMemberId);
    expect(data.reportedMembers.edges.map((e: any) => e.node.id)).toContain(w.partyMemberId);
    expect(data.reportedMembers.totalCount).toBe(before + 1);
    expect(data.none.totalCount).toBe(0);
    expect(data.post).toEqual({ claimCount: 1, remaining: 1 });
  });

  test('non-party staff (在职非党员) with an employer report too; reportedOn may be given', async () => {
    const postId = await createServicePost(app, { communityId: w.communityId, title: '楼道清洁志愿者', capacity: 5 });
    const staff = await createMember(app, { name: '钱小红', communityId: w.communityId, employerUnitId: w.units.schoolId, partyStatus: null });
    const person = await reportMember(app, { personId: staff, communityId: w.communityId, organizationId: orgs.gridBranchId, postId, reportedOn: '2026-03-01' });
    expect(person).toMatchObject({ reportedOn: '2026-03-01', organization: { id: orgs.gridBranchId } });
    const filtered = await ok(app, `query($u: ID!) { reportedMembers(filter: { employerUnitId: $u, within: "${w.streetId}" }) { edges { node { id } } } }`, { u: w.units.schoolId });
    expect(filtered.reportedMembers.edges.map((e: any) => e.node.id)).toEqual([staff]);
  });

  describe('refuses, naming the field, and writes nothing (person row included)', () => {
    let postId: string;
    let otherPostId: string;
    let fullPostId: string;
    beforeAll(async () => {
      postId = await createServicePost(app, { communityId: w.communityId, title: '安全巡查员', capacity: 5 });
      otherPostId = await createServicePost(app, { communityId: w.otherCommunityId, title: '和平里安全巡查员', capacity: 5 });
      fullPostId = (await reportedMember('满员岗位持有人', await createServicePost(app, { communityId: w.communityId, title: '唯一岗位', capacity: 1 }))).postId;
    });

    const cases: [string, () => Promise<Record<string, unknown>>, string, string][] = [
      ['another community than where they live', async () => ({ communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId: otherPostId }), 'BAD_USER_INPUT', 'input.communityId'],
      ['a branch of another community', async () => ({ organizationId: orgs.otherBranchId }), 'BAD_USER_INPUT', 'input.organizationId'],
      ['the community committee (not a branch or group)', async () => ({ organizationId: orgs.committeeId }), 'BAD_USER_INPUT', 'input.organizationId'],
      ['a post of another community', async () => ({ postId: otherPostId }), 'BAD_USER_INPUT', 'input.postId'],
      ['a full post', async () => ({ postId: fullPostId }), 'CONFLICT', 'input.postId'],
      ['a retired member', async () => ({ personId: await createMember(app, { name: '退休党员', communityId: w.communityId, employerUnitId: w.units.hospitalId, partyStatus: 'RETIRED' }) }), 'BAD_USER_INPUT', 'input.personId'],
      ['non-party staff without an employer', async () => ({ personId: await createPerson(app, { name: '无单位居民', residenceCommunityId: w.communityId }) }), 'BAD_USER_INPUT', 'input.personId'],
      ['a person with no residence community', async () => ({ personId: await createPerson(app, { name: '无住址党员', partyStatus: 'IN_SERVICE', employerUnitId: w.units.hospitalId }) }), 'BAD_USER_INPUT', 'input.personId'],
      ['a report day in the future', async () => ({ reportedOn: '2026-03-16' }), 'BAD_USER_INPUT', 'input.reportedOn'],
      ['a missing post', async () => ({ postId: toGlobalId('ServicePost', 999999) }), 'NOT_FOUND', 'input.postId'],
      ['a missing person', async () => ({ personId: toGlobalId('Person', 999999) }), 'NOT_FOUND', 'input.personId'],
      ['a missing organisation', async () => ({ organizationId: toGlobalId('PartyOrganization', 999999) }), 'NOT_FOUND', 'input.organizationId'],
      ['a Grid as communityId', async () => ({ communityId: w.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      const personId = await createMember(app, { name: '待报到党员', communityId: w.communityId, employerUnitId: w.units.hospitalId });
      const input = { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId, ...(await overrides()) };
      const result = await expectNothingWritten(app, () => app.execute(REPORT, { input }), [
        { table: 'person', id: input.personId as string },
        { table: 'service_post', id: postId },
      ]);
      expectError(result, code, field);
    });

    test('reporting twice is a CONFLICT', async () => {
      const { personId } = await reportedMember('已报到党员');
      const input = { personId, communityId: w.communityId, organizationId: orgs.buildingGroupId, postId };
      const result = await expectNothingWritten(app, () => app.execute(REPORT, { input }), [{ table: 'person', id: personId }]);
      expectError(result, 'CONFLICT', 'input.personId');
    });

    test('the same person reporting twice at once: exactly one succeeds', async () => {
      const personId = await createMember(app, { name: '并发报到党员', communityId: w.communityId, employerUnitId: w.units.hospitalId });
      const posts = [postId, await createServicePost(app, { communityId: w.communityId, title: '并发岗位', capacity: 5 })];
      const results = await Promise.all(posts.map((p) => app.execute(REPORT, { input: { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId: p } })));
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expectError(results.find((r) => r.errors)!, 'CONFLICT', 'input.personId');
      const rows: { n: number }[] = await app.orm.em.fork().execute('select count(*)::int as n from post_claim where person_id = ?', [dbId(personId)]);
      expect(rows[0].n).toBe(1);
    });
  });
});

describe('a reported member who moves house', () => {
  test('reports anew to the new community: the old report, its branch and the posts held in the old community end with the move', async () => {
    const { personId, postId: oldPost } = await reportedMember('搬家党员');
    const newPost = await createServicePost(app, { communityId: w.otherCommunityId, title: '和平里楼栋长', capacity: 5 });
    await ok(app, `mutation($id: ID!, $c: ID!) { updatePerson(id: $id, input: { residenceCommunityId: $c }) { id } }`, { id: personId, c: w.otherCommunityId });
    expect(await rawRow(app, 'person', personId)).toMatchObject({ reported_on: null, organization_id: null });
    expect((await ok(app, POST, { id: oldPost })).node.active.totalCount).toBe(0);
    // Not reported to the new community yet: its posts are not theirs to claim.
    expectError(await app.execute(CLAIM, { input: { postId: newPost, personId } }), 'BAD_USER_INPUT', 'input.personId');
    // Reporting there works (it was CONFLICT "already reported").
    const reported = await app.execute(REPORT, { input: { personId, communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId: newPost } });
    expect(reported.errors).toBeUndefined();
    expect((await ok(app, POST, { id: newPost })).node.active.totalCount).toBe(1);
  });

  test('a change that keeps the community keeps the report', async () => {
    const { personId, postId } = await reportedMember('不搬家党员');
    await ok(app, `mutation($id: ID!, $c: ID!) { updatePerson(id: $id, input: { residenceCommunityId: $c, name: "不搬家党员甲" }) { id } }`, { id: personId, c: w.communityId });
    expect(await rawRow(app, 'person', personId)).toMatchObject({ reported_on: TODAY, organization_id: dbId(orgs.gridBranchId) });
    expect((await ok(app, POST, { id: postId })).node.active.totalCount).toBe(1);
  });
});

describe('claimServicePost and endPostClaim', () => {
  test('a reported member claims another post of their community; claiming it again is a CONFLICT', async () => {
    const { personId } = await reportedMember('孙志强');
    const postId = await createServicePost(app, { communityId: w.communityId, title: '政策宣传员', capacity: 2 });
    const claim = (await ok(app, CLAIM, { input: { postId, personId } })).claimServicePost;
    expect(claim).toEqual({ id: expect.any(String), status: 'ACTIVE', claimedOn: TODAY, post: { id: postId }, person: { id: personId } });
    const again = await expectNothingWritten(app, () => app.execute(CLAIM, { input: { postId, personId } }), [{ table: 'post_claim', id: claim.id }]);
    expectError(again, 'CONFLICT', 'input.personId');
  });

  test('a claim after reading the post in the same document reads the places it left, not the ones read before', async () => {
    const { personId } = await reportedMember('郑海燕');
    const postId = await createServicePost(app, { communityId: w.communityId, title: '文明劝导员', capacity: 3 });
    // As a dashboard writes it: the post read by the first field, claimed by the second.
    const data = await ok(app, `mutation($input: ClaimServicePostInput!, $postId: ID!) {
      updated: updateServicePost(id: $postId, input: { title: "文明劝导员" }) { remaining claimCount }
      claimServicePost(input: $input) { status post { remaining claimCount } }
    }`, { input: { postId, personId }, postId });
    expect(data.updated).toEqual({ remaining: 3, claimCount: 0 });
    expect(data.claimServicePost).toEqual({ status: 'ACTIVE', post: { remaining: 2, claimCount: 1 } });
  });

  test('refuses people who have not reported to the post\'s community, and bad ids; nothing written', async () => {
    const postId = await createServicePost(app, { communityId: w.communityId, title: '调解员', capacity: 2 });
    const notReported = await createMember(app, { name: '未报到党员', communityId: w.communityId, employerUnitId: w.units.hospitalId });
    const { personId: reportedHere } = await reportedMember('幸福里党员');
    const otherPost = await createServicePost(app, { communityId: w.otherCommunityId, title: '和平里调解员', capacity: 2 });
    const cases: [Record<string, string>, string, string][] = [
      [{ postId, personId: notReported }, 'BAD_USER_INPUT', 'input.personId'],
      [{ postId: otherPost, personId: reportedHere }, 'BAD_USER_INPUT', 'input.personId'],
      [{ postId: toGlobalId('ServicePost', 999999), personId: reportedHere }, 'NOT_FOUND', 'input.postId'],
      [{ postId, personId: toGlobalId('Person', 999999) }, 'NOT_FOUND', 'input.personId'],
      [{ postId: w.communityId, personId: reportedHere }, 'BAD_USER_INPUT', 'input.postId'],
      [{ postId, personId: 'not-an-id!' }, 'BAD_USER_INPUT', 'input.personId'],
    ];
    for (const [input, code, field] of cases) {
      expectError(await expectNothingWritten(app, () => app.execute(CLAIM, { input })), code, field);
    }
  });

  test('capacity holds under concurrency: 8 members race for 3 places, exactly 3 win', async () => {
    const postId = await createServicePost(app, { communityId: w.communityId, title: '疫情防控志愿者', capacity: 3 });
    const members: string[] = [];
    for (let i = 0; i < 8; i += 1) members.push((await reportedMember(`抢岗党员${i}`)).personId);
    const results = await Promise.all(members.map((personId) => app.execute(CLAIM, { input: { postId, personId } })));
    const won = results.filter((r) => !r.errors);
    expect(won.length).toBe(3);
    for (const lost of results.filter((r) => r.errors)) expectError(lost, 'CONFLICT', 'input.postId');
    const post = (await ok(app, POST, { id: postId })).node;
    expect(post).toMatchObject({ capacity: 3, claimCount: 3, remaining: 0, claims: { totalCount: 3 }, active: { totalCount: 3 } });
  });

  test('the same person claiming one post 5 times at once gets exactly one claim', async () => {
    const { personId } = await reportedMember('重复认领党员');
    const postId = await createServicePost(app, { communityId: w.communityId, title: '楼长助理', capacity: 10 });
    const results = await Promise.all(Array.from({ length: 5 }, () => app.execute(CLAIM, { input: { postId, personId } })));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    for (const lost of results.filter((r) => r.errors)) expectError(lost, 'CONFLICT', 'input.personId');
    expect((await ok(app, POST, { id: postId })).node.claimCount).toBe(1);
  });

  test('ending a claim frees its place; ending it again is an ILLEGAL_TRANSITION; claiming again is a new claim, the ended one kept with its end day', async () => {
    const postId = await createServicePost(app, { communityId: w.communityId, title: '独居老人探访员', capacity: 1 });
    const { personId } = await reportedMember('郑海', postId);
    // A second post, so leaving this one keeps the member holding one (双报到: every reported member holds a post).
    await ok(app, CLAIM, { input: { postId: await createServicePost(app, { communityId: w.communityId, title: '郑海的另一岗位', capacity: 1 }), personId } });
    const { personId: waiting } = await reportedMember('冯雪');
    const claimId = (await ok(app, POST, { id: postId })) && (await app.orm.em.fork().execute<{ id: number }[]>('select id from post_claim where post_id = ? and person_id = ?', [dbId(postId), dbId(personId)]))[0].id;
    const globalClaimId = toGlobalId('PostClaim', claimId);
    expectError(await app.execute(CLAIM, { input: { postId, personId: waiting } }), 'CONFLICT', 'input.postId');
    expect((await ok(app, END, { id: globalClaimId })).endPostClaim).toEqual({ id: globalClaimId, status: 'ENDED' });
    expect((await ok(app, POST, { id: postId })).node).toMatchObject({ claimCount: 0, remaining: 1, claims: { totalCount: 1 }, active: { totalCount: 0 } });
    // Like every state machine's refused move (CLAIM_MOVES in service-post.rules.ts).
    const again = await expectNothingWritten(app, () => app.execute(END, { id: globalClaimId }), [{ table: 'post_claim', id: globalClaimId }]);
    expectError(again, 'ILLEGAL_TRANSITION', 'id');
    expect(again.errors![0].extensions).toMatchObject({ from: 'ENDED', action: 'end' });
    expectError(await app.execute(END, { id: toGlobalId('PostClaim', 999999) }), 'NOT_FOUND', 'id');
    expectError(await app.execute(END, { id: postId }), 'BAD_USER_INPUT', 'id');
    // The first holder takes the post back: a new claim; the ended one stays, with its end day, as
    // the record of the first term (a past year's member assessment reads it).
    const back = (await ok(app, CLAIM, { input: { postId, personId } })).claimServicePost;
    expect(back).toMatchObject({ status: 'ACTIVE' });
    expect(back.id).not.toBe(globalClaimId);
    expect((await ok(app, POST, { id: postId })).node).toMatchObject({ claimCount: 1, remaining: 0, claims: { totalCount: 2 }, active: { totalCount: 1 } });
    const ended = (await ok(app, `query($id: ID!) { node(id: $id) { ... on PostClaim { status claimedOn endedOn } } }`, { id: globalClaimId })).node;
    expect(ended).toEqual({ status: 'ENDED', claimedOn: expect.any(String), endedOn: todayInChina(app.clock.now()) });
    // Holding it, the second claim is the CONFLICT the first was.
    expectError(await app.execute(CLAIM, { input: { postId, personId } }), 'CONFLICT', 'input.personId');
  });
});

describe('a reported member holds at least one post (双报到)', () => {
  test('ending the last post a reported member holds is refused, naming id, and writes nothing; with another post held it ends', async () => {
    const { personId, postId } = await reportedMember('唯一岗位党员');
    const claimId = await claimIdOf(postId, personId);
    const refused = await expectNothingWritten(app, () => app.execute(END, { id: claimId }), [
      { table: 'post_claim', id: claimId },
      { table: 'person', id: personId },
    ]);
    expectError(refused, 'BAD_USER_INPUT', 'id');
    expect(await activeClaimCount(personId)).toBe(1);
    // Holding a second post, the member may leave the first.
    const second = await createServicePost(app, { communityId: w.communityId, title: '唯一岗位党员的新岗位', capacity: 1 });
    await ok(app, CLAIM, { input: { postId: second, personId } });
    expect((await ok(app, END, { id: claimId })).endPostClaim).toEqual({ id: claimId, status: 'ENDED' });
    expect(await activeClaimCount(personId)).toBe(1);
    // And now the second is the last one.
    expectError(await app.execute(END, { id: await claimIdOf(second, personId) }), 'BAD_USER_INPUT', 'id');
  });

  test('a member holding two posts ends both at once: one ends, the other is refused, one post is still held', async () => {
    const { personId, postId: first } = await reportedMember('同时退岗党员');
    const second = await createServicePost(app, { communityId: w.communityId, title: '同时退岗党员的第二岗位', capacity: 1 });
    await ok(app, CLAIM, { input: { postId: second, personId } });
    const claims = [await claimIdOf(first, personId), await claimIdOf(second, personId)];
    // Both ends are started while the person row is held, so they meet at whatever lock the service takes.
    const release = await hold(app, 'select id from person where id = $1 for update', [dbId(personId)]);
    let settled = 0;
    const ends = claims.map((id) => app.execute(END, { id }).finally(() => void (settled += 1)));
    try {
      await waiters(app, 2, () => settled === 2);
    } finally {
      await release();
    }
    const results = await Promise.all(ends);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expectError(results.find((r) => r.errors)!, 'BAD_USER_INPUT', 'id');
    expect(await activeClaimCount(personId)).toBe(1);
  });
});

describe('batching', () => {
  test('a page of posts with claims, people, balances, counts and community costs the same statements for 2 posts as for 12', async () => {
    for (let i = 0; i < 12; i += 1) {
      const postId = await createServicePost(app, { communityId: w.communityId, title: `批量岗位${i}`, capacity: 3 });
      await reportedMember(`批量党员${i}`, postId);
    }
    const QUERY = `query($first: Int) { servicePosts(first: $first, filter: { communityId: "${w.communityId}", search: "批量岗位" }) {
      edges { node { title claimCount remaining community { name reportedMemberCount } claims(first: 5) { totalCount edges { node { person { name pointBalance } post { title } } } } } }
    } }`;
    const few = await app.countStatements(() => ok(app, QUERY, { first: 2 }));
    const many = await app.countStatements(() => ok(app, QUERY, { first: 12 }));
    expect(many.length).toBe(few.length);
    // filter lookup, page, claim pages (2) and counts, active counts, communities, member counts, people, balances, posts
    expect(many.length).toBeLessThanOrEqual(12);
  });
});

describe('a reported member stays placed inside the community they live in, whatever moves (found by a review: moving their grid to another community took them along)', () => {
  const PATH = (id: string) => app.orm.em.fork().execute<{ path: string }[]>('select path from area where id = ?', [dbId(id)]).then((rows) => rows[0].path);
  const PLACED = (id: string) => app.orm.em.fork().execute<{ organization_id: number }[]>('select organization_id from person where id = ?', [dbId(id)]).then((rows) => rows[0].organization_id);

  test('moving the grid of their branch to another community, re-attaching the branch, or editing the member\'s organisation is refused and changes nothing; once they are placed elsewhere the grid moves', async () => {
    const grid = await createGrid(app, w.communityId, '待调整网格');
    const branch = await createPartyOrganization(app, { name: '待调整网格党支部', kind: 'BRANCH', areaId: grid, parentId: orgs.committeeId });
    const post = await createServicePost(app, { communityId: w.communityId, title: '网格联络员' });
    const member = await createMember(app, { name: '随网格', communityId: w.communityId, employerUnitId: w.units.hospitalId });
    await reportMember(app, { personId: member, communityId: w.communityId, organizationId: branch, postId: post });
    const pathBefore = await PATH(grid);

    const moved = await app.execute(`mutation($id: ID!, $p: ID!) { updateArea(id: $id, input: { parentId: $p }) { id } }`, { id: grid, p: w.otherCommunityId });
    expectError(moved, 'BAD_USER_INPUT', 'input.parentId');
    expect(moved.errors![0].message).toMatch(/1 reported member .*幸福里社区/);
    expect(await PATH(grid)).toBe(pathBefore);

    const reattached = await app.execute(`mutation($id: ID!, $a: ID!) { updatePartyOrganization(id: $id, input: { areaId: $a }) { id } }`, { id: branch, a: w.otherGridId });
    expectError(reattached, 'BAD_USER_INPUT', 'input.areaId');
    const rekinded = await app.execute(`mutation($id: ID!) { updatePartyOrganization(id: $id, input: { kind: COMMITTEE }) { id } }`, { id: branch });
    expectError(rekinded, 'BAD_USER_INPUT', 'input.kind');
    const elsewhere = await app.execute(`mutation($id: ID!, $o: ID!) { updatePerson(id: $id, input: { organizationId: $o }) { id } }`, { id: member, o: orgs.otherBranchId });
    expectError(elsewhere, 'BAD_USER_INPUT', 'input.organizationId');
    // Nor in no branch at all while reported (a review found organizationId: null let them out).
    const nowhere = await app.execute(`mutation($id: ID!) { updatePerson(id: $id, input: { organizationId: null }) { id } }`, { id: member });
    expectError(nowhere, 'BAD_USER_INPUT', 'input.organizationId');
    expect(await PLACED(member)).toBe(dbId(branch));

    // Placed in another branch of the community they live in: the grid (and its branch) may go, the
    // branch then under the committee of the community it moves to (area moves keep the party tree on its lines).
    await ok(app, `mutation($id: ID!, $o: ID!) { updatePerson(id: $id, input: { organizationId: $o }) { id } }`, { id: member, o: orgs.gridBranchId });
    const otherCommittee = await createPartyOrganization(app, { name: '另一社区党委', kind: 'COMMITTEE', areaId: w.otherCommunityId });
    await ok(app, `mutation($id: ID!, $p: ID!) { updateArea(id: $id, input: { parentId: $p }) { id } }`, { id: grid, p: w.otherCommunityId });
    expect(await PATH(grid)).not.toBe(pathBefore);
    const [{ parent_id: parentNow }] = await app.orm.em.fork().execute<{ parent_id: number }[]>('select parent_id from party_organization where id = ?', [dbId(branch)]);
    expect(parentNow).toBe(dbId(otherCommittee));
  });
});
