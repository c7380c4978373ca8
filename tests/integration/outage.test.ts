import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../../src/common/errors';
import { isExpectedError } from '../../src/common/format-error';
import { isDatabaseUnavailable, translateDatabaseError } from '../../src/common/transaction';
import net from 'node:net';
import { loadConfig } from '../../src/config/env';
import { SYSTEM_VIEWER, createContext } from '../../src/context/context';
import { initOrm } from '../../src/db/database';
import { District } from '../../src/modules/area/area.entity';
import { createServer, type AppServer } from '../../src/server';
import { createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

/**
 * A TCP proxy between the server and PostgreSQL stages the outage: while "down" it cuts
 * every open connection and refuses new ones, as a stopped or unreachable database would.
 */
class Cable {
  private readonly sockets = new Set<net.Socket>();
  private connected = true;
  readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (!this.connected) return client.destroy();
      if (this.holds(client)) return;
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      this.pairs.push([client, upstream]);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  unplug(): void {
    this.connected = false;
    for (const socket of this.sockets) socket.destroy();
  }

  plugIn(): void {
    this.connected = true;
  }

  private frozen = false;
  private readonly held = new Set<net.Socket>();
  private readonly pairs: [client: net.Socket, upstream: net.Socket][] = [];

  /**
   * A frozen server (SIGSTOP, or a network dropping packets): connections stay open and
   * nothing comes back; new ones are accepted and never answered.
   */
  freeze(): void {
    this.frozen = true;
    // Unpiped, not only paused: a pipe resumes its source on the destination's 'drain'.
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
    }
  }

  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    for (const [client, upstream] of this.pairs) {
      if (client.destroyed || upstream.destroyed) continue;
      client.pipe(upstream);
      upstream.pipe(client);
    }
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  /** Whether a new connection is to be held unanswered (frozen). */
  holds(client: net.Socket): boolean {
    if (!this.frozen) return false;
    this.held.add(client);
    client.on('error', () => undefined);
    return true;
  }

  close(): Promise<void> {
    this.thaw();
    this.unplug();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let app: TestApp;
let cable: Cable;
let orm: MikroORM;
let server: AppServer;

async function run(query: string) {
  const response = await server.apollo.executeOperation({ query }, { contextValue: createContext(orm, silentLogger, undefined, undefined, SYSTEM_VIEWER) });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return JSON.parse(JSON.stringify(response.body.singleResult));
}

beforeAll(async () => {
  app = await createTestApp();
  const url = new URL(app.databaseUrl);
  cable = new Cable({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(await cable.listen());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  orm = await initOrm(url.toString(), config);
  server = await createServer({ config, orm, logger: silentLogger });
});
afterAll(async () => {
  await server?.stop();
  await orm?.close(true);
  await cable?.close();
  await app?.close();
});

test('while the database is down requests fail fast with SERVICE_UNAVAILABLE; afterwards the server recovers by itself', async () => {
  const created = await run('mutation { createDistrict(input: { name: "示范区", code: "370199" }) { id } }');
  expect(created.errors).toBeUndefined();

  cable.unplug();
  const started = Date.now();
  const read = await run('{ districts { totalCount } }');
  const write = await run('mutation { createDistrict(input: { name: "断线区", code: "OUTAGE1" }) { id } }');
  expect(Date.now() - started).toBeLessThan(12_000); // two requests, each bounded by the 5 s acquire timeout
  expect(read.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(write.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(write.errors?.[0].message).toMatch(/nothing was changed/);

  const port = await server.listen(0);
  const ready = await fetch(`http://127.0.0.1:${port}/ready`);
  expect(ready.status).toBe(503);
  expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

  cable.plugIn();
  const after = await run('{ districts { totalCount edges { node { code } } } }');
  expect(after.errors).toBeUndefined();
  // The write acknowledged before the outage is there; the one refused during it is not.
  expect(after.data.districts.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['370199']);
  expect(await app.orm.em.fork().count(District, {})).toBe(1);
  expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
}, 60_000);

test('a statement cancelled by the statement timeout is a typed REQUEST_TIMEOUT (nothing changed), not a masked internal error', async () => {
  const em = app.orm.em.fork();
  const error = await em
    .transactional(async (tem) => {
      await tem.execute(`set local statement_timeout = '50ms'`);
      await tem.execute('select pg_sleep(1)');
    })
    .catch((caught: unknown) => caught);
  const translated = translateDatabaseError(error);
  expect(translated).toBeInstanceOf(AppError);
  expect((translated as AppError).code).toBe(ErrorCode.REQUEST_TIMEOUT);
  expect((translated as AppError).message).toMatch(/nothing was changed/);
  expect(isExpectedError(error)).toBe(true);
});

test('a new connection a frozen server never answers (node-pg: "timeout expired") counts as the database unavailable', () => {
  expect(isDatabaseUnavailable(new Error('timeout expired'))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('wrapped'), { cause: new Error('timeout expired') }))).toBe(true);
  expect(isDatabaseUnavailable(new Error('the request timeout expired somewhere else'))).toBe(false);
});

test('/ready says "database not answering" within its deadline while the database is frozen, and ready again once it answers', async () => {
  const address = server.httpServer.address();
  const port = address && typeof address === 'object' ? address.port : await server.listen(0);
  const ready = () => fetch(`http://127.0.0.1:${port}/ready`);
  expect((await ready()).status).toBe(200);

  cable.freeze();
  try {
    const started = Date.now();
    // Aborted after 8 s so that a probe that waits for the database fails here instead of hanging.
    const frozen = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(8_000) }).catch((error: Error) => error);
    expect(frozen).toBeInstanceOf(Response);
    expect((frozen as Response).status).toBe(503);
    expect(await (frozen as Response).json()).toEqual({ status: 'database not answering' });
    expect(Date.now() - started).toBeLessThan(4_000); // the 2 s deadline, not however long the prober waits
  } finally {
    cable.thaw();
  }
  let status = 0;
  for (const deadline = Date.now() + 15_000; status !== 200 && Date.now() < deadline; ) {
    status = (await ready()).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(status).toBe(200);
}, 30_000);

test('/ready stays ready while every pooled connection is busy with healthy work: a busy pool is no database out of service', async () => {
  const address = server.httpServer.address();
  const port = address && typeof address === 'object' ? address.port : await server.listen(0);
  const poolSize = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv).DB_POOL_MAX;
  const busy = Array.from({ length: poolSize }, () => orm.em.fork().execute('select pg_sleep(4)'));
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // the sleeps have taken every connection
    const started = Date.now();
    const ready = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(8_000) });
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(ready.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  } finally {
    await Promise.all(busy);
  }
}, 30_000);
