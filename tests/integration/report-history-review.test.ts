import { toGlobalId } from '../../src/common/global-id';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { buildWorld, dbId, expectError, expectRacedDuplicatesAnswerAsSequential, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, expectNothingWritten, reportMember, type Organizations } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review of 双报到 history (past_report, post_claim.ended_on): every way a report ends keeps it, for
 * every viewer who may end it, and the history stays one report at a time.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;

const NOW = new Date('2026-03-15T10:00:00+08:00');
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id reportedOn } }`;
const REPORT = `mutation($input: ReportMemberInput!) { reportMember(input: $input) { id reportedOn } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.set(NOW));

let seq = 0;
async function reported(reportedOn?: string): Promise<{ personId: string; postId: string }> {
  seq += 1;
  const postId = await createServicePost(app, { communityId: w.communityId, title: `岗位${seq}`, capacity: 5 });
  const personId = await createMember(app, { name: `报到人${seq}`, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId, ...(reportedOn ? { reportedOn } : {}) });
  return { personId, postId };
}

const pastReports = (personId: string) =>
  app.orm.em.fork().execute(`select community_id, reported_on::text, ended_on::text from past_report where person_id = ? order by id`, [dbId(personId)]);

describe('a report ended by a viewer bound to an area is kept like one ended by the district administrator', () => {
  test('community staff record that a reported member of their community retired: the report ends and is kept', async () => {
    const { personId } = await reported();
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    const result = await app.execute(UPDATE, { id: personId, input: { partyStatus: 'RETIRED', employerUnitId: null } }, staff);
    expect(result.errors).toBeUndefined();
    expect(result.data.updatePerson.reportedOn).toBeNull();
    expect(await pastReports(personId)).toEqual([{ community_id: dbId(w.communityId), reported_on: '2026-03-15', ended_on: '2026-03-15' }]);
  });

  test('street staff record that a reported member moved to another community of their street: the report ends and is kept', async () => {
    const { personId } = await reported();
    const staff = accountViewer(Role.STREET_STAFF, [await areaPath(app, w.streetId)]);
    const result = await app.execute(UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } }, staff);
    expect(result.errors).toBeUndefined();
    expect(await pastReports(personId)).toEqual([{ community_id: dbId(w.communityId), reported_on: '2026-03-15', ended_on: '2026-03-15' }]);
  });
});

describe('a report is not backdated into a report that ended (one report at a time)', () => {
  test('a member who moved away and back may not report again from a day before their last report ended; from that day on they may', async () => {
    const { personId, postId } = await reported('2025-01-01');
    // 2025-06-01: they move to the other community (the report and its post end); 2025-09-01: back.
    app.clock.set(at('2025-06-01'));
    await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
    app.clock.set(at('2025-09-01'));
    await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.communityId } });
    // Reported from March again: reported twice over March to June, and while they lived elsewhere,
    // holding the same post twice at once.
    const input = { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId };
    await expectNothingWritten(app, async () => {
      const result = await app.execute(REPORT, { input: { ...input, reportedOn: '2025-03-01' } });
      expectError(result, 'BAD_USER_INPUT', 'input.reportedOn');
      return result;
    });
    expect((await ok(app, REPORT, { input: { ...input, reportedOn: '2025-06-01' } })).reportMember.reportedOn).toBe('2025-06-01');
  });

  test('nor to a day when they were reported to another community', async () => {
    const { personId } = await reported('2025-01-01');
    const otherPost = await createServicePost(app, { communityId: w.otherCommunityId, title: '和平里楼栋长', capacity: 5 });
    // Moves to the other community on 2025-04-01 and reports there that day; moves back on 2025-08-01.
    app.clock.set(at('2025-04-01'));
    await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
    await reportMember(app, { personId, communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId: otherPost });
    app.clock.set(at('2025-08-01'));
    await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.communityId } });
    const post = await createServicePost(app, { communityId: w.communityId, title: '回迁岗位', capacity: 5 });
    const result = await app.execute(REPORT, { input: { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId: post, reportedOn: '2025-05-01' } });
    expectError(result, 'BAD_USER_INPUT', 'input.reportedOn');
  });
});

describe("a past year's member assessment goes to the workplace the member reported through", () => {
  const ASSESSMENTS = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } employerUnit { id } } }`;
  const rowsFor = async (viewer?: Parameters<TestApp['execute']>[2]) => {
    const result = await app.execute(ASSESSMENTS, { input: { communityId: w.communityId, year: 2025 } }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.memberAssessments as { person: { id: string }; employerUnit: { id: string } | null }[];
  };

  test.each([
    ['retires and leaves the hospital', { partyStatus: 'RETIRED', employerUnitId: null }],
    ['moves to the school (and away)', { employerUnitId: 'school', residenceCommunityId: 'other' }],
    // It was kept as the school's: a current report reads the employer on record now.
    ['moves to the school (living here still)', { employerUnitId: 'school' }],
  ])('one who %s in 2026 stays in the hospital liaison\'s 2025 assessment, as the hospital\'s', async (_label, change) => {
    const { personId } = await reported('2025-01-01');
    const input = {
      ...change,
      ...(change.employerUnitId === 'school' ? { employerUnitId: w.units.schoolId } : {}),
      ...('residenceCommunityId' in change ? { residenceCommunityId: w.otherCommunityId } : {}),
    };
    const liaison = accountViewer(Role.UNIT_LIAISON, [await areaPath(app, w.communityId)], { unitId: dbId(w.units.hospitalId) });
    expect((await rowsFor(liaison)).map((row) => row.person.id)).toContain(personId);
    await ok(app, UPDATE, { id: personId, input });
    expect((await rowsFor()).find((row) => row.person.id === personId)?.employerUnit).toEqual({ id: w.units.hospitalId });
    expect((await rowsFor(liaison)).map((row) => row.person.id)).toContain(personId);
  });
});

test('a reported member who changes employer stays reported with their posts, reportedOn kept; each stretch is kept with its employer, and an unchanged employer sent back changes nothing', async () => {
  const { personId, postId } = await reported('2025-01-01');
  app.clock.set(at('2026-02-10'));
  // reportedOn is the day they reported (their profile, reportedMembers' filter): a change of employer does not move it.
  expect((await ok(app, UPDATE, { id: personId, input: { employerUnitId: w.units.schoolId } })).updatePerson.reportedOn).toBe('2025-01-01');
  const history = () =>
    app.orm.em.fork().execute(`select reported_on::text, ended_on::text, employer_unit_id, began_at_employer_change from past_report where person_id = ? order by id`, [dbId(personId)]);
  const hospital = { reported_on: '2025-01-01', ended_on: '2026-02-10', employer_unit_id: dbId(w.units.hospitalId), began_at_employer_change: false };
  expect(await history()).toEqual([hospital]);
  const [claim] = await app.orm.em.fork().execute(`select status, ended_on from post_claim where person_id = ? and post_id = ?`, [dbId(personId), dbId(postId)]);
  expect(claim).toEqual({ status: 'ACTIVE', ended_on: null });
  // The same employer sent back unchanged (a form sends every field) splits nothing.
  expect((await ok(app, UPDATE, { id: personId, input: { employerUnitId: w.units.schoolId, phone: '13912345678' } })).updatePerson.reportedOn).toBe('2025-01-01');
  expect(await history()).toHaveLength(1);
  // A second change: the school's stretch began at the first change, not with a report.
  app.clock.set(at('2026-02-20'));
  await ok(app, UPDATE, { id: personId, input: { employerUnitId: w.units.policeStationId } });
  const school = { reported_on: '2026-02-10', ended_on: '2026-02-20', employer_unit_id: dbId(w.units.schoolId), began_at_employer_change: true };
  expect(await history()).toEqual([hospital, school]);
  // Nobody reported on either day of a change: the dashboard's count of members who reported then stays 0.
  const DASHBOARD = `query($input: DashboardInput!) { dashboard(input: $input) { membersReported } }`;
  for (const day of ['2026-02-10', '2026-02-20']) {
    const period = { from: `${day}T00:00:00+08:00`, to: `${day}T23:59:59+08:00` };
    expect((await ok(app, DASHBOARD, { input: { areaId: w.communityId, ...period } })).dashboard.membersReported).toBe(0);
  }
  // Then they move away: the report ends, its last stretch (the police station's) from the last change.
  app.clock.set(at('2026-03-01'));
  await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
  expect((await history())[2]).toEqual({ reported_on: '2026-02-20', ended_on: '2026-03-01', employer_unit_id: dbId(w.units.policeStationId), began_at_employer_change: true });
});

test('taking an ended post again, six times at once (the one-claim key holds only among ACTIVE claims now): one new claim, the others CONFLICT as a later attempt', async () => {
  const { personId, postId } = await reported();
  const CLAIM = `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id status } }`;
  const other = await createServicePost(app, { communityId: w.communityId, title: '再认领的另一岗位', capacity: 5 });
  await ok(app, CLAIM, { input: { postId: other, personId } });
  const [first] = await app.orm.em.fork().execute<{ id: number }[]>(`select id from post_claim where person_id = ? and post_id = ?`, [dbId(personId), dbId(postId)]);
  await ok(app, `mutation($id: ID!) { endPostClaim(id: $id) { status } }`, { id: toGlobalId('PostClaim', first.id) });
  await expectRacedDuplicatesAnswerAsSequential(app, CLAIM, { input: { postId, personId } }, 'CONFLICT', 'input.personId');
  const rows = await app.orm.em.fork().execute(`select status, ended_on is not null as ended from post_claim where person_id = ? and post_id = ? order by id`, [dbId(personId), dbId(postId)]);
  expect(rows).toEqual([{ status: 'ENDED', ended: true }, { status: 'ACTIVE', ended: false }]);
});

describe('what reads the history besides the assessment', () => {
  test("the dashboard's membersReported for a past period still counts a member who reported then and has moved since", async () => {
    const { personId } = await reported('2025-02-10');
    const DASHBOARD = `query($area: ID!) { dashboard(input: { areaId: $area, from: "2025-02-01T00:00:00+08:00", to: "2025-03-01T00:00:00+08:00" }) { membersReported } }`;
    const before = (await ok(app, DASHBOARD, { area: w.communityId })).dashboard.membersReported;
    expect(before).toBeGreaterThanOrEqual(1);
    await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
    expect((await ok(app, DASHBOARD, { area: w.communityId })).dashboard.membersReported).toBe(before);
  });

  test("a person's postClaims lists ended claims with their end day; activeOnly the posts held", async () => {
    const { personId, postId } = await reported();
    const second = await createServicePost(app, { communityId: w.communityId, title: '第二岗位', capacity: 5 });
    await ok(app, `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id } }`, { input: { postId: second, personId } });
    const [first] = await app.orm.em.fork().execute(`select id from post_claim where person_id = ? and post_id = ?`, [dbId(personId), dbId(postId)]);
    await ok(app, `mutation($id: ID!) { endPostClaim(id: $id) { status } }`, { id: toGlobalId('PostClaim', first.id) });
    const CLAIMS = `query($id: ID!) { node(id: $id) { ... on Person {
      all: postClaims { edges { node { post { id } status endedOn } } }
      held: postClaims(activeOnly: true) { totalCount edges { node { post { id } } } } } } }`;
    const person = (await ok(app, CLAIMS, { id: personId })).node;
    expect(person.all.edges.map((e: any) => e.node)).toEqual([
      { post: { id: postId }, status: 'ENDED', endedOn: '2026-03-15' },
      { post: { id: second }, status: 'ACTIVE', endedOn: null },
    ]);
    expect(person.held).toEqual({ totalCount: 1, edges: [{ node: { post: { id: second } } }] });
  });
});
