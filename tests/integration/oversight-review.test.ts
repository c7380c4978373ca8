/**
 * Review of "the street approves and accepts", "updatePairing ends no term in the past", "attendance
 * during the pairing term" and "a seat holder who leaves the unit leaves the seat":
 * - updatePerson moving a person TO a unit while that unit's seat is given to them: addAllianceMember
 *   (and updateAllianceMember) lock the unit FOR UPDATE, then the person FOR SHARE; updatePerson locked
 *   the person FOR UPDATE and only then, writing the new employer, the unit (the foreign key's KEY SHARE):
 *   the two waited on each other (40P01, one retried). The new employer is locked first now.
 * - The GraphQL descriptions of approveLivelihoodProject and recordProjectAcceptance say who may, and
 *   UpdatePairingInput's dates what they may be (only the README said it).
 */
import { createCommunity, createPerson, dbId, ok, type World, buildWorld } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => app?.close());

const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';
const CREATE_ALLIANCE = `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`;
const ADD = `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id seatHolder { id } } }`;
const UPDATE_MEMBER = `mutation($id: ID!, $input: UpdateAllianceMemberInput!) { updateAllianceMember(id: $id, input: $input) { id seatHolder { id } } }`;
const MOVE = `mutation($id: ID!, $unit: ID) { updatePerson(id: $id, input: { employerUnitId: $unit }) { id } }`;

let seq = 0;
async function alliance(): Promise<string> {
  seq += 1;
  const areaId = await createCommunity(app, w.streetId, `评审第${seq}社区`);
  return (await ok(app, CREATE_ALLIANCE, { input: { areaId, model: 'ONE_THREE_N', name: `评审第${seq}联盟` } })).createAlliance.id;
}

describe('a seat given to someone whose employer changes to that unit at the same time: no deadlock', () => {
  // The person holds a seat for the hospital (so updatePerson stops on it, vacating, after it locked the person).
  async function setUp() {
    const person = await createPerson(app, { name: '调动医生', partyStatus: 'IN_SERVICE', employerUnitId: w.units.hospitalId });
    const held = (await ok(app, ADD, { input: { allianceId: await alliance(), unitId: w.units.hospitalId, role: 'IN_AREA', seatTitle: '兼职委员', seatHolderId: person } })).addAllianceMember.id;
    return { person, held, heldLock: ['select id from alliance_member where id = $1 for update', [dbId(held)]] as [string, unknown[]] };
  }

  test('addAllianceMember waits for the employer change and gives the seat on the new employer: no deadlock, no retry', async () => {
    const { person, heldLock } = await setUp();
    const target = await alliance();
    const retriesBefore = transactionRetriesSoFar();
    const [moved, added] = await race(
      app,
      heldLock,
      () => app.execute(MOVE, { id: person, unit: w.units.schoolId }),
      () => app.execute(ADD, { input: { allianceId: target, unitId: w.units.schoolId, role: 'IN_AREA', seatTitle: '兼职委员', seatHolderId: person } }),
    );
    // The seat waits for the employer change (on the unit), then finds the person working at the school.
    expect({ moved: code(moved), added: code(added), retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ moved: 'OK', added: 'OK', retries: 0 });
    expect((added.data as any).addAllianceMember.seatHolder).toEqual({ id: person });
  });

  test('updateAllianceMember naming them the seat holder: likewise', async () => {
    const { person, heldLock } = await setUp();
    const seat = (await ok(app, ADD, { input: { allianceId: await alliance(), unitId: w.units.schoolId, role: 'IN_AREA', seatTitle: '兼职委员' } })).addAllianceMember.id;
    const retriesBefore = transactionRetriesSoFar();
    const [moved, updated] = await race(
      app,
      heldLock,
      () => app.execute(MOVE, { id: person, unit: w.units.schoolId }),
      () => app.execute(UPDATE_MEMBER, { id: seat, input: { seatHolderId: person } }),
    );
    expect({ moved: code(moved), updated: code(updated), retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ moved: 'OK', updated: 'OK', retries: 0 });
    expect((updated.data as any).updateAllianceMember.seatHolder).toEqual({ id: person });
  });
});

test("the schema says who approves and accepts (验收) a livelihood project, and what updatePairing's dates may be (review: only the README said it)", async () => {
  const data = await ok(app, `{ m: __type(name: "Mutation") { fields { name description } } p: __type(name: "UpdatePairingInput") { inputFields { name description } } }`);
  const said = (rows: { name: string; description: string | null }[], name: string) => rows.find((row) => row.name === name)?.description ?? '';
  for (const name of ['approveLivelihoodProject', 'recordProjectAcceptance']) {
    expect(said(data.m.fields, name)).toContain('by the street or district above the project\'s community');
    expect(said(data.m.fields, name)).toContain('FORBIDDEN');
  }
  expect(said(data.p.inputFields, 'endsOn')).toContain('Today (China time) at the earliest');
  expect(said(data.p.inputFields, 'startsOn')).toContain('later only while the term has not begun');
});
