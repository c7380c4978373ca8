import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/common/logger';
import { loadConfig } from '../../src/config/env';
import { SYSTEM_VIEWER, createContext, type Viewer } from '../../src/context/context';
import { createAccountIn, identityService } from '../../src/modules/identity/identity.service';
import { tokenSettings } from '../../src/modules/identity/sessions';
import { Role } from '../../src/modules/identity/role';
import { initOrm, migrateUp, withDatabase } from '../../src/db/database';
import { createServer, type AppServer } from '../../src/server';
import { seedDemoCity } from '../../src/seed/demo-city';

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** A server on a fresh, migrated database of its own; close() drops the database. */
export interface TestApp {
  orm: MikroORM;
  server: AppServer;
  databaseUrl: string;
  /**
   * Runs an operation with a fresh per-request context, through JSON like a client sees it.
   * As an unbound district administrator unless `viewer` says otherwise (scope tests pass one).
   */
  execute<T = any>(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<GraphQLResult<T>>;
  /** The time the server's rules see; `clock.set(date)` moves it, `clock.reset()` follows real time. */
  clock: { set(date: Date): void; advance(ms: number): void; reset(): void; now(): Date };
  /** An `Authorization: Bearer …` header of an unbound district administrator (an account made on first use), for HTTP tests. */
  adminAuthorization(): Promise<{ authorization: string }>;
  /** Runs `work` and returns the SQL statements it sent. */
  countStatements(work: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

/** A logger configured as production's (createLogger), writing its lines into `lines` for a test to read. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

/** The signing secret of every test server, so tokens made by one verify on another. */
export const TEST_JWT_SECRET = 'test-only-signing-secret-0123456789abcdef';

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestApp(): Promise<TestApp> {
  const serverUrl = process.env.TEST_SERVER_URL;
  if (!serverUrl) throw new Error('TEST_SERVER_URL is not set: run tests through jest (global setup)');
  const name = `gongjian_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (client) => client.query(`create database "${name}" encoding 'UTF8' template template0`));
  const databaseUrl = withDatabase(serverUrl, name);
  // A fixed signing secret: the server and adminAuthorization() must sign and verify alike.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET } as NodeJS.ProcessEnv);
  const orm = await initOrm(databaseUrl, config);
  await migrateUp(orm);
  const server = await createServer({ config, orm, logger: silentLogger });
  const tokens = tokenSettings(config);
  const statements: string[] = [];
  let recording = false;
  orm.em.getKnex().on('query', (query: { sql: string }) => {
    if (recording) statements.push(query.sql);
  });

  let fixedNow: Date | null = null;
  const clock = {
    set: (date: Date) => void (fixedNow = new Date(date)),
    advance: (ms: number) => void (fixedNow = new Date((fixedNow ?? new Date()).getTime() + ms)),
    reset: () => void (fixedNow = null),
    now: () => (fixedNow ? new Date(fixedNow) : new Date()),
  };

  let adminHeader: Promise<{ authorization: string }> | undefined;
  const adminAuthorization = () =>
    (adminHeader ??= (async () => {
      const context = createContext(orm, silentLogger, undefined, undefined, SYSTEM_VIEWER, tokens);
      const password = randomBytes(12).toString('hex');
      await createAccountIn(context, { username: 'test.admin', displayName: '测试管理员', password, role: Role.DISTRICT_ADMIN });
      const session = await identityService.signIn(createContext(orm, silentLogger, undefined, undefined, undefined, tokens), tokens, 'test.admin', password);
      return { authorization: `Bearer ${session.accessToken}` };
    })());

  return {
    orm,
    server,
    databaseUrl,
    clock,
    adminAuthorization,
    async execute(query, variables, viewer = SYSTEM_VIEWER) {
      const response = await server.apollo.executeOperation({ query, variables }, { contextValue: createContext(orm, silentLogger, undefined, clock.now, viewer, tokens) });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return JSON.parse(JSON.stringify(response.body.singleResult));
    },
    async countStatements(work) {
      statements.length = 0;
      recording = true;
      try {
        await work();
      } finally {
        recording = false;
      }
      return [...statements];
    },
    async close() {
      await server.stop();
      await orm.close(true);
      await admin(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/**
 * A test app on the small demo city, with a plain pg client on its database: what the import,
 * roll-up and calendar tests drive directly. The caller ends the client and closes the app.
 */
export async function createDemoCityApp(): Promise<{ app: TestApp; db: pg.Client }> {
  const app = await createTestApp();
  await seedDemoCity(app.orm.em.fork(), { scale: 'small' });
  const db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  return { app, db };
}
