/**
 * Review of check-then-write races: an alliance given its leading organisation while an area move
 * carries that organisation (or the alliance's area) elsewhere. createAlliance / updateAlliance read
 * the areas plainly and check assertLeadershipsHold against the paths committed so far; the move
 * checks the alliances committed so far. A move that had passed its check and not yet committed let
 * an alliance be created (or re-led) with a lead it was about to take out of the alliance's area:
 * both committed and the rule broke. The alliance write now locks the alliance's area and the
 * lead's area FOR SHARE before the organisation (areas before organisations, as placements do).
 *
 * Lock order (found on the way): a grid moved into a newer community has a lower id. A move of the
 * street above locked its subtree in id order (the grid first), while reportMember and updatePerson
 * (lockPlacementAreas) took the community, then the grid: a deadlock, hidden by inTransaction's
 * retry. Area rows are now locked in id order everywhere: the move (its own row included, before
 * any is written) and lockPlacementAreas (one statement), which the alliance fix uses too.
 */
import { UPDATE_AREA } from '../operations/areas';
import { buildTree, createCommunity, createGrid, createPartyOrganization, createStreet, createUnit, dbId, ok, type Tree } from '../helpers/fixtures';
import { REPORT, createMember, createServicePost } from '../helpers/member-fixtures';
import { race } from '../helpers/lock-race';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let t: Tree;

beforeAll(async () => {
  app = await createTestApp();
  t = await buildTree(app);
});
afterAll(async () => app?.close());

const CREATE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAllianceInput!) { updateAlliance(id: $id, input: $input) { id } }`;
const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';

/** Alliances whose leading organisation sits outside the alliance's area (what assertLeadershipsHold refuses). */
async function breaches(community: string): Promise<number> {
  const [{ n }] = await app.orm.em.fork().execute<{ n: number }[]>(
    `select count(*)::int as n from alliance al join area aa on aa.id = al.area_id
       join party_organization o on o.id = al.lead_organization_id join area oa on oa.id = o.area_id
      where al.area_id = ? and oa.path not like aa.path || '%'`, [dbId(community)]);
  return n;
}

let seq = 0;
/**
 * A community with a committee, a grid of it carrying the would-be lead (a branch with no parent)
 * and a stray (a branch under the committee, which the move re-parents: held, it stops the move
 * after its own leadership check); a second community with a committee to take the stray.
 */
async function scene() {
  const n = ++seq;
  const community = await createCommunity(app, t.streetId, `联盟迁移社区${n}`);
  const target = await createCommunity(app, t.streetId, `联盟迁入社区${n}`);
  const committee = await createPartyOrganization(app, { name: `联盟迁移社区党委${n}`, kind: 'COMMITTEE', areaId: community });
  await createPartyOrganization(app, { name: `联盟迁入社区党委${n}`, kind: 'COMMITTEE', areaId: target });
  const grid = await createGrid(app, community, `联盟迁移网格${n}`);
  const lead = await createPartyOrganization(app, { name: `网格党支部${n}`, kind: 'BRANCH', areaId: grid });
  const stray = await createPartyOrganization(app, { name: `网格功能党支部${n}`, kind: 'BRANCH', areaId: grid, parentId: committee });
  return { community, target, grid, lead, stray };
}

describe('an alliance led from a grid that is moving to another community', () => {
  test('createAlliance during the move: the rule holds after both commit, without a retry', async () => {
    const s = await scene();
    const retries = transactionRetriesSoFar();
    const [moved, created] = await race(app, ['select 1 from party_organization where id = $1 for update', [dbId(s.stray)]],
      () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.target } }),
      () => app.execute(CREATE, { input: { areaId: s.community, name: `迁移中联盟${seq}`, model: 'ONE_THREE_N', leadOrganizationId: s.lead } }));
    expect({ moved: code(moved), created: code(created), breaches: await breaches(s.community), retries: transactionRetriesSoFar() - retries })
      .toEqual({ moved: 'OK', created: 'BAD_USER_INPUT', breaches: 0, retries: 0 });
  });

  test('updateAlliance giving that lead during the move: the rule holds after both commit, without a retry', async () => {
    const s = await scene();
    const id = (await ok(app, CREATE, { input: { areaId: s.community, name: `待定联盟${seq}`, model: 'ONE_N_X' } })).createAlliance.id;
    const retries = transactionRetriesSoFar();
    const [moved, updated] = await race(app, ['select 1 from party_organization where id = $1 for update', [dbId(s.stray)]],
      () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.target } }),
      () => app.execute(UPDATE, { id, input: { leadOrganizationId: s.lead } }));
    expect({ moved: code(moved), updated: code(updated), breaches: await breaches(s.community), retries: transactionRetriesSoFar() - retries })
      .toEqual({ moved: 'OK', updated: 'BAD_USER_INPUT', breaches: 0, retries: 0 });
  });

  test('the alliance started first: one of the two is refused, and the rule holds', async () => {
    const s = await scene();
    // The alliance stops on its lead's row (held), after taking the areas it checks; the move comes meanwhile.
    const retries = transactionRetriesSoFar();
    const [created, moved] = await race(app, ['select 1 from party_organization where id = $1 for update', [dbId(s.lead)]],
      () => app.execute(CREATE, { input: { areaId: s.community, name: `先建联盟${seq}`, model: 'ONE_THREE_N', leadOrganizationId: s.lead } }),
      () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.target } }));
    expect([code(created), code(moved)].sort()).toEqual(['BAD_USER_INPUT', 'OK']);
    expect({ breaches: await breaches(s.community), retries: transactionRetriesSoFar() - retries }).toEqual({ breaches: 0, retries: 0 });
  });
});

/**
 * A grid made first (in another community), then moved into a newer community: its id is lower
 * than its community's. A move of the street above locks the subtree in id order, the grid before
 * the community; a writer locking the community, then the grid (ancestor first) deadlocked with it.
 */
async function olderGrid() {
  const n = ++seq;
  const other = await buildTree(app);
  const street = await createStreet(app, t.districtId, `迁移街道${n}`);
  const first = await createCommunity(app, street, `先建社区${n}`);
  const grid = await createGrid(app, first, `老网格${n}`);
  const community = await createCommunity(app, street, `后建社区${n}`);
  await ok(app, UPDATE_AREA, { id: grid, input: { parentId: community } });
  expect(dbId(grid)).toBeLessThan(dbId(community));
  const branch = await createPartyOrganization(app, { name: `老网格党支部${n}`, kind: 'BRANCH', areaId: grid });
  return { n, otherDistrict: other.districtId, street, community, grid, branch };
}

describe('lock order against a move of the street above, with the grid older than its community', () => {
  // The grid held: the move waits for it (holding the street, not yet the community); the writer
  // comes meanwhile and must not take the community before the grid.
  test('createAlliance led from the grid queues behind the move, without a deadlock and a retry', async () => {
    const s = await olderGrid();
    const retries = transactionRetriesSoFar();
    const [moved, created] = await race(app, ['select 1 from area where id = $1 for update', [dbId(s.grid)]],
      () => app.execute(UPDATE_AREA, { id: s.street, input: { parentId: s.otherDistrict } }),
      () => app.execute(CREATE, { input: { areaId: s.community, name: `老网格联盟${s.n}`, model: 'ONE_THREE_N', leadOrganizationId: s.branch } }));
    expect({ moved: code(moved), created: code(created), breaches: await breaches(s.community), retries: transactionRetriesSoFar() - retries })
      .toEqual({ moved: 'OK', created: 'OK', breaches: 0, retries: 0 });
  });

  test('reportMember into the grid\'s branch queues behind the move, without a deadlock and a retry', async () => {
    const s = await olderGrid();
    const unit = await createUnit(app, { name: `报到单位${s.n}`, kind: 'AGENCY' });
    const post = await createServicePost(app, { communityId: s.community, title: '楼栋长', capacity: 5 });
    const person = await createMember(app, { name: `报到党员${s.n}`, communityId: s.community, employerUnitId: unit });
    const retries = transactionRetriesSoFar();
    const [moved, reported] = await race(app, ['select 1 from area where id = $1 for update', [dbId(s.grid)]],
      () => app.execute(UPDATE_AREA, { id: s.street, input: { parentId: s.otherDistrict } }),
      () => app.execute(REPORT, { input: { personId: person, communityId: s.community, organizationId: s.branch, postId: post } }));
    expect({ moved: code(moved), reported: code(reported), retries: transactionRetriesSoFar() - retries })
      .toEqual({ moved: 'OK', reported: 'OK', retries: 0 });
  });

  test('updatePerson placing a reported member in the grid\'s branch queues behind the move, without a deadlock and a retry', async () => {
    const s = await olderGrid();
    const unit = await createUnit(app, { name: `改派单位${s.n}`, kind: 'AGENCY' });
    const post = await createServicePost(app, { communityId: s.community, title: '楼栋长', capacity: 5 });
    const person = await createMember(app, { name: `改派党员${s.n}`, communityId: s.community, employerUnitId: unit });
    const newer = await createGrid(app, s.community, `新网格${s.n}`);
    const before = await createPartyOrganization(app, { name: `新网格党支部${s.n}`, kind: 'BRANCH', areaId: newer });
    await ok(app, REPORT, { input: { personId: person, communityId: s.community, organizationId: before, postId: post } });
    const retries = transactionRetriesSoFar();
    const [moved, updated] = await race(app, ['select 1 from area where id = $1 for update', [dbId(s.grid)]],
      () => app.execute(UPDATE_AREA, { id: s.street, input: { parentId: s.otherDistrict } }),
      () => app.execute(`mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id: person, input: { organizationId: s.branch } }));
    expect({ moved: code(moved), updated: code(updated), retries: transactionRetriesSoFar() - retries })
      .toEqual({ moved: 'OK', updated: 'OK', retries: 0 });
  });
});
