import http from 'node:http';
import { loadConfig } from '../../src/config/env';
import { MemoryTokenBucket } from '../../src/hardening/rate-limit';
import { createServer, type AppServer } from '../../src/server';
import { TEST_JWT_SECRET, createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/** What attackers send, over real HTTP; each must be refused cleanly and the server must stay up. */
let app: TestApp;
let base: string;
/** Requests carry an administrator's token unless a test sends its own headers without one. */
let auth: { authorization: string };

beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  auth = await app.adminAuthorization();
});
afterAll(async () => {
  await app?.close();
});

async function post(body: string | object, headers: Record<string, string> = { 'content-type': 'application/json' }, url = `${base}/graphql`) {
  const response = await fetch(url, { method: 'POST', headers: { ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, json, text, headers: response.headers };
}

async function stillUp() {
  const health = await fetch(`${base}/health`);
  expect(health.status).toBe(200);
  const query = await post({ query: '{ districts { totalCount } }' });
  expect(query.json).toEqual({ data: { districts: { totalCount: 0 } } });
}

function refusedBeforeExecution(result: { status: number; json: any }, code = 'GRAPHQL_VALIDATION_FAILED') {
  expect(result.status).toBe(400);
  expect(result.json.errors[0].extensions.code).toBe(code);
  expect(result.json.data).toBeUndefined();
}

afterEach(async () => {
  await stillUp();
});

test('alias overloading: 150 aliases of one field', async () => {
  const query = `{ ${Array.from({ length: 150 }, (_, i) => `a${i}: districts { totalCount }`).join(' ')} }`;
  refusedBeforeExecution(await post({ query }));
});

test('field duplication: the same field 5,000 times', async () => {
  const query = `{ districts { ${'totalCount '.repeat(5000)} } }`;
  const result = await post({ query });
  refusedBeforeExecution(result);
  expect(result.json.errors[0].message).toMatch(/tokens/);
});

test('a GET document past the token limit is refused, also behind 1,000 other URL parameters', async () => {
  // Express's req.query stops at 1,000 parameters; Apollo reads every one (found by a review of the HTTP layer).
  const document = `{districts{${'id+'.repeat(3200)}}}`;
  const padding = Array.from({ length: 1000 }, () => 'p=').join('&');
  for (const url of [`${base}/graphql?query=${document}`, `${base}/graphql?${padding}&query=${document}`]) {
    const response = await fetch(url, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
    const result = { status: response.status, json: (await response.json()) as any };
    refusedBeforeExecution(result);
    expect(result.json.errors[0].extensions.limit).toBe('maxTokens');
  }
});

test('directive overloading: 50 @include on one field', async () => {
  const query = `{ districts ${'@include(if: true) '.repeat(50)} { totalCount } }`;
  refusedBeforeExecution(await post({ query }));
});

test('deep nesting through relations', async () => {
  let selection = 'id';
  for (let i = 0; i < 8; i += 1) selection = `parent { ... on Community { street { communities(first: 1) { edges { node { ${selection} } } } } } }`;
  refusedBeforeExecution(await post({ query: `{ communities(first: 1) { edges { node { ${selection} } } } }` }));
});

test('circular introspection', async () => {
  let type = 'name';
  for (let i = 0; i < 15; i += 1) type = `ofType { ${type} }`;
  refusedBeforeExecution(await post({ query: `{ __schema { types { fields { type { ${type} } } } } }` }));
});

test('huge nested pages: within first ≤ 100 but multiplying to over 50,000 nodes', async () => {
  const query = '{ communities(first: 100) { edges { node { grids(first: 100) { edges { node { buildings(first: 100) { totalCount } } } } } } } }';
  const result = await post({ query });
  refusedBeforeExecution(result);
  expect(result.json.errors[0].extensions.limit).toBe('maxNodes');
  // The same count hidden in variables is caught too.
  const withVariables = await post({ query: 'query($n: Int) { communities(first: $n) { edges { node { grids(first: $n) { edges { node { buildings(first: $n) { totalCount } } } } } } } }', variables: { n: 100 } });
  refusedBeforeExecution(withVariables);
});

test('nodes(ids:) multiplies what is under it by the ids it is given: 100 copies of one id cannot hide a hundredfold answer', async () => {
  const district = Buffer.from('District:1').toString('base64url');
  const selection = `... on District { streets(first: 3) { edges { node { communities(first: 4) { edges { node { grids(first: 100) { edges { node { name } } } } } } } } } }`;
  const aliases = (count: number) => Array.from({ length: count }, (_, i) => `a${i}: nodes(ids: $ids) { ${selection} }`).join(' ');
  // 1,215 nodes per id: 2 aliases of 100 ids ask for ~243,000, which the estimate used to count as 2,430.
  const refused = await post({ query: `query($ids: [ID!]!) { ${aliases(2)} }`, variables: { ids: Array(100).fill(district) } });
  refusedBeforeExecution(refused);
  expect(refused.json.errors[0].extensions.limit).toBe('maxNodes');
  const literal = await post({ query: `{ nodes(ids: [${Array(100).fill(`"${district}"`).join(', ')}]) { ${selection} } a: nodes(ids: [${Array(100).fill(`"${district}"`).join(', ')}]) { ${selection} } }` });
  refusedBeforeExecution(literal);
  // Nor may a variable's default value hide them (nor a page size).
  const byDefault = await post({ query: `query($ids: [ID!]! = [${Array(100).fill(`"${district}"`).join(', ')}]) { ${aliases(2)} }` });
  refusedBeforeExecution(byDefault);
  const firstByDefault = await post({ query: 'query($n: Int = 100) { communities(first: $n) { edges { node { grids(first: $n) { edges { node { buildings(first: $n) { totalCount } } } } } } } }' });
  refusedBeforeExecution(firstByDefault);
  // A few ids stay well within the limit.
  const fine = await post({ query: `query($ids: [ID!]!) { ${aliases(1)} }`, variables: { ids: [district] } });
  expect(fine.json.errors).toBeUndefined();
});

test('first: 99999999 and first beyond 32 bits', async () => {
  // The node limit sees it before any resolver (or argument validation) runs.
  const big = await post({ query: '{ communities(first: 99999999) { totalCount } }' });
  refusedBeforeExecution(big);
  expect(big.json.errors[0].extensions.limit).toBe('maxNodes');
  const overflow = await post({ query: '{ communities(first: 99999999999) { totalCount } }' });
  expect(overflow.status).toBe(400);
  expect(overflow.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('batched arrays of operations are refused', async () => {
  const result = await post([{ query: '{ districts { totalCount } }' }, { query: '{ districts { totalCount } }' }]);
  expect(result.status).toBe(400);
});

test('a huge string argument and a body over the 8 MB limit', async () => {
  const longSearch = await post({ query: 'query($s: String) { communities(filter: { search: $s }) { totalCount } }', variables: { s: '幸'.repeat(100_000) } });
  expect(longSearch.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  const huge = await post({ query: '{ districts { totalCount } }', variables: { padding: 'x'.repeat(9_000_000) } });
  expect(huge.status).toBe(413);
  expect(huge.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
});

test('invalid UTF-8 and malformed JSON are client errors', async () => {
  const invalidUtf8 = await new Promise<number>((resolve, reject) => {
    const request = http.request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(Buffer.concat([Buffer.from('{"query":"{ districts { totalCount } }","x":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]));
  });
  expect(invalidUtf8).toBeGreaterThanOrEqual(400);
  expect(invalidUtf8).toBeLessThan(500);
  const malformed = await post('{"query": ');
  expect(malformed.status).toBe(400);
  expect(malformed.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  // The answer does not quote the body back: it may hold personal data (found by a privacy review).
  for (const body of ['13812345678 王建国', '"370102199001011237"', `{"query":"{ districts { totalCount } }","phone":"13812345678", "x":'a'}}`]) {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0]).toEqual({ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
  }
});

test('wrong content types and GET mutations are refused', async () => {
  expect((await post(JSON.stringify({ query: '{ districts { totalCount } }' }), { 'content-type': 'text/plain' })).status).toBe(400);
  expect((await post('query=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
  const mutation = encodeURIComponent('mutation { createDistrict(input: { name: "x", code: "GET1" }) { id } }');
  const get = await fetch(`${base}/graphql?query=${mutation}`, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
  expect(get.status).toBe(405);
});

test('the README\'s largest dashboard documents pass the limits', async () => {
  const overview = await post({
    query: `{ communities(first: 50) { totalCount edges { node { id name gridCount unitCount pairedUnitCount partyMemberCount street { name }
      grids(first: 100) { totalCount edges { node { name buildingCount workerCount } } }
      units(first: 10) { totalCount edges { node { name kind contactPhone } } }
      alliance { name model memberCount members(first: 50) { edges { node { role seatTitle unit { name kind } seatHolder { name phone } } } } } } } } }`,
  });
  expect(overview.status).toBe(200);
  expect(overview.json.errors).toBeUndefined();
});

describe('rate limits', () => {
  let limited: AppServer;
  let limitedBase: string;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
    limited = await createServer({ config, orm: app.orm, logger: silentLogger, rateLimiter: new MemoryTokenBucket({ perMinute: 60, burst: 3 }) });
    limitedBase = `http://127.0.0.1:${await limited.listen(0)}`;
  });
  afterAll(async () => {
    await limited.stop();
  });

  test('past the burst a client gets 429 RATE_LIMITED with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 5; i += 1) {
      last = await post({ query: '{ districts { totalCount } }' }, { 'content-type': 'application/json' }, `${limitedBase}/graphql`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.json.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    expect(last!.headers.get('retry-after')).toBe('1');
  });

  /** An anonymous request (so keyed by address) as a proxy on this host (trusted: loopback) forwards it from `address`. */
  const from = async (address: string) =>
    (await fetch(`${limitedBase}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ query: '{ viewer { kind } }' }) })).status;

  test('an IPv6 client does not get a fresh bucket from each address of its /64', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i += 1) statuses.push(await from(`2001:db8:1:2::${i.toString(16)}`));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await from('2001:db8:1:3::1')).toBe(200);
  });

  test('a proxy writing the client\'s port into X-Forwarded-For gives no fresh bucket per connection', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i += 1) statuses.push(await from(`203.0.113.5:5123${i}`));
    for (let i = 1; i <= 5; i += 1) statuses.push(await from(`[2001:db8:5:6::${i}]:44${i}`));
    expect(statuses).toEqual([200, 200, 200, 429, 429, 200, 200, 200, 429, 429]);
  });
});

describe('TRUST_PROXY', () => {
  const fromEach = async (base: string) => {
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` }, body: JSON.stringify({ query: '{ viewer { kind } }' }) });
      statuses.push(response.status);
    }
    return statuses;
  };
  const serverTrusting = async (trustProxy: string) => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, TRUST_PROXY: trustProxy } as NodeJS.ProcessEnv);
    const server = await createServer({ config, orm: app.orm, logger: silentLogger, rateLimiter: new MemoryTokenBucket({ perMinute: 60, burst: 3 }) });
    return { server, base: `http://127.0.0.1:${await server.listen(0)}` };
  };

  test('a proxy not trusted (false, or one on another host) is one client: X-Forwarded-For buys no fresh bucket; a trusted one forwards each caller', async () => {
    const untrusted = await serverTrusting('false');
    const trusted = await serverTrusting('127.0.0.1');
    try {
      expect(await fromEach(untrusted.base)).toEqual([200, 200, 200, 429, 429]);
      expect(await fromEach(trusted.base)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await untrusted.server.stop();
      await trusted.server.stop();
    }
  });
});

describe('production mode', () => {
  let production: AppServer;
  let productionBase: string;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, RESIDENT_HASH_SALT: 'test-resident-salt-0123' } as NodeJS.ProcessEnv);
    production = await createServer({ config, orm: app.orm, logger: silentLogger });
    productionBase = `http://127.0.0.1:${await production.listen(0)}`;
  });
  afterAll(async () => {
    await production.stop();
  });

  test('no introspection for anonymous callers, no "Did you mean", no stack traces; staff may introspect', async () => {
    const anonymous = await fetch(`${productionBase}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) });
    expect(anonymous.status).toBe(400);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const staff = await post({ query: '{ __schema { queryType { name } } }' }, { 'content-type': 'application/json' }, `${productionBase}/graphql`);
    expect(staff.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await post({ query: '{ communitie { totalCount } }' }, { 'content-type': 'application/json' }, `${productionBase}/graphql`);
    expect(typo.text).not.toMatch(/Did you mean/);
    expect(typo.text).not.toMatch(/stacktrace|at .*\.js/);
    const dev = await post({ query: '{ communitie { totalCount } }' });
    expect(dev.text).toMatch(/Did you mean/);
  });
});
