import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';
import { ANONYMOUS } from '../../src/context/context';
import { SIGN_IN_LOCKOUT } from '../../src/modules/identity/sign-in-guard';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* npm run accounts: the way in for the first administrator, and back in for one who is locked out. */

const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'accounts.js');
let app: TestApp;
beforeAll(async () => {
  // Compiled, as `npm run accounts` runs it: the global setup builds it.
  if (!fs.existsSync(cli)) throw new Error(`${cli} was not built`);
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

function accounts(args: string[], password?: string): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent', GONGJIAN_PASSWORD: password };
  if (password === undefined) delete env.GONGJIAN_PASSWORD;
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const SIGN_IN = `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { accessToken } }`;
const signInCode = async (username: string, password: string) => (await app.execute(SIGN_IN, { u: username, p: password }, ANONYMOUS)).errors?.[0].extensions?.code ?? 'OK';

test('an administrator locked out of the only admin account gets back in with reset-password', async () => {
  expect(await accounts(['create-admin', '--username', 'the.boss'], 'the first passphrase')).toEqual({ code: 0, output: 'account the.boss (DISTRICT_ADMIN) created; the password from GONGJIAN_PASSWORD\n' });
  for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expect(await signInCode('the.boss', `guess ${i}`)).toBe('UNAUTHENTICATED');
  // Locked: even the right password is refused.
  expect(await signInCode('the.boss', 'the first passphrase')).toBe('UNAUTHENTICATED');

  const reset = await accounts(['reset-password', '--username', 'the.boss']);
  expect(reset.code).toBe(0);
  const printed = /its password \(shown once\): (\S+)\n$/.exec(reset.output)?.[1];
  expect(printed).toHaveLength(16);
  expect(await signInCode('the.boss', 'the first passphrase')).toBe('UNAUTHENTICATED');
  expect(await signInCode('the.boss', printed!)).toBe('OK');
});

test('an unknown account is one line and exit code 1; a missing flag or an unknown command is the usage and 2', async () => {
  expect(await accounts(['reset-password', '--username', 'nobody'])).toEqual({ code: 1, output: 'no account nobody\n' });
  const missing = await accounts(['reset-password']);
  expect(missing.code).toBe(2);
  expect(missing.output).toMatch(/^--username is required\nusage:/);
  const badRole = await accounts(['create', '--username', 'x', '--role', 'KING']);
  expect(badRole.code).toBe(2);
  expect(badRole.output).toMatch(/^--role must be one of/);
  const unknown = await accounts(['reset-everything']);
  expect(unknown.code).toBe(2);
  expect(unknown.output).toMatch(/^usage:/);
});

test('the command stores usernames in the one form the API does, finds them however typed, and refuses one outside the rule before any database work', async () => {
  expect(await accounts(['create', '--username', ' Li.Na ', '--role', 'ANALYST'], 'a long passphrase')).toEqual({ code: 0, output: 'account li.na (ANALYST) created; the password from GONGJIAN_PASSWORD\n' });
  expect(await signInCode('LI.NA', 'a long passphrase')).toBe('OK');
  const lookalike = await accounts(['create-admin', '--username', 'LI.NA'], 'a long passphrase');
  expect(lookalike).toEqual({ code: 1, output: 'the username "li.na" is taken\n' });
  const reset = await accounts(['reset-password', '--username', 'Li.Na'], 'another long passphrase');
  expect(reset).toEqual({ code: 0, output: 'account li.na: password reset, sessions ended, lockout lifted; the password from GONGJIAN_PASSWORD\n' });
  expect(await signInCode('li.na', 'another long passphrase')).toBe('OK');
  const bad = await accounts(['create-admin', '--username', '李娜'], 'a long passphrase');
  expect(bad.code).toBe(2);
  expect(bad.output).toMatch(/^--username: a username is 3-60 characters: lower-case letters a-z, digits, dot, underscore or dash .*\nusage:/);
});
