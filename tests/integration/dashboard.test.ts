import { Community, Street } from '../../src/modules/area/area.entity';
import { Claim, ClaimStatus, ListItem, ListItemKind, ListItemStatus, ProblemList } from '../../src/modules/list/list.entity';
import { MicroWish, MicroWishStatus } from '../../src/modules/micro-wish/micro-wish.entity';
import { Person } from '../../src/modules/person/person.entity';
import { Unit } from '../../src/modules/unit/unit.entity';
import { seedDemoCity } from '../../src/seed/demo-city';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { accountViewer } from '../helpers/access-fixtures';
import { Role } from '../../src/modules/identity/role';
import { hold, waiters } from '../helpers/lock-race';

/**
 * A month (March 2030, after anything the demo seed holds) with hand-placed activity:
 *   street S1, community A: r1 dispatched after 1 h, resolved on time, rated 5, closed out;
 *                           r2 dispatched after 30 h, resolved after its 72 h deadline, rated 3;
 *                           r3 never dispatched, overdue; whistled on, one of two departments answers in time.
 *   street S2, community B: r4 dispatched after 2 h, resolved on time, rated 4.
 * Plus, in A: one fulfilled micro-wish, one claim, one member reporting.
 */
let app: TestApp;
let districtId: string;
let communityA: { id: string; dbId: number; streetId: string };
let communityB: { id: string; dbId: number; streetId: string };

const HOUR = 3600_000;
const T0 = new Date('2030-03-04T02:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const dbId = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await app.execute<T>(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

async function run(step: string, id: string, input: Record<string, unknown>, hours: number, type: string) {
  app.clock.set(at(hours));
  await ok(`mutation($id: ID!, $input: ${type}) { ${step}(id: $id, input: $input) { id } }`, { id, input });
}

beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
  const data = await ok(`{
    districts { edges { node { id } } }
    streets(first: 2) { edges { node { id communities(first: 1) { edges { node { id grids(first: 1) { edges { node { id } } } } } } } } }
    requestCategories { code children { id code } }
    partyMembers(first: 1, filter: { partyStatuses: [RETIRED] }) { edges { node { id } } }
    units(first: 2, filter: { kinds: [AGENCY] }) { edges { node { id } } }
  }`);
  districtId = data.districts.edges[0].node.id;
  const [s1, s2] = data.streets.edges.map((e: any) => e.node);
  const a = s1.communities.edges[0].node;
  const b = s2.communities.edges[0].node;
  communityA = { id: a.id, dbId: dbId(a.id), streetId: s1.id };
  communityB = { id: b.id, dbId: dbId(b.id), streetId: s2.id };
  const categoryId = data.requestCategories.find((c: any) => c.code === 'HOUSING').children[0].id;
  const memberId = data.partyMembers.edges[0].node.id;
  const [unit1, unit2] = data.units.edges.map((e: any) => e.node.id);

  const create = async (areaId: string, hours: number) => {
    app.clock.set(at(hours));
    return (await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input: { title: '测试诉求', body: '测试', channel: 'COUNTER', categoryId, areaId } })).createRequest.id;
  };
  const gridA = a.grids.edges[0].node.id;
  const gridB = b.grids.edges[0].node.id;

  const r1 = await create(gridA, 0);
  await run('dispatchRequest', r1, { assigneePersonId: memberId }, 1, 'DispatchRequestInput!');
  await run('takeRequest', r1, {}, 2, 'TakeRequestInput');
  await run('resolveRequest', r1, {}, 10, 'PlainStepInput');
  await run('rateRequest', r1, { satisfaction: 5 }, 11, 'RateRequestInput!');
  await run('closeOutRequest', r1, { byLevel: 'COMMUNITY', reason: '办结' }, 12, 'CloseOutRequestInput!');

  const r2 = await create(gridA, 0);
  await run('dispatchRequest', r2, { assigneePersonId: memberId }, 30, 'DispatchRequestInput!');
  await run('takeRequest', r2, {}, 31, 'TakeRequestInput');
  await run('resolveRequest', r2, {}, 80, 'PlainStepInput');
  await run('rateRequest', r2, { satisfaction: 3 }, 81, 'RateRequestInput!');

  const r3 = await create(a.id, 5);
  app.clock.set(at(6));
  const whistle = await ok(`mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { recipients { edges { node { id } } } } }`, {
    input: { requestId: r3, blownById: a.id, letter: '联合处置', unitIds: [unit1, unit2] },
  });
  const [first] = whistle.blowWhistle.recipients.edges.map((e: any) => e.node.id);
  app.clock.set(at(7));
  await ok(`mutation($id: ID!) { reportToWhistle(id: $id) { id } }`, { id: first });
  app.clock.set(at(30));
  await ok(`mutation($id: ID!) { answerWhistle(id: $id, input: { feedback: "已处置" }) { id } }`, { id: first });

  const r4 = await create(gridB, 0);
  await run('dispatchRequest', r4, { assigneePersonId: memberId }, 2, 'DispatchRequestInput!');
  await run('takeRequest', r4, {}, 3, 'TakeRequestInput');
  await run('resolveRequest', r4, {}, 5, 'PlainStepInput');
  await run('rateRequest', r4, { satisfaction: 4 }, 6, 'RateRequestInput!');

  const em = app.orm.em.fork();
  const communityRef = em.getReference(Community, communityA.dbId);
  em.create(MicroWish, { community: communityRef, title: '轮椅一台', status: MicroWishStatus.FULFILLED, fulfilledAt: at(48) });
  const list = em.create(ProblemList, { community: communityRef, period: '2030-03', startsOn: '2030-03-01', endsOn: '2030-03-31', title: '三月清单' });
  const item = em.create(ListItem, { list, kind: ListItemKind.SERVICE, title: '楼道清洁', status: ListItemStatus.CLAIMED });
  em.create(Claim, { item, unit: em.getReference(Unit, dbId(unit1)), status: ClaimStatus.CLAIMED, createdAt: at(20), updatedAt: at(20) });
  const member = await em.findOneOrFail(Person, { id: dbId(memberId) });
  member.reportedOn = '2030-03-10';
  member.residenceCommunity = communityRef;
  await em.flush();
  app.clock.set(at(100));
});
afterAll(async () => {
  await app?.close();
});

const FIGURES = `query($input: DashboardInput!) { dashboard(input: $input) {
  requestsReceived requestsResolved resolutionRate onTimeRate averageSatisfaction satisfactionRate overdueNow
  whistlesBlown whistleResponses whistlesAnsweredOnTimeRate microWishesFulfilled claimedServiceItems membersReported
  requestsByStatus { status count } requestsByCategory { category { code } count } requestsByDay { day received resolved }
} }`;

test('district figures for the month match the hand count', async () => {
  const { dashboard } = await ok(FIGURES, { input: { areaId: districtId, from: '2030-02-28T16:00:00Z', to: '2030-03-31T16:00:00Z' } });
  expect(dashboard).toMatchObject({
    requestsReceived: 4,
    requestsResolved: 3,
    resolutionRate: 0.75,
    onTimeRate: 0.6667,
    averageSatisfaction: 4,
    satisfactionRate: 0.6667,
    overdueNow: 1,
    whistlesBlown: 1,
    whistleResponses: 2,
    whistlesAnsweredOnTimeRate: 0.5,
    microWishesFulfilled: 1,
    claimedServiceItems: 1,
    membersReported: 1,
  });
  expect(dashboard.requestsByStatus).toEqual([
    { status: 'ORDERED', count: 1 },
    { status: 'RESOLVED', count: 2 },
    { status: 'CLOSED', count: 1 },
  ].sort((x, y) => x.status.localeCompare(y.status)));
  expect(dashboard.requestsByCategory).toEqual([{ category: { code: 'HOUSING' }, count: 4 }]);
  // Every day of March, China time: the 4th holds the four requests, the other 30 are zeros.
  expect(dashboard.requestsByDay).toHaveLength(31);
  expect(dashboard.requestsByDay.filter((day: any) => day.received > 0 || day.resolved > 0)).toEqual([{ day: '2030-03-04', received: 4, resolved: 3 }]);
  expect(dashboard.requestsByDay.map((day: any) => day.day)).toEqual(Array.from({ length: 31 }, (_, i) => `2030-03-${String(i + 1).padStart(2, '0')}`));
});

test('requestsByDay has every China day of the period, days without requests as zeros, for a line chart', async () => {
  // 4-6 March (China days): the requests came in on the 4th only.
  const { dashboard } = await ok(FIGURES, { input: { areaId: districtId, from: '2030-03-03T16:00:00Z', to: '2030-03-06T16:00:00Z' } });
  expect(dashboard.requestsByDay).toEqual([
    { day: '2030-03-04', received: 4, resolved: 3 },
    { day: '2030-03-05', received: 0, resolved: 0 },
    { day: '2030-03-06', received: 0, resolved: 0 },
  ]);
  // A period that does not start at midnight: its first China day is the day of `from`, its last the day of its last instant.
  const partial = (await ok(FIGURES, { input: { areaId: districtId, from: '2030-03-02T20:00:00Z', to: '2030-03-04T03:00:00Z' } })).dashboard;
  expect(partial.requestsByDay).toEqual([
    { day: '2030-03-03', received: 0, resolved: 0 },
    { day: '2030-03-04', received: 3, resolved: 3 }, // r3 came in at 07:00Z, after the period
  ]);
});

test('a community sees only what is inside it; an empty period is zeros and nulls, not errors', async () => {
  const inA = (await ok(FIGURES, { input: { areaId: communityA.id, from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' } })).dashboard;
  expect(inA).toMatchObject({ requestsReceived: 3, requestsResolved: 2, resolutionRate: 0.6667, whistlesBlown: 1 });
  const inB = (await ok(FIGURES, { input: { areaId: communityB.id, from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' } })).dashboard;
  expect(inB).toMatchObject({ requestsReceived: 1, whistlesBlown: 0, microWishesFulfilled: 0, membersReported: 0 });
  const empty = (await ok(FIGURES, { input: { areaId: districtId, from: '2031-01-01T00:00:00Z', to: '2031-02-01T00:00:00Z' } })).dashboard;
  expect(empty).toMatchObject({ requestsReceived: 0, resolutionRate: null, onTimeRate: null, averageSatisfaction: null, whistlesAnsweredOnTimeRate: null });
});

test('streets ranked for the month by response (10%), resolution (45%) and satisfaction (45%)', async () => {
  const { streetRanking } = await ok(`query($input: StreetRankingInput!) { streetRanking(input: $input) { rank street { id } requestsReceived responseRate resolutionRate satisfactionRate score } }`, {
    input: { districtId, month: '2030-03' },
  });
  expect(streetRanking[0]).toEqual({ rank: 1, street: { id: communityB.streetId }, requestsReceived: 1, responseRate: 1, resolutionRate: 1, satisfactionRate: 1, score: 100 });
  // S1: responded 1/3, resolved 2/3, satisfied 1/2 → 0.1 × 0.3333 + 0.45 × 0.6667 + 0.45 × 0.5 = 0.5583
  expect(streetRanking[1]).toEqual({ rank: 2, street: { id: communityA.streetId }, requestsReceived: 3, responseRate: 0.3333, resolutionRate: 0.6667, satisfactionRate: 0.5, score: 55.83 });
  expect(streetRanking.slice(2).every((row: any) => row.rank === null && row.requestsReceived === 0 && row.score === null)).toBe(true);
  expect(streetRanking).toHaveLength(await app.orm.em.fork().count(Street, {}));
});

test('without a month, the ranking is of the current China month, and every row says which month it ranks', async () => {
  const query = `{ streetRanking(input: { districtId: "${districtId}" }) { month rank requestsReceived } }`;
  const asked = (await ok(`{ streetRanking(input: { districtId: "${districtId}", month: "2030-03" }) { month rank requestsReceived } }`)).streetRanking;
  app.clock.set(new Date('2030-03-31T15:59:59Z')); // 23:59:59 on 31 March in China
  try {
    const march = (await ok(query)).streetRanking;
    expect(march).toEqual(asked);
    expect(march.every((row: any) => row.month === '2030-03')).toBe(true);
    expect(march.reduce((sum: number, row: any) => sum + row.requestsReceived, 0)).toBe(4);
    app.clock.set(new Date('2030-03-31T16:00:00Z')); // midnight: 1 April in China, and nothing received yet
    const april = (await ok('{ streetRanking { month rank requestsReceived } }')).streetRanking;
    expect(april.every((row: any) => row.month === '2030-04' && row.requestsReceived === 0 && row.rank === null)).toBe(true);
  } finally {
    app.clock.set(at(100));
  }
});

test('bad periods are refused', async () => {
  const backwards = await app.execute(FIGURES, { input: { areaId: districtId, from: '2030-03-02T00:00:00Z', to: '2030-03-01T00:00:00Z' } });
  expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.to' });
  const month = await app.execute(`{ streetRanking(input: { month: "2030-13" }) { rank } }`);
  expect(month.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.month' });
});

test('lastDays counts back from now; mixing it with from/to is refused', async () => {
  const recent = (await ok(`{ dashboard(input: { areaId: "${'${district}'}", lastDays: 7 }) { requestsReceived from to } }`.replace('${district}', districtId))).dashboard;
  expect(recent.requestsReceived).toBe(4); // the clock stands at 100 h after the requests came in
  expect(new Date(recent.to).getTime()).toBe(at(100).getTime());
  const both = await app.execute(FIGURES, { input: { areaId: districtId, lastDays: 7, from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' } });
  expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lastDays' });
});

test('an empty area id ("", an area picker not set yet) is BAD_USER_INPUT on every figure that takes one, not a 500 or the viewer\'s own area', async () => {
  const street = (await app.orm.em.fork().findOneOrFail(Street, { id: { $gt: 0 } }, { orderBy: { id: 'asc' } }));
  for (const [document, field] of [
    ['{ dashboard(input: { areaId: "", lastDays: 30 }) { from } }', 'input.areaId'],
    ['{ serviceStats(input: { areaId: "", from: "2026-01-01", to: "2026-01-31", groupBy: CATEGORY }) { total { serviceCount } } }', 'input.areaId'],
    ['{ unitAssessments(input: { communityId: "", year: 2026 }) { score } }', 'input.communityId'],
    ['{ pointsLeaderboard(communityId: "") { earned } }', 'communityId'],
  ]) {
    // The district's view, and a street's (whose scope used to stand in for the missing area).
    for (const viewer of [undefined, accountViewer(Role.STREET_STAFF, [street.path])]) {
      const result = await app.execute(document, {}, viewer);
      expect({ document, error: result.errors?.[0].extensions }).toMatchObject({ document, error: { code: 'BAD_USER_INPUT', field } });
    }
  }
});

test('a department still within its feedback deadline is not counted late in the on-time rate', async () => {
  const window = { areaId: districtId, from: '2030-02-28T16:00:00Z', to: '2030-03-31T16:00:00Z' };
  // At hour 40 the second department called at hour 6 still has until hour 78: 1 answered on time, 1 not due.
  app.clock.set(at(40));
  try {
    expect((await ok(FIGURES, { input: window })).dashboard).toMatchObject({ whistleResponses: 2, whistlesAnsweredOnTimeRate: 1 });
  } finally {
    app.clock.set(at(100));
  }
  // Past hour 78 it is late: 1 of 2.
  expect((await ok(FIGURES, { input: window })).dashboard).toMatchObject({ whistleResponses: 2, whistlesAnsweredOnTimeRate: 0.5 });
});

test('a member who reported today counts in a period that ends today', async () => {
  // The member reported on 2030-03-10 (China). Periods are [from, to) instants; reports have days.
  const figures = async (from: string, to: string) => (await ok(FIGURES, { input: { areaId: districtId, from, to } })).dashboard.membersReported;
  expect(await figures('2030-03-09T16:00:00Z', '2030-03-10T04:00:00Z')).toBe(1); // 03-10 00:00 to 12:00 China time
  expect(await figures('2030-03-08T16:00:00Z', '2030-03-09T16:00:00Z')).toBe(0); // the whole of 03-09, up to 03-10 00:00
  expect(await figures('2030-03-10T16:00:00Z', '2030-03-11T16:00:00Z')).toBe(0); // 03-11
});

test('streets with equal scores share a rank (1, 1, 3), as the other rankings do, and are listed by street code', async () => {
  // June 2030, after the March fixture: two streets answer their one request perfectly (100 each),
  // a third never dispatches its one (0). Competition ranking, like unitAssessments and pointsLeaderboard.
  const data = await ok(`{
    streets(first: 3) { edges { node { id code communities(first: 1) { edges { node { grids(first: 1) { edges { node { id } } } } } } } } }
    requestCategories { code children { id } }
    partyMembers(first: 1, filter: { partyStatuses: [RETIRED] }) { edges { node { id } } }
  }`);
  const streets = data.streets.edges.map((e: any) => e.node);
  expect(streets).toHaveLength(3);
  const gridOf = (street: any) => street.communities.edges[0].node.grids.edges[0].node.id;
  const categoryId = data.requestCategories.find((c: any) => c.code === 'HOUSING').children[0].id;
  const memberId = data.partyMembers.edges[0].node.id;
  const june = new Date('2030-06-03T02:00:00Z');
  const on = (hours: number) => new Date(june.getTime() + hours * HOUR);
  const step = async (name: string, id: string, input: Record<string, unknown>, hours: number, type: string) => {
    app.clock.set(on(hours));
    await ok(`mutation($id: ID!, $input: ${type}) { ${name}(id: $id, input: $input) { id } }`, { id, input });
  };
  try {
    // Requests made in reverse street order, so neither creation order nor id order is the street code order.
    for (const [i, street] of [...streets].reverse().entries()) {
      app.clock.set(on(i));
      const id = (await ok(`mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, { input: { title: '测试诉求', body: '测试', channel: 'COUNTER', categoryId, areaId: gridOf(street) } })).createRequest.id;
      if (street === streets[2]) continue; // never dispatched: response 0, resolution 0, no rating → score 0
      await step('dispatchRequest', id, { assigneePersonId: memberId }, i + 1, 'DispatchRequestInput!');
      await step('takeRequest', id, {}, i + 2, 'TakeRequestInput');
      await step('resolveRequest', id, {}, i + 3, 'PlainStepInput');
      await step('rateRequest', id, { satisfaction: 5 }, i + 4, 'RateRequestInput!');
    }
  } finally {
    app.clock.set(at(100));
  }
  const query = `{ streetRanking(input: { districtId: "${districtId}", month: "2030-06" }) { rank score street { id code } } }`;
  const first = (await ok(query)).streetRanking;
  const tied = [streets[0], streets[1]].sort((x: any, y: any) => (x.code < y.code ? -1 : 1));
  expect(first.slice(0, 3)).toEqual([
    { rank: 1, score: 100, street: { id: tied[0].id, code: tied[0].code } },
    { rank: 1, score: 100, street: { id: tied[1].id, code: tied[1].code } },
    { rank: 3, score: 0, street: { id: streets[2].id, code: streets[2].code } },
  ]);
  expect(first.slice(3).every((row: any) => row.rank === null && row.score === null)).toBe(true);
  // The same answer every time it is asked.
  expect((await ok(query)).streetRanking).toEqual(first);
});

test('the figures describe one moment: a request leaving the period while they are read counts in all of them or in none', async () => {
  const input = { areaId: districtId, from: '2030-02-28T16:00:00Z', to: '2030-03-31T16:00:00Z' };
  const before = (await ok(FIGURES, { input })).dashboard;
  const [{ id: requestId, created_at: createdAt }] = await app.orm.em.fork().execute(
    `select r.id, r.created_at from request r where r.created_at >= ? and r.created_at < ? order by r.id limit 1`,
    [input.from, input.to],
  );
  // The by-category figure waits on request_category (held below) after the received count is read.
  const release = await hold(app, 'lock table request_category in access exclusive mode');
  let answer!: Promise<any>;
  try {
    answer = app.execute(FIGURES, { input });
    await waiters(app, 1);
    // Meanwhile a request moves out of the period (a plain update: it touches no category key).
    await app.orm.em.fork().execute(`update request set created_at = '2030-05-01T00:00:00Z' where id = ?`, [requestId]);
  } finally {
    await release();
  }
  try {
    const { data, errors } = await answer;
    expect(errors).toBeUndefined();
    const byCategory = data.dashboard.requestsByCategory.reduce((sum: number, row: any) => sum + row.count, 0);
    const byStatus = data.dashboard.requestsByStatus.reduce((sum: number, row: any) => sum + row.count, 0);
    const byDay = data.dashboard.requestsByDay.reduce((sum: number, row: any) => sum + row.received, 0);
    expect({ byCategory, byStatus, byDay }).toEqual({ byCategory: data.dashboard.requestsReceived, byStatus: data.dashboard.requestsReceived, byDay: data.dashboard.requestsReceived });
    expect([before.requestsReceived, before.requestsReceived - 1]).toContain(data.dashboard.requestsReceived);
  } finally {
    await app.orm.em.fork().execute(`update request set created_at = ? where id = ?`, [createdAt, requestId]);
  }
});
