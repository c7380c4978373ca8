import { toGlobalId } from '../../src/common/global-id';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { buildTree, dbId, ok, type Tree } from '../helpers/fixtures';
import { gridSanitation } from '../helpers/whistle-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * A request handed back (退回) past its due time: the lateness is the member's who held it, not
 * nobody's, and the member it is dispatched to next is not blamed for the time before they got it.
 */

let app: TestApp;
let tree: Tree;
const HOUR = 3600_000;
const at = (local: string) => new Date(`${local}+08:00`);
const members: Record<'late' | 'next' | 'early', string> = { late: '', next: '', early: '' };
let categoryId = '';
let hours = 0;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2025-03-01T09:00:00'));
  tree = await buildTree(app);
  const em = app.orm.em.fork();
  for (const key of Object.keys(members) as (keyof typeof members)[]) {
    const person = em.create(Person, { name: `党员${key}`, partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: dbId(tree.communityId), reportedOn: '2025-01-01' });
    await em.flush();
    members[key] = toGlobalId('Person', person.id);
  }
  ({ categoryId, hours } = await gridSanitation(app));
});
afterAll(async () => {
  await app?.close();
});

const step = async (mutation: string, id: string, input?: Record<string, unknown>, inputType?: string) =>
  (await ok(app, `mutation($id: ID!${input ? `, $input: ${inputType}` : ''}) { ${mutation}(id: $id${input ? ', input: $input' : ''}) { status dueAt assigneeDueAt } }`, { id, input }))[mutation];

async function newRequest(): Promise<{ id: string; dueAt: string }> {
  const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id dueAt } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: tree.communityId },
  });
  return data.createRequest;
}

const requestsPart = async (personId: string) => {
  app.clock.set(at('2026-01-15T10:00:00'));
  const data = await ok(app, `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } requests { numerator denominator } } }`, {
    input: { communityId: tree.communityId, year: 2025 },
  });
  return data.memberAssessments.find((row: any) => row.person.id === personId).requests;
};

test('handed back past its due time: late against the member who held it; the next member has the category\'s time from when they got it', async () => {
  app.clock.set(at('2025-03-01T10:00:00'));
  const request = await newRequest();
  const dueAt = new Date(request.dueAt);
  // Dispatched an hour after it came in: the member has the category's time from then (request.states.ts, assigneeDueAt).
  const dispatchedAt = at('2025-03-01T11:00:00');
  const memberDueAt = new Date(dispatchedAt.getTime() + hours * HOUR);
  app.clock.set(dispatchedAt);
  const dispatched = await step('dispatchRequest', request.id, { assigneePersonId: members.late }, 'DispatchRequestInput!');
  expect(dispatched).toMatchObject({ dueAt: dueAt.toISOString(), assigneeDueAt: memberDueAt.toISOString() });
  await step('takeRequest', request.id);

  // Two hours past their due time, the member hands it back.
  app.clock.set(new Date(memberDueAt.getTime() + 2 * HOUR));
  const returned = await step('returnRequest', request.id, { reason: '不在我的服务范围' }, 'ReasonStepInput!');
  expect(returned).toMatchObject({ status: 'RETURNED', dueAt: dueAt.toISOString(), assigneeDueAt: null });
  const ledger = await ok(app, `query($id: ID!) { node(id: $id) { ... on Request { events { edges { node { kind data } } } } } }`, { id: request.id });
  const handBack = ledger.node.events.edges.map((e: any) => e.node).find((event: any) => event.kind === 'RETURNED');
  expect(handBack.data.lateAssignee).toEqual({ personId: dbId(members.late), unitId: null, dueAt: memberDueAt.toISOString() });

  // Dispatched again an hour later: the request's own due time does not move (the level is late), the member's is fresh.
  const redispatchedAt = new Date(memberDueAt.getTime() + 3 * HOUR);
  app.clock.set(redispatchedAt);
  const again = await step('dispatchRequest', request.id, { assigneePersonId: members.next }, 'DispatchRequestInput!');
  expect(again).toMatchObject({ dueAt: dueAt.toISOString(), assigneeDueAt: new Date(redispatchedAt.getTime() + hours * HOUR).toISOString() });
  await step('takeRequest', request.id);
  app.clock.set(new Date(redispatchedAt.getTime() + (hours / 2) * HOUR));
  await step('resolveRequest', request.id);

  expect(await requestsPart(members.late)).toEqual({ numerator: 0, denominator: 1 });
  expect(await requestsPart(members.next)).toEqual({ numerator: 1, denominator: 1 });
});

test('handed back in time: counts against nobody, as before', async () => {
  app.clock.set(at('2025-04-01T10:00:00'));
  const request = await newRequest();
  await step('dispatchRequest', request.id, { assigneePersonId: members.early }, 'DispatchRequestInput!');
  app.clock.set(at('2025-04-01T12:00:00'));
  const returned = await step('returnRequest', request.id, { reason: '需要物业处理' }, 'ReasonStepInput!');
  expect(returned.status).toBe('RETURNED');
  expect(await requestsPart(members.early)).toEqual({ numerator: 0, denominator: 0 });
});
