import { toGlobalId } from '../../src/common/global-id';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { Request } from '../../src/modules/request/request.entity';
import { heldPastDue } from '../../src/modules/request/request.states';
import { buildTree, dbId, ok, type Tree } from '../helpers/fixtures';
import { gridSanitation } from '../helpers/whistle-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * request.states.ts, pastDue / heldPastDue / assigneeDueOnDispatch: suspending does not forgive
 * lateness that already happened (the member late before the suspension stays late in every
 * figure), time spent suspended makes nobody late (the due times move by it on resume), and a
 * member dispatched minutes before the due time is not given only minutes.
 */

let app: TestApp;
const HOUR = 3600_000;
const MINUTE = 60_000;
const at = (local: string) => new Date(`${local}+08:00`);
let categoryId = '';
let hours = 0;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2025-03-01T09:00:00'));
  ({ categoryId, hours } = await gridSanitation(app));
});
afterAll(async () => {
  await app?.close();
});

/** A fresh tree (so the community's figures are this test's alone) with one member reported to it. */
async function world(): Promise<{ tree: Tree; memberId: string }> {
  const tree = await buildTree(app);
  const em = app.orm.em.fork();
  const person = em.create(Person, { name: '党员甲', partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: dbId(tree.communityId), reportedOn: '2025-01-01' });
  await em.flush();
  return { tree, memberId: toGlobalId('Person', person.id) };
}

const FIELDS = 'status dueAt assigneeDueAt isOverdue';
const step = async (mutation: string, id: string, input?: Record<string, unknown>, inputType?: string) =>
  (await ok(app, `mutation($id: ID!${input ? `, $input: ${inputType}` : ''}) { ${mutation}(id: $id${input ? ', input: $input' : ''}) { ${FIELDS} } }`, { id, input }))[mutation];

async function newRequest(tree: Tree): Promise<{ id: string; dueAt: string }> {
  const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id dueAt } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: tree.communityId },
  });
  return data.createRequest;
}

/** Every figure that says whether the request, and its member, are late now. */
async function figures(tree: Tree, id: string) {
  const data = await ok(app, `query($id: ID!, $area: ID!) {
    node(id: $id) { ... on Request { ${FIELDS} } }
    overdue: requests(filter: { within: $area, overdue: true }) { totalCount }
    notOverdue: requests(filter: { within: $area, overdue: false }) { totalCount }
    dashboard(input: { areaId: $area, lastDays: 30 }) { overdueNow }
  }`, { id, area: tree.communityId });
  const request = await app.orm.em.fork().findOneOrFail(Request, { id: dbId(id) });
  return {
    isOverdue: data.node.isOverdue,
    overdue: data.overdue.totalCount,
    notOverdue: data.notOverdue.totalCount,
    overdueNow: data.dashboard.overdueNow,
    heldPastDue: heldPastDue(request, app.clock.now()),
  };
}

/** The member's 限时办结 part for 2025, read in January 2026 (the clock is left there). */
async function requestsPart(tree: Tree, personId: string) {
  app.clock.set(at('2026-01-15T10:00:00'));
  const data = await ok(app, `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } requests { numerator denominator } } }`, {
    input: { communityId: tree.communityId, year: 2025 },
  });
  return data.memberAssessments.find((row: any) => row.person.id === personId).requests;
}

test('held past the due time, then suspended: the member (and the level) stay late in every figure, suspended and after resuming', async () => {
  const { tree, memberId } = await world();
  app.clock.set(at('2025-03-01T10:00:00'));
  const request = await newRequest(tree);
  const dueAt = new Date(request.dueAt);
  await step('dispatchRequest', request.id, { assigneePersonId: memberId }, 'DispatchRequestInput!');
  await step('takeRequest', request.id);

  // Two hours past the member's due time, the level suspends it (waiting on the resident).
  app.clock.set(new Date(dueAt.getTime() + 2 * HOUR));
  const suspended = await step('suspendRequest', request.id, { reason: '等待业主回家开门' }, 'ReasonStepInput!');
  expect(suspended).toMatchObject({ status: 'SUSPENDED', dueAt: dueAt.toISOString(), assigneeDueAt: dueAt.toISOString(), isOverdue: true });

  app.clock.set(new Date(dueAt.getTime() + 30 * HOUR));
  expect(await figures(tree, request.id)).toEqual({ isOverdue: true, overdue: 1, notOverdue: 0, overdueNow: 1, heldPastDue: true });
  expect(await requestsPart(tree, memberId)).toEqual({ numerator: 0, denominator: 1 });

  // Resumed (months later): the due times move by the time suspended, and are still behind by as much.
  const resumedAt = app.clock.now();
  const resumed = await step('resumeRequest', request.id);
  const suspendedFor = resumedAt.getTime() - (dueAt.getTime() + 2 * HOUR);
  expect(resumed).toMatchObject({ status: 'TAKEN', dueAt: new Date(dueAt.getTime() + suspendedFor).toISOString(), isOverdue: true });
  expect(await figures(tree, request.id)).toEqual({ isOverdue: true, overdue: 1, notOverdue: 0, overdueNow: 1, heldPastDue: true });
  expect(await requestsPart(tree, memberId)).toEqual({ numerator: 0, denominator: 1 });
});

test('within time, suspended for longer than the time left, resumed: not late at the resume, and resolved soon after, on time', async () => {
  const { tree, memberId } = await world();
  app.clock.set(at('2025-04-01T10:00:00'));
  const request = await newRequest(tree);
  const dueAt = new Date(request.dueAt);
  await step('dispatchRequest', request.id, { assigneePersonId: memberId }, 'DispatchRequestInput!');
  await step('takeRequest', request.id);

  // Two hours left when suspended; suspended 22 hours.
  app.clock.set(new Date(dueAt.getTime() - 2 * HOUR));
  await step('suspendRequest', request.id, { reason: '等配件' }, 'ReasonStepInput!');
  app.clock.set(new Date(dueAt.getTime() + 20 * HOUR));
  expect(await figures(tree, request.id)).toEqual({ isOverdue: false, overdue: 0, notOverdue: 1, overdueNow: 0, heldPastDue: false });

  const resumed = await step('resumeRequest', request.id);
  const movedDue = new Date(dueAt.getTime() + 22 * HOUR).toISOString();
  expect(resumed).toMatchObject({ status: 'TAKEN', dueAt: movedDue, assigneeDueAt: movedDue, isOverdue: false });
  expect(await figures(tree, request.id)).toEqual({ isOverdue: false, overdue: 0, notOverdue: 1, overdueNow: 0, heldPastDue: false });

  app.clock.advance(HOUR);
  await step('resolveRequest', request.id);
  expect(await requestsPart(tree, memberId)).toEqual({ numerator: 1, denominator: 1 });
});

test('dispatched minutes before the request\'s due time: the member has the category\'s time from the dispatch; the request\'s dueAt stays', async () => {
  const { tree, memberId } = await world();
  app.clock.set(at('2025-05-01T10:00:00'));
  const request = await newRequest(tree);
  const dueAt = new Date(request.dueAt);

  const dispatchedAt = new Date(dueAt.getTime() - 10 * MINUTE);
  app.clock.set(dispatchedAt);
  const dispatched = await step('dispatchRequest', request.id, { assigneePersonId: memberId }, 'DispatchRequestInput!');
  expect(dispatched).toMatchObject({ dueAt: dueAt.toISOString(), assigneeDueAt: new Date(dispatchedAt.getTime() + hours * HOUR).toISOString() });

  // An hour later the level is late (the resident's promise), the member is not.
  app.clock.set(new Date(dispatchedAt.getTime() + HOUR));
  expect(await figures(tree, request.id)).toEqual({ isOverdue: true, overdue: 1, notOverdue: 0, overdueNow: 1, heldPastDue: false });

  await step('takeRequest', request.id);
  app.clock.set(new Date(dispatchedAt.getTime() + (hours / 2) * HOUR));
  const resolved = await step('resolveRequest', request.id);
  expect(resolved.dueAt).toBe(dueAt.toISOString());
  expect(await requestsPart(tree, memberId)).toEqual({ numerator: 1, denominator: 1 });
});

test('dispatched as it comes in: the member has until the request\'s dueAt, as before', async () => {
  const { tree, memberId } = await world();
  app.clock.set(at('2025-06-01T10:00:00'));
  const request = await newRequest(tree);
  const dispatched = await step('dispatchRequest', request.id, { assigneePersonId: memberId }, 'DispatchRequestInput!');
  expect(dispatched).toMatchObject({ dueAt: request.dueAt, assigneeDueAt: request.dueAt });
  const stored = await app.orm.em.fork().findOneOrFail(Request, { id: dbId(request.id) });
  expect(stored.assigneeDueAt).toBeNull();
});
