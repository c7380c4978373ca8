import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';

/** README statements about the code that no example runs, checked against the code (a newcomer's walk found both stale). */
const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

test('the Layout section names every folder of src/', () => {
  const layout = readme.slice(readme.indexOf('## Layout'));
  const folders = fs
    .readdirSync(path.join(PROJECT_ROOT, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  expect(folders.filter((folder) => !new RegExp(`^  ${folder}/`, 'm').test(layout))).toEqual([]);
});

test('the README names every index the migrations create on service_record', () => {
  const bullet = /^- Indexes on `service_record`:[\s\S]*?(?=\n\n|\n- )/m.exec(readme)?.[0] ?? '';
  const indexes = fs
    .readdirSync(path.join(PROJECT_ROOT, 'migrations'))
    .filter((file) => file.startsWith('Migration'))
    .flatMap((file) => [...fs.readFileSync(path.join(PROJECT_ROOT, 'migrations', file), 'utf8').matchAll(/create (?:unique )?index (?:if not exists )?"(\w+)" on "service_record"/g)].map((match) => match[1]));
  expect(indexes.length).toBeGreaterThan(0);
  expect(indexes.filter((index) => !bullet.includes(index))).toEqual([]);
});
