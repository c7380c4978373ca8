import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { loadConfig } from '../../src/config/env';
import { createSchema } from '../../src/schema';
import { createServer, type AppServer } from '../../src/server';
import { TEST_JWT_SECRET, createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/**
 * The page a browser gets at /graphql: GraphiQL from this server's own files (a government
 * intranet has no CDN), its sign-in helper working against the real server; in production a
 * plain note with no script.
 */

let app: TestApp;
let base: string;
let production: AppServer;
let productionBase: string;
beforeAll(async () => {
  app = await createTestApp();
  base = `http://127.0.0.1:${await app.server.listen(0)}`;
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, RESIDENT_HASH_SALT: 'test-resident-salt-0123' } as NodeJS.ProcessEnv);
  production = await createServer({ config, orm: app.orm, logger: silentLogger });
  productionBase = `http://127.0.0.1:${await production.listen(0)}`;
});
afterAll(async () => {
  await production?.stop();
  await app?.close();
});

const page = async (at: string) => {
  const response = await fetch(`${at}/graphql`, { headers: { accept: 'text/html' } });
  return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
};
const scriptsOf = (html: string) => [...html.matchAll(/<script([^>]*)>/g)].map((match) => /src="([^"]+)"/.exec(match[1])?.[1] ?? null);
const stylesheetsOf = (html: string) => [...html.matchAll(/<link[^>]*href="([^"]+)"/g)].map((match) => match[1]);

describe('outside production', () => {
  test('the page loads GraphiQL from this server only, with no inline script and a policy allowing nothing else', async () => {
    const { status, type, html } = await page(base);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(scriptsOf(html)).toEqual(['/explorer/react.production.min.js', '/explorer/react-dom.production.min.js', '/explorer/graphiql.min.js', '/explorer/start.js']);
    expect(stylesheetsOf(html)).toEqual(['/explorer/graphiql.min.css']);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`script-src 'self';`);
    expect(html).toContain(`connect-src 'self'`);
  });

  test.each([
    ['react.production.min.js', 'react', 'umd/react.production.min.js', /^text\/javascript/],
    ['react-dom.production.min.js', 'react-dom', 'umd/react-dom.production.min.js', /^text\/javascript/],
    ['graphiql.min.js', 'graphiql', 'graphiql.min.js', /^text\/javascript/],
    ['graphiql.min.css', 'graphiql', 'graphiql.min.css', /^text\/css/],
  ])('/explorer/%s is the installed package file', async (name, pkg, file, type) => {
    const response = await fetch(`${base}/explorer/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(type);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file)))).toBe(true);
  });

  test('an unknown explorer file is 404, and /explorer serves nothing else', async () => {
    expect((await fetch(`${base}/explorer/../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/explorer/package.json`)).status).toBe(404);
  });

  /** Runs start.js as the browser would, with stand-ins for React and GraphiQL that keep GraphiQL's props; fetch is the real one, to this server. */
  async function startExplorer(): Promise<{ fetcher: (params: unknown, options?: { headers?: Record<string, string> }) => Promise<any>; props: Record<string, unknown> }> {
    const script = await (await fetch(`${base}/explorer/start.js`)).text();
    let rendered: { props: Record<string, unknown> } | undefined;
    const sandbox = {
      fetch: (url: string, init: RequestInit) => fetch(new URL(url, base), init),
      GraphiQL: function GraphiQL() {},
      React: { createElement: (_type: unknown, props: Record<string, unknown>) => ({ props }) },
      ReactDOM: { createRoot: () => ({ render: (element: { props: Record<string, unknown> }) => void (rendered = element) }) },
      document: { getElementById: (id: string) => ({ id }) },
    };
    vm.runInNewContext(script, sandbox);
    if (!rendered) throw new Error('start.js rendered nothing');
    return { fetcher: rendered.props.fetcher as any, props: rendered.props };
  }

  /** An ANALYST account created by the administrator over HTTP; its id. */
  async function createAnalyst(username: string, password: string): Promise<string> {
    const created = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await app.adminAuthorization()) },
      body: JSON.stringify({
        query: `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`,
        variables: { input: { username, displayName: '浏览者', password, role: 'ANALYST' } },
      }),
    }).then((response) => response.json() as Promise<any>);
    expect(created.errors).toBeUndefined();
    return created.data.createAccount.id as string;
  }

  test('signing in through the page: later operations carry the token; a refused one is forgotten and the operation answered without it', async () => {
    const admin = await app.adminAuthorization();
    const password = 'explorer-test-password';
    const accountId = await createAnalyst('explorer.user', password);

    const { fetcher, props } = await startExplorer();
    expect(props.defaultQuery).toMatch(/mutation SignIn/);
    const VIEWER = { query: '{ viewer { kind role } }' };
    expect(await fetcher(VIEWER)).toEqual({ data: { viewer: { kind: 'anonymous', role: null } } });

    const signedIn = await fetcher({ query: `mutation { signIn(input: { username: "explorer.user", password: "${password}" }) { accessToken } }` });
    expect(typeof signedIn.data.signIn.accessToken).toBe('string');
    expect(await fetcher(VIEWER)).toEqual({ data: { viewer: { kind: 'account', role: 'ANALYST' } } });
    // A credential set in the Headers tab wins over the remembered token.
    expect(await fetcher(VIEWER, { headers: { Authorization: admin.authorization } })).toEqual({ data: { viewer: { kind: 'account', role: 'DISTRICT_ADMIN' } } });

    // The account switched off: its token is refused (401); the page forgets it and asks again without it.
    const off = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ query: `mutation($id: ID!) { setAccountActive(id: $id, active: false) { active } }`, variables: { id: accountId } }),
    }).then((response) => response.json() as Promise<any>);
    expect(off.data.setAccountActive.active).toBe(false);
    expect(await fetcher(VIEWER)).toEqual({ data: { viewer: { kind: 'anonymous', role: null } } });
  });

  test('signing out through the page forgets the token, under an alias too', async () => {
    const password = 'explorer-signout-password';
    await createAnalyst('explorer.leaver', password);
    const VIEWER = { query: '{ viewer { kind role } }' };
    for (const signOut of ['signOut', 'bye: signOut']) {
      const { fetcher } = await startExplorer();
      const signedIn = await fetcher({ query: `mutation { signIn(input: { username: "explorer.leaver", password: "${password}" }) { accessToken refreshToken } }` });
      expect(await fetcher(VIEWER)).toEqual({ data: { viewer: { kind: 'account', role: 'ANALYST' } } });
      const out = await fetcher({ query: `mutation($t: String!) { ${signOut}(refreshToken: $t) }`, variables: { t: signedIn.data.signIn.refreshToken } });
      expect(Object.values(out.data)).toEqual([true]);
      // signOut ends the session at once: the page's next operation is refused (401), forgets the token and goes anonymous.
      expect(await fetcher(VIEWER)).toEqual({ data: { viewer: { kind: 'anonymous', role: null } } });
    }
  });

  test('a Content-Type (or Accept) set in the Headers tab, as other explorers need, does not break the operation', async () => {
    const { fetcher } = await startExplorer();
    const VIEWER = { query: '{ viewer { kind } }' };
    expect(await fetcher(VIEWER)).toEqual({ data: { viewer: { kind: 'anonymous' } } });
    expect(await fetcher(VIEWER, { headers: { 'Content-Type': 'application/json' } })).toEqual({ data: { viewer: { kind: 'anonymous' } } });
    expect(await fetcher(VIEWER, { headers: { Accept: 'application/json' } })).toEqual({ data: { viewer: { kind: 'anonymous' } } });
  });

  test("GraphiQL's introspection (deeper than the depth limit lets through /graphql) is answered from the schema itself", async () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });
    const direct = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName: 'IntrospectionQuery' }) });
    expect(((await direct.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const { fetcher } = await startExplorer();
    const answer = await fetcher({ query, operationName: 'IntrospectionQuery' });
    const schema = buildClientSchema(answer.data);
    expect(printSchema(schema)).toBe(printSchema(await createSchema()));
  });
});

describe('in production', () => {
  test('the page is a plain note: no script, nothing loaded from anywhere, and no explorer files', async () => {
    const { status, type, html } = await page(productionBase);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(scriptsOf(html)).toEqual([]);
    expect(stylesheetsOf(html)).toEqual([]);
    expect(html).not.toMatch(/https?:\/\/|EmbeddedSandbox/);
    expect(html).toContain(`default-src 'none'`);
    expect((await fetch(`${productionBase}/explorer/graphiql.min.js`)).status).toBe(404);
    expect((await fetch(`${productionBase}/explorer/schema.json`)).status).toBe(404);
  });
});
