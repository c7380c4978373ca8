// A review found this: resourceMatches offered units that claimListItem then refused.
import { addListItem, categoryId, createPairing, createProblemList, expectNothingWritten } from '../helpers/closed-loop-fixtures';
import { buildTree, buildWorld, createUnit, expectError, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * 资源对接 ranks resources of units paired with the item's community or sitting in its street. A
 * unit claims only the items of a community it serves (assertUnitServes: paired with it today, or
 * seated in its alliance), so a same-street unit's match led to a claim that was refused, and a unit
 * seated in the alliance from elsewhere, who can claim, was not offered at all. Each match now says
 * whether its unit can claim (canClaim, from the same rule), claimants first at equal score.
 */

let app: TestApp;
let w: World;
let demand: string;
let r: Record<string, string>;
let u: Record<'paired' | 'seated', string>;
const MATCHES = `query($itemId: ID!, $first: Int) { resourceMatches(itemId: $itemId, first: $first) { resource { id title } unit { id } score reasons canClaim } }`;
const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id status unit { id } } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  await createPairing(app, w.units.hospitalId, w.communityId, '2026-01-01');
  // A unit with no area, paired with the community: same score as the unpaired police station below.
  u = { paired: await createUnit(app, { name: '结对企业', kind: 'ENTERPRISE' }), seated: '' };
  await createPairing(app, u.paired, w.communityId, '2026-01-01');
  // A unit from another street, seated in the community's alliance (1+N+X: an out-of-area member).
  const elsewhere = await buildTree(app);
  u.seated = await createUnit(app, { name: '外街道联盟单位', kind: 'ENTERPRISE', areaId: elsewhere.communityId });
  const alliance = (await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, { input: { areaId: w.communityId, model: 'ONE_THREE_N', name: '幸福里党建联盟' } })).createAlliance.id;
  await ok(app, `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id } }`, { input: { allianceId: alliance, unitId: u.seated, role: 'OUT_OF_AREA' } });

  const list = await createProblemList(app, w.communityId, '2026-03');
  const resource = (title: string, unitId: string, quantity: number) =>
    addListItem(app, { listId: list, kind: 'RESOURCE', title, unitId, categoryId: repair, resourceType: 'STAFF_HOURS', quantity });
  r = {
    hospital: await resource('医院维修班', w.units.hospitalId, 10),
    seated: await resource('联盟单位维修', u.seated, 10),
    police: await resource('派出所维修', w.units.policeStationId, 5),
    paired: await resource('结对企业维修', u.paired, 1),
    school: await resource('学校维修志愿', w.units.schoolId, 10),
  };
  demand = await addListItem(app, { listId: list, kind: 'DEMAND', title: '楼道维修', categoryId: repair, quantity: 3 });
});
afterAll(async () => app?.close());

test('each match says whether its unit can claim the item, claimants first at equal score; a unit seated in the alliance is offered', async () => {
  const matches = (await ok(app, MATCHES, { itemId: demand })).resourceMatches;
  expect(matches.map((m: any) => [m.resource.title, m.score, m.canClaim])).toEqual([
    ['医院维修班', 110, true], // same category 50 + paired 30 + in community 20 + covers 10
    ['联盟单位维修', 90, true], // same category 50 + seated in the alliance 30 + covers 10
    ['结对企业维修', 80, true], // same category 50 + paired 30; only 1 left of the 3 needed
    ['派出所维修', 80, false], // same category 50 + in community 20 + covers 10: more left, but cannot claim
    ['学校维修志愿', 70, false], // same category 50 + in street 10 + covers 10
  ]);
  expect(matches[1].reasons).toEqual(['same category (房屋维修)', 'seated in 幸福里社区\'s alliance', 'remaining 10 covers the 3 needed']);
});

test('a paired unit\'s match claims; a same-street unpaired unit\'s match is refused, as canClaim said', async () => {
  const matches = (await ok(app, MATCHES, { itemId: demand })).resourceMatches;
  const of = (resource: string) => matches.find((m: any) => m.resource.id === resource);
  expect(of(r.school).canClaim).toBe(false);
  expect(of(r.police).canClaim).toBe(false);
  expect(of(r.hospital).canClaim).toBe(true);

  for (const [unitId, resourceId] of [[w.units.schoolId, r.school], [w.units.policeStationId, r.police]]) {
    const refused = await expectNothingWritten(app, () => app.execute(CLAIM, { input: { itemId: demand, unitId, resourceId, quantity: 3 } }), [{ table: 'list_item', id: demand }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.unitId');
  }
  const claim = (await ok(app, CLAIM, { input: { itemId: demand, unitId: w.units.hospitalId, resourceId: r.hospital, quantity: 3 } })).claimListItem;
  expect(claim).toMatchObject({ status: 'CLAIMED', unit: { id: w.units.hospitalId } });
});

test('canClaim costs the same statements for 5 candidates as for 25 (one query for all, not one per unit)', async () => {
  const list = await createProblemList(app, w.communityId, '2026-04');
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  const item = await addListItem(app, { listId: list, kind: 'SERVICE', title: '维修', categoryId: repair });
  const count = async () => {
    let result: any;
    const statements = await app.countStatements(async () => {
      result = await app.execute(MATCHES, { itemId: item, first: 100 });
    });
    expect(result.errors).toBeUndefined();
    return { statements: statements.length, matches: result.data.resourceMatches };
  };
  const few = await count();
  for (let n = 0; n < 10; n += 1) {
    const unitId = await createUnit(app, { name: `街道单位${n}`, kind: 'ENTERPRISE', areaId: n % 2 ? w.otherCommunityId : w.communityId });
    if (n % 3 === 0) await createPairing(app, unitId, w.communityId, '2026-01-01');
    for (const k of [1, 2]) await addListItem(app, { listId: list, kind: 'RESOURCE', title: `资源${n}-${k}`, unitId, categoryId: repair, resourceType: 'STAFF_HOURS', quantity: 5 });
  }
  const many = await count();
  expect(many.matches.length).toBe(few.matches.length + 20);
  expect(many.matches.filter((m: any) => m.canClaim)).toHaveLength(few.matches.filter((m: any) => m.canClaim).length + 8);
  expect(many.statements).toBe(few.statements);
});
