/**
 * Found by a review of the placement locks. lockPlacementAreas and reportMember lock the community,
 * then the organisation's area, "an ancestor before its subtree, the order a move updates them in".
 * A move of a *street* (or anything above the community) updates the community and its grid in one
 * statement (`update area set path = … where path like …`), whose order is the scan's, not the tree's:
 * on a small, analysed area table it is a sequential scan in physical order, and a community row
 * updated after its grids were created (a rename) lies after them. The move then holds the grid and
 * waits for the community, while reportMember holds the community (FOR SHARE) and waits for the grid:
 * a deadlock, which PostgreSQL breaks after deadlock_timeout and inTransaction then runs again — the
 * race "fixed to queue" that its own tests check by transactionRetriesSoFar() not moving. A move now
 * locks its subtree in id order before the bulk update.
 */
import { UPDATE_AREA } from '../operations/areas';
import { buildTree, buildWorld, createCommunity, createGrid, createPartyOrganization, createStreet, dbId, ok, type World } from '../helpers/fixtures';
import { createMember, createServicePost } from '../helpers/member-fixtures';
import { hold, waiters } from '../helpers/lock-race';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

const REPORT = `mutation($input: ReportMemberInput!) { reportMember(input: $input) { id reportedOn } }`;
const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';

test('reportMember racing a move of the street above the community queues, without a deadlock and a retry', async () => {
  const other = await buildTree(app);
  const street = await createStreet(app, w.districtId, '迁移街道');
  const community = await createCommunity(app, street, '迁移社区');
  const grid = await createGrid(app, community, '迁移社区第一网格');
  const branch = await createPartyOrganization(app, { name: '迁移网格党支部', kind: 'BRANCH', areaId: grid });
  const post = await createServicePost(app, { communityId: community, title: '岗位', capacity: 5 });
  const person = await createMember(app, { name: '报到党员', communityId: community, employerUnitId: w.units.hospitalId });
  // An ordinary edit of the community (its name): its row now lies after its grid's.
  await ok(app, UPDATE_AREA, { id: community, input: { name: '迁移社区（更名）' } });
  await app.orm.em.fork().execute('analyze area');

  const retriesBefore = transactionRetriesSoFar();
  // Hold the branch so the report stops between its community lock and its grid lock.
  const release = await hold(app, 'select id from party_organization where id = $1 for update', [dbId(branch)]);
  let reported, moved;
  try {
    reported = app.execute(REPORT, { input: { personId: person, communityId: community, organizationId: branch, postId: post } });
    await waiters(app, 1);
    moved = app.execute(UPDATE_AREA, { id: street, input: { parentId: other.districtId } });
    await waiters(app, 2);
  } finally {
    await release();
  }
  const results = { reported: code(await reported!), moved: code(await moved!) };
  expect({ ...results, retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ reported: 'OK', moved: 'OK', retries: 0 });
});
