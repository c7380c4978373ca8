import type { Viewer } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { seedDemoCity } from '../../src/seed/demo-city';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { dbId, expectError } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* Found by a review of the closed loop (requests and whistles). */

let app: TestApp;
let gridId: string;
let communityId: string;
let categoryId: string;
let memberId: string;
let unitIds: string[];

const T0 = new Date('2026-03-02T01:00:00Z'); // a Monday morning in China

async function ok<T = any>(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<T> {
  const result = await app.execute<T>(query, variables, viewer);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

async function createRequest(): Promise<string> {
  const data = await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道灯坏了', body: '3号楼楼道灯不亮已经一周。', channel: 'GRID_PATROL', categoryId, areaId: gridId },
  });
  return data.createRequest.id;
}

const COMMENT = `mutation($id: ID!, $text: String!) { commentOnRequest(id: $id, input: { text: $text }) { id } }`;
const BLOW = `mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { id recipients { edges { node { id unit { id } } } } } }`;

async function ledger(requestId: string): Promise<{ kind: string; actor: string }[]> {
  return app.orm.em.fork().execute('select kind, actor from request_event where request_id = ? order by sequence', [dbId(requestId)]);
}

beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
  const data = await ok(`{
    grids(first: 1) { edges { node { id community { id } } } }
    requestCategories { code children { id code } }
    units(first: 4, filter: { kinds: [AGENCY] }) { edges { node { id } } }
  }`);
  gridId = data.grids.edges[0].node.id;
  communityId = data.grids.edges[0].node.community.id;
  categoryId = data.requestCategories.find((c: any) => c.code === 'HOUSING').children.find((c: any) => c.code === 'HOUSING-LIGHTS').id;
  unitIds = data.units.edges.map((e: any) => e.node.id);
  const members = await ok(`query($c: ID) { partyMembers(first: 1, filter: { residenceCommunityId: $c, partyStatuses: [IN_SERVICE] }) { edges { node { id } } } }`, { c: communityId });
  memberId = members.partyMembers.edges[0].node.id;
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => app.clock.set(T0));

test('a member commenting while the request is escalated away from them answers as after the escalation: no comment of theirs lands after they lost it', async () => {
  const member = accountViewer(Role.PARTY_MEMBER, [await areaPath(app, communityId)], { personId: dbId(memberId) });
  const id = await createRequest();
  await ok(`mutation($id: ID!, $input: DispatchRequestInput!) { dispatchRequest(id: $id, input: $input) { id } }`, { id, input: { assigneePersonId: memberId } });
  // Theirs now: the member may comment.
  expect((await app.execute(COMMENT, { id, text: '收到，今天去看' }, member)).errors).toBeUndefined();

  const [escalated, comment] = await race(
    app,
    ['select id from request where id = $1 for update', [dbId(id)]],
    () => app.execute(`mutation($id: ID!) { escalateRequest(id: $id, input: { reason: "需街道协调" }) { status assigneePerson { id } } }`, { id }),
    () => app.execute(COMMENT, { id, text: '我再跟进一下' }, member),
  );
  expect(escalated.errors).toBeUndefined();
  expect(escalated.data?.escalateRequest).toEqual({ status: 'ORDERED', assigneePerson: null });
  // Sent after the escalation, the same comment is refused: the member no longer acts for the request.
  const sequential = await app.execute(COMMENT, { id, text: '我再跟进一下' }, member);
  expectError(sequential, 'FORBIDDEN');
  expect(comment).toEqual(sequential);
  expect((await ledger(id)).map((entry) => entry.kind)).toEqual(['CREATED', 'DISPATCHED', 'COMMENTED', 'ESCALATED']);
});

test('blowWhistle: the departments called are listed in the order named (the lead department first), on the whistle and in its ledger entry', async () => {
  const requestId = await createRequest();
  // Named out of id order: the lead department is the one with the highest id.
  const named = [unitIds[3], unitIds[0], unitIds[2]].sort((a, b) => dbId(b) - dbId(a));
  const blown = (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '关于楼道照明线路老化的联合处置函', unitIds: named } })).blowWhistle;
  expect(blown.recipients.edges.map((e: any) => e.node.unit.id)).toEqual(named);
  const again = await ok(`query($id: ID!) { node(id: $id) { ... on Whistle { recipients { edges { node { unit { id } } } } } } }`, { id: blown.id });
  expect(again.node.recipients.edges.map((e: any) => e.node.unit.id)).toEqual(named);
  const [entry] = await app.orm.em.fork().execute<{ data: { unitIds: number[] } }[]>("select data from request_event where request_id = ? and kind = 'WHISTLE_BLOWN'", [dbId(requestId)]);
  expect(entry.data.unitIds).toEqual(named.map(dbId));
});
