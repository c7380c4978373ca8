/**
 * Concurrency review (verified, no defect): updatePerson ending a 双报到 report when the member
 * retires or loses their employer (whyMayNotReport), racing claimServicePost or reportMember for the
 * same person. updatePerson locks the person's active claims, then the person; the claim and the
 * report lock the post, then the person. Whichever gets the person first wins, and the other sees
 * it: no post claim stays ACTIVE after the report ended, with no deadlock (no retry) either way.
 */
import { buildWorld, createGrid, createPartyOrganization, dbId, type World } from '../helpers/fixtures';
import { createMember, createServicePost } from '../helpers/member-fixtures';
import { race } from '../helpers/lock-race';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
let branch: string;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  branch = await createPartyOrganization(app, { name: '报到网格党支部', kind: 'BRANCH', areaId: await createGrid(app, w.communityId, '报到网格') });
});
afterAll(async () => app?.close());

const REPORT = `mutation($input: ReportMemberInput!) { reportMember(input: $input) { id } }`;
const CLAIM = `mutation($input: ClaimServicePostInput!) { claimServicePost(input: $input) { id status } }`;
const UPDATE_PERSON = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`;
const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';

let seq = 0;
const post = () => createServicePost(app, { communityId: w.communityId, title: `岗位${++seq}`, capacity: 5 });
const member = (partyStatus: 'IN_SERVICE' | null) => createMember(app, { name: `报到人${++seq}`, communityId: w.communityId, employerUnitId: w.units.hospitalId, partyStatus });
const report = (personId: string, postId: string) => app.execute(REPORT, { input: { personId, communityId: w.communityId, organizationId: branch, postId } });

async function stateOf(person: string) {
  const [row] = await app.orm.em.fork().execute<{ reported: boolean; active: number }[]>(
    `select p.reported_on is not null as reported, (select count(*)::int from post_claim c where c.person_id = p.id and c.status = 'ACTIVE') as active from person p where p.id = ?`,
    [dbId(person)],
  );
  return row;
}

const personLock = (person: string): [string, unknown[]] => ['select id from person where id = $1 for update', [dbId(person)]];
// An in-service party member needs an employer on record: the one who leaves theirs is non-party staff.
const ENDS_REPORT = [
  ['party member who retires', 'IN_SERVICE', { partyStatus: 'RETIRED' }],
  ['non-party staff member who leaves their employer', null, { employerUnitId: null }],
] as const;

describe.each(ENDS_REPORT)('a reported %s', (_, status, change) => {
  test.each([
    ['the claim first', true],
    ['the update first', false],
  ])('racing claimServicePost (%s): no claim stays ACTIVE once the report ended', async (__, claimFirst) => {
    const person = await member(status);
    expect(code(await report(person, await post()))).toBe('OK');
    const second = await post();
    const retriesBefore = transactionRetriesSoFar();
    const claim = () => app.execute(CLAIM, { input: { postId: second, personId: person } });
    const update = () => app.execute(UPDATE_PERSON, { id: person, input: change });
    const [first, next] = await race(app, personLock(person), claimFirst ? claim : update, claimFirst ? update : claim);
    const [claimed, updated] = claimFirst ? [first, next] : [next, first];
    expect({ claimed: code(claimed), updated: code(updated), retries: transactionRetriesSoFar() - retriesBefore })
      .toEqual({ claimed: claimFirst ? 'OK' : 'BAD_USER_INPUT', updated: 'OK', retries: 0 });
    expect(await stateOf(person)).toEqual({ reported: false, active: 0 });
  });

  test.each([
    ['the report first', true],
    ['the update first', false],
  ])('racing reportMember (%s): never reported with an ACTIVE claim afterwards', async (__, reportFirst) => {
    const person = await member(status);
    const postId = await post();
    const retriesBefore = transactionRetriesSoFar();
    const reportIt = () => report(person, postId);
    const update = () => app.execute(UPDATE_PERSON, { id: person, input: change });
    const [first, next] = await race(app, personLock(person), reportFirst ? reportIt : update, reportFirst ? update : reportIt);
    const [reported, updated] = reportFirst ? [first, next] : [next, first];
    expect({ reported: code(reported), updated: code(updated), retries: transactionRetriesSoFar() - retriesBefore })
      .toEqual({ reported: reportFirst ? 'OK' : 'BAD_USER_INPUT', updated: 'OK', retries: 0 });
    expect(await stateOf(person)).toEqual({ reported: false, active: 0 });
  });
});
