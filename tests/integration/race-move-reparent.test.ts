/**
 * Concurrency review of today's area move re-parenting party organisations (reparentAfterAreaMove).
 *
 * Defect: the move now writes party_organization rows (the strays it re-parents) after it has
 * written the area rows of its subtree. reportMember and updatePerson (organizationId) held the
 * organisation FOR SHARE before taking its area FOR SHARE (lockPlacementAreas): a report into a
 * grid branch racing the move of its grid to another community held the branch and waited for the
 * grid the move had written, while the move held the grid and waited to re-parent the branch — a
 * deadlock, broken after deadlock_timeout and hidden by inTransaction's retry. They now take the
 * areas before the organisation (rows: areas, then organisations, as a move writes them), and queue.
 *
 * Verified, not defects: createPartyOrganization / updatePartyOrganization racing the move take
 * the party-tree lock before reading anything, so they run before or after it, and the nesting
 * rule holds after both commit.
 */
import { UPDATE_AREA } from '../operations/areas';
import { buildWorld, createCommunity, createGrid, createPartyOrganization, dbId, uniqueCode, type World } from '../helpers/fixtures';
import { createMember, createServicePost } from '../helpers/member-fixtures';
import { hold, race, waiters } from '../helpers/lock-race';
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
const UPDATE_PERSON = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`;
const CREATE_ORG = `mutation($input: CreatePartyOrganizationInput!) { createPartyOrganization(input: $input) { id } }`;
const UPDATE_ORG = `mutation($id: ID!, $input: UpdatePartyOrganizationInput!) { updatePartyOrganization(id: $id, input: $input) { id } }`;
const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';

let seq = 0;
/** Two communities with a committee each; a grid of the first with a branch under the first's committee. */
async function scene() {
  const from = await createCommunity(app, w.streetId, `迁出社区${++seq}`);
  const to = await createCommunity(app, w.streetId, `迁入社区${seq}`);
  const grid = await createGrid(app, from, `迁移网格${seq}`);
  const oldCommittee = await createPartyOrganization(app, { name: `迁出社区党委${seq}`, kind: 'COMMITTEE', areaId: from });
  const newCommittee = await createPartyOrganization(app, { name: `迁入社区党委${seq}`, kind: 'COMMITTEE', areaId: to });
  const branch = await createPartyOrganization(app, { name: `迁移网格党支部${seq}`, kind: 'BRANCH', areaId: grid, parentId: oldCommittee });
  const post = await createServicePost(app, { communityId: from, title: `岗位${seq}`, capacity: 5 });
  return { from, to, grid, oldCommittee, newCommittee, branch, post };
}

/** Organisations whose parent sits off their line of the area tree, or under a group: none, ever. */
async function nestingBreaches(): Promise<number> {
  const [{ n }] = await app.orm.em.fork().execute<{ n: number }[]>(
    `select count(*)::int as n from party_organization o join area oa on oa.id = o.area_id
       join party_organization p on p.id = o.parent_id join area pa on pa.id = p.area_id
      where p.kind = 'GROUP' or not (oa.path like pa.path || '%' or pa.path like oa.path || '%')`,
  );
  return n;
}

/** Holds the branch's row so the member's write stops at it, starts the move, and releases once both wait. */
async function raceMoveAgainst(branch: string, write: () => Promise<any>, move: () => Promise<any>) {
  const release = await hold(app, 'select id from party_organization where id = $1 for update', [dbId(branch)]);
  let written, moved;
  try {
    written = write();
    await waiters(app, 1);
    moved = move();
    await waiters(app, 2);
  } finally {
    await release();
  }
  return { written: code(await written!), moved: code(await moved!) };
}

test('reportMember into a grid branch racing the move of its grid to another community queues: no deadlock, no retry', async () => {
  const s = await scene();
  const person = await createMember(app, { name: `报到党员${seq}`, communityId: s.from, employerUnitId: w.units.hospitalId });
  const retriesBefore = transactionRetriesSoFar();
  const results = await raceMoveAgainst(
    s.branch,
    () => app.execute(REPORT, { input: { personId: person, communityId: s.from, organizationId: s.branch, postId: s.post } }),
    () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.to } }),
  );
  // The report came first: the move would take its member out of their community, and is refused.
  expect({ ...results, retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ written: 'OK', moved: 'BAD_USER_INPUT', retries: 0 });
  expect(await nestingBreaches()).toBe(0);
});

test('updatePerson placing a reported member in a grid branch racing the move of its grid queues: no deadlock, no retry', async () => {
  const s = await scene();
  const otherGrid = await createGrid(app, s.from, `留守网格${seq}`);
  const otherBranch = await createPartyOrganization(app, { name: `留守网格党支部${seq}`, kind: 'BRANCH', areaId: otherGrid, parentId: s.oldCommittee });
  const person = await createMember(app, { name: `改派党员${seq}`, communityId: s.from, employerUnitId: w.units.hospitalId });
  expect(code(await app.execute(REPORT, { input: { personId: person, communityId: s.from, organizationId: otherBranch, postId: s.post } }))).toBe('OK');
  const retriesBefore = transactionRetriesSoFar();
  const results = await raceMoveAgainst(
    s.branch,
    () => app.execute(UPDATE_PERSON, { id: person, input: { organizationId: s.branch } }),
    () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.to } }),
  );
  expect({ ...results, retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ written: 'OK', moved: 'BAD_USER_INPUT', retries: 0 });
});

const partyTreeLock: [string, unknown[]] = [`select pg_advisory_xact_lock(hashtext('party_tree'))`, []];

test.each([
  ['the move first', true],
  ['the creation first', false],
])('createPartyOrganization under the old committee on the moved grid, racing the move (%s): the nesting rule holds', async (_, moveFirst) => {
  const s = await scene();
  const retriesBefore = transactionRetriesSoFar();
  const move = () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.to } });
  const create = () => app.execute(CREATE_ORG, { input: { name: `新网格党支部${seq}`, code: uniqueCode("DZ"), kind: 'BRANCH', areaId: s.grid, parentId: s.oldCommittee } });
  const [first, second] = await race(app, partyTreeLock, moveFirst ? move : create, moveFirst ? create : move);
  const [moved, created] = moveFirst ? [first, second] : [second, first];
  // Move first: the grid is the new community's, the old committee is off its line (refused).
  // Creation first: the move re-parents both branches under the new committee.
  expect({ moved: code(moved), created: code(created) }).toEqual(moveFirst ? { moved: 'OK', created: 'BAD_USER_INPUT' } : { moved: 'OK', created: 'OK' });
  expect(transactionRetriesSoFar() - retriesBefore).toBe(0);
  expect(await nestingBreaches()).toBe(0);
});

test.each([
  ['the move first', true],
  ['the update first', false],
])('updatePartyOrganization making the new community\'s committee a group, racing the move (%s): no group gains a child', async (_, moveFirst) => {
  const s = await scene();
  const retriesBefore = transactionRetriesSoFar();
  const move = () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.to } });
  const regroup = () => app.execute(UPDATE_ORG, { id: s.newCommittee, input: { kind: 'GROUP' } });
  const [first, second] = await race(app, partyTreeLock, moveFirst ? move : regroup, moveFirst ? regroup : move);
  const [moved, updated] = moveFirst ? [first, second] : [second, first];
  // Move first: the committee now has the branch as a child, and cannot become a group.
  // Update first: no committee or branch is left on the new community to take the branch (CONFLICT).
  expect({ moved: code(moved), updated: code(updated) }).toEqual(moveFirst ? { moved: 'OK', updated: 'BAD_USER_INPUT' } : { moved: 'CONFLICT', updated: 'OK' });
  expect(transactionRetriesSoFar() - retriesBefore).toBe(0);
  expect(await nestingBreaches()).toBe(0);
});

test.each([
  ['the move first', true],
  ['the re-attachment first', false],
])('updatePartyOrganization re-attaching the branch to the old community, racing the move of its grid (%s): the nesting rule holds', async (_, moveFirst) => {
  const s = await scene();
  const retriesBefore = transactionRetriesSoFar();
  const move = () => app.execute(UPDATE_AREA, { id: s.grid, input: { parentId: s.to } });
  const reattach = () => app.execute(UPDATE_ORG, { id: s.branch, input: { areaId: s.grid, parentId: s.oldCommittee } });
  const [first, second] = await race(app, partyTreeLock, moveFirst ? move : reattach, moveFirst ? reattach : move);
  const [moved, updated] = moveFirst ? [first, second] : [second, first];
  expect({ moved: code(moved), updated: code(updated) }).toEqual(moveFirst ? { moved: 'OK', updated: 'BAD_USER_INPUT' } : { moved: 'OK', updated: 'OK' });
  expect(transactionRetriesSoFar() - retriesBefore).toBe(0);
  expect(await nestingBreaches()).toBe(0);
});
