import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/env';
import { createLogger } from '../common/logger';
import { SYSTEM_VIEWER, createContext } from '../context/context';
import { initOrm, migrateUp, openDatabase } from '../db/database';
import { Area } from '../modules/area/area.entity';
import { createAccountIn, identityService } from '../modules/identity/identity.service';
import { tokenSettings } from '../modules/identity/sessions';
import { USERNAME_RULE, findAccountByUsername, isValidUsername } from '../modules/identity/username';
import { Role } from '../modules/identity/role';
import { isCalendarDay, todayInChina } from '../common/dates';
import { parseFlags } from './cli-args';
import { CliError, runCli } from './run-cli';

/** The roles an account may have: a portal is no account, it gets an API key (create-key). */
const ACCOUNT_ROLES: readonly Role[] = Object.values(Role).filter((role) => role !== Role.PORTAL);

const USAGE = `usage:
  npm run accounts -- create-admin --username NAME [--display-name TEXT]
      the first district administrator (bound to no area). The password is read from
      GONGJIAN_PASSWORD, or generated and printed once.
  npm run accounts -- create --username NAME --role ROLE [--area CODE] [--unit ID] [--person ID] [--display-name TEXT]
      any account; ROLE is one of ${ACCOUNT_ROLES.join(', ')}.
      Street, community and grid staff take --area (the area's code); a UNIT_LIAISON takes --unit,
      a PARTY_MEMBER --person (their global IDs, as the API shows them)
  npm run accounts -- create-key --name TEXT [--area CODE] [--expires YYYY-MM-DD]
      a portal API key (read-only, public figures); printed once, stored only as a hash
  npm run accounts -- reset-password --username NAME
      a new password (GONGJIAN_PASSWORD, or generated and printed once) for an administrator who
      forgot theirs or is locked out: ends the account's sessions and lifts the lockout`;

/** Area code → global ID, for the --area flag (codes are what people know). */
async function areaIdByCode(em: ReturnType<Awaited<ReturnType<typeof initOrm>>['em']['fork']>, code: string | undefined): Promise<string | null> {
  if (!code) return null;
  const area = await em.findOne(Area, { code });
  if (!area) throw new CliError(`no area with code ${code}`);
  return area.globalId;
}

runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const parsed = parseFlags(rest, ['username', 'display-name', 'role', 'area', 'unit', 'person', 'name', 'expires']);
  if (typeof parsed === 'string' || !['create-admin', 'create', 'create-key', 'reset-password'].includes(command ?? '')) {
    console.error(`${typeof parsed === 'string' ? `${parsed}\n` : ''}${USAGE}`);
    return 2;
  }
  const flags = parsed.values;
  // Mistakes in the call are the usage and exit code 2, as in every command, before any database work.
  const role = command === 'create-admin' ? Role.DISTRICT_ADMIN : (flags.role as Role);
  const mistake =
    command === 'create-key'
      ? !flags.name
        ? '--name is required'
        : flags.expires !== undefined && !(isCalendarDay(flags.expires) && flags.expires > todayInChina())
          ? `--expires must be a day after today, written YYYY-MM-DD (China time), got ${JSON.stringify(flags.expires)}`
          : false
      : !flags.username
        ? '--username is required'
        : command === 'create' && !ACCOUNT_ROLES.includes(role)
          ? `--role must be one of ${ACCOUNT_ROLES.join(', ')} (a portal gets a key: create-key)`
          : command !== 'reset-password' && !isValidUsername(flags.username) && `--username: a username is ${USERNAME_RULE}`;
  if (mistake) {
    console.error(`${mistake}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  const orm = await initOrm(database.url, config);
  try {
    await migrateUp(orm);
    const ctx = createContext(orm, logger, 'cli', undefined, SYSTEM_VIEWER, tokenSettings(config));
    if (command === 'create-key') {
      const { apiKey, key } = await identityService.createApiKey(ctx, {
        name: flags.name,
        scopeAreaId: await areaIdByCode(ctx.em, flags.area),
        expiresAt: flags.expires ? new Date(`${flags.expires}T00:00:00+08:00`) : null,
      });
      console.log(`API key ${apiKey.prefix} for "${apiKey.name}" (shown once; send it as the X-Api-Key header):\n${key}`);
      return 0;
    }
    const given = process.env.GONGJIAN_PASSWORD;
    const password = given ?? randomBytes(12).toString('base64url');
    const shown = given ? 'the password from GONGJIAN_PASSWORD' : `its password (shown once): ${password}`;
    if (command === 'reset-password') {
      // Found as signIn finds it: whatever case and spaces were typed.
      const account = await findAccountByUsername(ctx.em, flags.username!);
      if (!account) throw new CliError(`no account ${flags.username}`);
      await identityService.resetAccountPassword(ctx, account.globalId, password);
      console.log(`account ${account.username}: password reset, sessions ended, lockout lifted; ${shown}`);
      return 0;
    }
    const account = await createAccountIn(ctx, {
      username: flags.username!,
      displayName: flags['display-name'] ?? flags.username,
      password,
      role,
      scopeAreaId: await areaIdByCode(ctx.em, flags.area),
      unitId: flags.unit ?? null,
      personId: flags.person ?? null,
    });
    console.log(`account ${account.username} (${account.role}) created; ${shown}`);
    return 0;
  } finally {
    await orm.close(true);
    await database.embedded?.stop();
  }
});
