import { toGlobalId } from '../../src/common/global-id';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { Request, RequestChannel, RequestLevel, RequestStatus } from '../../src/modules/request/request.entity';
import { PostClaim, PostClaimStatus, ServicePost } from '../../src/modules/service-post/service-post.entity';
import { buildTree, dbId, ok, type Tree } from '../helpers/fixtures';
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
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const member = (name: string) => em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, residenceCommunity: C, reportedOn: '2025-01-01' });
    const a = member('派单未接');
    const b = member('常年岗位');
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
 * Not fixed (test.failing: each fails as written, on the base code and here): the assessment of a
 * past year reads today's state. A post claim has no end date and a report ending clears
 * reportedOn, so neither when a post was held nor that a member was reported can be told for a
 * year gone by. Fixing them needs the end recorded (an endedOn on post_claim, a report history):
 * a schema decision. When fixed, make these plain tests.
 */
test.failing("2025's posts part does not change when a post held all through 2025 is ended in 2026 (the member moved to another post)", async () => {
  expect((await rowOf(holder)).posts).toEqual({ numerator: 1, denominator: 1 });
  // In January 2026 they move to another post (a reported member always holds one): claim it, then end the old one.
  await ok(app, `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { status } }`, { input: { postId: toGlobalId('ServicePost', nextPost), personId: toGlobalId('Person', holder) } });
  await ok(app, `mutation($id: ID!) { endPostClaim(id: $id) { status } }`, { id: toGlobalId('PostClaim', claimId) });
  expect((await rowOf(holder)).posts).toEqual({ numerator: 1, denominator: 1 });
});

test.failing('a member reported to the community all through 2025 stays in its 2025 assessment after retiring in 2026 (reported by the year\'s last day)', async () => {
  expect(await rowOf(retiree)).toBeDefined();
  await ok(app, `mutation($id: ID!) { updatePerson(id: $id, input: { partyStatus: RETIRED }) { reportedOn } }`, { id: toGlobalId('Person', retiree) });
  expect(await rowOf(retiree)).toBeDefined();
});
