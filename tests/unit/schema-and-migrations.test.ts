import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType, isIntrospectionType } from 'graphql';
import { MIGRATIONS } from '../../migrations';
import { PROJECT_ROOT } from '../../src/config/paths';
import { printSdl } from '../../src/schema';

test('every migration file is listed in migrations/index.ts, in order', () => {
  const files = fs
    .readdirSync(path.join(PROJECT_ROOT, 'migrations'))
    .filter((file) => /^Migration\d+.*\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  expect(MIGRATIONS.map((migration) => migration.name)).toEqual(files);
});

test('schema/schema.graphql matches the code (run `npm run schema:emit` when this fails)', async () => {
  const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8');
  expect(await printSdl()).toBe(committed);
});

test('the public contract root fields exist', async () => {
  const sdl = await printSdl();
  for (const field of ['node(id: ID!): Node', 'communities(', 'grids(', 'units(']) expect(sdl).toContain(field);
});

test('every enum value of the committed schema has a description', () => {
  const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8');
  const schema = buildSchema(committed);
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isEnumType(type) || isIntrospectionType(type)) continue;
    for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
  }
  expect(missing).toEqual([]);
});
