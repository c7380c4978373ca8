import { toGlobalId } from '../../src/common/global-id';
import { assigneeDueOnDispatch } from '../../src/modules/request/request.states';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Migration20270101100000: rows from before the API kept request.suspended_at and
 * request.assignee_due_at are given what the code would have stored (request.states.ts: pastDue,
 * assigneeDueOnDispatch), and a CHECK keeps suspended_at set exactly while SUSPENDED.
 * Legacy rows are made as an old database holds them, with this migration reverted (as
 * migrations.test.ts does), then migrated up again.
 */

let app: TestApp;
let w: World;
const HOUR = 3600_000;
const at = (local: string) => new Date(`${local}+08:00`);
const PREVIOUS = 'Migration20261231200000_demand_exemplar_latest_record';
const COLUMN_MIGRATION = 'Migration20261230100000_whistle_stop_and_assignee_due';

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const INPUT_TYPES: Record<string, string> = {
  dispatchRequest: 'DispatchRequestInput!', takeRequest: 'TakeRequestInput', resolveRequest: 'PlainStepInput', resumeRequest: 'PlainStepInput',
  returnRequest: 'ReasonStepInput!', suspendRequest: 'ReasonStepInput!', reopenRequest: 'ReasonStepInput!', escalateRequest: 'ReasonStepInput!',
};
const FIELDS = 'id status dueAt suspendedAt isOverdue';

/** One step at `time` (China time). */
async function step(time: string, mutation: string, id: string, input: Record<string, unknown> = {}) {
  app.clock.set(at(time));
  return (await ok(app, `mutation($id: ID!, $input: ${INPUT_TYPES[mutation]}) { ${mutation}(id: $id, input: $input) { ${FIELDS} } }`, { id, input }))[mutation];
}

async function categoryOf(code: string): Promise<string> {
  const [row] = await app.orm.em.fork().execute<{ id: number }[]>('select id from request_category where code = ?', [code]);
  return toGlobalId('RequestCategory', row.id);
}

async function newRequest(time: string, code = 'GRID-SANITATION'): Promise<string> {
  app.clock.set(at(time));
  const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId: await categoryOf(code), areaId: w.communityId },
  });
  return data.createRequest.id;
}

const toMember = () => ({ assigneePersonId: w.partyMemberId });

type Row = { id: number; status: string; status_before_suspension: string | null; suspended_at: Date | null; assignee_due_at: Date | null; due_at: Date };
async function rows(ids: string[]): Promise<Map<string, Row>> {
  const found = await app.orm.em.fork().execute<Row[]>(
    'select id, status, status_before_suspension, suspended_at, assignee_due_at, due_at from request where id in (?)', [ids.map(dbId)]);
  return new Map(ids.map((id) => [id, found.find((row) => row.id === dbId(id))!]));
}
const iso = (date: Date | null | undefined) => (date == null ? null : new Date(date).toISOString());

/** Reverts this migration (its CHECK with it), lets `legacy` write rows as an old database holds them, and migrates up again. */
async function migratedFrom(legacy: (sql: (text: string, params?: unknown[]) => Promise<unknown>) => Promise<void>) {
  const migrator = app.orm.getMigrator();
  await migrator.down({ to: PREVIOUS });
  const em = app.orm.em.fork();
  await legacy((text, params) => em.execute(text, params ?? []));
  await migrator.up();
  expect(await migrator.getPendingMigrations()).toHaveLength(0);
}

test('a SUSPENDED request without its suspension time, or another with one, cannot be stored', async () => {
  const id = await newRequest('2025-02-03T09:00:00');
  await step('2025-02-03T10:00:00', 'dispatchRequest', id, toMember());
  const em = app.orm.em.fork();
  const error = (text: string, params: unknown[]) => em.execute(text, params).then(() => 'stored', (e: unknown) => String(e));
  expect(await error(`update request set status = 'SUSPENDED', status_before_suspension = 'DISPATCHED' where id = ?`, [dbId(id)])).toMatch(/request_suspended_at_check/);
  expect(await error(`update request set suspended_at = now() where id = ?`, [dbId(id)])).toMatch(/request_suspended_at_check/);
  expect(await error(
    `insert into request (created_at, updated_at, number, title, body, channel, category_id, area_id, status, level, due_at)
     select now(), now(), 'LEGACY-1', title, body, channel, category_id, area_id, 'SUSPENDED', level, due_at from request where id = ?`, [dbId(id)],
  )).toMatch(/request_suspended_at_check/);
  // The steps keep it: suspended with its time, resumed without.
  expect(await step('2025-02-03T11:00:00', 'suspendRequest', id, { reason: '等业主回家' })).toMatchObject({ status: 'SUSPENDED', suspendedAt: at('2025-02-03T11:00:00').toISOString() });
  expect(await step('2025-02-03T12:00:00', 'resumeRequest', id)).toMatchObject({ status: 'DISPATCHED', suspendedAt: null });
});

test('legacy SUSPENDED rows get their suspension time from the ledger (else their last change), are overdue as the rules say, and resume', async () => {
  // Taken, then suspended two hours past its due time (72 h): the ledger holds the suspension.
  const fromLedger = await newRequest('2025-03-03T09:00:00');
  await step('2025-03-03T09:00:00', 'dispatchRequest', fromLedger, toMember());
  await step('2025-03-03T10:00:00', 'takeRequest', fromLedger, {});
  await step('2025-03-06T11:00:00', 'suspendRequest', fromLedger, { reason: '等配件' });
  // Suspended by an import: no ledger entry, nor the status it came from.
  const imported = await newRequest('2025-03-04T09:00:00');
  await step('2025-03-04T09:00:00', 'dispatchRequest', imported, toMember());
  // Resumed by old code that left the time in place.
  const stray = await newRequest('2025-03-05T09:00:00');
  await step('2025-03-05T09:00:00', 'dispatchRequest', stray, toMember());

  await migratedFrom(async (sql) => {
    await sql(`update request set suspended_at = null, status_before_suspension = null, updated_at = '2025-03-20T00:00:00Z' where id = ?`, [dbId(fromLedger)]);
    await sql(`update request set status = 'SUSPENDED', updated_at = ? where id = ?`, [at('2025-03-05T08:00:00'), dbId(imported)]);
    await sql(`update request set suspended_at = ? where id = ?`, [at('2025-03-05T12:00:00'), dbId(stray)]);
  });

  const after = await rows([fromLedger, imported, stray]);
  expect(iso(after.get(fromLedger)!.suspended_at)).toBe(at('2025-03-06T11:00:00').toISOString());
  expect(after.get(fromLedger)!.status_before_suspension).toBe('TAKEN');
  expect(iso(after.get(imported)!.suspended_at)).toBe(at('2025-03-05T08:00:00').toISOString());
  expect(after.get(imported)!.status_before_suspension).toBeNull();
  expect(after.get(stray)).toMatchObject({ status: 'DISPATCHED', suspended_at: null });

  // Suspended two hours past its due time: overdue while suspended; the imported one was suspended in time.
  app.clock.set(at('2025-04-01T09:00:00'));
  const overdue = async (id: string) => (await ok(app, `query($id: ID!) { node(id: $id) { ... on Request { isOverdue } } }`, { id })).node.isOverdue;
  expect(await overdue(fromLedger)).toBe(true);
  expect(await overdue(imported)).toBe(false);
  // Resumed: back where it was, the due time moved by the time suspended (still two hours behind).
  const resumed = await step('2025-04-01T09:00:00', 'resumeRequest', fromLedger);
  const suspendedFor = at('2025-04-01T09:00:00').getTime() - at('2025-03-06T11:00:00').getTime();
  expect(resumed).toMatchObject({ status: 'TAKEN', dueAt: new Date(at('2025-03-06T09:00:00').getTime() + suspendedFor).toISOString(), suspendedAt: null, isOverdue: true });
  const resumedImport = await step('2025-04-01T09:00:00', 'resumeRequest', imported);
  expect(resumedImport).toMatchObject({ status: 'DISPATCHED', suspendedAt: null, isOverdue: false });
});

test("members dispatched to before assignee_due_at existed get the due time the dispatch gives now (assigneeDueOnDispatch), and no one else's changes", async () => {
  const em = app.orm.em.fork();
  // A category whose community hours come from its parent (hoursAllowed).
  await em.execute(`update request_category set community_hours = null where code = 'HOUSING-LIGHTS'`);
  await em.execute(`update request_category set community_hours = 30 where code = 'HOUSING'`);
  const cases: Record<string, string> = {};
  // Dispatched the moment it came in: the category's time ends with dueAt, no own due time.
  cases.atOnce = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T09:00:00', 'dispatchRequest', cases.atOnce, toMember());
  // Dispatched 10 hours in, and 80 hours in (past dueAt).
  cases.hoursIn = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T19:00:00', 'dispatchRequest', cases.hoursIn, toMember());
  cases.pastDue = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-08T17:00:00', 'dispatchRequest', cases.pastDue, toMember());
  // To a unit, with the parent's hours.
  cases.unitParentHours = await newRequest('2025-05-05T09:00:00', 'HOUSING-LIGHTS');
  await step('2025-05-05T13:00:00', 'dispatchRequest', cases.unitParentHours, { assigneeUnitId: w.units.propertyCompanyId });
  // Suspended 27 hours after being taken, then resumed: both due times moved by it.
  cases.resumed = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T11:00:00', 'dispatchRequest', cases.resumed, toMember());
  await step('2025-05-05T12:00:00', 'takeRequest', cases.resumed, {});
  await step('2025-05-05T14:00:00', 'suspendRequest', cases.resumed, { reason: '等配件' });
  await step('2025-05-06T17:00:00', 'resumeRequest', cases.resumed);
  // Still suspended.
  cases.suspended = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T11:00:00', 'dispatchRequest', cases.suspended, toMember());
  await step('2025-05-05T15:00:00', 'suspendRequest', cases.suspended, { reason: '等业主回家' });
  // Handed back and dispatched again: the latest dispatch counts; handed back only: no assignee.
  cases.redispatched = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T10:00:00', 'dispatchRequest', cases.redispatched, toMember());
  await step('2025-05-05T12:00:00', 'returnRequest', cases.redispatched, { reason: '不在辖区' });
  await step('2025-05-06T12:00:00', 'dispatchRequest', cases.redispatched, toMember());
  cases.returned = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T10:00:00', 'dispatchRequest', cases.returned, toMember());
  await step('2025-05-05T12:00:00', 'returnRequest', cases.returned, { reason: '不在辖区' });
  // Resolved and reopened: the fresh deadline is everyone's, the assignee stays.
  cases.reopened = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T10:00:00', 'dispatchRequest', cases.reopened, toMember());
  await step('2025-05-05T11:00:00', 'takeRequest', cases.reopened, {});
  await step('2025-05-05T12:00:00', 'resolveRequest', cases.reopened, {});
  await step('2025-05-06T12:00:00', 'reopenRequest', cases.reopened, { reason: '又漏了' });
  // Escalated to the street, dispatched there: the street's hours.
  cases.street = await newRequest('2025-05-05T09:00:00');
  await step('2025-05-05T10:00:00', 'escalateRequest', cases.street, { reason: '需街道协调' });
  await step('2025-05-07T10:00:00', 'dispatchRequest', cases.street, toMember());

  // What the code stores on those dispatches (assigneeDueOnDispatch), as the backfill must give.
  const stored = await rows(Object.values(cases));
  const expected = Object.fromEntries(Object.entries(cases).map(([name, id]) => [name, iso(stored.get(id)!.assignee_due_at)]));
  const community = 72;
  expect(expected).toEqual({
    atOnce: null,
    hoursIn: at('2025-05-08T19:00:00').toISOString(),
    pastDue: at('2025-05-11T17:00:00').toISOString(),
    unitParentHours: at('2025-05-06T19:00:00').toISOString(),
    resumed: new Date(at('2025-05-05T11:00:00').getTime() + community * HOUR + 27 * HOUR).toISOString(),
    suspended: at('2025-05-08T11:00:00').toISOString(),
    redispatched: at('2025-05-09T12:00:00').toISOString(),
    returned: null,
    reopened: null,
    street: at('2025-05-13T10:00:00').toISOString(),
  });
  expect(iso(assigneeDueOnDispatch(at('2025-05-08T09:00:00'), at('2025-05-08T17:00:00'), community))).toBe(expected.pastDue);

  // After the column came (the cutoff below), dispatched the moment it came in: rightly null; the
  // category's hours raised since must not give it one.
  cases.afterColumn = await newRequest('2025-07-01T09:00:00', 'HOUSING-REPAIR');
  await step('2025-07-01T09:00:00', 'dispatchRequest', cases.afterColumn, toMember());
  await em.execute(`update request_category set community_hours = 100 where code = 'HOUSING-REPAIR'`);
  expected.afterColumn = null;

  const before = await rows(Object.values(cases));
  await migratedFrom(async (sql) => {
    // As before the column existed: no assignee's own due time.
    await sql('update request set assignee_due_at = null where id in (?)', [Object.values(cases).map(dbId)]);
    await sql('update mikro_orm_migrations set executed_at = ? where name = ?', [at('2025-06-01T00:00:00'), COLUMN_MIGRATION]);
  });

  const after = await rows(Object.values(cases));
  expect(Object.fromEntries(Object.entries(cases).map(([name, id]) => [name, iso(after.get(id)!.assignee_due_at)]))).toEqual(expected);
  // Nothing else moved.
  for (const [name, id] of Object.entries(cases)) expect({ name, row: { ...after.get(id)!, assignee_due_at: null } }).toEqual({ name, row: { ...before.get(id)!, assignee_due_at: null } });
});
