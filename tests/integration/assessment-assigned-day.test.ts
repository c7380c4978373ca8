import { buildWorld, createPerson, createUnit, ok, type World } from '../helpers/fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { gridSanitation } from '../helpers/whistle-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review: both assessments dated a request by when it came in (request.created_at), so one received
 * the day before a member reported to the community (or a unit's pairing term began), and dispatched
 * to them after, counted in no row at all: not theirs (not reported yet when it came in), nobody
 * else's. A request counts for a member or unit by when it was dispatched to them (for a unit's
 * worker, taken by them): the moment they became answerable for it (request.states.ts,
 * assignedAtSql), which must fall on their report days or term days, and in the year.
 * A = w.communityId (幸福里), B = w.otherCommunityId (和平里).
 */

let app: TestApp;
let w: World;
let orgs: Organizations;
let categoryId = '';
let categoryHours = 0;

const HOUR = 3600_000;
const at = (local: string) => new Date(`${local}+08:00`);
const MEMBERS_ASSESSED = at('2026-01-15T10:00:00');
const UNITS_ASSESSED = at('2027-01-10T10:00:00');

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(MEMBERS_ASSESSED);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
  ({ categoryId, hours: categoryHours } = await gridSanitation(app));
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.set(MEMBERS_ASSESSED));

const step = (mutation: string, id: string, inputType?: string, input?: Record<string, unknown>) =>
  ok(app, `mutation($id: ID!${inputType ? `, $input: ${inputType}` : ''}) { ${mutation}(id: $id${inputType ? ', input: $input' : ''}) { id } }`, { id, input });

/** A request in `where`'s grid that comes in at `receivedAt` (China time), left ORDERED. */
async function received(where: 'A' | 'B', receivedAt: string): Promise<string> {
  app.clock.set(at(receivedAt));
  return (await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: where === 'A' ? w.gridId : w.otherGridId },
  })).createRequest.id;
}

/**
 * Dispatched at `dispatchedAt` (China time) to `to` (a member, or a unit and the worker who takes
 * it), taken then; resolved an hour later, or handed back an hour past their due time (`returned`:
 * the ledger's lateAssignee); rated `rating`.
 */
async function handled(id: string, dispatchedAt: string, to: { member: string } | { unit: string; worker: string }, outcome: 'inTime' | 'returned', rating?: number): Promise<void> {
  const dispatched = at(dispatchedAt);
  app.clock.set(dispatched);
  if ('member' in to) {
    await step('dispatchRequest', id, 'DispatchRequestInput!', { assigneePersonId: to.member });
    await step('takeRequest', id);
  } else {
    await step('dispatchRequest', id, 'DispatchRequestInput!', { assigneeUnitId: to.unit });
    await step('takeRequest', id, 'TakeRequestInput', { personId: to.worker });
  }
  app.clock.set(new Date(dispatched.getTime() + (outcome === 'inTime' ? 1 : categoryHours + 1) * HOUR));
  if (outcome === 'returned') await step('returnRequest', id, 'ReasonStepInput!', { reason: '不在我的服务范围' });
  else await step('resolveRequest', id);
  if (rating != null) await step('rateRequest', id, 'RateRequestInput!', { satisfaction: rating });
}

describe('member assessments: a request counts for the member by when it was dispatched to them', () => {
  let seq = 0;
  /** A member living in A, reported there at 09:00 on `reportedOn` (China). */
  async function reportedInA(reportedOn: string): Promise<string> {
    seq += 1;
    app.clock.set(at(`${reportedOn}T09:00:00`));
    const postId = await createServicePost(app, { communityId: w.communityId, title: `派单岗位${seq}`, capacity: 5 });
    const personId = await createMember(app, { name: `派单成员${seq}`, communityId: w.communityId, employerUnitId: w.units.hospitalId });
    await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
    return personId;
  }

  async function moveToB(personId: string, day: string): Promise<void> {
    app.clock.set(at(`${day}T10:00:00`));
    await ok(app, `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
    seq += 1;
    const postId = await createServicePost(app, { communityId: w.otherCommunityId, title: `乙岗位${seq}`, capacity: 5 });
    await reportMember(app, { personId, communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId });
  }

  type Part = { numerator: number; denominator: number };
  async function partsOf(personId: string, where: 'A' | 'B' = 'A', year = 2025): Promise<{ requests: Part; satisfaction: Part } | undefined> {
    app.clock.set(MEMBERS_ASSESSED);
    const rows = (await ok(app, `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) {
      person { id } requests { numerator denominator } satisfaction { numerator denominator } } }`, {
      input: { communityId: where === 'A' ? w.communityId : w.otherCommunityId, year },
    })).memberAssessments;
    const row = rows.find((r: any) => r.person.id === personId);
    return row && { requests: row.requests, satisfaction: row.satisfaction };
  }

  test('received the day before the member reported, dispatched to them and taken after: theirs, with its rating', async () => {
    const member = await reportedInA('2025-04-01');
    const id = await received('A', '2025-03-31T16:00:00');
    await handled(id, '2025-04-01T10:00:00', { member }, 'inTime', 5);
    expect(await partsOf(member)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 5, denominator: 5 } });
  });

  test('received while they were reported to A, dispatched to them after they moved to B: served neither report, counts in neither row', async () => {
    const member = await reportedInA('2025-01-10');
    const id = await received('A', '2025-06-10T10:00:00');
    await moveToB(member, '2025-06-15');
    await handled(id, '2025-06-20T10:00:00', { member }, 'inTime', 5);
    expect(await partsOf(member, 'A')).toEqual({ requests: { numerator: 0, denominator: 0 }, satisfaction: { numerator: 0, denominator: 0 } });
    expect(await partsOf(member, 'B')).toEqual({ requests: { numerator: 0, denominator: 0 }, satisfaction: { numerator: 0, denominator: 0 } });
  });

  test('reassigned: received before the member reported, dispatched to them after and taken from them late, then dispatched to another: late against the first, each dated by their own dispatch', async () => {
    const first = await reportedInA('2025-05-01');
    const next = await reportedInA('2025-01-10');
    const id = await received('A', '2025-04-30T18:00:00');
    await handled(id, '2025-05-01T10:00:00', { member: first }, 'returned');
    await handled(id, '2025-05-06T10:00:00', { member: next }, 'inTime', 4);
    expect(await partsOf(first)).toEqual({ requests: { numerator: 0, denominator: 1 }, satisfaction: { numerator: 0, denominator: 0 } });
    expect(await partsOf(next)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 4, denominator: 5 } });
  });

  test('taken from them late and given them again the next year: stays in the year they first got it, late, once (a past year stays as it was)', async () => {
    const member = await reportedInA('2025-01-10');
    const id = await received('A', '2025-11-03T10:00:00');
    await handled(id, '2025-11-03T11:00:00', { member }, 'returned');
    expect(await partsOf(member, 'A', 2025)).toEqual({ requests: { numerator: 0, denominator: 1 }, satisfaction: { numerator: 0, denominator: 0 } });
    await handled(id, '2026-01-05T10:00:00', { member }, 'inTime', 5);
    expect(await partsOf(member, 'A', 2025)).toEqual({ requests: { numerator: 0, denominator: 1 }, satisfaction: { numerator: 5, denominator: 5 } });
    expect(await partsOf(member, 'A', 2026)).toEqual({ requests: { numerator: 0, denominator: 0 }, satisfaction: { numerator: 0, denominator: 0 } });
  });

  test("received on the year's last evening, dispatched on New Year's Day: a request of the year it was given them in", async () => {
    const member = await reportedInA('2025-01-10');
    const id = await received('A', '2025-12-31T20:00:00');
    await handled(id, '2026-01-01T10:00:00', { member }, 'inTime', 3);
    expect(await partsOf(member, 'A', 2025)).toEqual({ requests: { numerator: 0, denominator: 0 }, satisfaction: { numerator: 0, denominator: 0 } });
    expect(await partsOf(member, 'A', 2026)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 3, denominator: 5 } });
  });
});

describe("unit assessments: a request counts for the unit by when it was dispatched to it, on a day of its pairing term", () => {
  test("received the day before the unit's term began and dispatched to it on its first day counts; received on an ended term's last day and dispatched after it does not", async () => {
    app.clock.set(UNITS_ASSESSED);
    const late = await createUnit(app, { name: '区文旅局', kind: 'AGENCY', areaId: w.streetId });
    const ended = await createUnit(app, { name: '区水务局', kind: 'AGENCY', areaId: w.streetId });
    await createPairing(app, late, w.communityId, '2026-09-01');
    await createPairing(app, ended, w.communityId, '2025-01-01', '2026-08-31');
    const lateWorker = await createPerson(app, { name: '文旅甲', employerUnitId: late, residenceCommunityId: w.communityId });
    const endedWorker = await createPerson(app, { name: '水务甲', employerUnitId: ended, residenceCommunityId: w.communityId });

    // late: 31 August's, given it on 1 September (China), is the pairing's; 31 August's given it that day is not.
    await handled(await received('A', '2026-08-31T20:00:00'), '2026-09-01T09:00:00', { unit: late, worker: lateWorker }, 'inTime', 5);
    await handled(await received('A', '2026-08-31T10:00:00'), '2026-08-31T11:00:00', { unit: late, worker: lateWorker }, 'inTime', 1);
    // ended: March's is the pairing's; 31 August's, given it on 1 September, after its term, is not.
    await handled(await received('A', '2026-03-02T10:00:00'), '2026-03-02T11:00:00', { unit: ended, worker: endedWorker }, 'inTime', 3);
    await handled(await received('A', '2026-08-31T20:00:00'), '2026-09-01T09:00:00', { unit: ended, worker: endedWorker }, 'inTime', 1);

    app.clock.set(UNITS_ASSESSED);
    const rows = (await ok(app, `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) { unit { id } satisfaction { numerator denominator } } }`, {
      input: { communityId: w.communityId, year: 2026 },
    })).unitAssessments;
    const satisfactionOf = (unitId: string) => rows.find((row: any) => row.unit.id === unitId)?.satisfaction;
    expect(satisfactionOf(late)).toEqual({ numerator: 5, denominator: 5 });
    expect(satisfactionOf(ended)).toEqual({ numerator: 3, denominator: 5 });
  });
});
