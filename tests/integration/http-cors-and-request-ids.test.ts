import { loadConfig } from '../../src/config/env';
import { MemoryTokenBucket } from '../../src/hardening/rate-limit';
import { createServer, type AppServer } from '../../src/server';
import { TEST_JWT_SECRET, createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/*
 * Found by a review of the HTTP layer as a dashboard on another origin meets it. The CORS headers
 * were added after the credential check and the rate limiter, so an expired token's 401 (the
 * dashboard's cue to refresh the session) and a 429 reached the browser without
 * Access-Control-Allow-Origin: the browser hides such a response, and the dashboard saw a network
 * error instead of UNAUTHENTICATED or RATE_LIMITED. The request id, Retry-After and
 * RateLimit-Remaining were not exposed to the page either, and the answers refused before
 * GraphQL ran (malformed JSON, bad credential, rate limited) carried no request id at all.
 */

const ORIGIN = 'https://dashboard.example.org';
let app: TestApp;
let base: string;
let limited: AppServer;
let limitedBase: string;
beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
  limited = await createServer({ config, orm: app.orm, logger: silentLogger, rateLimiter: new MemoryTokenBucket({ perMinute: 60, burst: 1 }) });
  limitedBase = `http://127.0.0.1:${await limited.listen(0)}`;
});
afterAll(async () => {
  await limited?.stop();
  await app?.close();
});

const post = (url: string, headers: Record<string, string>, body = JSON.stringify({ query: '{ __typename }' })) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers }, body });

const exposed = (response: Response) => (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);

test('an expired token, a bad key and a rate-limited request answer a cross-origin page with CORS headers it can read', async () => {
  const badToken = await post(base, { authorization: 'Bearer not-a-token' });
  expect(badToken.status).toBe(401);
  expect(badToken.headers.get('access-control-allow-origin')).toBe('*');
  expect(((await badToken.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');

  const badKey = await post(base, { 'x-api-key': 'gjk_nope' });
  expect(badKey.status).toBe(401);
  expect(badKey.headers.get('access-control-allow-origin')).toBe('*');

  expect((await post(limitedBase, {})).status).toBe(200);
  const tooMany = await post(limitedBase, {});
  expect(tooMany.status).toBe(429);
  expect(tooMany.headers.get('access-control-allow-origin')).toBe('*');
  expect(exposed(tooMany)).toEqual(expect.arrayContaining(['retry-after', 'ratelimit-remaining', 'x-request-id']));
});

test('a preflight is answered without spending the address\'s rate-limit bucket', async () => {
  // The address's bucket of the limited server is empty after the test above: preflights still pass.
  for (let i = 0; i < 3; i += 1) {
    const preflight = await fetch(`${limitedBase}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  }
});

test('every answer of /graphql carries a request id the page may read, also those refused before GraphQL runs', async () => {
  const ok = await post(base, { 'x-request-id': 'dash-1' });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('x-request-id')).toBe('dash-1');
  expect(exposed(ok)).toContain('x-request-id');

  const malformed = await post(base, {}, '{"query": "{ __typename }"');
  expect(malformed.status).toBe(400);
  expect(malformed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

  const refused = await post(base, { authorization: 'Bearer not-a-token', 'x-request-id': 'dash-2' });
  expect(refused.status).toBe(401);
  expect(refused.headers.get('x-request-id')).toBe('dash-2');
});

test('a client request id that is long or carries other characters is replaced by one of ours; a plain one is kept', async () => {
  // Echoed in the answer and written to every log line of the request: never the client's raw bytes.
  for (const given of ['a'.repeat(500), 'id with spaces', 'x\tlevel="60"', 'caf\u00e9', '{"msg":"forged"}']) {
    const response = await post(base, { 'x-request-id': given });
    expect({ given, id: response.headers.get('x-request-id') }).toEqual({ given, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  }
  expect((await post(base, { 'x-request-id': 'trace.01_A-b' })).headers.get('x-request-id')).toBe('trace.01_A-b');
});
