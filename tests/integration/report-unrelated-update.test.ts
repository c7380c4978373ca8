import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { buildOrganizations, createMember, createServicePost, reportMember, type Organizations } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review (diffreview): updatePerson ends a 双报到 report when the member no longer qualifies
 * (3e9e504). It checked the rule on every update, whatever the update changed: a member reported
 * before the rule was kept (one who retired before 3e9e504 stayed reported, as did the demo's
 * mobile members before 70a8c9f) lost their report and every post held when staff corrected their
 * phone number. The report ends with the change that disqualifies (party status, employer), not
 * with an unrelated edit.
 */

let app: TestApp;
let w: World;
let orgs: Organizations;

const NOW = new Date('2026-03-15T10:00:00+08:00');
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id reportedOn } }`;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
  orgs = await buildOrganizations(app, w);
});
afterAll(async () => {
  await app?.close();
});

async function state(personId: string): Promise<{ reported_on: string | null; active: number }> {
  const [row] = await app.orm.em.fork().execute<{ reported_on: string | null; active: number }[]>(
    `select p.reported_on, (select count(*)::int from post_claim c where c.person_id = p.id and c.status = 'ACTIVE') as active from person p where p.id = ?`,
    [dbId(personId)],
  );
  return row;
}

test('a member who retired before the rule keeps the report and the posts when an unrelated field is corrected', async () => {
  const postId = await createServicePost(app, { communityId: w.communityId, title: '楼道长', capacity: 5 });
  const personId = await createMember(app, { name: '早退休成员', communityId: w.communityId, employerUnitId: w.units.hospitalId });
  await reportMember(app, { personId, communityId: w.communityId, organizationId: orgs.gridBranchId, postId });
  // Retired before 3e9e504, when updatePerson left the report as it was.
  await app.orm.em.fork().execute(`update person set party_status = 'RETIRED', employer_unit_id = null where id = ?`, [dbId(personId)]);
  await ok(app, UPDATE, { id: personId, input: { phone: '13800138000' } });
  expect(await state(personId)).toEqual({ reported_on: '2026-03-15', active: 1 });
  // The change that disqualifies still ends it (here: re-stating the party status).
  await ok(app, UPDATE, { id: personId, input: { partyStatus: 'RETIRED' } });
  expect(await state(personId)).toEqual({ reported_on: null, active: 0 });
});
