import 'reflect-metadata';
import { loadConfig } from '../config/env';
import { createLogger } from '../common/logger';
import { initOrm, migrateUp, openDatabase } from '../db/database';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

/** How many applied migrations a refused `down --to` lists, newest last. */
const APPLIED_SHOWN = 5;
const USAGE = `usage: npm run migrate [-- up | down [--to NAME|0] | pending | create [name]]
  up       apply pending migrations (default)
  down     revert the last migration (--to 0 reverts all)
  pending  list migrations not yet applied
  create   write a new migration into migrations/ from entity changes (then add it to migrations/index.ts)`;

/**
 * The flags and names of a call, or the line that says what is wrong with it: a mistake reverts
 * nothing (`down --bogus` or a bare `--to` once reverted the last migration).
 */
function callOf(command: string, rest: string[]): ReturnType<typeof parseFlags> {
  if (!['up', 'down', 'pending', 'create'].includes(command)) return `unknown command ${JSON.stringify(command)}`;
  const parsed = parseFlags(rest, command === 'down' ? ['to'] : []);
  const names = command === 'create' ? 1 : 0;
  if (typeof parsed !== 'string' && parsed.positional.length > names) return `unknown argument ${JSON.stringify(parsed.positional[names])}`;
  return parsed;
}

runCli(async () => {
  const [command = 'up', ...rest] = process.argv.slice(2);
  const parsed = callOf(command, rest);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  const orm = await initOrm(database.url, config);
  try {
    const migrator = orm.getMigrator();
    if (command === 'up') {
      const applied = await migrateUp(orm);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: database is current');
    } else if (command === 'down') {
      const to = parsed.values.to;
      const executed = await migrator.getExecutedMigrations();
      if (to !== undefined && to !== '0' && !executed.some((migration) => migration.name === to)) {
        // The names --to takes are the applied ones (pending lists those not applied yet): the newest, to pick from.
        const newest = executed.slice(-APPLIED_SHOWN).map((migration) => `  ${migration.name}`).join('\n');
        console.error(`--to names no applied migration: ${JSON.stringify(to)}; the newest applied (all in migrations/index.ts):\n${newest || '  none'}\n${USAGE}`);
        return 2;
      }
      const reverted = await migrator.down(to === undefined ? undefined : { to: to === '0' ? 0 : to });
      console.log(reverted.length ? `reverted: ${reverted.map((m) => m.name).join(', ')}` : 'nothing to revert');
    } else if (command === 'pending') {
      const pending = await migrator.getPendingMigrations();
      console.log(pending.length ? pending.map((m) => m.name).join('\n') : 'none pending');
    } else {
      await migrator.up();
      const result = await migrator.createMigration(undefined, false, false, parsed.positional[0]);
      console.log(result.fileName ? `written: migrations/${result.fileName}; add it to migrations/index.ts` : 'no changes: entities match the database');
    }
    return 0;
  } finally {
    await orm.close(true);
    await database.embedded?.stop();
  }
});
