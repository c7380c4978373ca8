import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { dbId, ok, type Tree, type Units } from '../helpers/fixtures';
import type { TestApp } from '../helpers/test-app';
import { after, at, blowWhistleOn, createGridRequest, whistleWorld } from '../helpers/whistle-fixtures';

/**
 * Whom to chase now (whistle.rules.ts, `awaitingPastDeadline`): a department that still owes its
 * report or its feedback past the deadline, under a whistle that has not stopped. `overdue` says
 * who missed a deadline (done late included, for good); this says who is still missing one. The
 * field, the `awaitingPastDeadline` filters of `whistles` and `whistleResponses` and their
 * totalCount agree.
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

/** A whistle on the request calling the units in order: its id and its departments' (recipients') ids. */
const blow = (requestId: string, unitIds: string[], reportHours: number, feedbackHours: number, blownById = tree.communityId) =>
  blowWhistleOn(app, { requestId, blownById, unitIds, reportHours, feedbackHours });

const report = (id: string) => ok(app, `mutation($id: ID!) { reportToWhistle(id: $id) { status } }`, { id });
const answer = (id: string) => ok(app, `mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已到场处置" }) { status } }`, { id });

const fieldsOf = async (id: string) =>
  (await ok(app, `query($id: ID!) { node(id: $id) { ... on WhistleRecipient { overdue awaitingPastDeadline } } }`, { id })).node;

const LISTS = `query($requestId: ID, $unitId: ID, $awaiting: Boolean) {
  whistles(first: 100, filter: { requestId: $requestId, unitId: $unitId, awaitingPastDeadline: $awaiting }) { totalCount edges { node { id } } }
  whistleResponses(first: 100, filter: { unitId: $unitId, awaitingPastDeadline: $awaiting }) { totalCount edges { node { id } } }
}`;
async function lists(filter: { requestId?: string; unitId?: string; awaiting?: boolean }) {
  const data = await ok(app, LISTS, filter);
  return {
    whistles: data.whistles.edges.map((e: any) => e.node.id) as string[],
    whistleTotal: data.whistles.totalCount as number,
    responses: data.whistleResponses.edges.map((e: any) => e.node.id) as string[],
    responseTotal: data.whistleResponses.totalCount as number,
  };
}

test('to chase: a duty still owed past its deadline, not one done late, not one not yet due, not under a stopped whistle', async () => {
  const T = at('2025-04-01T09:00:00');
  app.clock.set(T);
  const requestId = await newRequest();
  const owesReport = await blow(requestId, [units.hospitalId], 1, 100); // never reports
  const reportedLate = await blow(requestId, [units.policeStationId], 1, 100); // reports late; feedback not due yet
  const owesFeedback = await blow(requestId, [units.propertyCompanyId], 1, 2); // reports in time, never feeds back
  const answeredLate = await blow(requestId, [units.ownersCommitteeId], 1, 2); // reports in time, feeds back late
  const notYetDue = await blow(requestId, [units.schoolId], 24, 100); // nothing due yet
  // On another request, rejected after both deadlines passed: late at the stop, owed nothing since.
  const stoppedRequestId = await newRequest();
  const stopped = await blow(stoppedRequestId, [units.hospitalId], 1, 2);

  app.clock.set(after(T, 0.5));
  await report(owesFeedback.recipients[0]);
  await report(answeredLate.recipients[0]);
  app.clock.set(after(T, 1.5));
  await report(reportedLate.recipients[0]);
  app.clock.set(after(T, 3));
  await answer(answeredLate.recipients[0]);
  app.clock.set(after(T, 5));
  await ok(app, `mutation($id: ID!) { rejectRequest(id: $id, input: { reason: "不属于受理范围" }) { status } }`, { id: stoppedRequestId });
  app.clock.set(after(T, 10));

  const expected = new Map([
    [owesReport, { overdue: true, awaitingPastDeadline: true }],
    [reportedLate, { overdue: true, awaitingPastDeadline: false }],
    [owesFeedback, { overdue: true, awaitingPastDeadline: true }],
    [answeredLate, { overdue: true, awaitingPastDeadline: false }],
    [notYetDue, { overdue: false, awaitingPastDeadline: false }],
    [stopped, { overdue: true, awaitingPastDeadline: false }],
  ]);
  const [chase, rest, all] = [await lists({ awaiting: true }), await lists({ awaiting: false }), await lists({})];
  const [chaseHere, restHere, stoppedChase, stoppedRest] = [
    await lists({ requestId, awaiting: true }),
    await lists({ requestId, awaiting: false }),
    await lists({ requestId: stoppedRequestId, awaiting: true }),
    await lists({ requestId: stoppedRequestId, awaiting: false }),
  ];
  for (const [called, fields] of expected) {
    const recipient = called.recipients[0];
    expect({ called, ...(await fieldsOf(recipient)) }).toEqual({ called, ...fields });
    // The filters put the department, and its whistle (its only department), on the side its field says.
    expect({ called, inChase: chase.responses.includes(recipient), inRest: rest.responses.includes(recipient) })
      .toEqual({ called, inChase: fields.awaitingPastDeadline, inRest: !fields.awaitingPastDeadline });
    const [whistlesChase, whistlesRest] = called === stopped ? [stoppedChase, stoppedRest] : [chaseHere, restHere];
    expect({ called, inChase: whistlesChase.whistles.includes(called.whistle), inRest: whistlesRest.whistles.includes(called.whistle) })
      .toEqual({ called, inChase: fields.awaitingPastDeadline, inRest: !fields.awaitingPastDeadline });
  }
  // totalCount counts what the rows list, and the two sides make up everything, once.
  expect([chaseHere.whistleTotal, restHere.whistleTotal]).toEqual([2, 3]);
  expect([stoppedChase.whistleTotal, stoppedRest.whistleTotal]).toEqual([0, 1]);
  expect(chase.responseTotal).toBe(chase.responses.length);
  expect(rest.responseTotal).toBe(rest.responses.length);
  expect(chase.responseTotal + rest.responseTotal).toBe(all.responseTotal);
  expect(chase.whistleTotal + rest.whistleTotal).toBe(all.whistleTotal);

  // Feeding back takes the department off the list at once; it stays overdue.
  await answer(owesFeedback.recipients[0]);
  expect(await fieldsOf(owesFeedback.recipients[0])).toEqual({ overdue: true, awaitingPastDeadline: false });
  expect((await lists({ requestId, awaiting: true })).whistles).toEqual([owesReport.whistle]);
  expect((await lists({ requestId, awaiting: true })).whistleTotal).toBe(1);
});

test('a whistle is to chase when one of its departments is; with unitId, when that unit\'s department is', async () => {
  const T = at('2025-06-01T09:00:00');
  app.clock.set(T);
  const requestId = await newRequest();
  // The hospital never reports; the police station reports and feeds back in time.
  const both = await blow(requestId, [units.hospitalId, units.policeStationId], 1, 2);
  app.clock.set(after(T, 0.5));
  await report(both.recipients[1]);
  await answer(both.recipients[1]);
  app.clock.set(after(T, 10));

  const counts = async (unitId: string | undefined, awaiting: boolean) => {
    const found = await lists({ requestId, unitId, awaiting });
    return { whistles: found.whistles, total: found.whistleTotal };
  };
  expect(await counts(undefined, true)).toEqual({ whistles: [both.whistle], total: 1 });
  expect(await counts(undefined, false)).toEqual({ whistles: [], total: 0 });
  expect(await counts(units.hospitalId, true)).toEqual({ whistles: [both.whistle], total: 1 });
  expect(await counts(units.policeStationId, true)).toEqual({ whistles: [], total: 0 });
  expect(await counts(units.policeStationId, false)).toEqual({ whistles: [both.whistle], total: 1 });
  // A unit not called at all: its whistles are none, on either side.
  expect(await counts(units.schoolId, false)).toEqual({ whistles: [], total: 0 });
});

test("a liaison's filters read the departments they read: on a street's whistle, their unit's alone", async () => {
  const T = at('2025-07-01T09:00:00');
  app.clock.set(T);
  const requestId = await newRequest();
  // The street blows, calling the hospital (answers in time) and the police station (never reports).
  const whistle = await blow(requestId, [units.hospitalId, units.policeStationId], 1, 2, tree.streetId);
  app.clock.set(after(T, 0.5));
  await report(whistle.recipients[0]);
  await answer(whistle.recipients[0]);
  app.clock.set(after(T, 10));

  // The hospital's liaison, bound to a community: the street's whistle reaches them as addressed to their unit.
  const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, tree.communityId)], { unitId: dbId(units.hospitalId) });
  const QUERY = `query($requestId: ID, $overdue: Boolean, $awaiting: Boolean) {
    whistles(first: 100, filter: { requestId: $requestId, overdue: $overdue, awaitingPastDeadline: $awaiting }) { totalCount edges { node { id } } }
  }`;
  const seen = async (filter: { overdue?: boolean; awaiting?: boolean }, viewer = liaison) => {
    const result = await app.execute(QUERY, { requestId, ...filter }, viewer);
    expect(result.errors).toBeUndefined();
    return { ids: result.data!.whistles.edges.map((e: any) => e.node.id), total: result.data!.whistles.totalCount };
  };
  expect(await seen({})).toEqual({ ids: [whistle.whistle], total: 1 });
  // Their unit's department is neither late nor owing: the police station's row is not theirs to read.
  expect(await seen({ overdue: true })).toEqual({ ids: [], total: 0 });
  expect(await seen({ overdue: false })).toEqual({ ids: [whistle.whistle], total: 1 });
  expect(await seen({ awaiting: true })).toEqual({ ids: [], total: 0 });
  expect(await seen({ awaiting: false })).toEqual({ ids: [whistle.whistle], total: 1 });
  // The street's staff read both departments: the whistle is overdue and to chase.
  const streetStaff = accountViewer(Role.STREET_STAFF, [await areaPath(app, tree.streetId)]);
  expect(await seen({ overdue: true }, streetStaff)).toEqual({ ids: [whistle.whistle], total: 1 });
  expect(await seen({ awaiting: true }, streetStaff)).toEqual({ ids: [whistle.whistle], total: 1 });
});
