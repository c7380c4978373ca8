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
