import { buildWorld, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review of the same-day report rule (report-end.ts, REPORTS_TO_COMMUNITY_SQL): a report begun the
 * day the member's previous one ended counts from the next day. A report that, by this rule, counts
 * for no day of the year (the member moved and reported anew on the year's last day, or today) did
 * not make them a member reported to the community that year: no row there (a row scored on the
 * post claimed that day alone, every other part empty, ranked among those assessed on their year).
 * A = w.communityId, B = w.otherCommunityId.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;

const NOW = new Date('2026-01-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id reportedOn } }`;
const QUERY = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } score posts { numerator } } }`;

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
async function reportedInA(reportedOn: string): Promise<string> {
  seq += 1;
  app.clock.set(at(`${reportedOn}T09:00:00`));
  const postId = await createServicePost(app, { communityId: w.communityId, title: `无日岗位${seq}`, capacity: 5 });
  const personId = await createMember(app, { name: `无日成员${seq}`, communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
  return personId;
}

/** At `local` (China time) the member moves to B (their report to A ends that day) and reports there the same day. */
async function moveToBAndReport(personId: string, local: string): Promise<void> {
  app.clock.set(at(local));
  await ok(app, UPDATE, { id: personId, input: { residenceCommunityId: w.otherCommunityId } });
  seq += 1;
  const postId = await createServicePost(app, { communityId: w.otherCommunityId, title: `乙岗位${seq}`, capacity: 5 });
  await reportMember(app, { personId, communityId: w.otherCommunityId, organizationId: orgs.otherBranchId, postId });
}

async function personIdsIn(communityId: string, year: number): Promise<string[]> {
  return (await ok(app, QUERY, { input: { communityId, year } })).memberAssessments.map((row: any) => row.person.id);
}

test("a member who moved and reported anew on the year's last day is assessed by the old community only: the new one's report counts from the next year", async () => {
  const personId = await reportedInA('2025-01-10');
  await moveToBAndReport(personId, '2025-12-31T10:00:00');
  app.clock.set(NOW);
  expect(await personIdsIn(w.communityId, 2025)).toContain(personId);
  expect(await personIdsIn(w.otherCommunityId, 2025)).not.toContain(personId);
  // The next year is B's from its first day.
  expect(await personIdsIn(w.otherCommunityId, 2026)).toContain(personId);
  expect(await personIdsIn(w.communityId, 2026)).not.toContain(personId);
});

test('moved and reported anew today: the new community lists them from tomorrow, the day their report there first counts for', async () => {
  const personId = await reportedInA('2025-03-01');
  await moveToBAndReport(personId, '2026-01-15T10:00:00');
  expect(await personIdsIn(w.otherCommunityId, 2026)).not.toContain(personId);
  expect(await personIdsIn(w.communityId, 2026)).toContain(personId);
  app.clock.set(at('2026-01-16T09:00:00'));
  expect(await personIdsIn(w.otherCommunityId, 2026)).toContain(personId);
});
