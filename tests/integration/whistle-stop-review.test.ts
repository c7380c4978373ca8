import { toGlobalId } from '../../src/common/global-id';
import { Community } from '../../src/modules/area/area.entity';
import { Role } from '../../src/modules/identity/role';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from '../../src/modules/list/list.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { Whistle } from '../../src/modules/whistle/whistle.entity';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { buildTree, buildUnits, dbId, ok, type Tree, type Units } from '../helpers/fixtures';
import { gridSanitation } from '../helpers/whistle-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Review of 794c32a (a whistle's clock stops when its matter is finished; a member who held a
 * request past their due time stays late when it is taken from them).
 */

let app: TestApp;
let tree: Tree;
let units: Units;
let categoryId = '';
let hours = 0;
const HOUR = 3600_000;
const at = (local: string) => new Date(`${local}+08:00`);

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2025-03-01T09:00:00'));
  tree = await buildTree(app);
  units = await buildUnits(app, tree);
  ({ categoryId, hours } = await gridSanitation(app));
});
afterAll(async () => {
  await app?.close();
});

async function newRequest(): Promise<{ id: string; dueAt: string }> {
  const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id dueAt } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: tree.gridId },
  });
  return data.createRequest;
}

async function newMember(name: string): Promise<string> {
  const em = app.orm.em.fork();
  const person = em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: dbId(tree.communityId), reportedOn: '2025-01-01' });
  await em.flush();
  return toGlobalId('Person', person.id);
}

const step = async (mutation: string, id: string, input?: Record<string, unknown>, inputType?: string) =>
  (await ok(app, `mutation($id: ID!${input ? `, $input: ${inputType}` : ''}) { ${mutation}(id: $id${input ? ', input: $input' : ''}) { status dueAt assigneeDueAt } }`, { id, input }))[mutation];
const dispatch = (id: string, personId: string) => step('dispatchRequest', id, { assigneePersonId: personId }, 'DispatchRequestInput!');
const handBack = (id: string) => step('returnRequest', id, { reason: '不在我的服务范围' }, 'ReasonStepInput!');

const requestsPart = async (personId: string) => {
  const saved = app.clock.now();
  app.clock.set(at('2026-01-15T10:00:00'));
  const data = await ok(app, `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } requests { numerator denominator } } }`, {
    input: { communityId: tree.communityId, year: 2025 },
  });
  app.clock.set(saved);
  return data.memberAssessments.find((row: any) => row.person.id === personId).requests;
};

const ledgerOf = async (id: string) =>
  (await ok(app, `query($id: ID!) { node(id: $id) { ... on Request { events { edges { node { kind data } } } } } }`, { id })).node.events.edges.map((e: any) => e.node);

const stoppedAt = async (whistleId: string) => (await app.orm.em.fork().findOneOrFail(Whistle, { id: dbId(whistleId) })).stoppedAt ?? null;

describe('the whistle stops whoever blew it', () => {
  const BLOW = `mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { id } }`;

  test('a community staff member rejecting a request stops the street\'s whistle on it too (街乡吹哨)', async () => {
    app.clock.set(at('2025-05-01T09:00:00'));
    const request = await newRequest();
    const byStreet = (await ok(app, BLOW, { input: { requestId: request.id, blownById: tree.streetId, letter: '街道吹哨函', unitIds: [units.policeStationId] } })).blowWhistle;
    const byCommunity = (await ok(app, BLOW, { input: { requestId: request.id, blownById: tree.communityId, letter: '社区吹哨函', unitIds: [units.hospitalId] } })).blowWhistle;
    app.clock.set(at('2025-05-01T11:00:00'));
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, tree.communityId)]);
    const result = await app.execute(`mutation($id: ID!) { rejectRequest(id: $id, input: { reason: "不属于受理范围" }) { status } }`, { id: request.id }, staff);
    expect(result.errors).toBeUndefined();
    expect(await stoppedAt(byCommunity.id)).toEqual(at('2025-05-01T11:00:00'));
    expect(await stoppedAt(byStreet.id)).toEqual(at('2025-05-01T11:00:00'));
  });

  test('a community staff member closing a problem stops the street\'s whistle on it too', async () => {
    app.clock.set(at('2025-05-02T09:00:00'));
    const em = app.orm.em.fork();
    const list = em.create(ProblemList, { community: em.getReference(Community, dbId(tree.communityId)), period: '2025-05', startsOn: '2025-05-01', endsOn: '2025-05-31', title: '五月问题清单' });
    const problem = em.create(ListItem, { list, kind: ListItemKind.PROBLEM, title: '违规占用消防通道', status: ListItemStatus.OPEN });
    await em.flush();
    const problemId = toGlobalId('ListItem', problem.id);
    const byStreet = (await ok(app, BLOW, { input: { problemId, blownById: tree.streetId, letter: '街道吹哨函', unitIds: [units.policeStationId] } })).blowWhistle;
    app.clock.set(at('2025-05-02T12:00:00'));
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, tree.communityId)]);
    const result = await app.execute(`mutation($id: ID!) { closeProblem(id: $id, note: "已清理") { status } }`, { id: problemId }, staff);
    expect(result.errors).toBeUndefined();
    expect(await stoppedAt(byStreet.id)).toEqual(at('2025-05-02T12:00:00'));
  });
});

describe('a member late with a request counts once for it', () => {
  test('taken from them late, then dispatched to them again: one request, still late', async () => {
    const member = await newMember('党员甲');
    app.clock.set(at('2025-06-01T10:00:00'));
    const request = await newRequest();
    const dueAt = new Date(request.dueAt);
    await dispatch(request.id, member);
    app.clock.set(new Date(dueAt.getTime() + 2 * HOUR));
    await handBack(request.id);
    app.clock.set(new Date(dueAt.getTime() + 3 * HOUR));
    await dispatch(request.id, member);
    await step('takeRequest', request.id);
    app.clock.set(new Date(dueAt.getTime() + 4 * HOUR));
    await step('resolveRequest', request.id);
    expect(await requestsPart(member)).toEqual({ numerator: 0, denominator: 1 });
  });

  test('taken from them late twice: one request', async () => {
    const member = await newMember('党员乙');
    app.clock.set(at('2025-06-10T10:00:00'));
    const request = await newRequest();
    const dueAt = new Date(request.dueAt);
    await dispatch(request.id, member);
    app.clock.set(new Date(dueAt.getTime() + HOUR));
    await handBack(request.id);
    await dispatch(request.id, member); // a fresh due time of their own, which they miss too
    app.clock.set(new Date(dueAt.getTime() + (hours + 2) * HOUR));
    await handBack(request.id);
    expect((await ledgerOf(request.id)).filter((e: any) => e.data.lateAssignee).length).toBe(2);
    expect(await requestsPart(member)).toEqual({ numerator: 0, denominator: 1 });
  });
});

describe('a reopened request is back in the owning level\'s queue', () => {
  /** Dispatched to `member`, resolved, reopened; then the clock stands past the fresh due time, the request not yet dispatched again. */
  async function reopenedAndLeft(member: string, day: string): Promise<string> {
    app.clock.set(at(`${day}T10:00:00`));
    const request = await newRequest();
    await dispatch(request.id, member);
    await step('takeRequest', request.id);
    app.clock.set(at(`${day}T12:00:00`));
    await step('resolveRequest', request.id);
    app.clock.set(new Date(at(`${day}T12:00:00`).getTime() + 24 * HOUR));
    const reopened = await step('reopenRequest', request.id, { reason: '问题复发' }, 'ReasonStepInput!');
    // The member cannot act on it now (not theirs to take, resolve or hand back): only a dispatch moves it on.
    app.clock.set(new Date(new Date(reopened.dueAt).getTime() + 5 * HOUR));
    return request.id;
  }

  test('dispatched to another member late: the one who resolved it is not recorded late', async () => {
    const first = await newMember('党员丙');
    const second = await newMember('党员丁');
    const id = await reopenedAndLeft(first, '2025-07-01');
    await dispatch(id, second);
    const redispatch = (await ledgerOf(id)).filter((e: any) => e.kind === 'DISPATCHED').pop();
    expect(redispatch.data.lateAssignee).toBeUndefined();
    expect(await requestsPart(first)).toEqual({ numerator: 0, denominator: 0 });
  });

  test('escalated late: the one who resolved it is not recorded late', async () => {
    const first = await newMember('党员戊');
    const id = await reopenedAndLeft(first, '2025-07-10');
    await step('escalateRequest', id, { reason: '社区无法处置' }, 'ReasonStepInput!');
    const escalation = (await ledgerOf(id)).find((e: any) => e.kind === 'ESCALATED');
    expect(escalation.data.lateAssignee).toBeUndefined();
  });

  test('while it waits in the queue, it does not count against the member either (one rule: HELD_BY_ASSIGNEE)', async () => {
    const first = await newMember('党员己');
    await reopenedAndLeft(first, '2025-07-20');
    expect(await requestsPart(first)).toEqual({ numerator: 0, denominator: 0 });
  });
});
