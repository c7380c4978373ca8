/**
 * Concurrency review (verified, no defect): claimListItem checks the unit serves the item's
 * community (assertUnitServes) on pairings read plainly, while updatePairing ends the pairing. The
 * two share no row and no lock, so neither waits for the other; the claim's check reads the pairing
 * as committed when its statement runs. Either it ran after the end committed (refused, as if the
 * pairing ended first) or before (the claim commits and stays, as if the pairing ended just after:
 * an ended pairing does not undo a claim). Nothing in between, no deadlock, no retry.
 */
import { addListItem, createPairing, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, type World } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let w: World;
let list: string;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  w = await buildWorld(app);
  list = await createProblemList(app, w.communityId, '2026-03');
});
afterAll(async () => app?.close());

const CLAIM = `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id status } }`;
const END = `mutation($id: ID!, $input: UpdatePairingInput!) { updatePairing(id: $id, input: $input) { id endsOn } }`;
const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'OK';
const rowLock = (id: string): [string, unknown[]] => ['select id from list_item where id = $1 for update', [dbId(id)]];

async function itemState(item: string) {
  const [row] = await app.orm.em.fork().execute<{ status: string; claims: number }[]>(
    `select i.status, (select count(*)::int from claim c where c.item_id = i.id and c.status = 'CLAIMED') as claims from list_item i where i.id = ?`,
    [dbId(item)],
  );
  return row;
}

test('the pairing ends while the claim waits before its check: refused, the item stays OPEN (end, then claim)', async () => {
  const pairing = await createPairing(app, w.units.hospitalId, w.communityId);
  const item = await addListItem(app, { listId: list, kind: 'SERVICE', title: '义诊' });
  const retriesBefore = transactionRetriesSoFar();
  // The claim stops on the item's row, before it reads the pairings.
  const [claimed, ended] = await race(
    app,
    rowLock(item),
    () => app.execute(CLAIM, { input: { itemId: item, unitId: w.units.hospitalId } }),
    // Ended today (a term is not ended in the past); the claim, let through after the end committed,
    // checks on the next day: the term it reads is over (the pairing as created, open-ended, would serve).
    async () => {
      const ended = await app.execute(END, { id: pairing, input: { endsOn: '2026-03-15' } });
      app.clock.set(new Date('2026-03-16T10:00:00+08:00'));
      return ended;
    },
  );
  app.clock.set(new Date('2026-03-15T10:00:00+08:00'));
  expect({ claimed: code(claimed), ended: code(ended), retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ claimed: 'BAD_USER_INPUT', ended: 'OK', retries: 0 });
  expect(await itemState(item)).toEqual({ status: 'OPEN', claims: 0 });
});

test('the pairing ends after the claim passed its check: both commit, the claim stays (claim, then end)', async () => {
  const pairing = await createPairing(app, w.units.schoolId, w.communityId);
  const item = await addListItem(app, { listId: list, kind: 'SERVICE', title: '四点半课堂' });
  const resource = await addListItem(app, { listId: list, kind: 'RESOURCE', title: '小学教室', unitId: w.units.schoolId, resourceType: 'VENUE', quantity: 10 });
  const retriesBefore = transactionRetriesSoFar();
  // The claim stops on its resource's row, after it read the pairings.
  const [claimed, ended] = await race(
    app,
    rowLock(resource),
    () => app.execute(CLAIM, { input: { itemId: item, unitId: w.units.schoolId, resourceId: resource, quantity: 2 } }),
    () => app.execute(END, { id: pairing, input: { endsOn: '2026-03-15' } }),
  );
  expect({ claimed: code(claimed), ended: code(ended), retries: transactionRetriesSoFar() - retriesBefore }).toEqual({ claimed: 'OK', ended: 'OK', retries: 0 });
  expect(await itemState(item)).toEqual({ status: 'CLAIMED', claims: 1 });
});
