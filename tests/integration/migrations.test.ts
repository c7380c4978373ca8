import { addListItem, categoryId, createProblemList } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, ok } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

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
