import { SYSTEM_VIEWER, createContext } from '../../src/context/context';
import { createAccountIn } from '../../src/modules/identity/identity.service';
import { Role } from '../../src/modules/identity/role';
import { createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/*
 * The per-address rate limit counts HTTP requests, and the per-account lockout counts one account's
 * wrong passwords: one request carrying many aliased signIn fields tried a password against up to 20
 * accounts (GraphQL Armor's alias limit) for one token of the address's bucket, 20 times the spraying
 * rate the limit allows (found by an access-control review). A request tries at most one password.
 */

let app: TestApp;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  app = await createTestApp();
  const context = createContext(app.orm, silentLogger, undefined, undefined, SYSTEM_VIEWER);
  for (const username of ['spray.one', 'spray.two', 'spray.three']) {
    await createAccountIn(context, { username, displayName: username, password: PASSWORD, role: Role.ANALYST });
  }
});
afterAll(async () => {
  await app?.close();
});

async function failedSignIns(): Promise<Record<string, number>> {
  const rows: { username: string; failed_sign_ins: number }[] = await app.orm.em.fork().execute(
    `select username, failed_sign_ins from account where username like 'spray.%' order by username`,
  );
  return Object.fromEntries(rows.map((row) => [row.username, Number(row.failed_sign_ins)]));
}

const SPRAY = `mutation {
  a: signIn(input: { username: "spray.one", password: "Password123!" }) { accessToken }
  b: signIn(input: { username: "spray.two", password: "Password123!" }) { accessToken }
  c: signIn(input: { username: "spray.three", password: "Password123!" }) { accessToken }
}`;

test('one request with several signIn fields is refused before any password is tried', async () => {
  const result = await app.execute(SPRAY, {}, { kind: 'anonymous' });
  expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(result.data ?? null).toBeNull();
  expect(await failedSignIns()).toEqual({ 'spray.one': 0, 'spray.three': 0, 'spray.two': 0 });
});

test('also when the fields come through fragments', async () => {
  const document = `mutation { ...A ...B } fragment A on Mutation { a: signIn(input: { username: "spray.one", password: "wrong-password-1" }) { accessToken } }
    fragment B on Mutation { b: signIn(input: { username: "spray.two", password: "wrong-password-2" }) { accessToken } }`;
  const result = await app.execute(document, {}, { kind: 'anonymous' });
  expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(await failedSignIns()).toEqual({ 'spray.one': 0, 'spray.three': 0, 'spray.two': 0 });
});

test('one signIn per request still signs in, and a wrong one still counts', async () => {
  const signedIn = await app.execute(`mutation { signIn(input: { username: "spray.one", password: "${PASSWORD}" }) { account { username } } }`, {}, { kind: 'anonymous' });
  expect(signedIn.errors).toBeUndefined();
  expect(signedIn.data.signIn.account.username).toBe('spray.one');
  const wrong = await app.execute(`mutation { signIn(input: { username: "spray.two", password: "not the password" }) { accessToken } }`, {}, { kind: 'anonymous' });
  expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(await failedSignIns()).toEqual({ 'spray.one': 0, 'spray.three': 0, 'spray.two': 1 });
});
