import net from 'node:net';
import { format } from 'node:util';
import { ValidationError } from '@mikro-orm/core';
import pg from 'pg';
import { runCli } from '../../src/cli/run-cli';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Found by a review of what an operator's terminal shows: a database error escaping any command
 * (seed, accounts, migrate, import…) was printed with the driver's raw message, quoted row values
 * and all (`cannot use the database: invalid input syntax for type integer: "王建国 - 李四"`), and
 * with LOG_LEVEL=debug the whole error: the statement with its values, `detail`, the entity.
 * Failures to connect keep the driver's own words (cli-database-unreachable.test.ts).
 */

const NAME = '王建国 - 李四';
const PHONE = '13800138000';
const ID_NUMBER = '370102199001011234';

let app: TestApp;
let db: pg.Client;
beforeAll(async () => {
  app = await createTestApp();
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  await db.query(`create table cli_leak (phone text unique, name text check (name <> '${NAME}'))`);
  await db.query(`insert into cli_leak (phone, name) values ('${PHONE}', 'x')`);
});
afterAll(async () => {
  await db?.end();
  await app?.close();
});

/** runCli in this process, its exit code and what it printed (console.error). */
async function runCliWith(failure: () => Promise<unknown>, logLevel = 'silent'): Promise<{ code: number; output: string }> {
  const lines: unknown[][] = [];
  const previous = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = logLevel;
  const printed = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
  try {
    const code = await new Promise<number>((resolve) => {
      jest.spyOn(process, 'exit').mockImplementation(((exitCode: number) => resolve(exitCode)) as never);
      runCli(async () => {
        await failure();
        return 0;
      });
    });
    return { code, output: lines.map((args) => format(...args)).join('\n') };
  } finally {
    printed.mockRestore();
    jest.restoreAllMocks();
    process.env.LOG_LEVEL = previous;
  }
}

const statementFailures: [string, () => Promise<unknown>, RegExp][] = [
  // node-pg's own error, no statement in front (the import and roll-up commands query with pg).
  ['a raw driver error', () => db.query('select $1::int', [NAME]), /^the database refused a statement \(SQLSTATE 22P02\): invalid input syntax for type integer: "…"$/],
  // knex's: the statement with its values in front of the driver's sentence.
  ['a knex error', () => app.orm.em.getConnection().execute('insert into cli_leak (phone, name) values (?, ?)', [ID_NUMBER, NAME]), /^the database refused a statement \(SQLSTATE 23514, table cli_leak, constraint cli_leak_name_check\): new row for relation "…" violates check constraint "…"$/],
  // MikroORM's: knex's message, the detail (the row's values) appended.
  ['a unique violation through MikroORM', () => app.orm.em.fork().execute('insert into cli_leak (phone, name) values (?, ?)', [PHONE, '李四 - 王建国']), /^the database refused a statement \(SQLSTATE 23505, table cli_leak, constraint cli_leak_phone_key\): duplicate key value violates unique constraint "…"$/],
];

test.each(statementFailures)('%s escaping a command: SQLSTATE, table and constraint in one line, no value', async (_, failure, expected) => {
  const { code, output } = await runCliWith(failure);
  expect(code).toBe(1);
  expect(output).toMatch(expected);
  expect(output).not.toMatch(/王建国|李四|13800138000|370102199001011234/);
});

test.each(statementFailures)('%s with LOG_LEVEL=debug: the stack too, still no value', async (_, failure) => {
  const { code, output } = await runCliWith(failure, 'debug');
  expect(code).toBe(1);
  expect(output).toMatch(/\n\s+at /);
  expect(output).not.toMatch(/王建国|李四|13800138000|370102199001011234|insert into|Failing row|Key \(/);
});

test('any other error escaping a command: its message and stack, not the record it carries', async () => {
  class Person {
    id = 7;
    name = '王建国';
    phone = PHONE;
    idNumber = ID_NUMBER;
    birthYear = null;
  }
  Object.defineProperty(Person.prototype, '__meta', { value: { className: 'Person' } });
  for (const logLevel of ['silent', 'debug']) {
    const { code, output } = await runCliWith(async () => {
      throw ValidationError.propertyRequired(new Person(), { name: 'birthYear' } as never);
    }, logLevel);
    expect(code).toBe(1);
    expect(output).toMatch(/^ValidationError: Value for Person\.birthYear is required/);
    expect(output).toMatch(/\n\s+at /);
    expect(output).not.toMatch(/王建国|13800138000|370102199001011234/);
  }
});

test('failures to connect keep the driver\'s own words: the refused address, the missing database by name', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const connect = (url: string) => async () => {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const missing = new URL(app.databaseUrl);
  missing.pathname = `/no_such_database_${process.pid}`;
  for (const [failure, expected] of [
    [connect(`postgresql://postgres@127.0.0.1:${port}/gongjian`), `cannot use the database: connect ECONNREFUSED 127.0.0.1:${port}`],
    [connect(missing.toString()), `cannot use the database: database "no_such_database_${process.pid}" does not exist`],
  ] as const) {
    const { code, output } = await runCliWith(failure);
    expect({ code, output }).toEqual({ code: 1, output: expected });
  }
});
