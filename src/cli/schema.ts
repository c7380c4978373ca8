import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';
import { printSdl } from '../schema';
import { runCli } from './run-cli';

const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');

/** `--write` emits the SDL; `--check` fails when the committed file differs from the code. */
runCli(async () => {
  const sdl = await printSdl();
  if (process.argv.includes('--write')) {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${path.relative(PROJECT_ROOT, SCHEMA_FILE)}`);
    return 0;
  }
  const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (committed === sdl) {
    console.log('schema/schema.graphql is current');
    return 0;
  }
  const a = committed.split('\n');
  const b = sdl.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  console.error(`schema/schema.graphql differs from the code's schema (first difference at line ${line + 1}):`);
  console.error(`  file: ${a[line] ?? '(end of file)'}`);
  console.error(`  code: ${b[line] ?? '(end of file)'}`);
  console.error('Run `npm run schema:emit` and commit the result.');
  return 1;
});
