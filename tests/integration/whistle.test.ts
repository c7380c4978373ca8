import { toGlobalId } from '../../src/common/global-id';
import { Community } from '../../src/modules/area/area.entity';
import { ListItem, ListItemKind, ListItemStatus, ProblemList } from '../../src/modules/list/list.entity';
import { Request, RequestEvent } from '../../src/modules/request/request.entity';
import { replayLedger, snapshot } from '../../src/modules/request/request.ledger';
import { Whistle, WhistleRecipient } from '../../src/modules/whistle/whistle.entity';
import { seedDemoCity } from '../../src/seed/demo-city';
import { race } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';

let app: TestApp;
let communityId: string;
let otherCommunityId: string;
let streetId: string;
let gridId: string;
let categoryId: string;
let departmentIds: string[];
let problemId: string;

const HOUR = 3600_000;
const T0 = new Date('2026-04-06T02:00:00Z');
const dbId = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

const BLOW = `mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { id letter blownAt blownBy { name } request { id } problem { id title } recipientCount recipients { edges { node { id status reportDueAt feedbackDueAt unit { id name } } } } } }`;

async function newRequest(): Promise<string> {
  const data = await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '小区门口道路塌陷', body: '雨后路面塌陷，存在安全隐患，需要住建、城管联合处置。', channel: 'HOTLINE_12345', categoryId, areaId: gridId },
  });
  return data.createRequest.id;
}

async function whistleCounts() {
  const em = app.orm.em.fork();
  return { whistles: await em.count(Whistle, {}), recipients: await em.count(WhistleRecipient, {}), events: await em.count(RequestEvent, {}) };
}

beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
  const data = await ok(`{
    communities(first: 2) { edges { node { id street { id } grids(first: 1) { edges { node { id } } } } } }
    units(first: 3, filter: { kinds: [AGENCY] }) { edges { node { id } } }
    requestCategories { code children { id code } }
  }`);
  communityId = data.communities.edges[0].node.id;
  otherCommunityId = data.communities.edges[1].node.id;
  streetId = data.communities.edges[0].node.street.id;
  gridId = data.communities.edges[0].node.grids.edges[0].node.id;
  departmentIds = data.units.edges.map((e: any) => e.node.id);
  categoryId = data.requestCategories.find((c: any) => c.code === 'GRID').children.find((c: any) => c.code === 'GRID-SAFETY').id;

  const em = app.orm.em.fork();
  const list = em.create(ProblemList, { community: em.getReference(Community, dbId(communityId)), period: '2026-04', startsOn: '2026-04-01', endsOn: '2026-04-30', title: '四月问题清单' });
  const problem = em.create(ListItem, { list, kind: ListItemKind.PROBLEM, title: '违规占用消防通道', status: ListItemStatus.OPEN });
  await em.flush();
  problemId = toGlobalId('ListItem', problem.id);
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => app.clock.set(T0));

test('one whistle, one letter, one ledger, one feedback per department', async () => {
  const requestId = await newRequest();
  const blown = (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '关于小区门口道路塌陷的联合处置函', unitIds: departmentIds.slice(0, 2) } })).blowWhistle;
  expect(blown).toMatchObject({ letter: '关于小区门口道路塌陷的联合处置函', recipientCount: 2, request: { id: requestId }, blownAt: T0.toISOString() });
  const [first, second] = blown.recipients.edges.map((e: any) => e.node);
  expect(first).toMatchObject({ status: 'AWAITING_REPORT', reportDueAt: new Date(T0.getTime() + 24 * HOUR).toISOString(), feedbackDueAt: new Date(T0.getTime() + 72 * HOUR).toISOString() });

  // Feeding back before reporting is out of order.
  const early = await app.execute(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已处理" }) { id } }`, { id: first.id });
  expect(early.errors?.[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'AWAITING_REPORT', action: 'answer', field: 'id' });
  expect(early.errors?.[0].message).toBe('id: cannot answer a whistle response that is AWAITING_REPORT (allowed from REPORTED)');

  app.clock.advance(2 * HOUR);
  await ok(`mutation($id: ID!) { reportToWhistle(id: $id) { status reportedAt } }`, { id: first.id });
  app.clock.advance(20 * HOUR);
  const blank = await app.execute(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "   " }) { id } }`, { id: first.id });
  expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.feedback' });
  const answered = await ok(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已设置围挡，三日内修复" }) { status feedback answeredOnTime reportOverdue feedbackOverdue } }`, { id: first.id });
  expect(answered.answerWhistle).toEqual({ status: 'ANSWERED', feedback: '已设置围挡，三日内修复', answeredOnTime: true, reportOverdue: false, feedbackOverdue: false });
  const twice = await app.execute(`mutation($id: ID!) { reportToWhistle(id: $id) { id } }`, { id: first.id });
  expect(twice.errors?.[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'ANSWERED', action: 'report' });

  // The second department never reports: it shows as overdue once the deadline passes.
  app.clock.set(new Date(T0.getTime() + 25 * HOUR));
  const overdue = await ok(`{ whistleResponses(filter: { overdue: true }) { edges { node { id reportOverdue unit { id } } } } whistles(filter: { overdue: true }) { totalCount } }`);
  expect(overdue.whistleResponses.edges.map((e: any) => e.node.id)).toEqual([second.id]);
  expect(overdue.whistleResponses.edges[0].node.reportOverdue).toBe(true);
  expect(overdue.whistles.totalCount).toBe(1);

  // Every step is on the request's ledger, and the ledger still replays to the request's state.
  const ledger = await ok(`query($id: ID!) { node(id: $id) { ... on Request { status whistles { totalCount } events { edges { node { kind note data } } } } } }`, { id: requestId });
  expect(ledger.node.events.edges.map((e: any) => e.node.kind)).toEqual(['CREATED', 'WHISTLE_BLOWN', 'WHISTLE_REPORTED', 'WHISTLE_FEEDBACK']);
  expect(ledger.node.events.edges[3].node.data).toMatchObject({ onTime: true, unitId: dbId(departmentIds[0]) });
  expect(ledger.node.whistles.totalCount).toBe(1);
  expect(ledger.node.status).toBe('ORDERED'); // a whistle calls for help; it does not move the request itself
  const em = app.orm.em.fork();
  const request = await em.findOneOrFail(Request, { id: dbId(requestId) });
  expect(replayLedger(await em.find(RequestEvent, { request: request.id }))).toEqual(snapshot(request));
});

test('the letter and the feedback are stored trimmed, on the whistle and on the request\'s ledger', async () => {
  const requestId = await newRequest();
  const blown = (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '  \u3000关于路灯的联合处置函\n ', unitIds: [departmentIds[0]] } })).blowWhistle;
  expect(blown.letter).toBe('关于路灯的联合处置函');
  const recipientId = blown.recipients.edges[0].node.id;
  await ok(`mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id: recipientId });
  const answered = await ok(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: " 已更换灯具 \\n" }) { feedback } }`, { id: recipientId });
  expect(answered.answerWhistle.feedback).toBe('已更换灯具');
  const em = app.orm.em.fork();
  expect((await em.findOneOrFail(Whistle, { id: dbId(blown.id) })).letter).toBe('关于路灯的联合处置函');
  expect((await em.findOneOrFail(WhistleRecipient, { id: dbId(recipientId) })).feedback).toBe('已更换灯具');
  const notes = (await em.find(RequestEvent, { request: dbId(requestId) }, { orderBy: { id: 'asc' } })).map((event) => event.note);
  expect(notes).toEqual([null, '关于路灯的联合处置函', '部门报到', '已更换灯具']);
});

test('overdue: false lists exactly what overdue: true leaves out, for whistles and for departments\' responses', async () => {
  const requestId = await newRequest();
  const late = (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '逾期筛选测试函', unitIds: departmentIds.slice(0, 2) } })).blowWhistle;
  const [reported, silent] = late.recipients.edges.map((e: any) => e.node.id);
  const NONE_LATE = `{ whistles(filter: { overdue: false }) { totalCount } all: whistles { totalCount } whistleResponses(filter: { overdue: false }) { totalCount } allResponses: whistleResponses { totalCount } }`;
  const noneLate = await ok(NONE_LATE); // at T0 no deadline has passed: false is everything
  expect([noneLate.whistles.totalCount, noneLate.whistleResponses.totalCount]).toEqual([noneLate.all.totalCount, noneLate.allResponses.totalCount]);
  await ok(`mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id: reported });
  app.clock.set(new Date(T0.getTime() + 25 * HOUR)); // past the report deadline; the second department never reported
  const fresh = (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '逾期筛选测试函（新）', unitIds: [departmentIds[0]] } })).blowWhistle;

  const LISTS = `query($overdue: Boolean, $unitId: ID) {
    whistles(first: 100, filter: { overdue: $overdue, unitId: $unitId }) { totalCount edges { node { id } } }
    whistleResponses(first: 100, filter: { overdue: $overdue, unitId: $unitId }) { totalCount edges { node { id } } }
  }`;
  const lists = async (overdue?: boolean, unitId?: string) => {
    const data = await ok(LISTS, { overdue, unitId });
    return {
      whistles: data.whistles.edges.map((e: any) => e.node.id),
      responses: data.whistleResponses.edges.map((e: any) => e.node.id),
      totals: [data.whistles.totalCount, data.whistleResponses.totalCount],
    };
  };
  const [all, overdue, notOverdue] = [await lists(), await lists(true), await lists(false)];
  expect(overdue.whistles.length).toBeGreaterThan(0);
  expect(overdue.whistles).toContain(late.id);
  expect(notOverdue.whistles).not.toContain(late.id); // one department is late: the whistle is overdue
  expect(notOverdue.whistles).toContain(fresh.id);
  expect(overdue.whistles).not.toContain(fresh.id);
  expect(overdue.responses).toContain(silent);
  expect(notOverdue.responses).not.toContain(silent);
  expect(notOverdue.responses).toContain(reported);
  expect(overdue.responses).not.toContain(reported);
  // Together they are everything, once.
  expect([...overdue.whistles, ...notOverdue.whistles].sort()).toEqual([...all.whistles].sort());
  expect([...overdue.responses, ...notOverdue.responses].sort()).toEqual([...all.responses].sort());
  expect([0, 1].map((i) => overdue.totals[i] + notOverdue.totals[i])).toEqual(all.totals);

  // With a unit, about that unit's own response: the first department answered its part in time.
  const firstUnitOnTime = await lists(false, departmentIds[0]);
  expect(firstUnitOnTime.whistles).toEqual(expect.arrayContaining([late.id, fresh.id]));
  expect(firstUnitOnTime.responses).toContain(reported);
  expect((await lists(true, departmentIds[0])).whistles).not.toContain(late.id);
  expect((await lists(false, departmentIds[1])).whistles).not.toContain(late.id);
  expect((await lists(true, departmentIds[1])).whistles).toContain(late.id);
});

test('a street can whistle on a problem item inside it; a community cannot whistle on another community\'s matter', async () => {
  const byStreet = (await ok(BLOW, { input: { problemId, blownById: streetId, letter: '街道吹哨：消防通道整治', unitIds: [departmentIds[2]], reportHours: 4, feedbackHours: 48 } })).blowWhistle;
  expect(byStreet).toMatchObject({ problem: { title: '违规占用消防通道' }, request: null });
  expect(byStreet.recipients.edges[0].node.reportDueAt).toBe(new Date(T0.getTime() + 4 * HOUR).toISOString());

  const before = await whistleCounts();
  const outside = await app.execute(BLOW, { input: { problemId, blownById: otherCommunityId, letter: '越界', unitIds: [departmentIds[0]] } });
  expect(outside.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.blownById' });
  expect(await whistleCounts()).toEqual(before);
});

test('two answers at once: one is kept, the other gets CONFLICT instead of overwriting it', async () => {
  const whistle = (await ok(BLOW, { input: { problemId, blownById: communityId, letter: '并发反馈测试', unitIds: [departmentIds[0]] } })).blowWhistle;
  const recipientId = whistle.recipients.edges[0].node.id;
  await ok(`mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id: recipientId });
  const ANSWER = `mutation($id: ID!, $text: String!) { answerWhistle(id: $id, input: { feedback: $text }) { feedback } }`;
  const texts = ['甲：已清理通道', '乙：已张贴告示'];
  const results = await Promise.all(texts.map((text) => app.execute(ANSWER, { id: recipientId, text })));
  const codes = results.map((r) => (r.errors ? r.errors[0].extensions?.code : 'OK'));
  expect([...codes].sort()).toEqual(['CONFLICT', 'OK']);
  const kept = texts[codes.indexOf('OK')];
  const stored = await app.orm.em.fork().findOneOrFail(WhistleRecipient, { id: dbId(recipientId) });
  expect(stored).toMatchObject({ status: 'ANSWERED', feedback: kept });
  // Answering again afterwards is the state machine's refusal, as before.
  expect((await app.execute(ANSWER, { id: recipientId, text: '丙' })).errors?.[0].extensions?.code).toBe('ILLEGAL_TRANSITION');
});

test("a unit liaison answers a street's whistle aimed at their unit; another unit's liaison still finds nothing", async () => {
  const requestId = await newRequest();
  const whistle = (await ok(BLOW, { input: { requestId, blownById: streetId, letter: '街道吹哨：道路塌陷联合处置', unitIds: [departmentIds[1]] } })).blowWhistle;
  const recipientId = whistle.recipients.edges[0].node.id;
  // Bound to the communities the unit serves, as a liaison's scope is: not the street.
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, communityId)], { unitId: dbId(departmentIds[1]) });
  const stranger = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, communityId)], { unitId: dbId(departmentIds[2]) });
  const before = await whistleCounts();
  expect((await app.execute(`mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id: recipientId }, stranger)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect(await whistleCounts()).toEqual(before);
  const reported = await app.execute(`mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id: recipientId }, liaison);
  expect(reported.errors).toBeUndefined();
  expect(reported.data?.reportToWhistle.status).toBe('REPORTED');
  const answered = await app.execute(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已派员处置" }) { status feedback } }`, { id: recipientId }, liaison);
  expect(answered.errors).toBeUndefined();
  expect(answered.data?.answerWhistle).toEqual({ status: 'ANSWERED', feedback: '已派员处置' });
  const em = app.orm.em.fork();
  const request = await em.findOneOrFail(Request, { id: dbId(requestId) });
  const events = await em.find(RequestEvent, { request: request.id }, { orderBy: { sequence: 'ASC' } });
  expect(events.map((e) => e.kind).slice(-2)).toEqual(['WHISTLE_REPORTED', 'WHISTLE_FEEDBACK']);
});

test('a whistle blown while the request is being closed out is refused like one on a CLOSED request, and writes nothing', async () => {
  const requestId = await newRequest();
  const { partyMembers } = await ok(`{ partyMembers(first: 1, filter: { partyStatuses: [IN_SERVICE] }) { edges { node { id } } } }`);
  const STEP = (name: string, type: string) => `mutation($id: ID!, $input: ${type}) { ${name}(id: $id, input: $input) { status } }`;
  await ok(STEP('dispatchRequest', 'DispatchRequestInput!'), { id: requestId, input: { assigneePersonId: partyMembers.edges[0].node.id } });
  await ok(STEP('takeRequest', 'TakeRequestInput'), { id: requestId });
  await ok(STEP('resolveRequest', 'PlainStepInput'), { id: requestId });
  const before = await whistleCounts();
  const [closed, blown] = await race(
    app,
    ['select id from request where id = $1 for update', [dbId(requestId)]],
    () => app.execute(STEP('closeOutRequest', 'CloseOutRequestInput!'), { id: requestId, input: { reason: '社区销号' } }),
    () => app.execute(BLOW, { input: { requestId, blownById: communityId, letter: '销号时吹哨', unitIds: [departmentIds[0]] } }),
  );
  expect(closed.errors).toBeUndefined();
  expect(closed.data?.closeOutRequest.status).toBe('CLOSED');
  expect(blown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.requestId' });
  expect(blown.errors?.[0].message).toMatch(/the request is CLOSED/);
  expect(await whistleCounts()).toEqual({ ...before, events: before.events + 1 }); // the close-out's entry, nothing else
  const kinds = (await app.orm.em.fork().execute('select kind from request_event where request_id = ? order by sequence', [dbId(requestId)])).map((row: any) => row.kind);
  expect(kinds.at(-1)).toBe('CLOSED_OUT');
  expect(kinds).not.toContain('WHISTLE_BLOWN');
});

test('a whistle blown while its problem item is being closed out is refused like one on a closed problem, and writes nothing', async () => {
  const em = app.orm.em.fork();
  const { list } = await em.findOneOrFail(ListItem, { id: dbId(problemId) });
  const item = em.create(ListItem, { list, kind: ListItemKind.PROBLEM, title: '楼道堆物', status: ListItemStatus.OPEN });
  await em.flush();
  const itemId = toGlobalId('ListItem', item.id);
  const before = await whistleCounts();
  const [closed, blown] = await race(
    app,
    ['select id from list_item where id = $1 for update', [item.id]],
    () => app.execute(`mutation($id: ID!) { closeProblem(id: $id, note: "已清理") { status } }`, { id: itemId }),
    () => app.execute(BLOW, { input: { problemId: itemId, blownById: communityId, letter: '销号时吹哨', unitIds: [departmentIds[0]] } }),
  );
  expect(closed.errors).toBeUndefined();
  expect(closed.data?.closeProblem.status).toBe('CLOSED');
  expect(blown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.problemId' });
  expect(blown.errors?.[0].message).toMatch(/already closed/);
  expect(await whistleCounts()).toEqual(before);
});

test('bad whistles are refused and write nothing', async () => {
  const requestId = await newRequest();
  const before = await whistleCounts();
  const cases: [Record<string, unknown>, string, string][] = [
    [{ requestId, problemId, blownById: communityId, letter: 'x', unitIds: [departmentIds[0]] }, 'BAD_USER_INPUT', 'input.requestId'],
    [{ blownById: communityId, letter: 'x', unitIds: [departmentIds[0]] }, 'BAD_USER_INPUT', 'input.requestId'],
    [{ requestId, blownById: communityId, letter: '', unitIds: [departmentIds[0]] }, 'BAD_USER_INPUT', 'input.letter'],
    [{ requestId, blownById: communityId, letter: '  ', unitIds: [departmentIds[0]] }, 'BAD_USER_INPUT', 'input.letter'],
    [{ requestId, blownById: communityId, letter: '\u3000 \n', unitIds: [departmentIds[0]] }, 'BAD_USER_INPUT', 'input.letter'],
    [{ requestId, blownById: communityId, letter: 'x', unitIds: [] }, 'BAD_USER_INPUT', 'input.unitIds'],
    [{ requestId, blownById: communityId, letter: 'x', unitIds: [departmentIds[0], departmentIds[0]] }, 'BAD_USER_INPUT', 'input.unitIds'],
    [{ requestId, blownById: communityId, letter: 'x', unitIds: [toGlobalId('Unit', 99999)] }, 'NOT_FOUND', 'input.unitIds.0'],
    [{ requestId, blownById: communityId, letter: 'x', unitIds: [departmentIds[0], toGlobalId('Unit', 99999)] }, 'NOT_FOUND', 'input.unitIds.1'],
    [{ requestId, blownById: communityId, letter: 'x', unitIds: [communityId] }, 'BAD_USER_INPUT', 'input.unitIds.0'],
    [{ requestId, blownById: gridId, letter: 'x', unitIds: [departmentIds[0]] }, 'BAD_USER_INPUT', 'input.blownById'],
    [{ requestId: toGlobalId('Request', 99999), blownById: communityId, letter: 'x', unitIds: [departmentIds[0]] }, 'NOT_FOUND', 'input.requestId'],
    [{ requestId, blownById: communityId, letter: 'x', unitIds: [departmentIds[0]], reportHours: 48, feedbackHours: 24 }, 'BAD_USER_INPUT', 'input.feedbackHours'],
  ];
  for (const [input, code, field] of cases) {
    const result = await app.execute(BLOW, { input });
    expect({ input, error: result.errors?.[0].extensions }).toMatchObject({ input, error: { code, field } });
  }
  expect(await whistleCounts()).toEqual(before);
});

test('a department id of no unit answers NOT_FOUND like any missing record, and writes nothing', async () => {
  const requestId = await newRequest();
  const before = await whistleCounts();
  const missing = toGlobalId('Unit', 99999);
  const result = await app.execute(BLOW, { input: { requestId, blownById: communityId, letter: '吹哨', unitIds: [departmentIds[0], missing] } });
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0]).toMatchObject({ message: `Unit ${missing} not found`, extensions: { code: 'NOT_FOUND', field: 'input.unitIds.1', typeName: 'Unit' } });
  expect(result.data).toBeNull();
  expect(await whistleCounts()).toEqual(before);
});

test('whistles by area and by department, with their recipients batched', async () => {
  const data = await ok(`query($w: ID, $u: ID) {
    inStreet: whistles(filter: { within: $w }) { totalCount edges { node { blownBy { name } recipients { edges { node { unit { name } status } } } } } }
    forUnit: whistles(filter: { unitId: $u }) { totalCount }
  }`, { w: streetId, u: departmentIds[2] });
  expect(data.inStreet.totalCount).toBeGreaterThanOrEqual(2);
  expect(data.forUnit.totalCount).toBe(1);
});

test("a unit liaison finds a street's whistle aimed at their unit, and reads it in the answer; another unit's liaison still sees nothing", async () => {
  const requestId = await newRequest();
  const whistle = (await ok(BLOW, { input: { requestId, blownById: streetId, letter: '街道吹哨：井盖缺失联合处置', unitIds: [departmentIds[0]] } })).blowWhistle;
  const recipientId = whistle.recipients.edges[0].node.id;
  // Bound to the communities the unit serves, as a liaison's scope is: not the street that blew.
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, communityId)], { unitId: dbId(departmentIds[0]) });
  const stranger = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, communityId)], { unitId: dbId(departmentIds[2]) });
  const LISTS = `query($unitId: ID!) {
    whistleResponses(first: 100, filter: { unitId: $unitId }) { edges { node { id status whistle { id letter blownBy { name } } } } }
    whistles(first: 100) { edges { node { id } } }
  }`;

  const seen = await app.execute(LISTS, { unitId: departmentIds[0] }, liaison);
  expect(seen.errors).toBeUndefined();
  expect(seen.data?.whistleResponses.edges.map((e: any) => e.node)).toContainEqual({
    id: recipientId, status: 'AWAITING_REPORT', whistle: { id: whistle.id, letter: '街道吹哨：井盖缺失联合处置', blownBy: { name: whistle.blownBy.name } },
  });
  expect(seen.data?.whistles.edges.map((e: any) => e.node.id)).toContain(whistle.id);

  const reported = await app.execute(`mutation($id: ID!) { reportToWhistle(id: $id) { status whistle { id letter recipientCount } } }`, { id: recipientId }, liaison);
  expect(reported.errors).toBeUndefined();
  expect(reported.data?.reportToWhistle).toEqual({ status: 'REPORTED', whistle: { id: whistle.id, letter: '街道吹哨：井盖缺失联合处置', recipientCount: 1 } });

  const unseen = await app.execute(LISTS, { unitId: departmentIds[0] }, stranger);
  expect(unseen.errors).toBeUndefined();
  expect(unseen.data?.whistleResponses.edges.map((e: any) => e.node.id)).not.toContain(recipientId);
  expect(unseen.data?.whistles.edges.map((e: any) => e.node.id)).not.toContain(whistle.id);
  const nodes = await app.execute(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [recipientId, whistle.id] }, stranger);
  expect(nodes.data?.nodes).toEqual([null, null]);
});

test("a unit liaison filters the whistles aimed at their unit by a request outside their communities (it was NOT_FOUND on filter.requestId, though those whistles are theirs to read)", async () => {
  const requestId = await newRequest();
  const whistle = (await ok(BLOW, { input: { requestId, blownById: streetId, letter: '街道吹哨：路面塌陷联合处置', unitIds: [departmentIds[1]] } })).blowWhistle;
  // The unit serves the other community: the request's is outside the liaison's scope.
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, otherCommunityId)], { unitId: dbId(departmentIds[1]) });
  const stranger = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, otherCommunityId)], { unitId: dbId(departmentIds[2]) });
  const BY_REQUEST = `query($r: ID!) { whistles(first: 100, filter: { requestId: $r }) { totalCount edges { node { id } } } }`;
  const seen = await app.execute(BY_REQUEST, { r: requestId }, liaison);
  expect(seen.errors).toBeUndefined();
  expect(seen.data?.whistles).toEqual({ totalCount: 1, edges: [{ node: { id: whistle.id } }] });
  // Another unit's liaison finds none, as without the filter; an id of another type is still refused.
  expect((await app.execute(BY_REQUEST, { r: requestId }, stranger)).data?.whistles).toEqual({ totalCount: 0, edges: [] });
  const wrongType = await app.execute(BY_REQUEST, { r: departmentIds[1] }, liaison);
  expect(wrongType.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.requestId' });
});

test('a whistle whose request is closed out stops its clock: a department late by then stays late, one not due yet is no longer counted overdue', async () => {
  // Its own hour, so the dashboard below sees only these whistles.
  const T1 = new Date('2026-05-11T02:00:00Z');
  app.clock.set(T1);
  const requestId = await newRequest();
  const { partyMembers } = await ok(`{ partyMembers(first: 1) { edges { node { id } } } }`);
  await ok(`mutation($id: ID!, $person: ID!) { dispatchRequest(id: $id, input: { assigneePersonId: $person }) { status } }`, { id: requestId, person: partyMembers.edges[0].node.id });
  await ok(`mutation($id: ID!) { takeRequest(id: $id) { status } }`, { id: requestId });
  const blow = async (unitId: string, hours: Record<string, number>) =>
    (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '联合处置函', unitIds: [unitId], ...hours } })).blowWhistle;
  const late = await blow(departmentIds[0], { reportHours: 24, feedbackHours: 24 }); // both deadlines pass before the close-out
  const notDue = await blow(departmentIds[1], { reportHours: 48, feedbackHours: 72 }); // none passes before it
  const answered = await blow(departmentIds[2], {}); // answers in time
  const recipientOf = (whistle: any) => whistle.recipients.edges[0].node.id;
  app.clock.set(new Date(T1.getTime() + HOUR));
  await ok(`mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id: recipientOf(answered) });
  await ok(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已到场处置" }) { status } }`, { id: recipientOf(answered) });

  const closedAt = new Date(T1.getTime() + 30 * HOUR);
  app.clock.set(closedAt);
  await ok(`mutation($id: ID!) { resolveRequest(id: $id) { status } }`, { id: requestId });
  await ok(`mutation($id: ID!) { closeOutRequest(id: $id, input: { byLevel: COMMUNITY, reason: "已修复，销号" }) { status } }`, { id: requestId });

  // Long after every deadline.
  app.clock.set(new Date(T1.getTime() + 100 * HOUR));
  const read = await ok(`query($id: ID!) { node(id: $id) { ... on Request { whistles { edges { node { id recipients { edges { node { id reportOverdue feedbackOverdue answeredOnTime } } } } } } } } }`, { id: requestId });
  const byWhistle = new Map(read.node.whistles.edges.map((e: any) => [e.node.id, e.node.recipients.edges[0].node]));
  expect(byWhistle.get(late.id)).toMatchObject({ reportOverdue: true, feedbackOverdue: true, answeredOnTime: null });
  expect(byWhistle.get(notDue.id)).toMatchObject({ reportOverdue: false, feedbackOverdue: false, answeredOnTime: null });
  expect(byWhistle.get(answered.id)).toMatchObject({ reportOverdue: false, feedbackOverdue: false, answeredOnTime: true });

  const lists = await ok(`query($requestId: ID!) {
    overdue: whistles(first: 100, filter: { requestId: $requestId, overdue: true }) { edges { node { id } } }
    notOverdue: whistles(first: 100, filter: { requestId: $requestId, overdue: false }) { edges { node { id } } }
    late: whistleResponses(first: 100, filter: { overdue: true }) { totalCount edges { node { id } } }
    inTime: whistleResponses(first: 100, filter: { overdue: false }) { totalCount edges { node { id } } }
  }`, { requestId });
  expect(lists.overdue.edges.map((e: any) => e.node.id)).toEqual([late.id]);
  expect(lists.notOverdue.edges.map((e: any) => e.node.id).sort()).toEqual([notDue.id, answered.id].sort());
  const lateIds = lists.late.edges.map((e: any) => e.node.id);
  expect(lateIds).toContain(recipientOf(late));
  expect(lateIds).not.toContain(recipientOf(notDue));
  expect(lists.inTime.edges.map((e: any) => e.node.id)).toContain(recipientOf(notDue));

  // The dashboard's rate counts the department answered in time and the one late before the close-out, not the one never due.
  const dashboard = await ok(`query($input: DashboardInput!) { dashboard(input: $input) { whistlesBlown whistleResponses whistlesAnsweredOnTimeRate } }`, {
    input: { areaId: communityId, from: T1.toISOString(), to: new Date(T1.getTime() + HOUR).toISOString() },
  });
  expect(dashboard.dashboard).toEqual({ whistlesBlown: 3, whistleResponses: 3, whistlesAnsweredOnTimeRate: 0.5 });

  // The stop is on the whistle: when the request was closed out.
  const stopped = await ok(`query($id: ID!) { node(id: $id) { ... on Whistle { stoppedAt } } }`, { id: late.id });
  expect(stopped.node.stoppedAt).toBe(closedAt.toISOString());
});

test('rejecting a request a whistle was blown on stops the whistle too', async () => {
  const requestId = await newRequest();
  const blown = (await ok(BLOW, { input: { requestId, blownById: communityId, letter: '联合处置函', unitIds: [departmentIds[0]] } })).blowWhistle;
  app.clock.advance(2 * HOUR);
  await ok(`mutation($id: ID!) { rejectRequest(id: $id, input: { reason: "不属于受理范围" }) { status } }`, { id: requestId });
  app.clock.advance(200 * HOUR);
  const read = await ok(`query($id: ID!) { node(id: $id) { ... on Whistle { recipients { edges { node { reportOverdue feedbackOverdue } } } } } }`, { id: blown.id });
  expect(read.node.recipients.edges[0].node).toEqual({ reportOverdue: false, feedbackOverdue: false });
});
