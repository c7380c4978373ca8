import { addListItem, categoryId, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, ok } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { ANONYMOUS } from '../../src/context/context';
import { hashPassword } from '../../src/modules/identity/credentials';
import { translateDatabaseError } from '../../src/common/transaction';

const TWIN_PASSWORD = 'correct horse battery staple';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp(); // migrated up from an empty database
});
afterAll(async () => {
  await app?.close();
});

async function tables(): Promise<string[]> {
  const rows: { table_name: string }[] = await app.orm.em.fork().execute(
    `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((row) => row.table_name);
}

test('the migrations produce exactly the schema the entities describe (no drift)', async () => {
  const diff = await app.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
  expect(diff.trim()).toBe('');
});

test('down to zero removes every table, and up again restores them', async () => {
  const migrator = app.orm.getMigrator();
  const before = await tables();
  expect(before).toEqual(expect.arrayContaining(['area', 'unit', 'person', 'party_organization', 'alliance', 'alliance_member', 'pairing', 'grid_assignment', 'part_time_member']));

  await migrator.down({ to: 0 });
  expect(await tables()).toEqual(['mikro_orm_migrations']);
  expect(await migrator.getExecutedMigrations()).toHaveLength(0);

  await migrator.up();
  expect(await tables()).toEqual(before);
  expect(await migrator.getPendingMigrations()).toHaveLength(0);
});

test('the list_item (list, request) unique index: duplicates left by the race are merged into the oldest item first', async () => {
  const w = await buildWorld(app);
  const list = await createProblemList(app, w.communityId, '2031');
  const category = await categoryId(app, 'HOUSING-REPAIR');
  const request = (await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道漏水', body: '3单元楼道漏水', channel: 'VISIT', categoryId: category, areaId: w.buildingId },
  })).createRequest.id;
  const oldest = dbId(await addListItem(app, { listId: list, kind: 'DEMAND', title: '楼道漏水维修', sourceRequestId: request }));

  const migrator = app.orm.getMigrator();
  await migrator.down({ to: 'Migration20261203100000_service_daily_close_seconds' });
  const em = app.orm.em.fork();
  // Two later copies, as two racing additions would have left; one was claimed meanwhile.
  const copy = (hours: number, status: string) => em.execute<{ id: number }[]>(
    `insert into list_item (created_at, updated_at, list_id, kind, title, description, category_id, unit_id, resource_type, quantity, value, source_request_id, status, due_at, closed_at, version)
     select created_at + ? * interval '1 hour', updated_at, list_id, kind, title, description, category_id, unit_id, resource_type, quantity, value, source_request_id, ?, due_at, closed_at, version
     from list_item where id = ? returning id`, [hours, status, oldest]);
  const [{ id: claimed }] = await copy(1, 'CLAIMED');
  await copy(2, 'OPEN');
  await em.execute(`insert into claim (created_at, updated_at, item_id, unit_id, status) values (now(), now(), ?, ?, 'CLAIMED')`, [claimed, dbId(w.units.propertyCompanyId)]);

  await migrator.up();
  expect(await migrator.getPendingMigrations()).toHaveLength(0);
  const items = await em.execute(`select id, status from list_item where source_request_id = ?`, [dbId(request)]);
  expect(items).toEqual([{ id: oldest, status: 'CLAIMED' }]);
  expect(await em.execute(`select item_id from claim`)).toEqual([{ item_id: oldest }]);
});

test('usernames unique whatever the case: accounts an old database holds differing only by case are left out of the index, named, and still sign in as stored', async () => {
  const migrator = app.orm.getMigrator();
  await migrator.down({ to: 'Migration20261222100000_free_text_masks_merged' });
  const em = app.orm.em.fork();
  const passwordHash = await hashPassword(TWIN_PASSWORD);
  // As createAccount stored them before usernames had one form: two that differ only by case, one alone.
  const insert = (username: string) => em.execute<{ id: number }[]>(
    `insert into account (created_at, updated_at, username, display_name, password_hash, role) values (now(), now(), ?, ?, ?, 'ANALYST') returning id`,
    [username, username, passwordHash],
  );
  const [{ id: upper }] = await insert('Case.Twin');
  const [{ id: lower }] = await insert('case.twin');
  await insert('Solo.Name');

  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await migrator.up();
    expect(await migrator.getPendingMigrations()).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain(`'Case.Twin' (id ${upper}), 'case.twin' (id ${lower})`);
  } finally {
    warn.mockRestore();
  }
  const [index] = await em.execute(`select indexdef from pg_indexes where indexname = 'account_username_lower_unique'`);
  expect(index.indexdef).toContain(`WHERE (id <> ALL (ARRAY[${upper}, ${lower}]))`);
  // Every other account is in the index: a lookalike of Solo.Name cannot be stored, even past the service.
  const lookalike = await insert('SOLO.NAME').catch((error: unknown) => error);
  expect(String(lookalike)).toMatch(/account_username_lower_unique/);
  // Read as the username's CONFLICT, as createAccount's own check answers one that raced past it.
  expect(translateDatabaseError(lookalike)).toMatchObject({ extensions: { code: 'CONFLICT', field: 'input.username' } });

  const signedInAs = async (username: string) => {
    const result = await app.execute(`mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { account { id username } } }`, { u: username, p: TWIN_PASSWORD }, ANONYMOUS);
    return result.errors ? result.errors[0]!.extensions!.code : dbId(result.data!.signIn.account.id);
  };
  expect(await signedInAs('Case.Twin')).toBe(upper);
  expect(await signedInAs('case.twin')).toBe(lower);
  // Typed another way, the twins' name is ambiguous: no account, answered as an unknown name.
  expect(await signedInAs('CASE.TWIN')).toBe('UNAUTHENTICATED');
  // The lone old account is found however its name is typed.
  expect(await signedInAs(' solo.name ')).toBe((await em.execute(`select id from account where username = 'Solo.Name'`))[0].id);

  // Once the twins are gone, the migration again covers every account.
  await em.execute(`delete from account where id in (?, ?)`, [upper, lower]);
  await migrator.down({ to: 'Migration20261222100000_free_text_masks_merged' });
  await migrator.up();
  const [full] = await em.execute(`select indexdef from pg_indexes where indexname = 'account_username_lower_unique'`);
  expect(full.indexdef).toBe('CREATE UNIQUE INDEX account_username_lower_unique ON public.account USING btree (lower((username)::text))');
});

test('cash listed by its value alone before it had to be metered gets that value as its quantity (it funded every project accepted)', async () => {
  const w = await buildWorld(app);
  const list = await createProblemList(app, w.communityId, '2032');
  const cash = dbId(await addListItem(app, { listId: list, kind: 'RESOURCE', title: '党建共建资金', unitId: w.units.hospitalId, resourceType: 'MONEY', value: 50_000 }));
  const hall = dbId(await addListItem(app, { listId: list, kind: 'RESOURCE', title: '活动室', unitId: w.units.hospitalId, resourceType: 'VENUE', value: 800 }));
  const em = app.orm.em.fork();
  // As an old database holds them: cash with no quantity (the API now refuses to store one).
  await em.execute('update list_item set quantity = null where id in (?, ?)', [cash, hall]);
  const migrator = app.orm.getMigrator();
  await migrator.down({ to: 'Migration20261225100000_free_text_masks_personal_cues' });
  await migrator.up();
  const rows = await em.execute<{ id: number; quantity: number | null }[]>('select id, quantity from list_item where id in (?, ?) order by id', [cash, hall]);
  expect(rows).toEqual([{ id: cash, quantity: 50_000 }, { id: hall, quantity: null }]);
});
