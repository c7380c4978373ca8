import { seedDemo } from '../../src/seed/demo';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The demo writes its rows directly (one set-based pass), not through the mutations: each rule the
 * API enforces on those mutations is restated here as SQL that lists the seeded rows breaking it.
 * A newcomer's demo must never hold what the API would refuse.
 */
/** A row when `unit` served `community` on the China day of the instant `at`: paired that day, or seated in its community alliance by then. */
const UNIT_SERVES = (unit: string, community: string, at: string): string => {
  const day = `(${at} at time zone 'Asia/Shanghai')::date`;
  return `select 1 from pairing p where p.unit_id = ${unit} and p.community_id = ${community}
         and p.starts_on <= ${day} and (p.ends_on is null or p.ends_on >= ${day})
      union all select 1 from alliance_member m join alliance al on al.id = m.alliance_id
       where m.unit_id = ${unit} and al.area_id = ${community} and (m.joined_on is null or m.joined_on <= ${day})`;
};

const RULES: Record<string, string> = {
  // dispatchRequest takes a party member or a unit (党员接单).
  'request dispatched to a person who is not a party member': `
    select q.id from request q join person p on p.id = q.assignee_person_id where p.party_status is null`,
  'ledger dispatching to a person who is not a party member': `
    select e.id from request_event e join person p on p.id = (e.data::jsonb -> 'set' ->> 'assigneePersonId')::int
     where e.kind = 'DISPATCHED' and p.party_status is null`,
  // A request's points go to the member it was dispatched to, for a rating someone else gave.
  'request points for someone other than the assignee, or a non-member': `
    select e.id from point_entry e left join request q on q.id = e.source_id
      left join person p on p.id = e.person_id
     where e.source_type = 'Request' and (q.assignee_person_id is distinct from e.person_id or p.party_status is null)`,
  'request points for work the earner rated (verified) themselves': `
    select e.id from point_entry e join request_event r on r.request_id = e.source_id and r.kind = 'RATED'
      join account a on a.person_id = e.person_id and r.actor = 'account:' || a.username
     where e.source_type = 'Request'`,
  // 双报到 (reportMember, assertMayReport, assertResidence, assertPlacement).
  'reported person who may not report (retired or mobile member, or no employer)': `
    select id from person where reported_on is not null
       and ((party_status is not null and party_status <> 'IN_SERVICE') or employer_unit_id is null or residence_community_id is null)`,
  'reported person placed in no grid branch or building group of their residence community': `
    select p.id from person p left join party_organization o on o.id = p.organization_id left join area oa on oa.id = o.area_id
      left join area c on c.id = p.residence_community_id
     where p.reported_on is not null and (o.id is null or c.id is null or oa.path not like c.path || '%' or o.kind not in ('BRANCH', 'GROUP'))`,
  'service post claimed by someone not reported to its community': `
    select c.id from post_claim c join service_post s on s.id = c.post_id join person p on p.id = c.person_id
     where p.reported_on is null or p.residence_community_id is distinct from s.community_id`,
  'reported person holding no service post': `
    select p.id from person p where p.reported_on is not null
       and not exists (select 1 from post_claim c where c.person_id = p.id and c.status = 'ACTIVE')`,
  'service post over its capacity': `
    select s.id from service_post s where s.capacity < (select count(*) from post_claim c where c.post_id = s.id and c.status = 'ACTIVE')`,
  // A micro-wish (none in the demo today) is claimed by a member living in its community (assertMemberLivesIn).
  'micro-wish claimed by a person who does not live in its community': `
    select w.id from micro_wish w join person p on p.id = w.claimant_person_id where p.residence_community_id is distinct from w.community_id`,
  // A unit claims list items and micro-wishes (none in the demo today) of the communities it serves on
  // the claim's day (China time): paired with it that day, or seated in its community alliance (assertUnitServes).
  'list item claimed by a unit that does not serve its community': `
    select c.id from claim c join list_item i on i.id = c.item_id join problem_list l on l.id = i.list_id
     where not exists (${UNIT_SERVES('c.unit_id', 'l.community_id', 'c.created_at')})`,
  'micro-wish claimed by a unit that does not serve its community': `
    select w.id from micro_wish w where w.claimant_unit_id is not null
       and not exists (${UNIT_SERVES('w.claimant_unit_id', 'w.community_id', 'w.claimed_at')})`,
  // Alliances (assertSeatFree, assertLeadershipsHold, assertRoleFitsUnit, loadSeatHolder, assertAreaFitsModel).
  'alliance with more than one CORE seat': `
    select alliance_id from alliance_member where role = 'CORE' group by alliance_id having count(*) > 1`,
  'alliance led by an organisation of another area': `
    select al.id from alliance al join area aa on aa.id = al.area_id join party_organization o on o.id = al.lead_organization_id
      join area oa on oa.id = o.area_id where oa.path not like aa.path || '%'`,
  'alliance seat of the wrong kind of unit': `
    select m.id from alliance_member m join unit u on u.id = m.unit_id
     where (m.role = 'POLICE' and u.kind <> 'POLICE_STATION') or (m.role = 'OWNERS_COMMITTEE' and u.kind <> 'OWNERS_COMMITTEE')
        or (m.role = 'PROPERTY' and u.kind <> 'PROPERTY_COMPANY')`,
  'alliance seat held by someone who does not work at the unit, or is retired (alliance.rules.ts, unitRepresentedBy)': `
    select m.id from alliance_member m join person p on p.id = m.seat_holder_id
     where p.employer_unit_id is distinct from m.unit_id or p.party_status = 'RETIRED'`,
  'alliance on an area its model does not sit on': `
    select al.id from alliance al join area a on a.id = al.area_id
     where a.level <> 'COMMUNITY' and not (al.model = 'BIG_PARTY_COMMITTEE' and a.level = 'STREET')`,
  // The party tree (assertNestsUnderParent, assertValidParent, loadSecretary).
  'party organisation whose parent sits off its line of the area tree': `
    select o.id from party_organization o join party_organization pr on pr.id = o.parent_id
      join area a on a.id = o.area_id join area pa on pa.id = pr.area_id
     where not (a.path like pa.path || '%' or pa.path like a.path || '%')`,
  'party group with child organisations': `
    select o.id from party_organization o join party_organization pr on pr.id = o.parent_id where pr.kind = 'GROUP'`,
  'secretary who is not a party member': `
    select o.id from party_organization o join person p on p.id = o.secretary_id where p.party_status is null`,
  // People (assertConsistentRegistration) and the other one-per rules.
  'registration the API refuses': `
    select id from person where (party_status is null and joined_party_on is not null)
       or (party_status = 'IN_SERVICE' and employer_unit_id is null)
       or (id_number is not null and (substr(id_number, 7, 4)::int <> birth_year or (substr(id_number, 17, 1)::int % 2 = 1) <> (gender = 'MALE')))`,
  'overlapping pairings of one unit and community': `
    select a.id from pairing a join pairing b on a.unit_id = b.unit_id and a.community_id = b.community_id and a.id < b.id
     where daterange(a.starts_on, coalesce(a.ends_on, 'infinity'::date), '[]') && daterange(b.starts_on, coalesce(b.ends_on, 'infinity'::date), '[]')`,
};

const NOW = new Date('2026-11-30T04:00:00Z');

describe.each(['small', 'city'] as const)('the %s demo', (scale) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await app.orm.em.fork().transactional((em) => seedDemo(em, { scale, withAccounts: true, now: NOW }));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  test('holds nothing the API refuses: requests dispatched to non-members (and their points), reported staff placed nowhere, alliances, the party tree, posts, people', async () => {
    const breaches: Record<string, { count: number; first: number[] }> = {};
    for (const [rule, query] of Object.entries(RULES)) {
      const rows = await app.orm.em.fork().execute<Array<Record<string, number>>>(query);
      if (rows.length > 0) breaches[rule] = { count: rows.length, first: rows.slice(0, 5).map((row) => Object.values(row)[0]) };
    }
    expect(breaches).toEqual({});
  });

  test('every grid has a member to dispatch to (a worker who is one, else its branch secretary), and most requests were dispatched as before', async () => {
    const sql = <T>(query: string) => app.orm.em.fork().execute<T[]>(query);
    const without = await sql<{ id: number }>(`
      select g.id from area g where g.level = 'GRID'
         and not exists (select 1 from grid_assignment ga join person p on p.id = ga.person_id where ga.grid_id = g.id and p.party_status is not null)
         and not exists (select 1 from party_organization o join person p on p.id = o.secretary_id
                          where o.area_id = g.id and o.kind = 'BRANCH' and not o.functional and p.party_status is not null)`);
    expect(without).toEqual([]);
    const [row] = await sql<{ assigned: number; total: number }>(`select count(assignee_person_id)::int as assigned, count(*)::int as total from request`);
    expect(row.assigned / row.total).toBeGreaterThan(0.9);
  });
});
