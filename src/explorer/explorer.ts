import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';
import { introspectionFromSchema, type GraphQLSchema } from 'graphql';

/**
 * The page a browser gets at /graphql: GraphiQL served from this server's own node_modules, not
 * Apollo's Sandbox, which loads from Apollo's CDN and shows a blank page on a government intranet
 * or any network without the internet (this machine's included). In production the page is a
 * plain note with no script: no explorer to hand strangers, and nothing fetched from elsewhere.
 */

export const EXPLORER_PATH = '/explorer';

const resolve = createRequire(__filename).resolve;

/**
 * What the page loads, by the name it is served under: React 18's browser builds, then GraphiQL's (which
 * expects them as globals). GraphiQL 3.9 is pinned: 4.x still ships this browser build but deprecates
 * it, 5 has none (React 19 has no browser build either).
 */
const PACKAGE_FILES: Readonly<Record<string, { pkg: string; file: string; type: string }>> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/** A file of an installed package, found through its package.json (the packages' exports do not list their browser builds). */
export function packageFile(pkg: string, file: string): string {
  return join(dirname(resolve(`${pkg}/package.json`)), file);
}

/** What the editor holds the first time: how to sign in here, and a first operation to run. */
const DEFAULT_QUERY = [
  '# Gongjian GraphQL API: the README has an example for every root field.',
  '# Run SignIn first (demo: admin, street, community or analyst,',
  '# password gongjian-demo). This page then sends its accessToken',
  '# as Authorization on the operations that follow, unless the',
  '# Headers tab sets Authorization (or X-Api-Key, a portal key).',
  '',
  'mutation SignIn {',
  '  signIn(input: { username: "admin", password: "gongjian-demo" }) {',
  '    accessToken',
  '    account { username role scopeArea { name } }',
  '  }',
  '}',
  '',
  'query Viewer {',
  '  viewer { kind role }',
  '}',
  '',
].join('\n');

/**
 * Starts GraphiQL. Kept out of the page as a file of its own so a strict Content-Security-Policy
 * (script-src 'self', no inline script) allows it. Its fetcher remembers the accessToken of the
 * last signIn or refreshSession answered in this tab (in memory only) and sends it as Authorization
 * on later operations unless the Headers tab sets Authorization or X-Api-Key itself; a remembered
 * token the server refuses (401: expired, signed out) is forgotten and the operation sent again
 * without it, so signing in again always works. GraphiQL's own introspection query is 21 levels
 * deep, past the depth limit every operation must pass (graphql-limits.ts, which refuses circular
 * introspection), so the fetcher answers it from schema.json, the same schema introspected here.
 */
const START_SCRIPT = `(function () {
  var remembered = null;
  function send(params, headers) {
    return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' })
      .then(function (response) { return response.json().then(function (body) { return { status: response.status, body: body }; }); });
  }
  function fetcher(params, options) {
    if (params && params.operationName === 'IntrospectionQuery') {
      return fetch('${EXPLORER_PATH}/schema.json').then(function (response) { return response.json(); });
    }
    var own = (options && options.headers) || {};
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    var credentialSet = false;
    // By lower-case name: a Content-Type or Accept of the Headers tab replaces ours (a second one
    // under another case was sent alongside it, "application/json, application/json", and refused).
    Object.keys(own).forEach(function (name) {
      headers[name.toLowerCase()] = own[name];
      if (/^(authorization|x-api-key)$/i.test(name)) credentialSet = true;
    });
    var usesRemembered = !credentialSet && remembered !== null;
    if (usesRemembered) headers.authorization = 'Bearer ' + remembered;
    return send(params, headers).then(function (answer) {
      if (answer.status === 401 && usesRemembered) {
        remembered = null;
        delete headers.authorization;
        return send(params, headers);
      }
      return answer;
    }).then(function (answer) {
      var data = answer.body && answer.body.data;
      if (data) {
        Object.keys(data).forEach(function (field) {
          var value = data[field];
          if (value && typeof value.accessToken === 'string') remembered = value.accessToken;
        });
        if (data.signOut !== undefined && data.signOut !== null) remembered = null;
      }
      return answer.body;
    });
  }
  var defaultQuery = ${JSON.stringify(DEFAULT_QUERY)};
  ReactDOM.createRoot(document.getElementById('explorer')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, defaultEditorToolsVisibility: true, shouldPersistHeaders: false })
  );
})();
`;

/** The explorer page: only this server's own files, allowed by its policy and nothing else. */
export function explorerPage(): string {
  const asset = (name: string) => `${EXPLORER_PATH}/${name}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'">
<title>Gongjian GraphQL</title>
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('start.js')}"></script>
</body>
</html>
`;
}

/** The production page: what this URL is, no script, nothing loaded. */
export function productionPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>Gongjian GraphQL API</title></head>
<body>
<h1>Gongjian GraphQL API</h1>
<p>Send GraphQL operations to this URL with <code>POST</code> and <code>content-type: application/json</code>:
staff with <code>Authorization: Bearer &lt;accessToken&gt;</code> (from <code>signIn</code>), portals with <code>X-Api-Key</code>.</p>
</body>
</html>
`;
}

/** The Apollo plugin answering a browser's GET of /graphql with one of the two pages. */
export function landingPagePlugin(production: boolean): ApolloServerPlugin {
  const html = production ? productionPage() : explorerPage();
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

/**
 * Serves the explorer's files under EXPLORER_PATH (none in production, which has no explorer), and
 * the schema's introspection (outside production anyone may introspect: no more than /graphql tells).
 * Each is resolved once at start-up, so a missing package fails the start, not a browser later.
 */
export function explorerAssets(schema: GraphQLSchema): express.Router {
  const router = express.Router();
  let introspection: string | undefined;
  router.get('/schema.json', (_req, res) => {
    introspection ??= JSON.stringify({ data: introspectionFromSchema(schema) });
    res.set({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }).send(introspection);
  });
  const cacheFor = 'public, max-age=86400';
  for (const [name, { pkg, file, type }] of Object.entries(PACKAGE_FILES)) {
    const path = packageFile(pkg, file);
    if (!existsSync(path)) throw new Error(`the explorer's ${file} is missing from the ${pkg} package (${path})`);
    router.get(`/${name}`, (_req, res) => {
      res.sendFile(path, { headers: { 'content-type': type, 'cache-control': cacheFor } });
    });
  }
  router.get('/start.js', (_req, res) => {
    res.set({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).send(START_SCRIPT);
  });
  return router;
}
