import { SignJWT } from 'jose';
import pg from 'pg';
import { loadConfig } from '../../src/config/env';
import { MemoryTokenBucket } from '../../src/hardening/rate-limit';
import { createServer, type AppServer } from '../../src/server';
import { areaPath, portalViewer } from '../helpers/access-fixtures';
import { ANONYMOUS } from '../../src/context/context';
import { toGlobalId } from '../../src/common/global-id';
import { transactionRetriesSoFar } from '../../src/common/transaction';
import { categoryId, createPairing } from '../helpers/closed-loop-fixtures';
import { buildWorld, createPerson, createUnit, dbId, expectError, expectNothingWritten, expectRacedDuplicatesAnswerAsSequential, ok, residentId, type World } from '../helpers/fixtures';
import { sha256 } from '../../src/modules/identity/credentials';
import { identify } from '../../src/modules/identity/identify';
import { tokenSettings } from '../../src/modules/identity/sessions';
import { SIGN_IN_DEVICES, SIGN_IN_LOCKOUT, WRONG_PASSWORD_MESSAGE } from '../../src/modules/identity/sign-in-guard';
import { TEST_JWT_SECRET, capturingLogger, createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/* Accounts, sessions and API keys over real HTTP, as clients use them. */

let app: TestApp;
let base: string;
let w: World;
const PASSWORD = 'correct horse battery staple';
/** The refresh-token lifetime of the test server (createTestApp's configuration). */
const { REFRESH_TOKEN_TTL_DAYS } = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);

beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, url = `${base}/graphql`) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, json: (await response.json()) as any, headers: response.headers };
}

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id username role scopeArea { name } } }`;
const SIGN_IN = `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { accessToken accessTokenExpiresAt refreshToken account { username role } } }`;

async function account(username: string, role: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await ok(app, CREATE_ACCOUNT, { input: { username, displayName: username, password: PASSWORD, role, ...extra } })).createAccount.id;
}

async function signIn(username: string, password = PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  const { json } = await gql(SIGN_IN, { u: username, p: password });
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data.signIn;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('staff accounts', () => {
  test('sign in, see who you are, and the password is stored as a slow hash', async () => {
    await account('wang.li', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const { json } = await gql(SIGN_IN, { u: 'wang.li', p: PASSWORD });
    expect(json.data.signIn.account).toEqual({ username: 'wang.li', role: 'COMMUNITY_STAFF' });
    const me = await gql('{ viewer { kind role name } }', {}, bearer(json.data.signIn.accessToken));
    expect(me.json.data.viewer).toEqual({ kind: 'account', role: 'COMMUNITY_STAFF', name: 'wang.li' });
    const [stored] = await app.orm.em.fork().execute(`select password_hash from account where username = 'wang.li'`);
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.password_hash).not.toContain(PASSWORD);
  });

  test('a password is kept exactly as sent: spaces around it are part of it, unlike a name\'s', async () => {
    const spaced = `  ${PASSWORD}  `;
    await ok(app, CREATE_ACCOUNT, { input: { username: 'space.pass', displayName: ' 空格 ', password: spaced, role: 'COMMUNITY_STAFF', scopeAreaId: w.communityId } });
    expect((await signIn('space.pass', spaced)).accessToken).toEqual(expect.any(String));
    const trimmed = await gql(SIGN_IN, { u: 'space.pass', p: PASSWORD });
    expect(trimmed.json.errors[0]).toMatchObject({ message: WRONG_PASSWORD_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } });
    const [stored] = await app.orm.em.fork().execute(`select display_name from account where username = 'space.pass'`);
    expect(stored.display_name).toBe('空格');
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const wrong = await gql(SIGN_IN, { u: 'wang.li', p: 'not the password' });
    const unknown = await gql(SIGN_IN, { u: 'nobody', p: PASSWORD });
    expect(wrong.json.errors[0]).toMatchObject({ message: WRONG_PASSWORD_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.json.errors[0]).toMatchObject({ message: WRONG_PASSWORD_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } });
  });

  test('a tampered, expired or foreign token is refused with 401, never read as anonymous', async () => {
    const { accessToken } = await signIn('wang.li');
    const [header, payload, signature] = accessToken.split('.');
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.sub = String(Number(forged.sub) + 1000);
    forged.role = 'DISTRICT_ADMIN';
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('gongjian').setSubject('1').setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_900).sign(secret);
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('gongjian').setSubject('1').setExpirationTime('10m').sign(new TextEncoder().encode('another-secret-another-secret-0123456789'));
    // Signed with the real secret for a real account, but not as the server signs: another HMAC, or no expiry.
    const realSub = JSON.parse(Buffer.from(payload, 'base64url').toString()).sub as string;
    const otherAlgorithm = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setIssuer('gongjian').setSubject(realSub).setExpirationTime('10m').sign(secret);
    const neverExpires = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('gongjian').setSubject(realSub).sign(secret);
    for (const [name, token] of Object.entries({ tampered, expired, foreign, otherAlgorithm, neverExpires, garbage: 'not-a-jwt' })) {
      const answer = await gql('{ viewer { kind } }', {}, bearer(token));
      expect({ name, status: answer.status, code: answer.json.errors?.[0]?.extensions?.code }).toEqual({ name, status: 401, code: 'UNAUTHENTICATED' });
    }
    expect((await gql('{ viewer { kind } }', {}, { authorization: 'Basic abc' })).status).toBe(401);
  });

  test('inside GraphQL too, UNAUTHENTICATED is answered 401: an anonymous caller of a signed-in field, a wrong password', async () => {
    const anonymous = await gql('{ requests { totalCount } }');
    expect({ status: anonymous.status, code: anonymous.json.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const wrong = await gql(SIGN_IN, { u: 'wang.li', p: 'not the password' });
    expect({ status: wrong.status, code: wrong.json.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  test('refresh tokens rotate: each works once; sign-out revokes', async () => {
    const first = await signIn('wang.li');
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
    const second = await gql(REFRESH, { t: first.refreshToken });
    expect(second.json.data.refreshSession.refreshToken).not.toBe(first.refreshToken);
    const replay = await gql(REFRESH, { t: first.refreshToken });
    expect(replay.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const signOut = await gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: second.json.data.refreshSession.refreshToken });
    expect(signOut.json.data.signOut).toBe(true);
    const afterSignOut = await gql(REFRESH, { t: second.json.data.refreshSession.refreshToken });
    expect(afterSignOut.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('a refresh token exchanged twice at the same moment works exactly once', async () => {
    await account('racing.refresh', 'ANALYST');
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
    for (let round = 0; round < 5; round += 1) {
      const { refreshToken } = await signIn('racing.refresh');
      const answers = await Promise.all([gql(REFRESH, { t: refreshToken }), gql(REFRESH, { t: refreshToken })]);
      const codes = answers.map((answer) => (answer.json.errors ? answer.json.errors[0].extensions.code : 'OK')).sort();
      expect({ round, codes }).toEqual({ round, codes: ['OK', 'UNAUTHENTICATED'] });
      // Two tabs racing is not a replay: the loser is refused, the winner's session goes on.
      const winner = answers.find((answer) => !answer.json.errors)!.json.data.refreshSession.refreshToken;
      expect((await gql(REFRESH, { t: winner })).json.errors).toBeUndefined();
    }
  });

  test('a signed-in community worker sees only their community (scope from the account)', async () => {
    await ok(app, `mutation($c: ID!, $a: ID!, $b: ID!) {
      a: createRequest(input: { title: "幸福里路灯", body: "路灯不亮", channel: COUNTER, categoryId: $c, areaId: $a }) { id }
      b: createRequest(input: { title: "和平里路灯", body: "路灯不亮", channel: COUNTER, categoryId: $c, areaId: $b }) { id }
    }`, { c: await categoryId(app, 'HOUSING-REPAIR'), a: w.gridId, b: w.otherGridId });
    const { accessToken } = await signIn('wang.li');
    const answer = await gql('{ requests { edges { node { title } } } }', {}, bearer(accessToken));
    expect(answer.json.data.requests.edges.map((edge: any) => edge.node.title)).toEqual(['幸福里路灯']);
  });

  test('a unit liaison is scoped to the communities its unit is paired with', async () => {
    const unitId = await createUnit(app, { name: '区卫健委', kind: 'AGENCY' });
    await createPairing(app, unitId, w.otherCommunityId);
    await account('liaison.weijian', 'UNIT_LIAISON', { unitId });
    const { accessToken } = await signIn('liaison.weijian');
    const answer = await gql('{ requests { edges { node { title } } } }', {}, bearer(accessToken));
    expect(answer.json.data.requests.edges.map((edge: any) => edge.node.title)).toEqual(['和平里路灯']);
  });

  test('a party member account reads the community the member lives in, and follows them when they move', async () => {
    const neighbour = await createPerson(app, { name: '周幸福', residenceCommunityId: w.communityId });
    const elsewhere = await createPerson(app, { name: '吴和平', residenceCommunityId: w.otherCommunityId });
    await account('member.zhang', 'PARTY_MEMBER', { personId: w.partyMemberId });
    const PEOPLE = '{ people(first: 100) { edges { node { id } } } }';
    const read = async () => (await gql(PEOPLE, {}, bearer((await signIn('member.zhang')).accessToken))).json.data.people.edges.map((edge: any) => edge.node.id);
    const before = await read();
    expect(before).toEqual(expect.arrayContaining([neighbour, w.partyMemberId]));
    expect(before).not.toContain(elsewhere);
    await ok(app, `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id: w.partyMemberId, input: { residenceCommunityId: w.otherCommunityId } });
    const after = await read();
    expect(after).toContain(elsewhere);
    expect(after).not.toContain(neighbour);
    await ok(app, `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id: w.partyMemberId, input: { residenceCommunityId: w.communityId } });
  });

  test('a liaison of a district-level unit reads the communities the unit serves, not the whole district', async () => {
    const unitId = await createUnit(app, { name: '区民政局', kind: 'AGENCY', areaId: w.districtId });
    await createPairing(app, unitId, w.communityId);
    const paired = await createPerson(app, { name: '李幸福', phone: '13700000001', residenceCommunityId: w.communityId });
    const elsewhere = await createPerson(app, { name: '赵和平', phone: '13700000002', residenceCommunityId: w.otherCommunityId });
    await account('liaison.minzheng', 'UNIT_LIAISON', { unitId });
    const headers = bearer((await signIn('liaison.minzheng')).accessToken);
    const PEOPLE = '{ people(first: 100) { totalCount edges { node { id } } } }';
    const NODE = 'query($id: ID!) { node(id: $id) { id } }';
    const listed = (await gql(PEOPLE, {}, headers)).json.data.people.edges.map((edge: any) => edge.node.id);
    expect(listed).toContain(paired);
    expect(listed).not.toContain(elsewhere);
    expect((await gql(NODE, { id: elsewhere }, headers)).json.data.node).toBeNull();
    // A seat in the other community's alliance is serving it too.
    const alliance = (await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, {
      input: { areaId: w.otherCommunityId, name: '和平里社区党建联盟', model: 'ONE_THREE_N' },
    })).createAlliance.id;
    await ok(app, `mutation($input: AddAllianceMemberInput!) { addAllianceMember(input: $input) { id } }`, { input: { allianceId: alliance, unitId, role: 'OUT_OF_AREA' } });
    expect((await gql(NODE, { id: elsewhere }, headers)).json.data.node).toEqual({ id: elsewhere });
  });

  test('the liaison of a unit that serves no community (scope []) writes nowhere and reads nothing scoped', async () => {
    // An empty scope once became `{ $or: [] }` in the write guard, which matches every area.
    const unitId = await createUnit(app, { name: '乙公司', kind: 'ENTERPRISE', areaId: w.communityId });
    const resident = await createPerson(app, { name: '钱安居', phone: '13700000003', residenceCommunityId: w.communityId });
    await account('liaison.unpaired', 'UNIT_LIAISON', { unitId });
    const headers = bearer((await signIn('liaison.unpaired')).accessToken);
    const REGISTER = `mutation($input: RegisterUnitInput!) { registerUnitWithCommunity(input: $input) { id } }`;
    for (const communityId of [w.communityId, w.otherCommunityId]) {
      const answer = await expectNothingWritten(app, () => gql(REGISTER, { input: { unitId, communityId } }, headers));
      expect(answer.json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const read = await gql('query($id: ID!) { people(first: 100) { totalCount } requests { totalCount } node(id: $id) { id } }', { id: resident }, headers);
    expect(read.json.errors).toBeUndefined();
    expect(read.json.data).toEqual({ people: { totalCount: 0 }, requests: { totalCount: 0 }, node: null });
  });

  test('five identical createAccount at once: one wins, every loser gets the sequential duplicate answer, one account is stored', async () => {
    const input = { username: 'racing.account', displayName: '并发账号', password: PASSWORD, role: 'ANALYST' };
    const sequential = await expectRacedDuplicatesAnswerAsSequential(app, CREATE_ACCOUNT, { input }, 'CONFLICT', 'input.username', 5);
    expect(sequential.errors![0].message).toBe('the username "racing.account" is taken');
    const [{ count }] = await app.orm.em.fork().execute(`select count(*)::int as count from account where username = 'racing.account'`);
    expect(count).toBe(1);
  });

  test('account rules: bad input is refused and writes nothing; only an unbound administrator creates accounts', async () => {
    const { accessToken } = await signIn('wang.li');
    const nonMember = await createPerson(app, { name: '群众老李', residenceCommunityId: w.communityId });
    await expectNothingWritten(app, async () => {
      expectError(await app.execute(CREATE_ACCOUNT, { input: { username: 'short.pw', displayName: 'x', password: 'short', role: 'ANALYST' } }), 'BAD_USER_INPUT', 'input.password');
      expectError(await app.execute(CREATE_ACCOUNT, { input: { username: 'no.scope', displayName: 'x', password: PASSWORD, role: 'STREET_STAFF' } }), 'BAD_USER_INPUT', 'input.scopeAreaId');
      expectError(await app.execute(CREATE_ACCOUNT, { input: { username: 'portal.acct', displayName: 'x', password: PASSWORD, role: 'PORTAL' } }), 'BAD_USER_INPUT', 'input.role');
      expectError(await app.execute(CREATE_ACCOUNT, { input: { username: 'wang.li', displayName: 'x', password: PASSWORD, role: 'ANALYST' } }), 'CONFLICT', 'input.username');
      // What an account is bound to must fit its role (ACCOUNT_BINDINGS): a wider scope would read a wider area.
      const bad = (role: string, extra: Record<string, unknown>, field: string) =>
        app.execute(CREATE_ACCOUNT, { input: { username: `bound.${role.toLowerCase()}`, displayName: 'x', password: PASSWORD, role, ...extra } }).then((r) => expectError(r, 'BAD_USER_INPUT', field));
      await bad('UNIT_LIAISON', { unitId: w.units.hospitalId, scopeAreaId: w.districtId }, 'input.scopeAreaId');
      await bad('GRID_WORKER', { scopeAreaId: w.districtId }, 'input.scopeAreaId');
      await bad('COMMUNITY_STAFF', { scopeAreaId: w.streetId }, 'input.scopeAreaId');
      await bad('STREET_STAFF', { scopeAreaId: w.communityId }, 'input.scopeAreaId');
      await bad('COMMUNITY_STAFF', { scopeAreaId: w.communityId, unitId: w.units.hospitalId }, 'input.unitId');
      await bad('PARTY_MEMBER', {}, 'input.personId');
      await bad('PARTY_MEMBER', { personId: w.partyMemberId, scopeAreaId: w.otherCommunityId }, 'input.scopeAreaId');
      await bad('PARTY_MEMBER', { personId: nonMember }, 'input.personId');
      const refused = await gql(CREATE_ACCOUNT, { input: { username: 'sneaky', displayName: 'x', password: PASSWORD, role: 'DISTRICT_ADMIN' } }, bearer(accessToken));
      expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
      return refused;
    });
  });

  test('a username is one form: trimmed and lower-cased when created, found whatever case or spaces are typed; lookalikes are refused', async () => {
    const created = await ok(app, CREATE_ACCOUNT, { input: { username: ' Zhao.Min ', displayName: '赵敏', password: PASSWORD, role: 'ANALYST' } });
    expect(created.createAccount.username).toBe('zhao.min');
    await expectNothingWritten(app, async () => {
      // Lookalikes of zhao.min, full-width (a Chinese input method) too: the same name, taken.
      for (const lookalike of ['zhao.min', 'Zhao.Min', ' zhao.min ', 'ZHAO.MIN', 'ｚｈａｏ．ｍｉｎ']) {
        const taken = await app.execute(CREATE_ACCOUNT, { input: { username: lookalike, displayName: 'x', password: PASSWORD, role: 'ANALYST' } });
        expectError(taken, 'CONFLICT', 'input.username');
        expect(taken.errors![0].message).toBe('the username "zhao.min" is taken');
      }
      // Outside the rule: BAD_USER_INPUT saying it.
      for (const bad of ['zhao min', '赵敏', 'zm', 'zhao@min.cn', 'zhao.min!', 'zhào.min']) {
        const refused = await app.execute(CREATE_ACCOUNT, { input: { username: bad, displayName: 'x', password: PASSWORD, role: 'ANALYST' } });
        expectError(refused, 'BAD_USER_INPUT', 'input.username');
        expect(refused.errors![0].message).toBe('input.username: a username is 3-60 characters: lower-case letters a-z, digits, dot, underscore or dash (e.g. wang.li; capitals are read as lower case, spaces around it dropped)');
      }
    });
    const [{ count }] = await app.orm.em.fork().execute(`select count(*)::int as count from account where lower(username) like '%zhao%'`);
    expect(count).toBe(1);

    for (const typed of ['zhao.min', ' Zhao.Min ', 'ZHAO.MIN', 'ｚｈａｏ．ｍｉｎ']) {
      const { json } = await gql(SIGN_IN, { u: typed, p: PASSWORD });
      expect(json.data?.signIn.account).toEqual({ username: 'zhao.min', role: 'ANALYST' });
      const viewer = await gql('{ viewer { name } }', {}, bearer(json.data.signIn.accessToken));
      expect(viewer.json.data.viewer.name).toBe('zhao.min');
    }
    // Still one answer for a wrong password and an unknown name, however the name was typed.
    const wrong = await gql(SIGN_IN, { u: ' ZHAO.MIN ', p: 'not the password' });
    const unknown = await gql(SIGN_IN, { u: ' ZHAO.MAX ', p: PASSWORD });
    for (const answer of [wrong, unknown]) expect(answer.json.errors[0]).toMatchObject({ message: WRONG_PASSWORD_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } });
    expect(wrong.status).toBe(unknown.status);
  });
});

describe('portal API keys', () => {
  const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name prefix expiresAt revokedAt } } }`;

  test('a key is shown once, stored hashed, reads public figures only, and stops working when revoked', async () => {
    const created = (await ok(app, CREATE_KEY, { input: { name: '市民服务门户' } })).createApiKey;
    expect(created.key).toMatch(/^gjk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const [row] = await app.orm.em.fork().execute('select prefix, secret_hash from api_key where prefix = ?', [created.apiKey.prefix]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    // The secret is everything after the prefix and its '_' (base64url: it may hold '_' itself,
    // so split('_')[2] gave a piece of it, or '' when it began with '_', which every string contains).
    const secret = created.key.slice(created.apiKey.prefix.length + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
    const listed = await ok(app, '{ apiKeys { edges { node { prefix } } } }');
    expect(JSON.stringify(listed)).not.toContain(secret);

    const headers = { 'x-api-key': created.key };
    const figures = await gql('{ communities { totalCount } }', {}, headers);
    expect(figures.json).toEqual({ data: { communities: { totalCount: 2 } } });
    const records = await gql('{ requests { totalCount } }', {}, headers);
    expect(records.json.errors[0].extensions.code).toBe('FORBIDDEN');
    const write = await gql(`mutation { createDistrict(input: { name: "门户区", code: "PORTAL1" }) { id } }`, {}, headers);
    expect(write.json.errors[0].extensions.code).toBe('FORBIDDEN');

    await ok(app, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.apiKey.id });
    const revoked = await gql('{ communities { totalCount } }', {}, headers);
    expect(revoked.status).toBe(401);
    const wrongSecret = await gql('{ communities { totalCount } }', {}, { 'x-api-key': `${created.apiKey.prefix}_${'A'.repeat(43)}` });
    expect(wrongSecret.status).toBe(401);
  });

  test('an expiring key stops at its expiry; a past expiry is refused at creation', async () => {
    await expectNothingWritten(app, async () => {
      const result = await app.execute(CREATE_KEY, { input: { name: '过期门户', expiresAt: '2020-01-01T00:00:00Z' } });
      expectError(result, 'BAD_USER_INPUT', 'input.expiresAt');
      return result;
    });
    const created = (await ok(app, CREATE_KEY, { input: { name: '短期门户', expiresAt: new Date(Date.now() + 1500).toISOString() } })).createApiKey;
    expect((await gql('{ communities { totalCount } }', {}, { 'x-api-key': created.key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await gql('{ communities { totalCount } }', {}, { 'x-api-key': created.key })).status).toBe(401);
  });

  test('a key bound to a community sees figures of that community only', async () => {
    const created = (await ok(app, CREATE_KEY, { input: { name: '幸福里门户', scopeAreaId: w.communityId } })).createApiKey;
    const own = await gql(`query($a: ID!) { dashboard(input: { areaId: $a, lastDays: 30 }) { requestsReceived } }`, { a: w.communityId }, { 'x-api-key': created.key });
    expect(own.json.errors).toBeUndefined();
    const other = await gql(`query($a: ID!) { dashboard(input: { areaId: $a, lastDays: 30 }) { requestsReceived } }`, { a: w.otherCommunityId }, { 'x-api-key': created.key });
    expect(other.json.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('rate limits per key and per account; production introspection', () => {
  let limited: AppServer;
  let limitedBase: string;
  let production: AppServer;
  let productionBase: string;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
    limited = await createServer({ config, orm: app.orm, logger: silentLogger, rateLimiter: new MemoryTokenBucket({ perMinute: 60, burst: 2 }) });
    limitedBase = `http://127.0.0.1:${await limited.listen(0)}`;
    const productionConfig = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, RESIDENT_HASH_SALT: 'test-resident-salt-0123' } as NodeJS.ProcessEnv);
    production = await createServer({ config: productionConfig, orm: app.orm, logger: silentLogger });
    productionBase = `http://127.0.0.1:${await production.listen(0)}`;
  });
  afterAll(async () => {
    await limited.stop();
    await production.stop();
  });

  test('each account and each key has its own bucket; bad tokens pay from the address', async () => {
    await account('analyst.one', 'ANALYST');
    await account('analyst.two', 'ANALYST');
    const one = bearer((await signIn('analyst.one')).accessToken);
    const two = bearer((await signIn('analyst.two')).accessToken);
    const statuses = async (headers: Record<string, string>, n: number) => {
      const result: number[] = [];
      for (let i = 0; i < n; i += 1) result.push((await gql('{ viewer { kind } }', {}, headers, `${limitedBase}/graphql`)).status);
      return result;
    };
    expect(await statuses(one, 3)).toEqual([200, 200, 429]);
    expect(await statuses(two, 2)).toEqual([200, 200]);
    // Forged tokens cannot buy fresh buckets: they share the address's.
    expect(await statuses(bearer('forged.one.token'), 2)).toEqual([401, 401]);
    expect(await statuses(bearer('forged.two.token'), 1)).toEqual([429]);
  });

  test('in production, portals, anonymous callers, members and liaisons cannot introspect; staff and analysts can', async () => {
    const key = (await ok(app, `mutation { createApiKey(input: { name: "自省门户" }) { key } }`)).createApiKey.key;
    await account('intro.member', 'PARTY_MEMBER', { personId: w.partyMemberId });
    await account('intro.liaison', 'UNIT_LIAISON', { unitId: w.units.hospitalId });
    const INTROSPECT = '{ __schema { queryType { name } } }';
    const member = bearer((await signIn('intro.member')).accessToken);
    const liaison = bearer((await signIn('intro.liaison')).accessToken);
    for (const headers of [{ 'x-api-key': key }, {}, member, liaison] as Record<string, string>[]) {
      const refused = await gql(INTROSPECT, {}, headers, `${productionBase}/graphql`);
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const staff = await gql(INTROSPECT, {}, bearer((await signIn('analyst.one')).accessToken), `${productionBase}/graphql`);
    expect(staff.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

test('logs name the viewer by id and never carry tokens, passwords or personal data', async () => {
  const { logger, lines } = capturingLogger();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
  const logged = await createServer({ config, orm: app.orm, logger });
  const loggedBase = `http://127.0.0.1:${await logged.listen(0)}`;
  try {
    await account('logged.staff', 'DISTRICT_ADMIN');
    const session = await gql(SIGN_IN, { u: 'logged.staff', p: PASSWORD }, {}, `${loggedBase}/graphql`);
    const token = session.json.data.signIn.accessToken as string;
    const person = await gql(`query Revealing { people(first: 5) { edges { node { name phone(reveal: true) } } } }`, {}, bearer(token), `${loggedBase}/graphql`);
    expect(person.json.data.people.edges.length).toBeGreaterThan(0);
    const text = lines.join('');
    expect(text).toMatch(/"operationName":"Revealing"/);
    expect(text).toMatch(/"viewer":"account#\d+"/);
    for (const secret of [token, PASSWORD, session.json.data.signIn.refreshToken, '13912345678', 'logged.staff']) expect(text).not.toContain(secret);
    const audit = await app.orm.em.fork().execute(`select count(*)::int as n from personal_data_access where actor = 'account:logged.staff' and field = 'phone'`);
    expect(audit[0].n).toBeGreaterThan(0);
  } finally {
    await logged.stop();
  }
});

test('a committed mutation whose result fails in a nested field is audited OK; one refused before running, by its code', async () => {
  await account('nested.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
  const { accessToken } = await signIn('nested.staff');
  const answer = await gql(
    `mutation NestedFails($id: ID!) { updateArea(id: $id, input: { population: 8801 }) { id ... on Community { population grids(first: 500) { totalCount } } } }`,
    { id: w.communityId },
    bearer(accessToken),
  );
  expect(answer.json.errors.map((error: any) => error.path)).toEqual([['updateArea', 'grids']]);
  const [row] = await app.orm.em.fork().execute('select population from area where id = ?', [dbId(w.communityId)]);
  expect(row.population).toBe(8801);
  // Refused before any field ran (too many nodes): nothing committed, so not OK either.
  const pages = ['a', 'b', 'c', 'd', 'e'].map((alias) => `${alias}: grids(first: 100) { edges { node { buildings(first: 100) { totalCount } } } }`).join(' ');
  const tooBig = await gql(`mutation TooBig($id: ID!) { updateArea(id: $id, input: { population: 1 }) { ... on Community { ${pages} } } }`, { id: w.communityId }, bearer(accessToken));
  expect(tooBig.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const audit = await ok(app, `{ mutationAudits(actor: "account:nested.staff") { edges { node { operationName field outcome } } } }`);
  expect(audit.mutationAudits.edges.map((edge: any) => edge.node)).toEqual([
    { operationName: 'TooBig', field: 'updateArea', outcome: 'GRAPHQL_VALIDATION_FAILED' },
    { operationName: 'NestedFails', field: 'updateArea', outcome: 'OK' },
  ]);
});

test('root mutation fields after one that fails never run, and are audited NOT_RUN, not OK', async () => {
  await account('serial.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
  const { accessToken } = await signIn('serial.staff');
  const [before] = await app.orm.em.fork().execute('select population from area where id = ?', [dbId(w.communityId)]);
  const answer = await gql(
    `mutation Serial($mine: ID!, $other: ID!) { first: updateArea(id: $mine, input: { population: 8802 }) { id } sneak: updateArea(id: $other, input: { population: 1 }) { id } after: updateArea(id: $mine, input: { population: 8803 }) { id } }`,
    { mine: w.communityId, other: w.otherCommunityId },
    bearer(accessToken),
  );
  expect(answer.json.errors.map((error: any) => [error.path, error.extensions.code])).toEqual([[['sneak'], 'FORBIDDEN']]);
  const [row] = await app.orm.em.fork().execute('select population from area where id = ?', [dbId(w.communityId)]);
  // The first committed; the third never ran (the population is not 8803).
  expect(row.population).toBe(8802);
  expect(before.population).not.toBe(8802);
  const rows = await app.orm.em.fork().execute(`select outcome from mutation_audit where actor = 'account:serial.staff' order by id`);
  expect(rows.map((r: any) => r.outcome)).toEqual(['OK', 'FORBIDDEN', 'NOT_RUN']);
});

test('a mutation with an operation name past the column width is still audited, its name cut with a hash', async () => {
  await account('long.name.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
  const { accessToken } = await signIn('long.name.staff');
  const [first, second] = ['A', 'B'].map((end) => `Rename${'X'.repeat(150)}${end}`);
  for (const name of [first, second]) {
    const answer = await gql(`mutation ${name}($id: ID!) { updateArea(id: $id, input: { population: 8802 }) { id } }`, { id: w.communityId }, bearer(accessToken));
    expect(answer.json.errors).toBeUndefined();
  }
  const audit = await ok(app, `{ mutationAudits(actor: "account:long.name.staff") { edges { node { operationName outcome } } } }`);
  const names: string[] = audit.mutationAudits.edges.map((edge: any) => edge.node.operationName);
  expect(names).toHaveLength(2);
  for (const name of names) expect(name).toMatch(/^RenameX{85}~[0-9a-f]{8}$/);
  expect(names[0]).not.toBe(names[1]);
});

/** A server on the test database logging at info into `lines`; a resident's phone and ID number to plant. */
async function loggedServer() {
  const { logger, lines } = capturingLogger();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
  const logged = await createServer({ config, orm: app.orm, logger });
  const loggedBase = `http://127.0.0.1:${await logged.listen(0)}`;
  return { lines, logged, loggedBase, phone: '13800138000', idNumber: residentId('19790214', 'FEMALE') };
}

test('a database error is logged with its SQLSTATE and constraint, never the statement, its values or detail', async () => {
  const { lines, logged, loggedBase, phone, idNumber } = await loggedServer();
  // A rule no service checks, so the violation reaches the log as an unexpected error.
  await app.orm.em.fork().execute(`alter table person add constraint test_no_such_phone check (phone is distinct from '${phone}')`);
  try {
    const answer = await gql(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input: { name: '孙丽', phone, idNumber, residenceCommunityId: w.communityId } }, await app.adminAuthorization(), `${loggedBase}/graphql`);
    expect(answer.json.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const logLine = lines.find((line) => line.includes('unexpected error'));
    expect(JSON.parse(logLine!).err).toMatchObject({ type: 'CheckConstraintViolationException', code: '23514', constraint: 'test_no_such_phone', table: 'person' });
    for (const secret of [phone, idNumber, '孙丽', 'insert into', 'Failing row']) expect(lines.join('')).not.toContain(secret);
  } finally {
    await app.orm.em.fork().execute('alter table person drop constraint test_no_such_phone');
    await logged.stop();
  }
});

test('a library\'s error quoting a stored value is logged without the personal data in it', async () => {
  const { lines, logged, loggedBase, phone, idNumber } = await loggedServer();
  // A value no service writes (a JSON string where an object belongs): graphql-scalars' JSONObject
  // refuses it while completing the answer, and its message quotes the stored value whole.
  const stored = `联系人孙丽 ${phone} 身份证 ${idNumber}`;
  await app.orm.em.fork().execute(`update area set boundary = to_jsonb(?::text) where id = ?`, [stored, dbId(w.communityId)]);
  try {
    const answer = await gql(`query Boundary($id: ID!) { node(id: $id) { ... on Community { boundary } } }`, { id: w.communityId }, await app.adminAuthorization(), `${loggedBase}/graphql`);
    expect(answer.json.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const logLine = lines.find((line) => line.includes('unexpected error'));
    // Still says what failed, and where.
    expect(JSON.parse(logLine!).err.message).toMatch(/^JSONObject cannot represent non-object value: /);
    expect(JSON.parse(logLine!).err.stack).toMatch(/^\s+at /);
    for (const secret of [phone, idNumber, '孙丽']) expect(lines.join('')).not.toContain(secret);
  } finally {
    await app.orm.em.fork().execute(`update area set boundary = null where id = ?`, [dbId(w.communityId)]);
    await logged.stop();
  }
});

test('scope paths of a street account cover its communities', async () => {
  expect((await areaPath(app, w.communityId)).startsWith(await areaPath(app, w.streetId))).toBe(true);
});

test('every mutation is recorded with who ran it and how it ended, never its variables', async () => {
  await account('audited.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
  const { accessToken } = await signIn('audited.staff');
  const ok1 = await gql(`mutation Rename($id: ID!) { updateArea(id: $id, input: { population: 8700 }) { id } }`, { id: w.communityId }, bearer(accessToken));
  expect(ok1.json.errors).toBeUndefined();
  const refused = await gql(`mutation Sneak($id: ID!) { updateArea(id: $id, input: { name: "13912345678" }) { id } }`, { id: w.otherCommunityId }, bearer(accessToken));
  expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
  const audit = await ok(app, `{ mutationAudits(actor: "account:audited.staff") { edges { node { operationName field outcome } } } }`);
  expect(audit.mutationAudits.edges.map((edge: any) => edge.node)).toEqual([
    { operationName: 'Sneak', field: 'updateArea', outcome: 'FORBIDDEN' },
    { operationName: 'Rename', field: 'updateArea', outcome: 'OK' },
  ]);
  const stored = JSON.stringify(await app.orm.em.fork().execute('select * from mutation_audit'));
  expect(stored).not.toContain('13912345678');
  await expect(app.orm.em.fork().execute(`delete from mutation_audit`)).rejects.toThrow(/append-only/);
});

describe('a sign-in answered under another credential', () => {
  const WALK = `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) {
    accessToken account { username scopeArea { name ... on Community { partyMembers(first: 5) { totalCount edges { node { name phone } } } } } } } }`;

  test('a portal key plus a staff password is refused before any session exists', async () => {
    await account('walk.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const sessions = async () => Number((await app.orm.em.fork().execute(`select count(*) as n from refresh_token t join account a on a.id = t.account_id where a.username = 'walk.staff'`))[0].n);
    const before = await sessions();
    const result = await app.execute(WALK, { u: 'walk.staff', p: PASSWORD }, portalViewer());
    expectError(result, 'FORBIDDEN');
    expect(JSON.stringify(result.data ?? null)).not.toMatch(/partyMembers|phone/);
    expect(await sessions()).toBe(before);
  });

  test('a client that sends its own token with refreshSession (or signIn) gets its new session in full', async () => {
    await account('own.token', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const first = await signIn('own.token');
    const refreshed = await gql(`mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken account { username role } } }`, { t: first.refreshToken }, bearer(first.accessToken));
    expect(refreshed.json.errors).toBeUndefined();
    expect(refreshed.json.data.refreshSession.account).toEqual({ username: 'own.token', role: 'COMMUNITY_STAFF' });
    const again = await gql(SIGN_IN, { u: 'own.token', p: PASSWORD }, bearer(refreshed.json.data.refreshSession.accessToken));
    expect(again.json.errors).toBeUndefined();
    expect(again.json.data.signIn.account).toEqual({ username: 'own.token', role: 'COMMUNITY_STAFF' });
  });

  test('signed in without a credential, the answer still carries the account and its area', async () => {
    const result = await app.execute(`mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { account { username role scopeArea { name } } } }`, { u: 'walk.staff', p: PASSWORD }, ANONYMOUS);
    expect(result.errors).toBeUndefined();
    expect(result.data.signIn.account).toEqual({ username: 'walk.staff', role: 'COMMUNITY_STAFF', scopeArea: { name: expect.any(String) } });
  });
});

describe('identify', () => {
  test('a bearer token costs one SQL statement, whatever the role, and gives the viewer with its scope', async () => {
    const tokens = tokenSettings(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv));
    const pathOf = async (areaId: string) => (await app.orm.em.fork().execute('select path from area where id = ?', [dbId(areaId)]))[0].path as string;
    const identifyCounted = async (authorization: string) => {
      let outcome: unknown;
      const statements = await app.countStatements(async () => {
        outcome = await identify(app.orm, tokens, { authorization }).catch((error: Error) => error.message);
      });
      return { statements: statements.length, outcome };
    };
    const unitId = await createUnit(app, { name: '计数卫健委', kind: 'AGENCY' });
    await createPairing(app, unitId, w.otherCommunityId);
    const cases: [string, string, Record<string, unknown>, string[] | null, number | null, number | null][] = [
      ['counted.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId }, [await pathOf(w.communityId)], null, null],
      ['counted.liaison', 'UNIT_LIAISON', { unitId }, [await pathOf(w.otherCommunityId)], dbId(unitId), null],
      ['counted.member', 'PARTY_MEMBER', { personId: w.partyMemberId }, [await pathOf(w.communityId)], null, dbId(w.partyMemberId)],
      ['counted.analyst', 'ANALYST', {}, null, null, null],
    ];
    for (const [username, role, extra, scopePaths, unit, person] of cases) {
      const accountId = dbId(await account(username, role, extra));
      // sessionVersion: the version the token carried (a password change ends the sessions of older ones).
      const viewer = { kind: 'account', accountId, username, role, scopePaths, unitId: unit, personId: person, sessionVersion: 0 };
      const { accessToken, refreshToken } = await signIn(username);
      expect({ username, ...(await identifyCounted(`Bearer ${accessToken}`)) }).toEqual({ username, statements: 1, outcome: viewer });
      // A token from before session versions and families (no sv, no fam) still reads as version 0, in one statement too.
      const older = await new SignJWT({ role, username }).setProtectedHeader({ alg: 'HS256' }).setIssuer('gongjian').setSubject(String(accountId)).setExpirationTime('10m').sign(tokens.secret);
      expect({ username, ...(await identifyCounted(`Bearer ${older}`)) }).toEqual({ username, statements: 1, outcome: viewer });
      // Refused in one statement as well, once the session is signed out.
      await gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: refreshToken });
      expect({ username, ...(await identifyCounted(`Bearer ${accessToken}`)) }).toEqual({ username, statements: 1, outcome: 'This session was signed out: sign in again' });
    }
  });

  test('an API key costs one SQL statement, refused or not, and writes its last use at most once a minute', async () => {
    const tokens = tokenSettings(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv));
    const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id prefix } } }`;
    const scoped = (await ok(app, CREATE_KEY, { input: { name: '计数门户', scopeAreaId: w.communityId, expiresAt: new Date(Date.now() + 3600_000).toISOString() } })).createApiKey;
    const [{ path }] = await app.orm.em.fork().execute('select path from area where id = ?', [dbId(w.communityId)]);
    const identifyCounted = async (apiKey: string, now: Date) => {
      let outcome: unknown;
      const statements = await app.countStatements(async () => {
        outcome = await identify(app.orm, tokens, { apiKey }, now).catch((error: Error) => error.message);
      });
      return { statements: statements.length, outcome };
    };
    const lastUsedAt = async (prefix: string) => {
      const [row] = await app.orm.em.fork().execute('select last_used_at from api_key where prefix = ?', [prefix]);
      return row.last_used_at === null ? null : new Date(row.last_used_at);
    };
    const portal = { kind: 'portal', apiKeyId: dbId(scoped.apiKey.id), prefix: scoped.apiKey.prefix, role: 'PORTAL', scopePaths: [path] };
    const refused = 'The API key is invalid, revoked or expired';

    // A key bound to an area: the key, its area's path and its last use, all in one statement.
    const start = new Date(Date.now() + 1000);
    expect(await identifyCounted(scoped.key, start)).toEqual({ statements: 1, outcome: portal });
    expect(await lastUsedAt(scoped.apiKey.prefix)).toEqual(start);
    // Within the minute its last use is not written again; after it, it is.
    expect(await identifyCounted(scoped.key, new Date(start.getTime() + 59_000))).toEqual({ statements: 1, outcome: portal });
    expect(await lastUsedAt(scoped.apiKey.prefix)).toEqual(start);
    const later = new Date(start.getTime() + 61_000);
    expect(await identifyCounted(scoped.key, later)).toEqual({ statements: 1, outcome: portal });
    expect(await lastUsedAt(scoped.apiKey.prefix)).toEqual(later);

    // A wrong secret, an unknown prefix and an expired key are refused in one statement too, and never counted as a use.
    expect(await identifyCounted(`${scoped.apiKey.prefix}_${'A'.repeat(43)}`, new Date(later.getTime() + 120_000))).toEqual({ statements: 1, outcome: refused });
    expect(await identifyCounted(`gjk_00000000_${'A'.repeat(43)}`, later)).toEqual({ statements: 1, outcome: refused });
    expect(await identifyCounted(scoped.key, new Date(Date.now() + 3600_000 + 120_000))).toEqual({ statements: 1, outcome: refused });
    expect(await lastUsedAt(scoped.apiKey.prefix)).toEqual(later);

    // A key bound to nothing reads everything; revoked, it is refused.
    const unbound = (await ok(app, CREATE_KEY, { input: { name: '全区门户' } })).createApiKey;
    expect(await identifyCounted(unbound.key, start)).toEqual({ statements: 1, outcome: { ...portal, apiKeyId: dbId(unbound.apiKey.id), prefix: unbound.apiKey.prefix, scopePaths: null } });
    await ok(app, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: unbound.apiKey.id });
    expect(await identifyCounted(unbound.key, new Date(Date.now() + 120_000))).toEqual({ statements: 1, outcome: refused });
  });
});

describe('stolen refresh tokens and password guessing', () => {
  const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
  const SIGN_OUT = `mutation($t: String!) { signOut(refreshToken: $t) }`;
  const start = new Date('2026-06-15T02:00:00Z');
  beforeEach(() => app.clock.set(start));
  afterAll(() => app.clock.reset());

  async function session(username: string, password = PASSWORD) {
    return app.execute(SIGN_IN, { u: username, p: password }, ANONYMOUS);
  }
  async function refresh(token: string) {
    return app.execute(REFRESH, { t: token }, ANONYMOUS);
  }

  test('a spent refresh token presented again later revokes its whole session, and only that one', async () => {
    await account('replayed.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const stolen = (await session('replayed.staff')).data.signIn.refreshToken;
    const otherDevice = (await session('replayed.staff')).data.signIn.refreshToken;
    // The thief exchanges the stolen token first; the owner's copy is now spent.
    app.clock.advance(60_000);
    const thiefs = (await refresh(stolen)).data.refreshSession.refreshToken;
    app.clock.advance(60_000);
    expectError(await refresh(stolen), 'UNAUTHENTICATED');
    // The owner's replay revoked the family: the thief's new token is dead too.
    expectError(await refresh(thiefs), 'UNAUTHENTICATED');
    const revoked = await app.orm.em.fork().execute(
      `select count(*) filter (where t.revoked_at is not null)::int as revoked, count(*)::int as tokens from refresh_token t join account a on a.id = t.account_id where a.username = 'replayed.staff'`,
    );
    // Both tokens of the stolen chain are revoked; the other device's is not.
    expect(revoked[0]).toEqual({ revoked: 2, tokens: 3 });
    // Another sign-in of the same account is another family, untouched.
    expect((await refresh(otherDevice)).errors).toBeUndefined();
  });

  const familyStates = async (username: string) =>
    (await app.orm.em.fork().execute(
      `select (t.spent_at is not null) as spent, (t.revoked_at is not null) as revoked from refresh_token t join account a on a.id = t.account_id where a.username = ? order by t.id`,
      [username],
    )) as { spent: boolean; revoked: boolean }[];

  test('signing out ends the session: every token of its family is revoked, whichever is presented', async () => {
    await account('signout.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const first = (await session('signout.staff')).data.signIn.refreshToken;
    const second = (await refresh(first)).data.refreshSession.refreshToken;
    const third = (await refresh(second)).data.refreshSession.refreshToken;
    expect((await app.execute(SIGN_OUT, { t: third }, ANONYMOUS)).data.signOut).toBe(true);
    expectError(await refresh(third), 'UNAUTHENTICATED');
    expect(await familyStates('signout.staff')).toEqual([
      { spent: true, revoked: true },
      { spent: true, revoked: true },
      { spent: false, revoked: true },
    ]);
    expect((await app.execute(SIGN_OUT, { t: third }, ANONYMOUS)).data.signOut).toBe(false);
  });

  test("the owner's sign-out with a copy a thief already exchanged ends the thief's session", async () => {
    await account('robbed.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const stolen = (await session('robbed.staff')).data.signIn.refreshToken;
    const thiefs = (await refresh(stolen)).data.refreshSession.refreshToken;
    app.clock.advance(60_000);
    expect((await app.execute(SIGN_OUT, { t: stolen }, ANONYMOUS)).data.signOut).toBe(true);
    expectError(await refresh(thiefs), 'UNAUTHENTICATED');
    expect(await familyStates('robbed.staff')).toEqual([
      { spent: true, revoked: true },
      { spent: false, revoked: true },
    ]);
  });

  test('a sign-out racing a refresh of the same token leaves no token of the family live', async () => {
    await account('racing.signout', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    for (let round = 0; round < 8; round += 1) {
      const token = (await session('racing.signout')).data.signIn.refreshToken;
      const [signedOut, refreshed] = await Promise.all([app.execute(SIGN_OUT, { t: token }, ANONYMOUS), refresh(token)]);
      expect({ round, signedOut: signedOut.data.signOut }).toEqual({ round, signedOut: true });
      if (!refreshed.errors) expectError(await refresh(refreshed.data.refreshSession.refreshToken), 'UNAUTHENTICATED');
    }
    const live = await app.orm.em.fork().execute(`select count(*)::int as n from refresh_token t join account a on a.id = t.account_id where a.username = 'racing.signout' and t.revoked_at is null`);
    expect(live[0].n).toBe(0);
  });

  test("a new token of an account deletes the account's expired tokens; spent ones within their lifetime stay and still give a replay away", async () => {
    const day = 86400_000;
    const ttl = REFRESH_TOKEN_TTL_DAYS * day;
    const rows = async (username: string) =>
      (await app.orm.em.fork().execute(
        `select t.family, (t.spent_at is not null) as spent, (t.revoked_at is not null) as revoked, t.expires_at from refresh_token t join account a on a.id = t.account_id where a.username = ? order by t.id`,
        [username],
      )) as { family: string; spent: boolean; revoked: boolean; expires_at: Date }[];
    await account('pruned.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    await account('dormant.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    await session('dormant.staff');
    const first = (await session('pruned.staff')).data.signIn.refreshToken;
    const second = (await refresh(first)).data.refreshSession.refreshToken;
    await session('pruned.staff'); // another family, never used again
    app.clock.set(new Date(start.getTime() + ttl - day));
    const third = (await refresh(second)).data.refreshSession.refreshToken;
    const fourth = (await refresh(third)).data.refreshSession.refreshToken;
    expect(await rows('pruned.staff')).toHaveLength(5);

    // Past the first three tokens' expiry, a sign-in deletes them: only the last two are left.
    app.clock.set(new Date(start.getTime() + ttl + 60_000));
    await session('pruned.staff');
    const left = await rows('pruned.staff');
    expect(left.map(({ spent, revoked }) => ({ spent, revoked }))).toEqual([
      { spent: true, revoked: false }, // third: spent, still within its lifetime
      { spent: false, revoked: false }, // fourth
      { spent: false, revoked: false }, // the new sign-in's
    ]);
    for (const row of left) expect(new Date(row.expires_at).getTime()).toBeGreaterThan(app.clock.now().getTime());
    // Another account's expired token is its own account's to delete, at its next sign-in.
    expect(await rows('dormant.staff')).toHaveLength(1);

    // The spent third token, replayed, still revokes its family: the fourth is refused after it.
    expectError(await refresh(third), 'UNAUTHENTICATED');
    expectError(await refresh(fourth), 'UNAUTHENTICATED');
    expect((await rows('pruned.staff')).map(({ family, revoked }) => ({ family, revoked }))).toEqual([
      { family: left[0].family, revoked: true },
      { family: left[0].family, revoked: true },
      { family: left[2].family, revoked: false },
    ]);
  });

  test(`${SIGN_IN_LOCKOUT.failures} wrong passwords in a row lock the account's sign-in for ${SIGN_IN_LOCKOUT.minutes} minutes, even with the right one`, async () => {
    await account('guessed.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    // Wrong passwords separated by a right one do not add up.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures - 1; i += 1) expectError(await session('guessed.staff', `guess ${i}`), 'UNAUTHENTICATED');
    expect((await session('guessed.staff')).errors).toBeUndefined();
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures - 1; i += 1) expectError(await session('guessed.staff', `guess ${i}`), 'UNAUTHENTICATED');
    expect((await session('guessed.staff')).errors).toBeUndefined();

    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await session('guessed.staff', `guess ${i}`), 'UNAUTHENTICATED');
    // Locked, the right password gets the wrong-password answer, word for word: which names exist is not said.
    const locked = await session('guessed.staff');
    expect(locked.data).toBeNull();
    expect(locked.errors).toEqual([expect.objectContaining({ message: WRONG_PASSWORD_MESSAGE, extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    const unknown = await session('nobody.here', 'a guess');
    expect(unknown.errors).toEqual(locked.errors);
    const [state] = await app.orm.em.fork().execute(`select sign_in_locked_until from account where username = 'guessed.staff'`);
    expect(new Date(state.sign_in_locked_until)).toEqual(new Date(start.getTime() + SIGN_IN_LOCKOUT.minutes * 60_000));
    app.clock.advance(SIGN_IN_LOCKOUT.minutes * 60_000 - 1000);
    expectError(await session('guessed.staff'), 'UNAUTHENTICATED');
    app.clock.advance(1000);
    expect((await session('guessed.staff')).errors).toBeUndefined();
    // Another account is not locked by this one's guesses.
    expect((await session('replayed.staff')).errors).toBeUndefined();
  });

  test("a client that signed in before keeps signing in while others' wrong passwords lock the name; its own wrong passwords lock only it", async () => {
    const DEVICE_SIGN_IN = `mutation($u: String!, $p: String!, $d: String) { signIn(input: { username: $u, password: $p, deviceToken: $d }) { accessToken deviceToken } }`;
    const withDevice = (password: string, device: string | null) => app.execute(DEVICE_SIGN_IN, { u: 'device.staff', p: password, d: device }, ANONYMOUS);
    await account('device.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const first = await withDevice(PASSWORD, null);
    const laptop: string = first.data.signIn.deviceToken;
    expect(laptop).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Someone who knows the name locks it: any client without a device token is refused now, the right password too.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await session('device.staff', `guess ${i}`), 'UNAUTHENTICATED');
    expectError(await session('device.staff'), 'UNAUTHENTICATED');
    expectError(await withDevice(PASSWORD, 'a made-up device token'), 'UNAUTHENTICATED');
    // The laptop is not: it signs in, and gets a new token for next time (the one it sent is spent).
    const again = await withDevice(PASSWORD, laptop);
    expect(again.errors).toBeUndefined();
    const laptop2: string = again.data.signIn.deviceToken;
    expect(laptop2).not.toBe(laptop);
    expectError(await withDevice(PASSWORD, laptop), 'UNAUTHENTICATED');
    // The account's lockout was not lifted by the laptop's sign-in.
    expectError(await session('device.staff'), 'UNAUTHENTICATED');

    // Wrong passwords with the laptop's token lock the laptop alone, with the same answer as ever.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) {
      expect((await withDevice(`guess ${i}`, laptop2)).errors).toEqual([expect.objectContaining({ message: WRONG_PASSWORD_MESSAGE })]);
    }
    expectError(await withDevice(PASSWORD, laptop2), 'UNAUTHENTICATED');
    const [device] = await app.orm.em.fork().execute(`select d.failed_sign_ins, d.sign_in_locked_until from sign_in_device d join account a on a.id = d.account_id where a.username = 'device.staff'`);
    expect(new Date(device.sign_in_locked_until)).toEqual(new Date(start.getTime() + SIGN_IN_LOCKOUT.minutes * 60_000));
    // Another account's device token is no token for this one.
    await account('device.other', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const other = (await app.execute(DEVICE_SIGN_IN, { u: 'device.other', p: PASSWORD, d: null }, ANONYMOUS)).data.signIn.deviceToken;
    expectError(await withDevice(PASSWORD, other), 'UNAUTHENTICATED');

    // Once the pauses run out, both sign in; a password change forgets every device token.
    app.clock.advance(SIGN_IN_LOCKOUT.minutes * 60_000);
    const back = await withDevice(PASSWORD, laptop2);
    expect(back.errors).toBeUndefined();
    const changed = await app.execute(`mutation { changePassword(input: { currentPassword: "${PASSWORD}", newPassword: "another long passphrase" }) { deviceToken } }`, {}, await identify(app.orm, tokenSettings(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv)), { authorization: `Bearer ${back.data.signIn.accessToken}` }, app.clock.now()));
    expect(changed.errors).toBeUndefined();
    expect(changed.data.changePassword.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokens = await app.orm.em.fork().execute(`select count(*)::int as n from sign_in_device d join account a on a.id = d.account_id where a.username = 'device.staff'`);
    expect(tokens).toEqual([{ n: 1 }]);
    // The old token now counts for nothing: its sign-in is an unknown client's.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await session('device.staff', `guess ${i}`), 'UNAUTHENTICATED');
    expectError(await app.execute(DEVICE_SIGN_IN, { u: 'device.staff', p: 'another long passphrase', d: back.data.signIn.deviceToken }, ANONYMOUS), 'UNAUTHENTICATED');
    expect((await app.execute(DEVICE_SIGN_IN, { u: 'device.staff', p: 'another long passphrase', d: changed.data.changePassword.deviceToken }, ANONYMOUS)).errors).toBeUndefined();
  });

  test("a device token's wrong passwords count for the account too, its right one ends the account's run, and unlockAccount lifts both", async () => {
    const DEVICE_SIGN_IN = `mutation($u: String!, $p: String!, $d: String) { signIn(input: { username: $u, password: $p, deviceToken: $d }) { deviceToken } }`;
    const withToken = (password: string, token: string | null) => app.execute(DEVICE_SIGN_IN, { u: 'copied.device', p: password, d: token }, ANONYMOUS);
    const id = await account('copied.device', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    let token: string = (await withToken(PASSWORD, null)).data.signIn.deviceToken;
    const counts = async () => (await app.orm.em.fork().execute(`select failed_sign_ins as n from account where username = 'copied.device'`))[0].n;

    // The owner's typos on their device, each run ended by the right password: the account's count starts again every time.
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < SIGN_IN_LOCKOUT.failures - 1; i += 1) expectError(await withToken(`typo ${i}`, token), 'UNAUTHENTICATED');
      expect(await counts()).toBe(SIGN_IN_LOCKOUT.failures - 1);
      token = (await withToken(PASSWORD, token)).data.signIn.deviceToken;
      expect(await counts()).toBe(0);
    }
    // A new client is not locked by the owner's typos that the right password ended.
    expect((await session('copied.device')).errors).toBeUndefined();

    // A copied token used first spends the account's budget with its own: then the next guess without it is not even checked.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await withToken(`guess ${i}`, token), 'UNAUTHENTICATED');
    expectError(await session('copied.device'), 'UNAUTHENTICATED');
    const [row] = await app.orm.em.fork().execute(`select sign_in_locked_until from account where username = 'copied.device'`);
    expect(new Date(row.sign_in_locked_until)).toEqual(new Date(start.getTime() + SIGN_IN_LOCKOUT.minutes * 60_000));

    // An administrator's unlock lifts the account's lock and the token's pause.
    expect((await gql(`mutation($id: ID!) { unlockAccount(id: $id) { signInLockedUntil } }`, { id }, await app.adminAuthorization())).json.data.unlockAccount).toEqual({ signInLockedUntil: null });
    expect((await withToken(PASSWORD, token)).errors).toBeUndefined();
    expect((await session('copied.device')).errors).toBeUndefined();
  });

  test(`sign-ins without a device token never push out a device used in the last ${SIGN_IN_DEVICES.keptDays} days; a new one takes the least recently used place`, async () => {
    const DEVICE_SIGN_IN = `mutation($u: String!, $p: String!, $d: String) { signIn(input: { username: $u, password: $p, deviceToken: $d }) { accessToken deviceToken } }`;
    const withToken = async (token: string | null) => {
      const result = await app.execute(DEVICE_SIGN_IN, { u: 'scripted.staff', p: PASSWORD, d: token }, ANONYMOUS);
      expect(result.errors).toBeUndefined();
      return result.data.signIn.deviceToken as string | null;
    };
    const day = 86400_000;
    const devices = async () => (await app.orm.em.fork().execute(`select count(*)::int as n from sign_in_device d join account a on a.id = d.account_id where a.username = 'scripted.staff'`))[0].n;
    await account('scripted.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    let phone = (await withToken(null))!;
    app.clock.advance(day);
    // A script signs in again and again without a token: its tokens fill the places left, then it gets none.
    const scripts: (string | null)[] = [];
    for (let i = 0; i < SIGN_IN_DEVICES.perAccount + 5; i += 1) scripts.push(await withToken(null));
    expect(scripts.slice(0, SIGN_IN_DEVICES.perAccount - 1)).toEqual(Array(SIGN_IN_DEVICES.perAccount - 1).fill(expect.stringMatching(/^[A-Za-z0-9_-]{43}$/)));
    expect(scripts.slice(SIGN_IN_DEVICES.perAccount - 1)).toEqual(Array(6).fill(null));
    expect(await devices()).toBe(SIGN_IN_DEVICES.perAccount);
    // The phone, used a day ago, kept its place: under a lock of the account it still signs in.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await session('scripted.staff', `guess ${i}`), 'UNAUTHENTICATED');
    phone = (await withToken(phone))!;
    expect(phone).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Weeks later (the lock long over), the phone used in between: a new client takes the place
    // of the script token unused for longest (the first one), not the phone's.
    app.clock.advance(20 * day);
    phone = (await withToken(phone))!;
    app.clock.advance(SIGN_IN_DEVICES.keptDays * day - 10 * day);
    const tablet = await withToken(null);
    expect(tablet).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await devices()).toBe(SIGN_IN_DEVICES.perAccount);
    const [first] = await app.orm.em.fork().execute(`select count(*)::int as n from sign_in_device where token_hash = ?`, [sha256(scripts[0]!)]);
    expect(first.n).toBe(0);
    expect(await withToken(scripts[1])).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await withToken(phone)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('two wrong passwords at the same moment both count', async () => {
    await account('raced.guess', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    for (let round = 0; round < Math.ceil(SIGN_IN_LOCKOUT.failures / 2); round += 1) {
      await Promise.all([session('raced.guess', 'a guess'), session('raced.guess', 'another guess')]);
    }
    expectError(await session('raced.guess'), 'UNAUTHENTICATED');
  });
});

describe('administrators see sign-in devices', () => {
  const DEVICE_SIGN_IN = `mutation($u: String!, $p: String!, $d: String) { signIn(input: { username: $u, password: $p, deviceToken: $d }) { deviceToken } }`;
  const DEVICES = `query($filter: AccountFilter, $first: Int) { accounts(filter: $filter, first: $first) { totalCount edges { node { username signInLockedUntil
    signInDevices { rememberedAt lastUsedAt expiresAt failedSignIns signInPausedUntil } } } } }`;
  const now = new Date('2026-08-01T02:00:00Z');
  const minute = 60_000;
  const day = 86400_000;
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  afterAll(() => app.clock.reset());

  test('an account lists its devices, most recently used first, with the one paused while the account is not locked; never a token', async () => {
    const signInAt = async (time: number, password: string, token: string | null) => {
      app.clock.set(new Date(now.getTime() + time));
      return app.execute(DEVICE_SIGN_IN, { u: 'phone.owner', p: password, d: token }, ANONYMOUS);
    };
    await account('phone.owner', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    let laptop: string = (await signInAt(-10 * day, PASSWORD, null)).data.signIn.deviceToken;
    const phone: string = (await signInAt(-5 * day, PASSWORD, null)).data.signIn.deviceToken;
    laptop = (await signInAt(-4 * day, PASSWORD, laptop)).data.signIn.deviceToken;
    expect(laptop).toBeTruthy();
    // Someone guesses the name (the account locks), then the owner mistypes on the phone (the phone pauses).
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await signInAt(-10 * minute, `guess ${i}`, null), 'UNAUTHENTICATED');
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await signInAt(0, `typo ${i}`, phone), 'UNAUTHENTICATED');
    // Six minutes on the account's lock is over, the phone's is not: "my phone cannot sign in".
    app.clock.set(new Date(now.getTime() + 6 * minute));
    expectError(await app.execute(DEVICE_SIGN_IN, { u: 'phone.owner', p: PASSWORD, d: phone }, ANONYMOUS), 'UNAUTHENTICATED');
    const listed = await ok(app, DEVICES, { filter: { search: 'phone.owner' } });
    expect(listed.accounts.edges[0].node).toEqual({
      username: 'phone.owner',
      signInLockedUntil: at(-10 * minute + SIGN_IN_LOCKOUT.minutes * minute),
      signInDevices: [
        { rememberedAt: at(-10 * day), lastUsedAt: at(-4 * day), expiresAt: at(-4 * day + SIGN_IN_DEVICES.days * day), failedSignIns: 0, signInPausedUntil: null },
        { rememberedAt: at(-5 * day), lastUsedAt: at(-5 * day), expiresAt: at(-5 * day + SIGN_IN_DEVICES.days * day), failedSignIns: 0, signInPausedUntil: at(SIGN_IN_LOCKOUT.minutes * minute) },
      ],
    });
    // The filter finds it by its paused device; signInLocked (the account's own lock) does not.
    const usernames = async (filter: Record<string, unknown>) => (await ok(app, DEVICES, { filter: { search: 'phone.owner', ...filter } })).accounts.edges.map((edge: any) => edge.node.username);
    expect(await usernames({ devicePaused: true })).toEqual(['phone.owner']);
    expect(await usernames({ devicePaused: false })).toEqual([]);
    expect(await usernames({ signInLocked: true })).toEqual([]);
    // The pause runs out: no longer paused, and the filter agrees.
    app.clock.set(new Date(now.getTime() + SIGN_IN_LOCKOUT.minutes * minute));
    expect(await usernames({ devicePaused: true })).toEqual([]);
    expect(await usernames({ devicePaused: false })).toEqual(['phone.owner']);
    expect((await ok(app, DEVICES, { filter: { search: 'phone.owner' } })).accounts.edges[0].node.signInDevices[1].signInPausedUntil).toBeNull();

    // Nothing that names a token: not the token or its hash. The id (to forget it) is the row's global id.
    const type = await ok(app, `{ __type(name: "SignInDevice") { fields { name } } }`);
    expect(type.__type.fields.map((field: any) => field.name).sort()).toEqual(['expiresAt', 'failedSignIns', 'id', 'lastUsedAt', 'rememberedAt', 'signInPausedUntil', 'signedIn']);
    const rows = await app.orm.em.fork().execute(`select d.id, d.token_hash from sign_in_device d join account a on a.id = d.account_id where a.username = 'phone.owner' order by d.last_used_at desc`);
    const ids = (await ok(app, `{ accounts(filter: { search: "phone.owner" }) { edges { node { signInDevices { id } } } } }`)).accounts.edges[0].node.signInDevices.map((d: any) => d.id);
    expect(ids).toEqual(rows.map((row: any) => toGlobalId('SignInDevice', row.id)));
    for (const secret of [laptop, phone, ...rows.map((row: any) => row.token_hash)]) expect(JSON.stringify(ids)).not.toContain(secret);
    // A session's own answer is not type-checked by the guard: the field refuses itself there.
    const own = await app.execute(`mutation { signIn(input: { username: "phone.owner", password: "${PASSWORD}" }) { account { signInDevices { lastUsedAt } } } }`, {}, ANONYMOUS);
    expectError(own, 'FORBIDDEN');
  });

  test('fifty accounts with their devices cost the statements five do', async () => {
    app.clock.set(now);
    const em = app.orm.em.fork();
    await em.execute(
      `insert into account (created_at, updated_at, username, display_name, password_hash, role)
       select now(), now(), 'fleet.' || lpad(n::text, 2, '0'), 'fleet ' || n, 'not a hash', 'ANALYST' from generate_series(1, 50) n`,
    );
    // Two live devices each, and one expired that is not listed.
    await em.execute(
      `insert into sign_in_device (created_at, updated_at, account_id, token_hash, expires_at, last_used_at)
       select ?::timestamptz - k * interval '1 day', now(), a.id, md5(a.username || k) || md5(k || a.username), ?::timestamptz + (k * 40 - 10) * interval '1 day', ?::timestamptz - k * interval '1 day'
         from account a, generate_series(0, 2) k where a.username like 'fleet.%'`,
      [now, now, now],
    );
    const page = (first: number) => app.countStatements(async () => {
      const data = await ok(app, DEVICES, { filter: { search: 'fleet.' }, first });
      expect(data.accounts.edges).toHaveLength(first);
      for (const edge of data.accounts.edges) expect(edge.node.signInDevices.map((d: any) => d.lastUsedAt)).toEqual([at(-1 * day), at(-2 * day)]);
    });
    const five = await page(5);
    const fifty = await page(50);
    expect(fifty.length).toBe(five.length);
    expect(fifty.filter((sql) => sql.includes('sign_in_device'))).toHaveLength(1);
  });
});

describe('forgetting one sign-in device', () => {
  const DEVICE_SIGN_IN = `mutation($u: String!, $p: String!, $d: String) { signIn(input: { username: $u, password: $p, deviceToken: $d }) { accessToken deviceToken } }`;
  const FORGET = `mutation Forget($id: ID!, $password: String) { forgetSignInDevice(id: $id, currentPassword: $password) { username signInDevices { id } } }`;
  const MY_DEVICES = `{ me { username signInDevices { id lastUsedAt } } }`;
  const tokens = tokenSettings(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv));
  afterEach(() => app.clock.reset());

  /** Signs `username` in with `token` (null: a new client) at the clock's time; the new device token and the viewer of its session. */
  async function deviceSignIn(username: string, token: string | null, password = PASSWORD) {
    const result = await app.execute(DEVICE_SIGN_IN, { u: username, p: password, d: token }, ANONYMOUS);
    if (result.errors) return { errors: result.errors, deviceToken: null, viewer: null };
    const { accessToken, deviceToken } = result.data.signIn;
    return { errors: undefined, deviceToken: deviceToken as string, viewer: await identify(app.orm, tokens, { authorization: `Bearer ${accessToken}` }, app.clock.now()) };
  }
  const devicesOf = async (username: string) =>
    (await app.orm.em.fork().execute(`select d.id from sign_in_device d join account a on a.id = d.account_id where a.username = ? order by d.id`, [username])).map((row: any) => toGlobalId('SignInDevice', row.id));

  test('an account lists its own devices with me and forgets one; that token is then a new client\'s, locked with the account', async () => {
    await account('forget.owner', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const start = new Date(Date.now() - 3600_000);
    app.clock.set(start);
    const laptop = await deviceSignIn('forget.owner', null);
    app.clock.advance(60_000);
    const phone = await deviceSignIn('forget.owner', null);
    const [laptopId, phoneId] = await devicesOf('forget.owner');

    // The owner, on the laptop, sees both (the phone used last) and forgets the lost phone.
    const mine = await app.execute(MY_DEVICES, {}, laptop.viewer!);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.me.signInDevices.map((device: any) => device.id)).toEqual([phoneId, laptopId]);
    // Not with the session alone (it may be the one open on the lost phone): the password too, and
    // a wrong one counts towards the lockout, committed though the answer is an error.
    await expectNothingWritten(app, async () => expectError(await app.execute(FORGET, { id: phoneId }, laptop.viewer!), 'BAD_USER_INPUT', 'currentPassword'));
    expectError(await app.execute(FORGET, { id: phoneId, password: 'not it' }, laptop.viewer!), 'BAD_USER_INPUT', 'currentPassword');
    expect(await devicesOf('forget.owner')).toEqual([laptopId, phoneId]);
    expect(await app.orm.em.fork().execute(`select failed_sign_ins from account where username = 'forget.owner'`)).toEqual([{ failed_sign_ins: 1 }]);
    const forgotten = await app.execute(FORGET, { id: phoneId, password: PASSWORD }, laptop.viewer!);
    expect(forgotten.errors).toBeUndefined();
    expect(forgotten.data.forgetSignInDevice).toEqual({ username: 'forget.owner', signInDevices: [{ id: laptopId }] });
    expect(await devicesOf('forget.owner')).toEqual([laptopId]);
    // Once forgotten, it is not found again. Its id is no Node's: node() answers null, as for any unknown id.
    expectError(await app.execute(FORGET, { id: phoneId, password: PASSWORD }, laptop.viewer!), 'NOT_FOUND', 'id');
    expect((await ok(app, `query($id: ID!) { node(id: $id) { id } }`, { id: laptopId })).node).toBeNull();

    // Someone locks the name: the laptop still signs in on its own lockout, the phone's token no longer does.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await deviceSignIn('forget.owner', null, `guess ${i}`), 'UNAUTHENTICATED');
    expectError(await deviceSignIn('forget.owner', phone.deviceToken), 'UNAUTHENTICATED');
    const laptopAgain = await deviceSignIn('forget.owner', laptop.deviceToken);
    expect(laptopAgain.errors).toBeUndefined();
    // The lock over, the phone's old token signs in as a new client would: a new device, not the one forgotten.
    app.clock.advance(SIGN_IN_LOCKOUT.minutes * 60_000);
    const phoneAgain = await deviceSignIn('forget.owner', phone.deviceToken);
    expect(phoneAgain.errors).toBeUndefined();
    const after = await devicesOf('forget.owner');
    expect(after).toHaveLength(2);
    expect(after).toContain(laptopId);
    expect(after).not.toContain(phoneId);
  });

  test('an administrator forgets a device of another account, a paused one too, and finds no paused device left', async () => {
    await account('forget.paused', 'GRID_WORKER', { scopeAreaId: w.gridId });
    const phone = await deviceSignIn('forget.paused', null);
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await deviceSignIn('forget.paused', phone.deviceToken, `typo ${i}`), 'UNAUTHENTICATED');
    const PAUSED = `query($paused: Boolean) { accounts(filter: { search: "forget.paused", devicePaused: $paused }) { edges { node { signInDevices { id signInPausedUntil } } } } }`;
    const paused = (await gql(PAUSED, { paused: true }, await app.adminAuthorization())).json.data.accounts.edges;
    expect(paused).toHaveLength(1);
    const [device] = paused[0].node.signInDevices;
    expect(device.signInPausedUntil).not.toBeNull();

    const answer = await gql(FORGET, { id: device.id }, await app.adminAuthorization());
    expect(answer.json).toEqual({ data: { forgetSignInDevice: { username: 'forget.paused', signInDevices: [] } } });
    expect(await devicesOf('forget.paused')).toEqual([]);
    expect((await gql(PAUSED, { paused: true }, await app.adminAuthorization())).json.data.accounts.edges).toEqual([]);
    // Audited, as every mutation: who, which field, how it ended.
    const audit = await ok(app, `{ mutationAudits(actor: "account:test.admin", field: "forgetSignInDevice") { edges { node { operationName outcome } } } }`);
    expect(audit.mutationAudits.edges.map((edge: any) => edge.node)).toEqual([{ operationName: 'Forget', outcome: 'OK' }]);
  });

  test('forgetting a device signs out the sessions started on it, refreshed ones too, and no other', async () => {
    const SESSION_SIGN_IN = `mutation($u: String!, $p: String!, $d: String) { signIn(input: { username: $u, password: $p, deviceToken: $d }) { accessToken refreshToken deviceToken } }`;
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
    const session = async (username: string, device: string | null) => (await gql(SESSION_SIGN_IN, { u: username, p: PASSWORD, d: device })).json.data.signIn;
    const whoAmI = async (accessToken: string) => (await gql(`{ me { username } }`, {}, bearer(accessToken))).json;
    await account('forget.signout', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    await account('forget.bystander', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const laptop = await session('forget.signout', null);
    const phone = await session('forget.signout', null);
    // A second session on the phone (it presents its device token), then refreshed: same device, another family.
    const phoneAgain = await session('forget.signout', phone.deviceToken);
    const phoneRefreshed = (await gql(REFRESH, { t: phoneAgain.refreshToken })).json.data.refreshSession;
    const bystander = await session('forget.bystander', null);
    const [laptopId, phoneId] = await devicesOf('forget.signout');
    for (const live of [laptop, phone, phoneRefreshed]) expect(await whoAmI(live.accessToken)).toEqual({ data: { me: { username: 'forget.signout' } } });
    const signedIn = async () => (await gql(`{ me { signInDevices { id signedIn } } }`, {}, bearer(laptop.accessToken))).json.data.me.signInDevices;
    expect(await signedIn()).toEqual([{ id: phoneId, signedIn: true }, { id: laptopId, signedIn: true }]);
    // Both phone sessions signed out by hand: the phone is remembered, signed in nowhere.
    await gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: phone.refreshToken });
    expect(await signedIn()).toEqual([{ id: phoneId, signedIn: true }, { id: laptopId, signedIn: true }]);
    await gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: phoneRefreshed.refreshToken });
    expect(await signedIn()).toEqual([{ id: phoneId, signedIn: false }, { id: laptopId, signedIn: true }]);
    const phoneLast = await session('forget.signout', phoneAgain.deviceToken);
    expect(await signedIn()).toEqual([{ id: phoneId, signedIn: true }, { id: laptopId, signedIn: true }]);

    // The owner, on the laptop, forgets the phone: both phone sessions end at once, access and refresh tokens alike.
    const forgotten = await gql(FORGET, { id: phoneId, password: PASSWORD }, bearer(laptop.accessToken));
    expect(forgotten.json).toEqual({ data: { forgetSignInDevice: { username: 'forget.signout', signInDevices: [{ id: laptopId }] } } });
    expect(await signedIn()).toEqual([{ id: laptopId, signedIn: true }]);
    for (const ended of [phone, phoneRefreshed, phoneLast]) {
      expectError(await whoAmI(ended.accessToken), 'UNAUTHENTICATED');
      expectError((await gql(REFRESH, { t: ended.refreshToken })).json, 'UNAUTHENTICATED');
    }
    // The laptop's session and another account's stay; so does the laptop's after a refresh.
    expect(await whoAmI(laptop.accessToken)).toEqual({ data: { me: { username: 'forget.signout' } } });
    expect(await whoAmI(bystander.accessToken)).toEqual({ data: { me: { username: 'forget.bystander' } } });
    const laptopRefreshed = (await gql(REFRESH, { t: laptop.refreshToken })).json.data.refreshSession;
    expect(await whoAmI(laptopRefreshed.accessToken)).toEqual({ data: { me: { username: 'forget.signout' } } });

    // An administrator forgetting the laptop signs it out too.
    expect((await gql(FORGET, { id: laptopId }, await app.adminAuthorization())).json.errors).toBeUndefined();
    expectError(await whoAmI(laptopRefreshed.accessToken), 'UNAUTHENTICATED');
    expectError((await gql(REFRESH, { t: laptopRefreshed.refreshToken })).json, 'UNAUTHENTICATED');
    expect(await whoAmI(bystander.accessToken)).toEqual({ data: { me: { username: 'forget.bystander' } } });
  });

  test('a forget refused for a wrong password ends no session', async () => {
    await account('forget.kept', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const signedIn = (await gql(`mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { accessToken refreshToken } }`, { u: 'forget.kept', p: PASSWORD })).json.data.signIn;
    const [deviceId] = await devicesOf('forget.kept');
    expectError((await gql(FORGET, { id: deviceId, password: 'not the password' }, bearer(signedIn.accessToken))).json, 'BAD_USER_INPUT', 'currentPassword');
    expect(await app.orm.em.fork().execute(`select count(*)::int as n from refresh_token t join account a on a.id = t.account_id where a.username = 'forget.kept' and t.revoked_at is null`)).toEqual([{ n: 1 }]);
    expect((await gql(`{ me { username } }`, {}, bearer(signedIn.accessToken))).json).toEqual({ data: { me: { username: 'forget.kept' } } });
  });

  test("nobody else's device, an unknown or a malformed id: NOT_FOUND alike (or BAD_USER_INPUT), nothing deleted, audited", async () => {
    await account('forget.victim', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    await account('forget.intruder', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const victim = await deviceSignIn('forget.victim', null);
    const intruder = await deviceSignIn('forget.intruder', null);
    const [victimDevice] = await devicesOf('forget.victim');
    const unknown = toGlobalId('SignInDevice', 2_000_000_000);
    const boundAdmin = { ...intruder.viewer!, role: 'DISTRICT_ADMIN', scopePaths: [await areaPath(app, w.communityId)] } as typeof intruder.viewer;

    const answers: unknown[] = [];
    for (const [viewer, id] of [[intruder.viewer!, victimDevice], [intruder.viewer!, unknown], [boundAdmin!, victimDevice]] as const) {
      const result = await expectNothingWritten(app, () => app.execute(FORGET, { id }, viewer));
      expectError(result, 'NOT_FOUND', 'id');
      answers.push({ ...result.errors![0], message: result.errors![0].message.replace(id, '<id>') });
    }
    // The same answer whether or not the device exists for someone else.
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    await expectNothingWritten(app, async () => {
      expectError(await app.execute(FORGET, { id: 'not an id' }, intruder.viewer!), 'BAD_USER_INPUT', 'id');
      expectError(await app.execute(FORGET, { id: w.communityId }, intruder.viewer!), 'BAD_USER_INPUT', 'id');
    });
    expect(await devicesOf('forget.victim')).toEqual([victimDevice]);
    // The victim's device still counts: it signs in while the name is locked.
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) expectError(await deviceSignIn('forget.victim', null, `guess ${i}`), 'UNAUTHENTICATED');
    expect((await deviceSignIn('forget.victim', victim.deviceToken)).errors).toBeUndefined();
    // Nor may anyone but the account and an administrator of everything read its devices.
    expectError(await app.execute(`query($s: String) { accounts(filter: { search: $s }) { totalCount } }`, { s: 'forget.victim' }, intruder.viewer!), 'FORBIDDEN');
    expect((await app.execute(MY_DEVICES, {}, intruder.viewer!)).data.me.signInDevices).toHaveLength(1);
    expectError(await app.execute(MY_DEVICES, {}, portalViewer()), 'FORBIDDEN');

    const audit = await ok(app, `{ mutationAudits(actor: "account:forget.intruder", field: "forgetSignInDevice") { edges { node { outcome } } } }`);
    expect(audit.mutationAudits.edges.map((edge: any) => edge.node.outcome)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  });
});

describe('account lifecycle: change, reset, deactivate, unlock', () => {
  const CHANGE = `mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { accessToken refreshToken account { username } } }`;
  const RESET = `mutation($id: ID!, $n: String!) { resetAccountPassword(input: { accountId: $id, newPassword: $n }) { username signInLockedUntil } }`;
  const ACTIVE = `mutation($id: ID!, $a: Boolean!) { setAccountActive(id: $id, active: $a) { username active } }`;
  const UNLOCK = `mutation($id: ID!) { unlockAccount(id: $id) { username signInLockedUntil } }`;
  const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
  const NEW_PASSWORD = 'a brand new passphrase';
  const passwordHash = async (username: string) => (await app.orm.em.fork().execute(`select password_hash from account where username = ?`, [username]))[0].password_hash;

  test('changing your own password ends every session, this client gets a new one, and only the new password signs in', async () => {
    await account('changing.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    // Signed in the same second as the change, as a thief's session may be: ended all the same.
    const laptop = await signIn('changing.staff');
    const phone = await signIn('changing.staff');
    const hashBefore = await passwordHash('changing.staff');
    for (const [variables, field] of [
      [{ c: 'not my password', n: NEW_PASSWORD }, 'input.currentPassword'],
      [{ c: PASSWORD, n: 'short' }, 'input.newPassword'],
      [{ c: PASSWORD, n: PASSWORD }, 'input.newPassword'],
    ] as const) {
      const refused = await gql(CHANGE, variables, bearer(laptop.accessToken));
      expect({ field, code: refused.json.errors?.[0].extensions.code, named: refused.json.errors?.[0].extensions.field }).toEqual({ field, code: 'BAD_USER_INPUT', named: field });
    }
    expect(await passwordHash('changing.staff')).toBe(hashBefore);
    expect((await gql('{ viewer { name } }', {}, bearer(phone.accessToken))).status).toBe(200);

    const changed = await gql(CHANGE, { c: PASSWORD, n: NEW_PASSWORD }, bearer(laptop.accessToken));
    expect(changed.json.errors).toBeUndefined();
    expect(changed.json.data.changePassword.account).toEqual({ username: 'changing.staff' });
    for (const token of [laptop.accessToken, phone.accessToken]) expect((await gql('{ viewer { name } }', {}, bearer(token))).status).toBe(401);
    for (const token of [laptop.refreshToken, phone.refreshToken]) expect((await gql(REFRESH, { t: token })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const fresh = changed.json.data.changePassword;
    expect((await gql('{ viewer { name } }', {}, bearer(fresh.accessToken))).json.data.viewer).toEqual({ name: 'changing.staff' });
    expect((await gql(REFRESH, { t: fresh.refreshToken })).json.errors).toBeUndefined();
    expect((await gql(SIGN_IN, { u: 'changing.staff', p: PASSWORD })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql(SIGN_IN, { u: 'changing.staff', p: NEW_PASSWORD })).json.errors).toBeUndefined();
  });

  test('the same change sent 6 times at once changes the password once, counts no wrong password and locks nothing (each copy counted one, and six locked the owner out)', async () => {
    await account('double.click', 'ANALYST');
    const { accessToken } = await signIn('double.click');
    const answers = await Promise.all(Array.from({ length: 6 }, () => gql(CHANGE, { c: PASSWORD, n: NEW_PASSWORD }, bearer(accessToken))));
    const codes = answers.map((answer) => answer.json.errors?.[0].extensions.code ?? 'OK').sort();
    // One changed it; the copies that waited find their session ended by it (or are refused at the door, if they arrived after).
    expect(codes).toEqual(['OK', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    const [row] = await app.orm.em.fork().execute(`select failed_sign_ins, sign_in_locked_until from account where username = 'double.click'`);
    expect(row).toEqual({ failed_sign_ins: 0, sign_in_locked_until: null });
    expect((await gql(SIGN_IN, { u: 'double.click', p: NEW_PASSWORD })).json.errors).toBeUndefined();
  });

  test('an analyst may change their own password; wrong current passwords count towards the lockout', async () => {
    await account('changing.analyst', 'ANALYST');
    const { accessToken } = await signIn('changing.analyst');
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) {
      expect((await gql(CHANGE, { c: `guess ${i}`, n: NEW_PASSWORD }, bearer(accessToken))).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    expect((await gql(CHANGE, { c: PASSWORD, n: NEW_PASSWORD }, bearer(accessToken))).json.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await gql(SIGN_IN, { u: 'changing.analyst', p: PASSWORD })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('an administrator resets a forgotten password: sessions end, the lockout is lifted, the new password works', async () => {
    const id = await account('forgetful.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const session = await signIn('forgetful.staff');
    for (let i = 0; i <= SIGN_IN_LOCKOUT.failures; i += 1) await gql(SIGN_IN, { u: 'forgetful.staff', p: `guess ${i}` });
    expect((await gql(SIGN_IN, { u: 'forgetful.staff', p: PASSWORD })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const hashBefore = await passwordHash('forgetful.staff');
    expectError(await app.execute(RESET, { id, n: 'too short' }), 'BAD_USER_INPUT', 'input.newPassword');
    expect(await passwordHash('forgetful.staff')).toBe(hashBefore);

    expect((await ok(app, RESET, { id, n: NEW_PASSWORD })).resetAccountPassword).toEqual({ username: 'forgetful.staff', signInLockedUntil: null });
    expect((await gql('{ viewer { name } }', {}, bearer(session.accessToken))).status).toBe(401);
    expect((await gql(REFRESH, { t: session.refreshToken })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql(SIGN_IN, { u: 'forgetful.staff', p: NEW_PASSWORD })).json.errors).toBeUndefined();
  });

  test('deactivating ends every session at once; reactivating lets the account sign in again, not its old sessions back', async () => {
    const id = await account('leaving.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const session = await signIn('leaving.staff');
    expect((await ok(app, ACTIVE, { id, a: false })).setAccountActive).toEqual({ username: 'leaving.staff', active: false });
    expect((await gql('{ viewer { name } }', {}, bearer(session.accessToken))).status).toBe(401);
    expect((await gql(SIGN_IN, { u: 'leaving.staff', p: PASSWORD })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await ok(app, ACTIVE, { id, a: true })).setAccountActive).toEqual({ username: 'leaving.staff', active: true });
    expect((await gql('{ viewer { name } }', {}, bearer(session.accessToken))).status).toBe(401);
    expect((await gql(REFRESH, { t: session.refreshToken })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql(SIGN_IN, { u: 'leaving.staff', p: PASSWORD })).json.errors).toBeUndefined();
  });

  test('an administrator cannot deactivate their own account, and unlocks a locked one', async () => {
    const adminId = await account('only.admin', 'DISTRICT_ADMIN');
    const admin = await signIn('only.admin');
    const refused = await gql(ACTIVE, { id: adminId, a: false }, bearer(admin.accessToken));
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await gql('{ viewer { name } }', {}, bearer(admin.accessToken))).json.data.viewer).toEqual({ name: 'only.admin' });

    const id = await account('unlocked.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) await gql(SIGN_IN, { u: 'unlocked.staff', p: `guess ${i}` });
    expect((await gql(SIGN_IN, { u: 'unlocked.staff', p: PASSWORD })).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const unlocked = await gql(UNLOCK, { id }, bearer(admin.accessToken));
    expect(unlocked.json.data.unlockAccount).toEqual({ username: 'unlocked.staff', signInLockedUntil: null });
    expect((await gql(SIGN_IN, { u: 'unlocked.staff', p: PASSWORD })).json.errors).toBeUndefined();
  });

  test('an administrator moves staff to another community (effective on their next request) and renames them; the role rules still hold', async () => {
    const UPDATE = `mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { username displayName scopeArea { id } } }`;
    await ok(app, `mutation($c: ID!, $a: ID!, $b: ID!) {
      a: createRequest(input: { title: "搬家前的求助", body: "楼道灯坏了", channel: COUNTER, categoryId: $c, areaId: $a }) { id }
      b: createRequest(input: { title: "搬家后的求助", body: "楼道灯坏了", channel: COUNTER, categoryId: $c, areaId: $b }) { id }
    }`, { c: await categoryId(app, 'HOUSING-REPAIR'), a: w.gridId, b: w.otherGridId });
    const id = await account('moving.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const { accessToken } = await signIn('moving.staff');
    const titles = async () =>
      (await gql('{ requests(first: 100) { edges { node { title } } } }', {}, bearer(accessToken))).json.data.requests.edges
        .map((edge: any) => edge.node.title)
        .filter((title: string) => title.startsWith('搬家'));
    expect(await titles()).toEqual(['搬家前的求助']);

    const stored = async () => (await app.orm.em.fork().execute(`select display_name, scope_area_id from account where username = 'moving.staff'`))[0];
    const before = await stored();
    for (const [input, field] of [
      [{ scopeAreaId: w.gridId }, 'input.scopeAreaId'],
      [{ scopeAreaId: null }, 'input.scopeAreaId'],
      [{ displayName: null }, 'input.displayName'],
      [{ displayName: '   ' }, 'input.displayName'],
      // Refused as a whole: the valid name beside the wrong area is not written either.
      [{ displayName: '不该写入', scopeAreaId: w.gridId }, 'input.scopeAreaId'],
    ] as const) {
      expectError(await app.execute(UPDATE, { id, input }), 'BAD_USER_INPUT', field);
    }
    expect(await stored()).toEqual(before);

    const moved = await ok(app, UPDATE, { id, input: { scopeAreaId: w.otherCommunityId, displayName: '调岗的社工' } });
    expect(moved.updateAccount).toEqual({ username: 'moving.staff', displayName: '调岗的社工', scopeArea: { id: w.otherCommunityId } });
    expect(await titles()).toEqual(['搬家后的求助']);
    // Renaming alone keeps the scope.
    expect((await ok(app, UPDATE, { id, input: { displayName: '社工' } })).updateAccount.scopeArea).toEqual({ id: w.otherCommunityId });
  });

  test("an administrator's own scope stays; an analyst's may be everything", async () => {
    const UPDATE = `mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { scopeArea { id } } }`;
    const adminId = await account('self.mover', 'DISTRICT_ADMIN');
    const admin = await signIn('self.mover');
    const refused = await gql(UPDATE, { id: adminId, input: { scopeAreaId: w.communityId } }, bearer(admin.accessToken));
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopeAreaId' });
    const analystId = await account('wide.analyst', 'ANALYST', { scopeAreaId: w.communityId });
    expect((await gql(UPDATE, { id: analystId, input: { scopeAreaId: null } }, bearer(admin.accessToken))).json.data.updateAccount).toEqual({ scopeArea: null });
  });

  test('community staff may not reset, deactivate, unlock or move anyone, nor a portal change a password', async () => {
    const id = await account('target.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    await account('nosy.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const nosy = await signIn('nosy.staff');
    const UPDATE = `mutation($id: ID!) { updateAccount(id: $id, input: { displayName: "改名" }) { displayName } }`;
    for (const [query, variables] of [[RESET, { id, n: NEW_PASSWORD }], [ACTIVE, { id, a: false }], [UNLOCK, { id }], [UPDATE, { id }]] as const) {
      expect((await gql(query, variables, bearer(nosy.accessToken))).json.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expectError(await app.execute(CHANGE, { c: PASSWORD, n: NEW_PASSWORD }, portalViewer()), 'FORBIDDEN');
    expect((await gql(SIGN_IN, { u: 'target.staff', p: PASSWORD })).json.errors).toBeUndefined();
  });
});

describe('session writers take the account row first, then the token', () => {
  const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
  const UNLOCK = `mutation($id: ID!) { unlockAccount(id: $id) { signInLockedUntil } }`;

  /** A second connection holding the account row, as a password change or a failing sign-in does. */
  async function holdingAccount(username: string, work: (client: pg.Client, accountId: number) => Promise<void>, whileHeld: () => Promise<unknown>) {
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query('select id from account where username = $1 for update', [username]);
      const waiting = whileHeld();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await work(client, rows[0].id);
      await client.query('commit');
      return await waiting;
    } finally {
      await client.end();
    }
  }

  test('a refresh during a password change waits for it and is refused, no deadlock', async () => {
    await account('refresh.during.change', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const { refreshToken } = await signIn('refresh.during.change');
    const retriesBefore = transactionRetriesSoFar();
    const answer = (await holdingAccount(
      'refresh.during.change',
      async (client, accountId) => {
        // What endSessions does, while the refresh is waiting.
        await client.query('update refresh_token set revoked_at = now() where account_id = $1 and revoked_at is null', [accountId]);
      },
      () => gql(REFRESH, { t: refreshToken }),
    )) as Awaited<ReturnType<typeof gql>>;
    expect(answer.json.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    // It waited: not a deadlock that inTransaction quietly ran again.
    expect(transactionRetriesSoFar()).toBe(retriesBefore);
  });

  test('unlockAccount acts on the row as it is once locked, not on a copy read before', async () => {
    const id = await account('unlock.after.lock', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const answer = (await holdingAccount(
      'unlock.after.lock',
      async (client, accountId) => {
        // A fifth wrong password committing its lock while the unlock waits.
        await client.query(`update account set sign_in_locked_until = now() + interval '15 minutes' where id = $1`, [accountId]);
      },
      () => app.execute(UNLOCK, { id }),
    )) as { data: any };
    expect(answer.data.unlockAccount).toEqual({ signInLockedUntil: null });
    const [row] = await app.orm.em.fork().execute(`select sign_in_locked_until from account where username = 'unlock.after.lock'`);
    expect(row.sign_in_locked_until).toBeNull();
  });
});

describe('access tokens end with their session', () => {
  const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
  afterAll(() => app.clock.reset());

  test("a thief's access token stops working when the owner signs out with the copy the thief spent", async () => {
    await account('robbed.twice', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    const owner = await signIn('robbed.twice');
    const thief = (await gql(REFRESH, { t: owner.refreshToken })).json.data.refreshSession;
    expect((await gql('{ viewer { name } }', {}, bearer(thief.accessToken))).status).toBe(200);
    expect((await gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: owner.refreshToken })).json.data.signOut).toBe(true);
    for (const token of [thief.accessToken, owner.accessToken]) expect((await gql('{ viewer { name } }', {}, bearer(token))).status).toBe(401);
  });

  test("a replay revokes the family, and the thief's access token with it", async () => {
    await account('replayed.twice', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
    app.clock.set(new Date());
    const owner = (await app.execute(SIGN_IN, { u: 'replayed.twice', p: PASSWORD }, ANONYMOUS)).data.signIn;
    const thief = (await app.execute(REFRESH, { t: owner.refreshToken }, ANONYMOUS)).data.refreshSession;
    const other = (await app.execute(SIGN_IN, { u: 'replayed.twice', p: PASSWORD }, ANONYMOUS)).data.signIn;
    expect((await gql('{ viewer { name } }', {}, bearer(thief.accessToken))).status).toBe(200);
    app.clock.advance(60_000);
    expectError(await app.execute(REFRESH, { t: owner.refreshToken }, ANONYMOUS), 'UNAUTHENTICATED');
    expect((await gql('{ viewer { name } }', {}, bearer(thief.accessToken))).status).toBe(401);
    // The account's other session is another family: it goes on.
    expect((await gql('{ viewer { name } }', {}, bearer(other.accessToken))).status).toBe(200);
  });

  test('two administrators of everything binding each other at the same moment: one wins, one administrator of everything is left', async () => {
    const UPDATE = `mutation($id: ID!, $area: ID!) { updateAccount(id: $id, input: { scopeAreaId: $area }) { username } }`;
    const firstId = await account('mutual.first', 'DISTRICT_ADMIN');
    const secondId = await account('mutual.second', 'DISTRICT_ADMIN');
    const first = await signIn('mutual.first');
    const second = await signIn('mutual.second');
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    let answers: Awaited<ReturnType<typeof gql>>[];
    try {
      // Both rows held, so both requests are past identify() and waiting when the rows free up.
      await client.query('begin');
      await client.query(`select id from account where username in ('mutual.first', 'mutual.second') for update`);
      const pending = Promise.all([
        gql(UPDATE, { id: secondId, area: w.communityId }, bearer(first.accessToken)),
        gql(UPDATE, { id: firstId, area: w.communityId }, bearer(second.accessToken)),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.query('commit');
      answers = await pending;
    } finally {
      await client.end();
    }
    const codes = answers.map((answer) => answer.json.errors?.[0].extensions.code ?? 'OK').sort();
    expect(codes).toEqual(['FORBIDDEN', 'OK']);
    const unbound = await app.orm.em.fork().execute(`select count(*)::int as n from account where username in ('mutual.first', 'mutual.second') and scope_area_id is null`);
    expect(unbound[0].n).toBe(1);
  });
});

test('an administrator filters accounts by role, active, locked now and name', async () => {
  await account('filter.staff', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
  const analystId = await account('filter.analyst', 'ANALYST');
  await account('filter.locked', 'COMMUNITY_STAFF', { scopeAreaId: w.communityId });
  await ok(app, `mutation($id: ID!) { setAccountActive(id: $id, active: false) { active } }`, { id: analystId });
  for (let i = 0; i < SIGN_IN_LOCKOUT.failures; i += 1) await gql(SIGN_IN, { u: 'filter.locked', p: `guess ${i}` });
  const names = async (filter: Record<string, unknown>) =>
    (await ok(app, `query($filter: AccountFilter) { accounts(first: 100, filter: $filter) { totalCount edges { node { username } } } }`, { filter })).accounts.edges
      .map((edge: any) => edge.node.username)
      .sort();
  expect(await names({ search: 'FILTER.' })).toEqual(['filter.analyst', 'filter.locked', 'filter.staff']);
  expect(await names({ search: 'filter.', roles: ['ANALYST'] })).toEqual(['filter.analyst']);
  expect(await names({ search: 'filter.', active: false })).toEqual(['filter.analyst']);
  expect(await names({ search: 'filter.', active: true, roles: ['COMMUNITY_STAFF'] })).toEqual(['filter.locked', 'filter.staff']);
  expect(await names({ search: 'filter.', signInLocked: true })).toEqual(['filter.locked']);
  expect(await names({ search: 'filter.', signInLocked: false })).toEqual(['filter.analyst', 'filter.staff']);
  expect(await names({ search: '%' })).toEqual([]);
  expectError(await app.execute(`{ accounts(filter: { search: "${'x'.repeat(61)}" }) { totalCount } }`), 'BAD_USER_INPUT');
});
