import { ok, type Tree, type Units } from '../helpers/fixtures';
import type { TestApp } from '../helpers/test-app';
import { after, at, blowWhistleOn, createGridRequest, whistleWorld } from '../helpers/whistle-fixtures';

/**
 * ONE meaning of "overdue" for a department called by a whistle (whistle.rules.ts,
 * `responseOverdue`): it missed a deadline, i.e. did not report / feed back by it (late, or not
 * yet), the deadline passing while the whistle's clock ran. The `reportOverdue`/`feedbackOverdue`/
 * `overdue` fields, the `overdue` filters of `whistles` and `whistleResponses` (rows and
 * totalCount), the dashboard's rate and the unit assessment all read it so.
 */

let app: TestApp;
let tree: Tree;
let units: Units;
let categoryId = '';

beforeAll(async () => {
  ({ app, tree, units, categoryId } = await whistleWorld());
});
afterAll(async () => {
  await app?.close();
});

const newRequest = () => createGridRequest(app, tree, categoryId);

/** One whistle on the request, calling one department: its id and the department's (recipient's) id. */
async function blow(requestId: string, unitId: string, reportHours: number, feedbackHours: number): Promise<{ whistle: string; recipient: string }> {
  const { whistle, recipients } = await blowWhistleOn(app, { requestId, blownById: tree.communityId, unitIds: [unitId], reportHours, feedbackHours });
  return { whistle, recipient: recipients[0] };
}

const report = (id: string) => ok(app, `mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id });
const answer = (id: string) => ok(app, `mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已到场处置" }) { status } }`, { id });

const RECIPIENT = `query($id: ID!) { node(id: $id) { ... on WhistleRecipient { status feedback reportOverdue feedbackOverdue overdue answeredOnTime } } }`;
const recipient = async (id: string) => (await ok(app, RECIPIENT, { id })).node;

const LISTS = `query($requestId: ID!, $overdue: Boolean) {
  whistles(first: 100, filter: { requestId: $requestId, overdue: $overdue }) { totalCount edges { node { id recipients { edges { node { id } } } } } }
  whistleResponses(first: 100, filter: { overdue: $overdue }) { totalCount edges { node { id } } }
}`;
async function lists(requestId: string, overdue?: boolean) {
  const data = await ok(app, LISTS, { requestId, overdue });
  return {
    whistles: data.whistles.edges.map((e: any) => e.node.id) as string[],
    whistleTotal: data.whistles.totalCount as number,
    responses: data.whistleResponses.edges.map((e: any) => e.node.id) as string[],
    responseTotal: data.whistleResponses.totalCount as number,
  };
}

const dashboardRate = async (from: Date) =>
  (await ok(app, `query($input: DashboardInput!) { dashboard(input: $input) { whistlesBlown whistleResponses whistlesAnsweredOnTimeRate } }`, {
    input: { areaId: tree.communityId, from: from.toISOString(), to: after(from, 1).toISOString() },
  })).dashboard;

const ledgerOf = async (id: string) =>
  (await ok(app, `query($id: ID!) { node(id: $id) { ... on Request { events { edges { node { kind note data } } } } } }`, { id })).node.events.edges.map((e: any) => e.node);

test('the overdue field, the overdue filters and their totalCount agree for every department, a late reporter and a late answerer included', async () => {
  const T = at('2025-04-01T09:00:00');
  app.clock.set(T);
  const requestId = await newRequest();
  const lateReporter = await blow(requestId, units.hospitalId, 1, 100); // reports after its 1 h; feedback not yet due
  const onTimeReporter = await blow(requestId, units.policeStationId, 1, 100); // reports within its 1 h
  const notYetDue = await blow(requestId, units.propertyCompanyId, 24, 100); // nothing due yet
  const pastDue = await blow(requestId, units.ownersCommitteeId, 1, 2); // never answers
  const lateAnswerer = await blow(requestId, units.schoolId, 1, 2); // reports in time, feeds back after its 2 h

  app.clock.set(after(T, 0.5));
  await report(onTimeReporter.recipient);
  await report(lateAnswerer.recipient);
  app.clock.set(after(T, 1.5));
  await report(lateReporter.recipient);
  app.clock.set(after(T, 3));
  await answer(lateAnswerer.recipient);
  app.clock.set(after(T, 10));

  const expected = new Map([
    [lateReporter, { reportOverdue: true, feedbackOverdue: false, overdue: true, answeredOnTime: null }],
    [onTimeReporter, { reportOverdue: false, feedbackOverdue: false, overdue: false, answeredOnTime: null }],
    [notYetDue, { reportOverdue: false, feedbackOverdue: false, overdue: false, answeredOnTime: null }],
    [pastDue, { reportOverdue: true, feedbackOverdue: true, overdue: true, answeredOnTime: null }],
    [lateAnswerer, { reportOverdue: false, feedbackOverdue: true, overdue: true, answeredOnTime: false }],
  ]);
  const [all, overdue, notOverdue] = [await lists(requestId), await lists(requestId, true), await lists(requestId, false)];
  for (const [called, fields] of expected) {
    expect({ called, ...(await recipient(called.recipient)) }).toMatchObject({ called, ...fields });
    // The filters put it on the side its field says, for the department and for its whistle.
    expect({ called, inOverdue: overdue.responses.includes(called.recipient), inNotOverdue: notOverdue.responses.includes(called.recipient) })
      .toEqual({ called, inOverdue: fields.overdue, inNotOverdue: !fields.overdue });
    expect({ called, inOverdue: overdue.whistles.includes(called.whistle), inNotOverdue: notOverdue.whistles.includes(called.whistle) })
      .toEqual({ called, inOverdue: fields.overdue, inNotOverdue: !fields.overdue });
  }
  // totalCount counts what the rows list, and the two sides make up everything, once.
  expect(overdue.whistleTotal).toBe(3);
  expect(notOverdue.whistleTotal).toBe(2);
  expect(all.whistleTotal).toBe(5);
  expect(overdue.responseTotal).toBe(overdue.responses.length);
  expect(notOverdue.responseTotal).toBe(notOverdue.responses.length);
  expect(overdue.responseTotal + notOverdue.responseTotal).toBe(all.responseTotal);

  // The dashboard's rate: the late answerer and the one past due missed the feedback deadline; none met it yet.
  expect(await dashboardRate(T)).toEqual({ whistlesBlown: 5, whistleResponses: 5, whistlesAnsweredOnTimeRate: 0 });
});

test('answers after the whistle stopped are recorded; late at the stop stays late, not due at the stop counts nowhere, whenever the answer came', async () => {
  const T = at('2025-05-01T09:00:00');
  app.clock.set(T);
  const requestId = await newRequest();
  const inTime = await blow(requestId, units.hospitalId, 1, 2); // answers before the stop, in time
  const lateAtStop = await blow(requestId, units.policeStationId, 1, 2); // both deadlines pass before the stop
  const beforeDue = await blow(requestId, units.propertyCompanyId, 24, 72); // answers after the stop, before its deadline
  const afterDue = await blow(requestId, units.ownersCommitteeId, 24, 72); // answers after the stop and after its deadline

  app.clock.set(after(T, 0.5));
  await report(inTime.recipient);
  await answer(inTime.recipient);
  app.clock.set(after(T, 5));
  await ok(app, `mutation($id: ID!) { rejectRequest(id: $id, input: { reason: "不属于受理范围" }) { status } }`, { id: requestId });

  app.clock.set(after(T, 6));
  for (const called of [lateAtStop, beforeDue]) {
    await report(called.recipient);
    await answer(called.recipient);
  }
  app.clock.set(after(T, 80));
  await report(afterDue.recipient);
  await answer(afterDue.recipient);
  app.clock.set(after(T, 200));

  // Nothing lost: every answer is kept, on the department and on the request's ledger.
  const expected = new Map([
    [inTime, { reportOverdue: false, feedbackOverdue: false, overdue: false, answeredOnTime: true }],
    [lateAtStop, { reportOverdue: true, feedbackOverdue: true, overdue: true, answeredOnTime: false }],
    [beforeDue, { reportOverdue: false, feedbackOverdue: false, overdue: false, answeredOnTime: null }],
    [afterDue, { reportOverdue: false, feedbackOverdue: false, overdue: false, answeredOnTime: null }],
  ]);
  const [overdue, notOverdue] = [await lists(requestId, true), await lists(requestId, false)];
  for (const [called, fields] of expected) {
    expect({ called, ...(await recipient(called.recipient)) }).toEqual({ called, status: 'ANSWERED', feedback: '已到场处置', ...fields });
    expect({ called, inOverdue: overdue.responses.includes(called.recipient), inNotOverdue: notOverdue.responses.includes(called.recipient) })
      .toEqual({ called, inOverdue: fields.overdue, inNotOverdue: !fields.overdue });
  }
  expect(overdue.whistles).toEqual([lateAtStop.whistle]);
  expect(overdue.whistleTotal).toBe(1);

  // The ledger keeps each feedback; it says on time or late only for what counts.
  const feedbacks = (await ledgerOf(requestId)).filter((event: any) => event.kind === 'WHISTLE_FEEDBACK');
  expect(feedbacks).toHaveLength(4);
  expect(feedbacks.map((event: any) => [event.note, event.data.onTime])).toEqual([
    ['已到场处置', true],
    ['已到场处置', false],
    ['已到场处置', undefined],
    ['已到场处置', undefined],
  ]);

  // The dashboard counts the one in time and the one late at the stop; the two not due at the stop count in neither figure.
  expect(await dashboardRate(T)).toEqual({ whistlesBlown: 4, whistleResponses: 4, whistlesAnsweredOnTimeRate: 0.5 });
});
