import { transactionRetriesSoFar } from '../../src/common/transaction';
import { buildWorld, createPerson, ok, residentId, type World } from '../helpers/fixtures';
import { hold, waiters } from '../helpers/lock-race';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The ID number's advisory lock comes before any row lock (person.service.ts, lockIdNumber):
 * updatePerson took it after the person's row lock, createPerson before its insert's foreign-key
 * locks, so with updateAllianceMember (unit FOR UPDATE, then the seat holder FOR SHARE) the three
 * waited on each other in a cycle, PostgreSQL aborted one (deadlock_detected) and inTransaction ran
 * it again (found by review). Now they queue and finish.
 */
let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`;
const CREATE_ALLIANCE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`;
const ADD = `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id } }`;
const UPDATE_MEMBER = `mutation($id: ID!, $input: UpdateAllianceMemberInput!) { updateAllianceMember(id: $id, input: $input) { id seatHolder { id } } }`;

test('a new number raced by a create, an edit of a seat holder and a seat given to them: they queue, no deadlock', async () => {
  const idNumber = residentId('19810101', 'MALE');
  const holder = await createPerson(app, {
    name: '席位人', gender: 'MALE', partyStatus: 'IN_SERVICE', joinedPartyOn: '2010-07-01', employerUnitId: w.units.hospitalId, residenceCommunityId: w.communityId,
  } as any);
  const allianceId = (await ok(app, CREATE_ALLIANCE, { input: { areaId: w.communityId, name: '竞态联盟', model: 'ONE_N_X' } })).createAlliance.id;
  const seat = (await ok(app, ADD, { input: { allianceId, unitId: w.units.hospitalId, role: 'CORE' } })).addAllianceMember.id;

  const retriesBefore = transactionRetriesSoFar();
  // A gate on the number's advisory lock, so the three reach their locks in a known order.
  const release = await hold(app, `select pg_advisory_xact_lock(hashtext('person_id_number'), hashtext($1))`, [idNumber]);
  let created: Promise<any>, edited: Promise<any>, seated: Promise<any>;
  try {
    // 1. createPerson of a hospital employee with the number: waits on the number.
    created = app.execute(CREATE, { input: { name: '新登记', gender: 'MALE', idNumber, employerUnitId: w.units.hospitalId, residenceCommunityId: w.communityId } });
    await waiters(app, 1);
    // 2. updatePerson gives the seat holder the same number: locks the person, then waits on the number.
    edited = app.execute(UPDATE, { id: holder, input: { idNumber } });
    await waiters(app, 2);
    // 3. updateAllianceMember seats them: locks the hospital FOR UPDATE, then waits on the person.
    let settled = false;
    seated = app.execute(UPDATE_MEMBER, { id: seat, input: { seatHolderId: holder } }).finally(() => void (settled = true));
    // (Or it finishes without waiting: the edit holds no row lock yet.)
    await waiters(app, 3, () => settled);
  } finally {
    await release();
  }
  const [c, e, s] = await Promise.all([created!, edited!, seated!]);
  expect(c.errors).toBeUndefined();
  expect(e.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(s.errors).toBeUndefined();
  // Nobody was rolled back by PostgreSQL's deadlock detector and run again.
  expect(transactionRetriesSoFar() - retriesBefore).toBe(0);
});
