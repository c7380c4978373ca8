import { toGlobalId } from '../../src/common/global-id';
import { Activity, ActivityKind } from '../../src/modules/activity/activity.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { Request, RequestChannel, RequestLevel, RequestStatus } from '../../src/modules/request/request.entity';
import { PostClaim, PostClaimStatus, ServicePost } from '../../src/modules/service-post/service-post.entity';
import { buildTree, createUnit, dbId, ok, type Tree } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Review of memberAssessments against its own descriptions. Assessed on 2026-01-15 (China), year 2025. */

let app: TestApp;
let tree: Tree;
const NOW = new Date('2026-01-15T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);
let dispatched = 0;
let holder = 0;
let claimId = 0;
let nextPost = 0;
let retiree = 0;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  tree = await buildTree(app);
  // B claims a post below, and a claim needs the report rule to hold: in service, through an employer.
  const employer = dbId(await createUnit(app, { name: '常年岗位者的单位', kind: 'AGENCY', areaId: tree.streetId }));
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const member = (name: string, employerUnit: number | null = null) => em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: C, reportedOn: '2025-01-01', employerUnit });
    const a = member('派单未接');
    const b = member('常年岗位', employer);
    const r = member('次年退休');
    const [category] = await em.execute<{ id: number }[]>(`select id from request_category where code = 'GRID-SANITATION'`);
    // Dispatched to A on 2025-03-01, due 2025-03-04, never taken: assigned to them and open past its due time.
    em.create(Request, {
      number: 'QC-REVIEW-1', title: '楼道堆物', body: '楼道堆放杂物', channel: RequestChannel.GRID_PATROL, category: category.id,
      area: C, status: RequestStatus.DISPATCHED, level: RequestLevel.COMMUNITY, assigneePerson: a,
      dueAt: at('2025-03-04T10:00:00'), createdAt: at('2025-03-01T10:00:00'),
    });
    // B has held a post of C since 2024, all through 2025.
    const post = em.create(ServicePost, { community: C, title: '楼栋长', capacity: 5 });
    const claim = em.create(PostClaim, { post, person: b, status: PostClaimStatus.ACTIVE, claimedOn: '2024-06-01' });
    const next = em.create(ServicePost, { community: C, title: '文明劝导员', capacity: 5 });
    await em.flush();
    nextPost = next.id;
    retiree = r.id;
    dispatched = a.id;
    holder = b.id;
    claimId = claim.id;
  });
});
afterAll(async () => {
  await app?.close();
});

const QUERY = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) {
  person { id } posts { numerator denominator } requests { numerator denominator } } }`;
const rowOf = async (personId: number) =>
  (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2025 } })).memberAssessments.find((row: any) => row.person.id === toGlobalId('Person', personId));

test('a request dispatched to the member and left untaken past its due time counts against them (assigned to them, still open past it)', async () => {
  expect((await rowOf(dispatched)).requests).toEqual({ numerator: 0, denominator: 1 });
});

/*
 * A past year's assessment reads the history (post_claim.ended_on, past_report), not today's state:
 * ending a post or a report in 2026 leaves 2025 as it was.
 */
test("2025's posts part does not change when a post held all through 2025 is ended in 2026 (the member moved to another post)", async () => {
  expect((await rowOf(holder)).posts).toEqual({ numerator: 1, denominator: 1 });
  // In January 2026 they move to another post (a reported member always holds one): claim it, then end the old one.
  await ok(app, `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { status } }`, { input: { postId: toGlobalId('ServicePost', nextPost), personId: toGlobalId('Person', holder) } });
  await ok(app, `mutation($id: ID!) { endPostClaim(id: $id) { status } }`, { id: toGlobalId('PostClaim', claimId) });
  expect((await rowOf(holder)).posts).toEqual({ numerator: 1, denominator: 1 });
});

test('a member reported to the community all through 2025 stays in its 2025 assessment after retiring in 2026 (reported by the year\'s last day)', async () => {
  expect(await rowOf(retiree)).toBeDefined();
  await ok(app, `mutation($id: ID!) { updatePerson(id: $id, input: { partyStatus: RETIRED }) { reportedOn } }`, { id: toGlobalId('Person', retiree) });
  expect(await rowOf(retiree)).toBeDefined();
});

test('a member who moved away mid-year is assessed for the months they were reported: activities after their report ended are not theirs to attend', async () => {
  let mover = 0;
  const employer = dbId(await createUnit(app, { name: '搬走者的单位', kind: 'AGENCY', areaId: tree.streetId }));
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const person = em.create(Person, { name: '年中搬走', partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: C, reportedOn: '2025-01-01', employerUnit: employer });
    const post = em.create(ServicePost, { community: C, title: '垃圾分类督导员', capacity: 5 });
    em.create(PostClaim, { post, person, status: PostClaimStatus.ACTIVE, claimedOn: '2025-01-01' });
    for (const [title, day] of [['三月主题党日', '2025-03-01'], ['八月主题党日', '2025-08-01']]) {
      const startsAt = at(`${day}T09:00:00`);
      em.create(Activity, { community: C, title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
    }
    await em.flush();
    mover = person.id;
  });
  const ATTENDANCE = `query($input: MemberAssessmentsInput!) { memberAssessments(input: $input) { person { id } attendance { numerator denominator } posts { numerator } } }`;
  const rowIn = async (communityId: string) => (await ok(app, ATTENDANCE, { input: { communityId, year: 2025 } })).memberAssessments
    .find((row: any) => row.person.id === toGlobalId('Person', mover));
  expect(await rowIn(tree.communityId)).toMatchObject({ attendance: { numerator: 0, denominator: 2 }, posts: { numerator: 1 } });
  // On 2025-07-01 they move to the other community: the report and its post end that day.
  app.clock.set(at('2025-07-01T10:00:00'));
  try {
    await ok(app, `mutation($id: ID!, $c: ID!) { updatePerson(id: $id, input: { residenceCommunityId: $c }) { reportedOn } }`, { id: toGlobalId('Person', mover), c: tree.otherCommunityId });
  } finally {
    app.clock.set(NOW);
  }
  // Still in 2025's assessment of the community they left, with the March activity only, and the post held until July.
  expect(await rowIn(tree.communityId)).toMatchObject({ attendance: { numerator: 0, denominator: 1 }, posts: { numerator: 1 } });
  // Not reported where they live now: not assessed there.
  expect(await rowIn(tree.otherCommunityId)).toBeUndefined();
  const [history] = await app.orm.em.fork().execute(`select reported_on::text, ended_on::text from past_report where person_id = ?`, [mover]);
  expect(history).toEqual({ reported_on: '2025-01-01', ended_on: '2025-07-01' });
  const [claim] = await app.orm.em.fork().execute(`select status, ended_on::text from post_claim where person_id = ?`, [mover]);
  expect(claim).toEqual({ status: 'ENDED', ended_on: '2025-07-01' });
});
