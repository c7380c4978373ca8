/**
 * forgetSignInDevice racing the account's own changePassword (identity.service.ts, sessions.ts):
 * the forget waits on the account row the change holds. When it gets the row, the password it was
 * sent is no longer the current one and the session it came on has ended. As changePassword's own
 * waiting duplicate does, it must answer UNAUTHENTICATED and count nothing: counted, each such
 * request spent one of the owner's wrong-password budget right after they changed their password.
 */
import { loadConfig } from '../../src/config/env';
import { ANONYMOUS } from '../../src/context/context';
import { toGlobalId } from '../../src/common/global-id';
import { identify } from '../../src/modules/identity/identify';
import { tokenSettings } from '../../src/modules/identity/sessions';
import { ok } from '../helpers/fixtures';
import { race } from '../helpers/lock-race';
import { TEST_JWT_SECRET, createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const PASSWORD = 'correct horse battery staple';
const tokens = tokenSettings(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv));
const DEVICE_SIGN_IN = `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { accessToken deviceToken } }`;
const FORGET = `mutation($id: ID!, $password: String) { forgetSignInDevice(id: $id, currentPassword: $password) { username } }`;
const CHANGE = `mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { accessToken } }`;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => app?.close());

async function session(username: string) {
  const result = await app.execute(DEVICE_SIGN_IN, { u: username, p: PASSWORD }, ANONYMOUS);
  expect(result.errors).toBeUndefined();
  return identify(app.orm, tokens, { authorization: `Bearer ${result.data.signIn.accessToken}` }, app.clock.now());
}

test('a forget that waited behind a password change answers UNAUTHENTICATED and counts no wrong password', async () => {
  const accountId = (await ok(app, `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
    input: { username: 'forget.race', displayName: 'forget.race', password: PASSWORD, role: 'ANALYST' },
  })).createAccount.id;
  const laptop = await session('forget.race');
  const phone = await session('forget.race');
  const [device] = await app.orm.em.fork().execute<{ id: number }[]>(`select d.id from sign_in_device d join account a on a.id = d.account_id where a.username = 'forget.race' order by d.id limit 1`);
  const accountDbId = Number(Buffer.from(accountId, 'base64url').toString().split(':')[1]);

  // The change locks the account and then waits on the account's refresh tokens (held); the forget,
  // sent from the phone meanwhile, waits on the account row the change holds.
  const [changed, forgot] = await race(
    app,
    ['select 1 from refresh_token where account_id = $1 for update', [accountDbId]],
    () => app.execute(CHANGE, { c: PASSWORD, n: 'a brand new passphrase' }, laptop!),
    () => app.execute(FORGET, { id: toGlobalId('SignInDevice', device.id), password: PASSWORD }, phone!),
  );
  expect(changed.errors).toBeUndefined();
  const [row] = await app.orm.em.fork().execute(`select failed_sign_ins, sign_in_locked_until from account where username = 'forget.race'`);
  expect({ forget: forgot.errors?.[0]?.extensions?.code, row }).toEqual({ forget: 'UNAUTHENTICATED', row: { failed_sign_ins: 0, sign_in_locked_until: null } });
});
