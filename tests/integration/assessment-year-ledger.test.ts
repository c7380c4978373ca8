import { buildWorld, createPerson, createUnit, dbId, ok, type World } from '../helpers/fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { gridSanitation } from '../helpers/whistle-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review: a year's assessments read only the requests that could fall in the year (request.states.ts,
 * assignableWithinSql): those with a ledger entry of the year that made someone the assignee, and
 * those that came in within it; each is then dated as before (assignedAtSql). These pin the edges
 * that reading relies on: a request is dated by the FIRST entry that made the member or unit its
 * assignee, so one received in an earlier year counts in the year it was first given them, one given
 * them again this year after a first time last year counts last year only (its entry of this year is
 * not its date), and one whose ledger does not record it (written outside the API) by when it came in.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;
let categoryId = '';
let categoryHours = 0;

const HOUR = 3600_000;
const at = (local: string) => new Date(`${local}+08:00`);
const ASSESSED = at('2027-01-10T10:00:00');

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2025-01-02T09:00:00'));
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
  ({ categoryId, hours: categoryHours } = await gridSanitation(app));
});
afterAll(async () => {
  await app?.close();
});

const step = (mutation: string, id: string, inputType?: string, input?: Record<string, unknown>) =>
  ok(app, `mutation($id: ID!${inputType ? `, $input: ${inputType}` : ''}) { ${mutation}(id: $id${inputType ? ', input: $input' : ''}) { id } }`, { id, input });

/** A request in A's grid that comes in at `receivedAt` (China time), left ORDERED. */
async function received(receivedAt: string): Promise<string> {
  app.clock.set(at(receivedAt));
  return (await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: w.gridId },
  })).createRequest.id;
}

/** Dispatched at `dispatchedAt` (China) to `unit` and taken by `worker`; resolved in time and rated, or handed back late. */
async function handled(id: string, dispatchedAt: string, unit: string, worker: string, outcome: 'inTime' | 'returned', rating?: number): Promise<void> {
  const dispatched = at(dispatchedAt);
  app.clock.set(dispatched);
  await step('dispatchRequest', id, 'DispatchRequestInput!', { assigneeUnitId: unit });
  await step('takeRequest', id, 'TakeRequestInput', { personId: worker });
  app.clock.set(new Date(dispatched.getTime() + (outcome === 'inTime' ? 1 : categoryHours + 1) * HOUR));
  if (outcome === 'returned') await step('returnRequest', id, 'ReasonStepInput!', { reason: '不在我的服务范围' });
  else await step('resolveRequest', id);
  if (rating != null) await step('rateRequest', id, 'RateRequestInput!', { satisfaction: rating });
}

async function unitSatisfaction(unitId: string, year: number): Promise<{ numerator: number; denominator: number } | undefined> {
  app.clock.set(ASSESSED);
  const rows = (await ok(app, `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) { unit { id } satisfaction { numerator denominator } } }`, {
    input: { communityId: w.communityId, year },
  })).unitAssessments;
  return rows.find((row: any) => row.unit.id === unitId)?.satisfaction;
}

describe('unit assessments: the year a request counts in is that of the first dispatch to the unit', () => {
  test('received in the year before, first dispatched to the unit in this one: counts in this year, not the year it came in', async () => {
    app.clock.set(at('2025-01-02T09:00:00'));
    const unit = await createUnit(app, { name: '区城管局', kind: 'AGENCY', areaId: w.streetId });
    await createPairing(app, unit, w.communityId, '2025-01-01');
    const worker = await createPerson(app, { name: '城管甲', employerUnitId: unit, residenceCommunityId: w.communityId });

    await handled(await received('2025-12-31T20:00:00'), '2026-01-02T09:00:00', unit, worker, 'inTime', 4);

    expect(await unitSatisfaction(unit, 2025)).toEqual({ numerator: 0, denominator: 0 });
    expect(await unitSatisfaction(unit, 2026)).toEqual({ numerator: 4, denominator: 5 });
  });

  test('dispatched to the unit last year, handed back late and dispatched to it again this year: counts in last year only', async () => {
    app.clock.set(at('2025-01-02T09:00:00'));
    const unit = await createUnit(app, { name: '区住建局', kind: 'AGENCY', areaId: w.streetId });
    await createPairing(app, unit, w.communityId, '2025-01-01');
    const worker = await createPerson(app, { name: '住建甲', employerUnitId: unit, residenceCommunityId: w.communityId });

    const id = await received('2025-11-03T10:00:00');
    await handled(id, '2025-11-03T11:00:00', unit, worker, 'returned');
    await handled(id, '2026-01-05T10:00:00', unit, worker, 'inTime', 2);

    expect(await unitSatisfaction(unit, 2025)).toEqual({ numerator: 2, denominator: 5 });
    expect(await unitSatisfaction(unit, 2026)).toEqual({ numerator: 0, denominator: 0 });
  });
});

describe('member assessments: a request whose ledger does not record it is dated by when it came in', () => {
  test('written outside the API (no ledger), assigned to a member: counts in the year it came in, and in no other', async () => {
    app.clock.set(at('2025-01-10T09:00:00'));
    const postId = await createServicePost(app, { communityId: w.communityId, title: '台账外岗位', capacity: 5 });
    const member = await createMember(app, { name: '台账外成员', communityId: w.communityId, employerUnitId: w.units.hospitalId });
    await reportMember(app, { personId: member, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });

    // As an import or a hand-written row would leave it: the request alone, no ledger entry.
    const insert = (number: string, createdAt: Date, rating: number) => app.orm.em.fork().execute(
      `insert into request (created_at, updated_at, number, title, body, channel, category_id, area_id, status, level,
                            assignee_person_id, due_at, resolved_at, satisfaction, version)
       values (?, ?, ?, '路灯不亮', '小区路灯不亮', 'VISIT', ?, ?, 'RESOLVED', 'COMMUNITY', ?, ?, ?, ?, 1)`,
      [createdAt, createdAt, number, dbId(categoryId), dbId(w.gridId), dbId(member), new Date(createdAt.getTime() + 72 * HOUR), new Date(createdAt.getTime() + HOUR), rating],
    );
    await insert('LEDGERLESS-1', at('2025-06-01T10:00:00'), 4);
    await insert('LEDGERLESS-2', at('2026-03-01T10:00:00'), 1);

    const partsOf = async (year: number) => {
      app.clock.set(ASSESSED);
      const rows = (await ok(app, `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) {
        person { id } requests { numerator denominator } satisfaction { numerator denominator } } }`, { input: { communityId: w.communityId, year } })).memberAssessments;
      const row = rows.find((r: any) => r.person.id === member);
      return row && { requests: row.requests, satisfaction: row.satisfaction };
    };
    expect(await partsOf(2025)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 4, denominator: 5 } });
    expect(await partsOf(2026)).toEqual({ requests: { numerator: 1, denominator: 1 }, satisfaction: { numerator: 1, denominator: 5 } });
  });
});
