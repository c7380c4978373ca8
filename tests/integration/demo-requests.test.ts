import { toGlobalId } from '../../src/common/global-id';
import { replayLedger } from '../../src/modules/request/request.ledger';
import { entityManagerRunner, rebuildRollups, refreshRequestDaily } from '../../src/modules/service-data/rollups';
import { seedDemoCity } from '../../src/seed/demo-city';
import { DEMO_ACTOR, DEMO_REQUEST_DAYS, planDemoRequests, seedDemoRequests } from '../../src/seed/demo-requests';
import { createTestApp, type TestApp } from '../helpers/test-app';

const NOW = new Date('2026-11-30T04:00:00Z');
let app: TestApp;
let counts: Awaited<ReturnType<typeof seedDemoRequests>>;
let seedMs: number;
beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
  const started = performance.now();
  counts = await seedDemoRequests(app.orm.em.fork(), { scale: 'small', now: NOW });
  seedMs = performance.now() - started;
  app.clock.set(NOW);
});
afterAll(async () => {
  await app?.close();
});

const sql = async <T = any>(query: string, params: unknown[] = []): Promise<T[]> => app.orm.em.fork().execute(query, params);

test('a few hundred requests with their ledgers, over the 180 days before the seeding time', async () => {
  expect(counts.requests).toBe(400);
  expect(counts.events).toBeGreaterThan(4 * 400); // most requests went round the loop
  const [span] = await sql(`select min(q.created_at) as first, max(q.created_at) as last, count(distinct area_id)::int as places,
    count(distinct split_part(a.path, '/', 4))::int as communities, count(distinct category_id)::int as categories
    from request q join area a on a.id = q.area_id`);
  expect(new Date(span.first).getTime()).toBeGreaterThanOrEqual(NOW.getTime() - DEMO_REQUEST_DAYS * 86_400_000);
  expect(new Date(span.last).getTime()).toBeLessThan(NOW.getTime());
  expect(span.communities).toBe(12);
  expect(span.categories).toBeGreaterThanOrEqual(35);
  // Seeding is a small part of the demo's start-up (the city itself takes ~0.3 s); generous for a loaded machine.
  expect(seedMs).toBeLessThan(10_000);
});

test('every request is what replaying its ledger gives, and every step is legal', async () => {
  const requests = await sql(`select * from request order by id`);
  const events = await sql(`select request_id, sequence, kind, from_status, to_status, actor, data, created_at from request_event order by request_id, sequence`);
  const byRequest = new Map<number, any[]>();
  for (const e of events) byRequest.set(e.request_id, [...(byRequest.get(e.request_id) ?? []), e]);
  for (const request of requests) {
    const ledger = byRequest.get(request.id)!;
    expect(ledger[0].kind).toBe('CREATED');
    expect(ledger.map((e) => e.sequence)).toEqual(ledger.map((_, i) => i + 1));
    const state = replayLedger(ledger);
    expect(state.status).toBe(request.status);
    expect(state.assigneePersonId ?? null).toBe(request.assignee_person_id);
    expect(state.satisfaction ?? null).toBe(request.satisfaction);
    expect(state.resolvedAt ? new Date(state.resolvedAt).getTime() : null).toBe(request.resolved_at ? new Date(request.resolved_at).getTime() : null);
    expect(new Date(state.dueAt!).getTime()).toBe(new Date(request.due_at).getTime());
    for (let i = 1; i < ledger.length; i++) {
      expect(ledger[i].from_status).toBe(ledger[i - 1].to_status);
      expect(new Date(ledger[i].created_at).getTime()).toBeGreaterThanOrEqual(new Date(ledger[i - 1].created_at).getTime());
    }
    expect(ledger.every((e) => e.actor === DEMO_ACTOR)).toBe(true);
  }
  const statuses = new Set(requests.map((r) => r.status));
  for (const status of ['CLOSED', 'RESOLVED', 'IN_PROGRESS', 'ORDERED']) expect(statuses).toContain(status);
});

test('the request_daily roll-up agrees with a rebuild from the requests', async () => {
  const before = await sql(`select * from request_daily order by day, category_id, community_id, resident_groups`);
  await app.orm.em.fork().transactional((em) => refreshRequestDaily(entityManagerRunner(em)));
  const after = await sql(`select * from request_daily order by day, category_id, community_id, resident_groups`);
  expect(after).toEqual(before);
  const [{ total }] = await sql(`select sum(count)::int as total from request_daily`);
  expect(total).toBe(400);
});

test('the demo seed fills the request part of the demand roll-ups too, as a rebuild would', async () => {
  const tables = ['demand_daily', 'demand_monthly', 'demand_grid_daily', 'demand_grid_monthly'];
  const requestRows = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await sql(`select * from ${t} where source = 2 order by 1, 2, 3, 4`)] as const)));
  const seeded = await requestRows();
  const [{ demands }] = await sql(`select coalesce(sum(demands), 0)::int as demands from demand_daily where source = 2`);
  expect(demands).toBe(400);
  await app.orm.em.fork().transactional((em) => rebuildRollups(entityManagerRunner(em)));
  expect(await requestRows()).toEqual(seeded);
});

test('good ratings earned the assignee points, once per request', async () => {
  const [row] = await sql(`select count(*)::int as entries, count(distinct source_id)::int as requests from point_entry where source_type = 'Request'`);
  const [rated] = await sql(`select count(*)::int as n from request where satisfaction >= 3 and assignee_person_id is not null`);
  expect(row.entries).toBe(rated.n);
  expect(row.requests).toBe(rated.n);
  expect(counts.pointEntries).toBe(rated.n);
});

test('resident names and phones are obviously fake; the texts are Chinese free text', async () => {
  const rows = await sql(`select resident_name, resident_phone, title, body from request order by id limit 50`);
  for (const row of rows) {
    expect(row.resident_name).toMatch(/^示例居民\d{4}$/);
    expect(row.resident_phone).toMatch(/^1380000\d{4}$/);
    expect(row.body.length).toBeGreaterThan(row.title.length);
    expect(row.body).toMatch(/[\u4e00-\u9fa5]{8}/);
  }
});

test('the planted story: GRID-FIRE rises, the demo works through the API (dashboard, request list)', async () => {
  const halves = await sql(`select c.code, count(*) filter (where q.created_at < $1::timestamptz - interval '90 days')::int as early,
    count(*) filter (where q.created_at >= $1::timestamptz - interval '90 days')::int as late
    from request q join request_category c on c.id = q.category_id where c.code = 'GRID-FIRE' group by c.code`.replace(/\$1/g, '?'), [NOW.toISOString(), NOW.toISOString()]);
  expect(halves[0].late).toBeGreaterThan(halves[0].early * 1.5);

  const result = await app.execute(`{
    dashboard(input: { areaId: "RGlzdHJpY3Q6MQ", lastDays: 30 }) { requestsReceived requestsResolved averageSatisfaction }
    requests(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount edges { node { number title body residentName residentPhone status } } }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data.dashboard.requestsReceived).toBeGreaterThan(30);
  expect(result.data.requests.totalCount).toBe(400);
  expect(result.data.requests.edges[0].node.residentName).toBe('示*******'); // masked like all personal data
});

test('the demo city keeps the 双报到 rule: every reported member holds a service post of their community, claimed when they reported', async () => {
  const [row] = await sql(`select count(*)::int as reported,
      (count(*) filter (where not exists (
        select 1 from post_claim pc join service_post sp on sp.id = pc.post_id
         where pc.person_id = p.id and pc.status = 'ACTIVE' and sp.community_id = p.residence_community_id)))::int as without_post,
      (count(*) filter (where not exists (
        select 1 from post_claim pc where pc.person_id = p.id and pc.status = 'ACTIVE' and pc.claimed_on = p.reported_on)))::int as without_first_claim
    from person p where p.reported_on is not null`);
  expect(row.reported).toBeGreaterThan(500);
  expect(row.without_post).toBe(0);
  expect(row.without_first_claim).toBe(0);
  // Only reported members hold posts, no post is over capacity, and no claim predates the report.
  const [bad] = await sql(`select
      (select count(*)::int from post_claim pc join person p on p.id = pc.person_id where p.reported_on is null or pc.claimed_on < p.reported_on) as stray_claims,
      (select count(*)::int from service_post sp where sp.capacity < (select count(*) from post_claim pc where pc.post_id = sp.id and pc.status = 'ACTIVE')) as over_capacity,
      (select count(distinct community_id)::int from service_post) as communities_with_posts`);
  expect(bad).toEqual({ stray_claims: 0, over_capacity: 0, communities_with_posts: 12 });
  // Only people reportMember accepts have reported (assertMayReport): in-service members and
  // non-party staff, each with an employer; retired and mobile members never.
  const [who] = await sql(`select count(*) filter (where party_status is not null and party_status <> 'IN_SERVICE')::int as not_in_work,
      count(*) filter (where employer_unit_id is null)::int as without_employer
    from person where reported_on is not null`);
  expect(who).toEqual({ not_in_work: 0, without_employer: 0 });
  // Through the API: leaving a member's only post is refused, as for any reported member.
  const [only] = await sql(`select pc.id from post_claim pc where pc.status = 'ACTIVE'
      and (select count(*) from post_claim o where o.person_id = pc.person_id and o.status = 'ACTIVE') = 1 order by pc.id limit 1`);
  expect(only).toBeDefined();
  const result = await app.execute(`mutation($id: ID!) { endPostClaim(id: $id) { status } }`, { id: toGlobalId('PostClaim', only.id) });
  expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('planning is deterministic: the same world, seed and time give the same rows', async () => {
  const world = {
    communities: [{ id: 3, name: 'A社区', population: 3000 }, { id: 4, name: 'B社区', population: 5000 }],
    places: [{ id: 10, level: 'BUILDING' as const, name: '翠竹园3号楼', communityId: 3, gridId: 7 }, { id: 11, level: 'GRID' as const, name: 'B社区第1网格', communityId: 4, gridId: 11 }],
    workers: new Map([[7, [100]], [11, [101, 102]]]),
    categories: [{ id: 31, code: 'HOUSING-LIGHTS', communityHours: 72 }, { id: 27, code: 'GRID-FIRE', communityHours: 24 }],
    requestPoints: 5,
  };
  const a = planDemoRequests(world, { count: 50, seed: 9, now: NOW });
  expect(planDemoRequests(world, { count: 50, seed: 9, now: NOW })).toEqual(a);
  expect(planDemoRequests(world, { count: 50, seed: 10, now: NOW })).not.toEqual(a);
  expect(a.requests).toHaveLength(50);
});

test('refuses to seed twice', async () => {
  await expect(seedDemoRequests(app.orm.em.fork(), { scale: 'small', now: NOW })).rejects.toThrow(/already has requests/);
});
