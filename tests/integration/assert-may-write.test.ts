/** assertMayWrite (scope.guard.ts) asked directly, as person.service asks it before counting an ID number: references, moves and out-of-scope targets. */
import { Community } from '../../src/modules/area/area.entity';
import { Person } from '../../src/modules/person/person.entity';
import { applyScope, assertMayWrite } from '../../src/modules/identity/scope.guard';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { buildWorld, createPerson, dbId, expectError, residentId, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`;

async function scopedEm(communityId: string) {
  const em = app.orm.em.fork();
  applyScope(em, { paths: [await areaPath(app, communityId)], enforceWrites: true });
  return em;
}

test('assertMayWrite: a reference to a person in scope passes; out of scope refuses', async () => {
  const inside = await createPerson(app, { name: '引用甲', gender: 'MALE', residenceCommunityId: w.communityId });
  const outside = await createPerson(app, { name: '引用乙', gender: 'MALE', residenceCommunityId: w.otherCommunityId });
  const em = await scopedEm(w.communityId);
  await expect(assertMayWrite(em, em.getReference(Person, dbId(inside)))).resolves.toBeUndefined();
  await expect(assertMayWrite(em, em.getReference(Person, dbId(outside)))).rejects.toThrow(/outside/);
  // Loaded, its community an uninitialized reference, moved to the other community.
  const em2 = await scopedEm(w.communityId);
  const loaded = await em2.findOneOrFail(Person, dbId(inside), { filters: false });
  loaded.residenceCommunity = em2.getReference(Community, dbId(w.otherCommunityId));
  await expect(assertMayWrite(em2, loaded)).rejects.toThrow(/outside/);
});

test('moved out of scope and given a taken number in one update: FORBIDDEN, not CONFLICT', async () => {
  const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
  const taken = residentId('19700101', 'MALE');
  await createPerson(app, { name: '持号人', gender: 'MALE', idNumber: taken, residenceCommunityId: w.otherCommunityId } as any);
  const mover = await createPerson(app, { name: '搬走者', gender: 'MALE', residenceCommunityId: w.communityId });
  const result = await app.execute(UPDATE, { id: mover, input: { idNumber: taken, residenceCommunityId: w.otherCommunityId } }, staff);
  expectError(result, 'FORBIDDEN');
});
