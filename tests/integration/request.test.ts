import { toGlobalId } from '../../src/common/global-id';
import { PointEntry } from '../../src/modules/points/points.entity';
import { Request, RequestEvent, RequestStatus } from '../../src/modules/request/request.entity';
import { replayLedger, snapshot } from '../../src/modules/request/request.ledger';
import { RequestAction, TRANSITIONS } from '../../src/modules/request/request.states';
import { entityManagerRunner, refreshRequestDaily } from '../../src/modules/service-data/rollups';
import type { Viewer } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { seedDemoCity } from '../../src/seed/demo-city';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { createPerson, createUnit, dbId } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let gridId: string;
let communityId: string;
let categoryId: string;
let memberId: string;
let unitId: string;
let unitWorkerId: string;

const HOUR = 3600_000;
const T0 = new Date('2026-03-02T01:00:00Z'); // a Monday morning in China

const FIELDS = 'id number status level version dueAt resolvedAt closedAt satisfaction isOverdue assigneePerson { id } assigneeUnit { id }';

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

async function createRequest(overrides: Record<string, unknown> = {}): Promise<any> {
  const data = await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { ${FIELDS} residentName residentPhone category { name } community { id } } }`, {
    input: { title: '楼道灯坏了', body: '3号楼2单元楼道灯不亮已经一周，老人晚上出行不便。', channel: 'GRID_PATROL', categoryId, areaId: gridId, residentGroup: 'ELDERLY', residentName: '王秀英', residentPhone: '13912345678', ...overrides },
  });
  return data.createRequest;
}

/** Runs one step mutation; returns the request or the first error. */
async function act(mutation: string, id: string, input?: Record<string, unknown>, viewer?: Viewer) {
  const args = input ? '(id: $id, input: $input)' : '(id: $id)';
  const vars = input ? '($id: ID!, $input: ' + inputTypeOf(mutation) + ')' : '($id: ID!)';
  return app.execute(`mutation${vars} { ${mutation}${args} { ${FIELDS} } }`, { id, input }, viewer);
}

function inputTypeOf(mutation: string): string {
  return {
    dispatchRequest: 'DispatchRequestInput!',
    takeRequest: 'TakeRequestInput',
    startRequest: 'PlainStepInput',
    resolveRequest: 'PlainStepInput',
    resumeRequest: 'PlainStepInput',
    rateRequest: 'RateRequestInput!',
    closeOutRequest: 'CloseOutRequestInput!',
    rejectRequest: 'ReasonStepInput!',
    returnRequest: 'ReasonStepInput!',
    suspendRequest: 'ReasonStepInput!',
    reopenRequest: 'ReasonStepInput!',
    escalateRequest: 'ReasonStepInput!',
  }[mutation]!;
}

async function stepOk(mutation: string, id: string, input?: Record<string, unknown>) {
  const result = await act(mutation, id, input);
  if (result.errors) throw new Error(`${mutation}: ${JSON.stringify(result.errors)}`);
  return result.data![mutation];
}

async function ledgerMatchesState(id: string): Promise<void> {
  const em = app.orm.em.fork();
  const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
  const request = await em.findOneOrFail(Request, { id: dbId });
  const events = await em.find(RequestEvent, { request: dbId }, { orderBy: { sequence: 'ASC' } });
  expect(events.map((e) => e.sequence)).toEqual(events.map((_e, i) => i + 1));
  expect(replayLedger(events)).toEqual(snapshot(request));
}

beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
  const data = await ok(`{
    grids(first: 1) { edges { node { id community { id } } } }
    requestCategories { code id children { id code communityHours streetHours } }
    partyMembers(first: 1, filter: { partyStatuses: [IN_SERVICE] }) { edges { node { id } } }
    units(first: 1, filter: { kinds: [HOSPITAL] }) { edges { node { id people(first: 1) { edges { node { id } } } } } }
  }`);
  gridId = data.grids.edges[0].node.id;
  communityId = data.grids.edges[0].node.community.id;
  const housing = data.requestCategories.find((c: any) => c.code === 'HOUSING');
  categoryId = housing.children.find((c: any) => c.code === 'HOUSING-LIGHTS').id;
  memberId = data.partyMembers.edges[0].node.id;
  unitId = data.units.edges[0].node.id;
  unitWorkerId = data.units.edges[0].node.people.edges[0].node.id;
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => app.clock.set(T0));

describe('the closed loop, end to end', () => {
  test('order → dispatch → take → work → resolve → rate → close out, every step in the ledger', async () => {
    const created = await createRequest();
    expect(created).toMatchObject({ status: 'ORDERED', level: 'COMMUNITY', isOverdue: false, category: { name: '路灯照明' }, community: { id: communityId } });
    expect(created.number).toMatch(/^QC-20260302-\d{6}$/);
    expect(new Date(created.dueAt).getTime() - T0.getTime()).toBe(72 * HOUR);
    expect(created.residentName).toBe('王**');
    expect(created.residentPhone).toBe('139****5678');

    await stepOk('dispatchRequest', created.id, { assigneePersonId: memberId, note: '请网格党支部张书记跟进' });
    app.clock.advance(HOUR);
    await stepOk('takeRequest', created.id, {});
    await stepOk('startRequest', created.id, {});
    app.clock.advance(5 * HOUR);
    const resolved = await stepOk('resolveRequest', created.id, {});
    expect(resolved.resolvedAt).toBe(new Date(T0.getTime() + 6 * HOUR).toISOString());
    await stepOk('rateRequest', created.id, { satisfaction: 5, comment: '很及时' });
    const closed = await stepOk('closeOutRequest', created.id, { byLevel: 'COMMUNITY', reason: '居民满意，社区销号' });
    expect(closed).toMatchObject({ status: 'CLOSED', satisfaction: 5 });

    const ledger = await ok(`query($id: ID!) { node(id: $id) { ... on Request { events { totalCount edges { node { sequence kind actor fromStatus toStatus note } } } } } }`, { id: created.id });
    expect(ledger.node.events.edges.map((e: any) => e.node.kind)).toEqual(['CREATED', 'DISPATCHED', 'TAKEN', 'STARTED', 'RESOLVED', 'RATED', 'CLOSED_OUT']);
    expect(ledger.node.events.edges[6].node).toMatchObject({ fromStatus: 'RESOLVED', toStatus: 'CLOSED', note: '居民满意，社区销号', actor: 'account:system' });
    await ledgerMatchesState(created.id);

    // A good rating is verified work: the member earned points, once.
    const em = app.orm.em.fork();
    const entries = await em.find(PointEntry, { sourceType: 'Request', sourceId: Number(Buffer.from(created.id, 'base64url').toString().split(':')[1]) });
    expect(entries).toHaveLength(1);
    expect(entries[0].amount).toBe(5);
  });

  test('dispatched to a unit, a person working there takes it; someone else cannot', async () => {
    const created = await createRequest();
    await stepOk('dispatchRequest', created.id, { assigneeUnitId: unitId });
    const stranger = await act('takeRequest', created.id, { personId: memberId });
    if (stranger.errors) expect(stranger.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.personId' });
    const taken = await stepOk('takeRequest', created.id, { personId: unitWorkerId });
    expect(taken).toMatchObject({ status: 'TAKEN', assigneeUnit: { id: unitId }, assigneePerson: { id: unitWorkerId } });
  });

  test("a unit's liaison names any of its workers to take it, wherever they live; people elsewhere stay unseen", async () => {
    const { communities } = await ok(`{ communities(first: 2) { edges { node { id } } } }`);
    const elsewhere = communities.edges.map((e: any) => e.node.id).find((id: string) => id !== communityId);
    const unit = await createUnit(app, { name: '区住建局', kind: 'AGENCY' });
    await createPairing(app, unit, communityId);
    // Employed by the unit, living in a community the unit does not serve: outside the liaison's scope.
    const worker = await createPerson(app, { name: '李工', employerUnitId: unit, residenceCommunityId: elsewhere });
    const outsider = await createPerson(app, { name: '赵工', residenceCommunityId: elsewhere });
    const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, communityId)], { unitId: dbId(unit) });
    const created = await createRequest();
    await stepOk('dispatchRequest', created.id, { assigneeUnitId: unit });

    const PERSON = `query($id: ID!) { node(id: $id) { id } }`;
    expect((await app.execute(PERSON, { id: worker }, liaison)).data?.node).toBeNull();
    // Someone the liaison cannot see who does not work there stays not found: no probing for people.
    const stranger = await act('takeRequest', created.id, { personId: outsider }, liaison);
    expect(stranger.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.personId' });
    const taken = await app.execute(`mutation($id: ID!, $input: TakeRequestInput) { takeRequest(id: $id, input: $input) { status assigneeUnit { id } } }`, { id: created.id, input: { personId: worker } }, liaison);
    expect(taken.errors).toBeUndefined();
    expect(taken.data?.takeRequest).toEqual({ status: 'TAKEN', assigneeUnit: { id: unit } });
    expect((await stepOk('startRequest', created.id, {})).assigneePerson).toEqual({ id: worker });
    await ledgerMatchesState(created.id);
    // The check read nobody into the liaison's view: the outsider stays unseen; the worker is seen now
    // only as any assignee of a request in the community is (person_area), not through the check.
    expect((await app.execute(PERSON, { id: outsider }, liaison)).data?.node).toBeNull();
    expect((await app.execute(PERSON, { id: worker }, liaison)).data?.node).toEqual({ id: worker });
  });

  test('returned by the assignee, re-dispatched, rejected only while not in hand', async () => {
    const created = await createRequest();
    await stepOk('dispatchRequest', created.id, { assigneePersonId: memberId });
    const returned = await stepOk('returnRequest', created.id, { reason: '不在我的网格' });
    expect(returned).toMatchObject({ status: 'RETURNED', assigneePerson: null });
    await stepOk('dispatchRequest', created.id, { assigneeUnitId: unitId });
    expect((await act('rejectRequest', created.id, { reason: '重复' })).errors?.[0].extensions?.code).toBe('ILLEGAL_TRANSITION');
    await stepOk('returnRequest', created.id, { reason: '非本单位职责' });
    expect((await stepOk('rejectRequest', created.id, { reason: '不属于受理范围' })).status).toBe('REJECTED');
    await ledgerMatchesState(created.id);
  });
});

describe('illegal transitions are typed errors and change nothing', () => {
  const allSteps: [string, Record<string, unknown>, RequestAction][] = [
    ['dispatchRequest', { assigneePersonId: 'X' }, RequestAction.DISPATCH],
    ['takeRequest', {}, RequestAction.TAKE],
    ['startRequest', {}, RequestAction.START],
    ['resolveRequest', {}, RequestAction.RESOLVE],
    ['rateRequest', { satisfaction: 4 }, RequestAction.RATE],
    ['closeOutRequest', { byLevel: 'COMMUNITY', reason: 'x' }, RequestAction.CLOSE_OUT],
    ['rejectRequest', { reason: 'x' }, RequestAction.REJECT],
    ['returnRequest', { reason: 'x' }, RequestAction.RETURN],
    ['suspendRequest', { reason: 'x' }, RequestAction.SUSPEND],
    ['resumeRequest', {}, RequestAction.RESUME],
    ['reopenRequest', { reason: 'x' }, RequestAction.REOPEN],
    ['escalateRequest', { reason: 'x' }, RequestAction.ESCALATE],
  ];

  /** Brings a fresh request to `status` through legal steps. */
  async function requestIn(status: RequestStatus): Promise<string> {
    const { id } = await createRequest();
    const path: Record<RequestStatus, [string, Record<string, unknown>][]> = {
      ORDERED: [],
      DISPATCHED: [['dispatchRequest', { assigneePersonId: memberId }]],
      TAKEN: [['dispatchRequest', { assigneePersonId: memberId }], ['takeRequest', {}]],
      IN_PROGRESS: [['dispatchRequest', { assigneePersonId: memberId }], ['takeRequest', {}], ['startRequest', {}]],
      RESOLVED: [['dispatchRequest', { assigneePersonId: memberId }], ['takeRequest', {}], ['resolveRequest', {}]],
      CLOSED: [['dispatchRequest', { assigneePersonId: memberId }], ['takeRequest', {}], ['resolveRequest', {}], ['closeOutRequest', { byLevel: 'COMMUNITY', reason: 'x' }]],
      REJECTED: [['rejectRequest', { reason: 'x' }]],
      RETURNED: [['dispatchRequest', { assigneePersonId: memberId }], ['returnRequest', { reason: 'x' }]],
      SUSPENDED: [['dispatchRequest', { assigneePersonId: memberId }], ['suspendRequest', { reason: 'x' }]],
      REOPENED: [['dispatchRequest', { assigneePersonId: memberId }], ['takeRequest', {}], ['resolveRequest', {}], ['reopenRequest', { reason: 'x' }]],
    };
    for (const [mutation, input] of path[status]) await stepOk(mutation, id, input);
    return id;
  }

  const cases = Object.values(RequestStatus).flatMap((status) =>
    allSteps.filter(([, , action]) => !TRANSITIONS[action].from.includes(status)).map(([mutation, input]) => [status, mutation, input] as const),
  );

  test(`${cases.length} illegal (status, step) pairs`, async () => {
    expect(cases.length).toBeGreaterThan(60);
    const em = app.orm.em.fork();
    for (const status of Object.values(RequestStatus)) {
      const id = await requestIn(status);
      const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
      const before = await em.fork().findOneOrFail(Request, { id: dbId });
      const eventsBefore = await em.fork().count(RequestEvent, { request: dbId });
      for (const [, mutation, input] of cases.filter(([s]) => s === status)) {
        const fixed = mutation === 'dispatchRequest' ? { assigneePersonId: memberId } : input;
        const result = await act(mutation, id, fixed);
        expect({ status, mutation, code: result.errors?.[0].extensions?.code }).toEqual({ status, mutation, code: 'ILLEGAL_TRANSITION' });
        expect(result.errors?.[0].extensions).toMatchObject({ from: status });
      }
      const after = await em.fork().findOneOrFail(Request, { id: dbId });
      expect(after.version).toBe(before.version);
      expect(await em.fork().count(RequestEvent, { request: dbId })).toBe(eventsBefore);
    }
  });

  test('close-out only by the owning level; a resolution is rated once', async () => {
    const { id } = await createRequest();
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    const wrongLevel = await act('closeOutRequest', id, { byLevel: 'STREET', reason: '街道销号' });
    expect(wrongLevel.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.byLevel' });
    await stepOk('rateRequest', id, { satisfaction: 2 });
    // Like a second resolve: an ILLEGAL_TRANSITION naming where it stands, and nothing changes.
    const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const before = await app.orm.em.fork().findOneOrFail(Request, { id: dbId });
    const eventsBefore = await app.orm.em.fork().count(RequestEvent, { request: dbId });
    const again = await act('rateRequest', id, { satisfaction: 5 });
    expect(again.errors).toHaveLength(1);
    expect(again.errors![0]).toMatchObject({
      message: 'cannot rate a request that is RESOLVED and already rated (a resolution is rated once)',
      extensions: { code: 'ILLEGAL_TRANSITION', from: 'RESOLVED', action: 'RATE' },
    });
    const after = await app.orm.em.fork().findOneOrFail(Request, { id: dbId });
    expect({ version: after.version, satisfaction: after.satisfaction }).toEqual({ version: before.version, satisfaction: 2 });
    expect(await app.orm.em.fork().count(RequestEvent, { request: dbId })).toBe(eventsBefore);
    await ledgerMatchesState(id);
  });
});

describe('deadlines, suspension and escalation', () => {
  test('overdue and due-soon are queryable; suspension stops the clock and moves the deadline by the time suspended', async () => {
    const { id, dueAt } = await createRequest({ title: '暂停测试' });
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    const query = `query($soon: Int) { overdue: requests(filter: { overdue: true, search: "暂停测试" }) { totalCount } soon: requests(filter: { dueWithinHours: $soon, search: "暂停测试" }) { totalCount } }`;

    app.clock.set(new Date(T0.getTime() + 70 * HOUR));
    expect(await ok(query, { soon: 3 })).toEqual({ overdue: { totalCount: 0 }, soon: { totalCount: 1 } });

    await stepOk('suspendRequest', id, { reason: '等待业主回家开门' });
    app.clock.set(new Date(T0.getTime() + 100 * HOUR)); // 30 h suspended, past the original deadline
    expect((await ok(query, { soon: 3 })).overdue.totalCount).toBe(0);
    const resumed = await stepOk('resumeRequest', id, {});
    expect(resumed.status).toBe('DISPATCHED');
    expect(new Date(resumed.dueAt).getTime()).toBe(new Date(dueAt).getTime() + 30 * HOUR);
    expect(resumed.isOverdue).toBe(false);

    app.clock.set(new Date(new Date(resumed.dueAt).getTime() + 1));
    expect((await ok(query, { soon: 3 })).overdue.totalCount).toBe(1);
    await ledgerMatchesState(id);
  });

  test('escalation moves ownership up a level with that level\'s own deadline; a district request goes no further', async () => {
    const { id } = await createRequest();
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    app.clock.advance(10 * HOUR);
    const street = await stepOk('escalateRequest', id, { reason: '涉及多个社区，需街道协调' });
    expect(street).toMatchObject({ level: 'STREET', status: 'ORDERED', assigneePerson: null });
    expect(new Date(street.dueAt).getTime()).toBe(T0.getTime() + 10 * HOUR + 120 * HOUR); // HOUSING-LIGHTS inherits HOUSING: 120 h at street level
    const district = await stepOk('escalateRequest', id, { reason: '需区住建局' });
    expect(district.level).toBe('DISTRICT');
    const further = await act('escalateRequest', id, { reason: '再上' });
    expect(further.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const filtered = await ok(`{ requests(filter: { levels: [DISTRICT] }) { edges { node { id lastReason } } } }`);
    expect(filtered.requests.edges.map((e: any) => e.node.id)).toContain(id);
    await ledgerMatchesState(id);
  });

  test('reopening works within 7 days of resolution, not after', async () => {
    const { id } = await createRequest();
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    app.clock.advance(3 * 24 * HOUR);
    const reopened = await stepOk('reopenRequest', id, { reason: '灯又坏了' });
    expect(reopened).toMatchObject({ status: 'REOPENED', resolvedAt: null, satisfaction: null });
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    app.clock.advance(8 * 24 * HOUR);
    expect((await act('reopenRequest', id, { reason: '太晚了' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await ledgerMatchesState(id);
  });
});

describe('lastReason', () => {
  test('is why it was last rejected, returned or escalated: suspending, reopening and closing out keep it (their reasons are in the ledger)', async () => {
    const lastReason = async (mutation: string, id: string, input: Record<string, unknown>) => {
      const result = await app.execute(`mutation($id: ID!, $input: ${inputTypeOf(mutation)}) { ${mutation}(id: $id, input: $input) { lastReason } }`, { id, input });
      if (result.errors) throw new Error(`${mutation}: ${JSON.stringify(result.errors)}`);
      return result.data![mutation].lastReason;
    };
    const { id } = await createRequest();
    expect(await lastReason('escalateRequest', id, { reason: '需街道协调' })).toBe('需街道协调');
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    expect(await lastReason('suspendRequest', id, { reason: '等业主回家' })).toBe('需街道协调');
    expect(await lastReason('resumeRequest', id, {})).toBe('需街道协调');
    expect(await lastReason('returnRequest', id, { reason: '不在我的网格' })).toBe('不在我的网格');
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    expect(await lastReason('reopenRequest', id, { reason: '灯又坏了' })).toBe('不在我的网格');
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    expect(await lastReason('closeOutRequest', id, { byLevel: 'STREET', reason: '街道销号' })).toBe('不在我的网格');

    const other = await createRequest();
    expect(await lastReason('rejectRequest', other.id, { reason: '不属于受理范围' })).toBe('不属于受理范围');

    // The other steps' reasons are kept where they always were: the ledger's notes.
    const ledger = await ok(`query($id: ID!) { node(id: $id) { ... on Request { events { edges { node { kind note } } } } } }`, { id });
    expect(ledger.node.events.edges.map((e: any) => e.node).filter((e: any) => ['SUSPENDED', 'REOPENED', 'CLOSED_OUT'].includes(e.kind))).toEqual([
      { kind: 'SUSPENDED', note: '等业主回家' },
      { kind: 'REOPENED', note: '灯又坏了' },
      { kind: 'CLOSED_OUT', note: '街道销号' },
    ]);
    await ledgerMatchesState(id);
  });
});

describe('the acting level is derived from the account, not from input', () => {
  test('once escalated to the street, community staff get FORBIDDEN for dispatch and close-out (whatever byLevel says); street staff may', async () => {
    const communityPath = await areaPath(app, communityId);
    const streetPath = communityPath.replace(/[^/]+\/$/, '');
    const communityStaff = accountViewer(Role.COMMUNITY_STAFF, [communityPath]);
    const streetStaff = accountViewer(Role.STREET_STAFF, [streetPath]);
    const em = app.orm.em.fork();
    const versionOf = async (id: string) => (await em.fork().findOneOrFail(Request, { id: Number(Buffer.from(id, 'base64url').toString().split(':')[1]) })).version;

    // A member living in the community: one the community's staff can see and send work to.
    const local = await ok(`query($c: ID) { partyMembers(first: 1, filter: { residenceCommunityId: $c, partyStatuses: [IN_SERVICE] }) { edges { node { id } } } }`, { c: communityId });
    const localMemberId: string = local.partyMembers.edges[0].node.id;

    // At community level, the community's own staff dispatch as before.
    const own = await createRequest();
    expect((await act('dispatchRequest', own.id, { assigneePersonId: localMemberId }, communityStaff)).errors).toBeUndefined();

    const { id } = await createRequest();
    await stepOk('escalateRequest', id, { reason: '需街道协调' });
    const before = await versionOf(id);
    const dispatch = await act('dispatchRequest', id, { assigneePersonId: localMemberId }, communityStaff);
    expect(dispatch.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await versionOf(id)).toBe(before);
    expect((await act('dispatchRequest', id, { assigneePersonId: localMemberId }, streetStaff)).errors).toBeUndefined();
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    const resolved = await versionOf(id);
    for (const input of [{ byLevel: 'STREET', reason: '社区销号' }, { byLevel: 'COMMUNITY', reason: '社区销号' }, { reason: '社区销号' }]) {
      const closeOut = await act('closeOutRequest', id, input, communityStaff);
      expect(closeOut.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await versionOf(id)).toBe(resolved);
    const closed = await act('closeOutRequest', id, { reason: '街道销号' }, streetStaff);
    expect(closed.data?.closeOutRequest.status).toBe('CLOSED');
    await ledgerMatchesState(id);
  });
});

describe('the deadline clock belongs to the owning level', () => {
  test('once escalated to the street, community staff may not suspend or resume it (the street\'s clock); street staff may', async () => {
    const communityPath = await areaPath(app, communityId);
    const communityStaff = accountViewer(Role.COMMUNITY_STAFF, [communityPath]);
    const streetStaff = accountViewer(Role.STREET_STAFF, [communityPath.replace(/[^/]+\/$/, '')]);
    const { id } = await createRequest();
    await stepOk('escalateRequest', id, { reason: '需街道协调' });
    const local = await ok(`query($c: ID) { partyMembers(first: 1, filter: { residenceCommunityId: $c, partyStatuses: [IN_SERVICE] }) { edges { node { id } } } }`, { c: communityId });
    expect((await act('dispatchRequest', id, { assigneePersonId: local.partyMembers.edges[0].node.id }, streetStaff)).errors).toBeUndefined();
    const suspended = await act('suspendRequest', id, { reason: '等业主回家' }, communityStaff);
    expect(suspended.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await act('suspendRequest', id, { reason: '等业主回家' }, streetStaff)).data?.suspendRequest.status).toBe('SUSPENDED');
    expect((await act('resumeRequest', id, {}, communityStaff)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await act('resumeRequest', id, {}, streetStaff)).data?.resumeRequest.status).toBe('DISPATCHED');
    await ledgerMatchesState(id);
  });
});

describe('points for a good rating', () => {
  test('re-rated after a reopen by staff who cannot see the assignee\'s points: accepted, and the member still earns once', async () => {
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, communityId)]);
    const { id } = await createRequest();
    const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const resolveAgain = async () => {
      await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
      await stepOk('takeRequest', id, {});
      await stepOk('resolveRequest', id, {});
    };
    await resolveAgain();
    expect((await act('rateRequest', id, { satisfaction: 5 }, staff)).errors).toBeUndefined();
    await stepOk('reopenRequest', id, { reason: '灯又坏了' });
    await resolveAgain();
    const again = await act('rateRequest', id, { satisfaction: 4 }, staff);
    expect(again.errors).toBeUndefined();
    expect(again.data?.rateRequest.satisfaction).toBe(4);
    expect(await app.orm.em.fork().count(PointEntry, { sourceType: 'Request', sourceId: dbId })).toBe(1);
    await ledgerMatchesState(id);
  });
});

describe('concurrency', () => {
  test('two people taking the same request at once: exactly one succeeds, the other gets CONFLICT', async () => {
    const { id } = await createRequest();
    await stepOk('dispatchRequest', id, { assigneeUnitId: unitId });
    const [a, b] = await Promise.all([act('takeRequest', id, { personId: unitWorkerId }), act('takeRequest', id, { personId: unitWorkerId })]);
    const outcomes = [a, b].map((r) => (r.errors ? r.errors[0].extensions?.code : 'OK')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'OK'].sort());
    const events = await ok(`query($id: ID!) { node(id: $id) { ... on Request { events { edges { node { kind } } } } } }`, { id });
    expect(events.node.events.edges.filter((e: any) => e.node.kind === 'TAKEN')).toHaveLength(1);
    await ledgerMatchesState(id);
  });

  test('resolve and return racing: one wins, the state and ledger agree', async () => {
    const { id } = await createRequest();
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    const results = await Promise.all([act('resolveRequest', id, {}), act('returnRequest', id, { reason: '交回' })]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    await ledgerMatchesState(id);
  });

  test('five identical dispatches of a new request at once: one wins; each loser gets the stale-record CONFLICT or the sequential ILLEGAL_TRANSITION (3 rounds)', async () => {
    const stale = { message: 'the record changed while you were acting on it; reload it and try again', extensions: { code: 'CONFLICT', field: 'version' } };
    for (let round = 0; round < 3; round += 1) {
      const { id } = await createRequest();
      const results = await Promise.all(Array.from({ length: 5 }, () => act('dispatchRequest', id, { assigneePersonId: memberId })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      const sequential = await act('dispatchRequest', id, { assigneePersonId: memberId });
      expect(sequential.errors?.[0]).toMatchObject({ message: 'cannot dispatch a request that is DISPATCHED (allowed from ORDERED, RETURNED, REOPENED)', extensions: { code: 'ILLEGAL_TRANSITION' } });
      for (const loser of results.filter((r) => r.errors)) {
        expect(loser.errors).toHaveLength(1);
        if (loser.errors![0].extensions?.code === 'CONFLICT') expect(loser.errors![0]).toMatchObject(stale);
        else expect(loser).toEqual(sequential);
      }
      const events = await ok(`query($id: ID!) { node(id: $id) { ... on Request { events { edges { node { kind } } } } } }`, { id });
      expect(events.node.events.edges.map((e: any) => e.node.kind)).toEqual(['CREATED', 'DISPATCHED']);
      await ledgerMatchesState(id);
    }
  });

  test('five good ratings of one resolution at once: one counts and earns points once; each loser gets the stale-record CONFLICT or the sequential ILLEGAL_TRANSITION', async () => {
    const stale = { message: 'the record changed while you were acting on it; reload it and try again', extensions: { code: 'CONFLICT', field: 'version' } };
    const { id } = await createRequest();
    await stepOk('dispatchRequest', id, { assigneePersonId: memberId });
    await stepOk('takeRequest', id, {});
    await stepOk('resolveRequest', id, {});
    const results = await Promise.all(Array.from({ length: 5 }, () => act('rateRequest', id, { satisfaction: 5 })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const sequential = await act('rateRequest', id, { satisfaction: 5 });
    expect(sequential.errors?.[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', action: 'RATE' });
    for (const loser of results.filter((r) => r.errors)) {
      expect(loser.errors).toHaveLength(1);
      if (loser.errors![0].extensions?.code === 'CONFLICT') expect(loser.errors![0]).toMatchObject(stale);
      else expect(loser).toEqual(sequential);
    }
    const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    expect(await app.orm.em.fork().count(PointEntry, { sourceType: 'Request', sourceId: dbId })).toBe(1);
    expect(await app.orm.em.fork().count(RequestEvent, { request: dbId, kind: 'RATED' as any })).toBe(1);
    await ledgerMatchesState(id);
  });

  test('five comments at once all land, numbered one after the other', async () => {
    const { id } = await createRequest();
    const results = await Promise.all(Array.from({ length: 5 }, (_v, i) => app.execute(`mutation($id: ID!, $input: CommentRequestInput!) { commentOnRequest(id: $id, input: $input) { id } }`, { id, input: { text: `留言${i}` } })));
    expect(results.map((r) => r.errors)).toEqual(Array(5).fill(undefined));
    const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const events = await app.orm.em.fork().find(RequestEvent, { request: dbId }, { orderBy: { sequence: 'ASC' } });
    expect(events.map((e) => [e.sequence, e.kind])).toEqual([[1, 'CREATED'], ...[2, 3, 4, 5, 6].map((n) => [n, 'COMMENTED'])]);
    await ledgerMatchesState(id);
  });

  test('acting on a stale version is refused', async () => {
    const created = await createRequest();
    await stepOk('dispatchRequest', created.id, { assigneePersonId: memberId });
    const stale = await act('takeRequest', created.id, { expectedVersion: created.version });
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.expectedVersion' });
  });
});

describe('the ledger', () => {
  test('is append-only: the database refuses to rewrite or delete history', async () => {
    const { id } = await createRequest();
    const dbId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const em = app.orm.em.fork();
    await expect(em.execute(`update request_event set note = 'rewritten' where request_id = ?`, [dbId])).rejects.toThrow(/append-only/);
    await expect(em.execute(`delete from request_event where request_id = ?`, [dbId])).rejects.toThrow(/append-only/);
  });

  test('comments are entries that change nothing else', async () => {
    const created = await createRequest();
    const result = await ok(`mutation($id: ID!) { commentOnRequest(id: $id, input: { text: "已电话联系居民" }) { status events { totalCount edges { node { kind note } } } } }`, { id: created.id });
    expect(result.commentOnRequest.status).toBe('ORDERED');
    expect(result.commentOnRequest.events.edges.at(-1).node).toEqual({ kind: 'COMMENTED', note: '已电话联系居民' });
    await ledgerMatchesState(created.id);
  });
});

describe('bad input writes nothing', () => {
  async function counts() {
    const em = app.orm.em.fork();
    return { requests: await em.count(Request, {}), events: await em.count(RequestEvent, {}) };
  }

  test.each([
    ['an empty title', { title: '' }, 'input.title', 'BAD_USER_INPUT'],
    ['a body of spaces', { body: ' \u3000 ' }, 'input.body', 'BAD_USER_INPUT'],
    ['an invalid phone', { residentPhone: '12345' }, 'input.residentPhone', 'BAD_USER_INPUT'],
    ['a district as the place', { areaId: toGlobalId('District', 1) }, 'input.areaId', 'BAD_USER_INPUT'],
    ['a category that does not exist', { categoryId: toGlobalId('RequestCategory', 99999) }, 'input.categoryId', 'NOT_FOUND'],
    ['a unit id as the category', { categoryId: toGlobalId('Unit', 1) }, 'input.categoryId', 'BAD_USER_INPUT'],
  ])('createRequest with %s', async (_label, overrides, field, code) => {
    const before = await counts();
    const result = await app.execute(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: '漏水', body: '楼顶漏水', channel: 'HOTLINE_12345', categoryId, areaId: gridId, ...overrides },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code, field });
    expect(await counts()).toEqual(before);
  });

  test.each([
    ['title', { title: '楼道\u0000灯' }, 'input.title'],
    ['body', { body: '漏水\u0000' }, 'input.body'],
    ['resident name', { residentName: '\u0000' }, 'input.residentName'],
  ])('a NUL character (U+0000) in the %s is BAD_USER_INPUT, not a database outage, and writes nothing', async (_label, overrides, field) => {
    const before = await counts();
    const result = await app.execute(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: '漏水', body: '楼顶漏水', channel: 'HOTLINE_12345', categoryId, areaId: gridId, ...overrides },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await counts()).toEqual(before);
  });

  test('an empty id in a filter ("", a picker not set yet) is BAD_USER_INPUT, not "no filter"', async () => {
    for (const filter of [{ within: '' }, { categoryId: ' ' }]) {
      const result = await app.execute(`query($filter: RequestFilter) { requests(filter: $filter) { totalCount } }`, { filter });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `filter.${Object.keys(filter)[0]}` });
    }
  });

  test('a cursor whose date was tampered with is BAD_USER_INPUT, not a database error', async () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify({ p: 'createdAt', d: 'DESC', v, i: 1 })).toString('base64url');
    const page = `query($after: String) { requests(first: 3, after: $after) { totalCount } }`;
    for (const v of ['not-a-date', '2025-13-45T99:00:00Z', '12345', 12345, true, '2025-06-01']) {
      expect((await app.execute(page, { after: cursor(v) })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    expect((await app.execute(page, { after: cursor('2025-06-01T00:00:00.000Z') })).errors).toBeUndefined();
  });

  test('a NUL character in a search or a comment is BAD_USER_INPUT too', async () => {
    const search = await app.execute(`query($s: String) { requests(filter: { search: $s }) { totalCount } }`, { s: '灯\u0000' });
    expect(search.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    const { id } = await createRequest();
    const before = await counts();
    const comment = await app.execute(`mutation($id: ID!, $t: String!) { commentOnRequest(id: $id, input: { text: $t }) { id } }`, { id, t: 'a\u0000b' });
    expect(comment.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.text' });
    expect(await counts()).toEqual(before);
  });

  test('dispatch needs exactly one assignee; a rating must be 1-5; a missing request is NOT_FOUND', async () => {
    const { id } = await createRequest();
    const before = await counts();
    expect((await act('dispatchRequest', id, {})).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await act('dispatchRequest', id, { assigneePersonId: memberId, assigneeUnitId: unitId })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await act('dispatchRequest', id, { assigneePersonId: toGlobalId('Person', 999999) })).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.assigneePersonId' });
    expect((await act('rateRequest', id, { satisfaction: 6 })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.satisfaction' });
    expect((await act('suspendRequest', id, { reason: '' })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect((await act('takeRequest', toGlobalId('Request', 999999), {})).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const emptyComment = await app.execute(`mutation($id: ID!) { commentOnRequest(id: $id, input: { text: "" }) { id } }`, { id });
    expect(emptyComment.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.text' });
    const missing = await app.execute(`mutation($id: ID!) { commentOnRequest(id: $id, input: { text: "好" }) { id } }`, { id: toGlobalId('Request', 999999) });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });
});

describe('lists', () => {
  test('filters by status, category (a parent includes its children), area, channel, dates and text', async () => {
    const data = await ok(`query($c: ID, $w: ID) {
      byCategory: requests(filter: { categoryId: $c }) { totalCount }
      within: requests(filter: { within: $w }) { totalCount }
      patrol: requests(filter: { channels: [GRID_PATROL] }) { totalCount }
      hotline: requests(filter: { channels: [HOTLINE_12345] }) { totalCount }
      text: requests(filter: { search: "楼道灯" }) { totalCount }
      window: requests(filter: { receivedFrom: "2026-03-01T00:00:00Z", receivedTo: "2026-03-03T00:00:00Z" }) { totalCount }
      later: requests(filter: { receivedFrom: "2026-03-03T00:00:00Z" }) { totalCount }
      all: requests(first: 3, orderBy: { field: DUE_AT, direction: ASC }) { totalCount edges { node { dueAt } } }
    }`, { c: categoryId, w: communityId });
    expect(data.all.totalCount).toBeGreaterThan(10);
    expect(data.byCategory.totalCount).toBe(data.all.totalCount);
    expect(data.within.totalCount).toBe(data.all.totalCount);
    expect(data.patrol.totalCount).toBe(data.all.totalCount);
    expect(data.hotline.totalCount).toBe(0);
    expect(data.text.totalCount).toBe(data.all.totalCount);
    expect(data.window.totalCount).toBe(data.all.totalCount);
    expect(data.later.totalCount).toBe(0);
    const dues = data.all.edges.map((e: any) => e.node.dueAt);
    expect(dues).toEqual([...dues].sort());
  });

  test('a page of requests with their category, place, assignee and ledger costs a constant number of statements', async () => {
    // Oldest first: both pages start with the same assigned requests, so they touch the same relations.
    const query = `query($n: Int) { requests(first: $n, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { number category { name parent { name } } area { name } community { name } assigneePerson { name } events(first: 20) { totalCount edges { node { kind } } } } } } }`;
    const small = await app.countStatements(() => ok(query, { n: 3 }));
    const large = await app.countStatements(() => ok(query, { n: 20 }));
    expect(large.length).toBe(small.length);
  });
});

describe('the demand roll-up', () => {
  test('request_daily, kept up by every step, equals a rebuild from the requests', async () => {
    const em = app.orm.em.fork();
    const columns = 'day, category_id, community_id, resident_groups, count, open, resolved, resolve_seconds_sum, satisfaction_sum, satisfaction_count';
    const incremental = await em.execute(`select ${columns} from request_daily order by 1, 2, 3, 4`);
    expect(incremental.length).toBeGreaterThan(0);
    let rebuilt: unknown[] = [];
    await em.transactional(async (tem) => {
      await refreshRequestDaily(entityManagerRunner(tem));
      rebuilt = await tem.execute(`select ${columns} from request_daily order by 1, 2, 3, 4`);
    });
    expect(rebuilt).toEqual(incremental);
  });

  test('concurrent requests on the same day all land in the roll-up', async () => {
    const before = await app.orm.em.fork().execute<{ n: number }[]>(`select coalesce(sum(count), 0)::int as n from request_daily`);
    const created = await Promise.all(Array.from({ length: 6 }, () => app.execute(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: '并发', body: '并发写入', channel: 'COUNTER', categoryId, areaId: gridId },
    })));
    expect(created.filter((r) => r.errors)).toEqual([]);
    const after = await app.orm.em.fork().execute<{ n: number }[]>(`select coalesce(sum(count), 0)::int as n from request_daily`);
    expect(after[0].n - before[0].n).toBe(6);
  });
});

test('dispatchRequest to a person who is not a party member is refused on input.assigneePersonId, and nothing changes (it was accepted, and a good rating then credited points to a non-member)', async () => {
  const resident = await createPerson(app, { name: '非党员居民', residenceCommunityId: communityId });
  const created = await createRequest();
  const refused = await act('dispatchRequest', created.id, { assigneePersonId: resident });
  expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.assigneePersonId' });
  expect(refused.errors?.[0].message).toMatch(/not a party member/);
  const stored = await app.orm.em.fork().findOneOrFail(Request, { id: dbId(created.id) }, { populate: ['assigneePerson'] });
  expect({ status: stored.status, assignee: stored.assigneePerson ?? null }).toEqual({ status: RequestStatus.ORDERED, assignee: null });
  expect(await app.orm.em.fork().count(RequestEvent, { request: dbId(created.id) })).toBe(1);
  // A member still takes it.
  expect(await stepOk('dispatchRequest', created.id, { assigneePersonId: memberId })).toMatchObject({ status: 'DISPATCHED' });
});
