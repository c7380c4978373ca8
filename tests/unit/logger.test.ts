import { CheckConstraintViolationException, InvalidFieldNameException, ValidationError } from '@mikro-orm/core';
import { GraphQLError, GraphQLString } from 'graphql';
import { apolloLogger, createLogger, serializeError } from '../../src/common/logger';
import { Writable } from 'node:stream';

/** What PostgreSQL's driver throws, after knex put the statement with its values in front. */
function pgError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', ...fields });
}

describe('serializeError: database errors lose their statement, values and detail', () => {
  const phone = '13800138000';

  test('a MikroORM constraint error keeps SQLSTATE, constraint and table only', () => {
    const error = new CheckConstraintViolationException(
      pgError(`insert into "person" ("phone") values ('${phone}') - new row for relation "person" violates check constraint "person_phone_check"\n - detail: Failing row contains (1, ${phone}).`, {
        code: '23514', constraint: 'person_phone_check', table: 'person', detail: `Failing row contains (1, ${phone}).`,
      }) as never,
    );
    const logged = serializeError(error) as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'CheckConstraintViolationException', code: '23514', constraint: 'person_phone_check', table: 'person' });
    expect(logged.message).toBe('new row for relation "…" violates check constraint "…"');
    expect(JSON.stringify(logged)).not.toContain(phone);
    expect(JSON.stringify(logged)).not.toMatch(/insert into|Failing row|detail/);
  });

  test('a value PostgreSQL quotes in its own sentence is blanked too', () => {
    const error = new InvalidFieldNameException(pgError(`select 1 where id = '${phone}' - invalid input syntax for type integer: "${phone}"`, { code: '22P02' }) as never);
    expect(serializeError(error)).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "…"' });
  });

  test('wrapped in a GraphQL error or a cause, and knex errors carrying bindings', () => {
    const inner = new CheckConstraintViolationException(pgError(`update person set phone = '${phone}' - boom`, { code: '23514', table: 'person' }) as never);
    const wrapped = new GraphQLError(inner.message, { originalError: inner });
    const caused = new Error(`could not save: ${inner.message}`, { cause: inner });
    const knexTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError', sql: 'select * from person where phone = ?', bindings: [phone] });
    for (const error of [wrapped, caused, knexTimeout]) expect(JSON.stringify(serializeError(error))).not.toContain(phone);
    expect(serializeError(wrapped)).toMatchObject({ type: 'GraphQLError', databaseErrorType: 'CheckConstraintViolationException', code: '23514', table: 'person' });
  });

  test('other errors keep pino\'s usual shape', () => {
    const logged = serializeError(new TypeError('x is not a function')) as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'TypeError', message: 'x is not a function' });
    expect(serializeError('plain')).toBe('plain');
  });
});

describe('serializeError: the statement knex puts in front is told apart from the driver\'s sentence by its quotes, not by the last " - "', () => {
  const name = '王建国 - 李四';

  test('a raw driver error (no statement in front) whose quoted value holds " - " keeps no part of the value', () => {
    // node-pg's own error, as the import and roll-up commands get it: no SQL in front. The last
    // " - " is inside the value; cutting there logged `李四"`.
    const logged = serializeError(pgError(`invalid input syntax for type integer: "${name}"`, { code: '22P02' })) as Record<string, unknown>;
    expect(logged).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "…"' });
    expect(JSON.stringify(logged)).not.toMatch(/王建国|李四/);
  });

  test('a statement whose values hold " - ", quotes, backslashes or MikroORM\'s detail marker, before a sentence quoting one too', () => {
    for (const value of [name, `O'Brien - 李四`, `C:\\x - 李四`, `张三\n - detail: 李四`, `a"b - 李四`]) {
      const literal = value.includes('\\') ? ` E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${value.replace(/'/g, "''")}'`;
      const error = new InvalidFieldNameException(
        pgError(`select "age" - 1 from "person" where "name" = ${literal} and "age" = '${name}' - invalid input syntax for type integer: "${name}"\n - detail: Key (name)=(${name}) is wrong.`, { code: '22P02', detail: `Key (name)=(${name}) is wrong.` }) as never,
      );
      const logged = serializeError(error) as Record<string, unknown>;
      expect({ value, message: logged.message }).toEqual({ value, message: 'invalid input syntax for type integer: "…"' });
      expect(JSON.stringify(logged)).not.toMatch(/王建国|李四|Brien|select|detail/);
    }
  });

  test('a sentence whose quotes do not pair up (a value holding a double quote) is withheld, not cut somewhere in the value', () => {
    const logged = serializeError(pgError('invalid input syntax for type integer: "王建国" - 李四"', { code: '22P02' })) as Record<string, unknown>;
    expect(logged.code).toBe('22P02');
    expect(JSON.stringify(logged)).not.toMatch(/王建国|李四/);
  });
});

describe('serializeError: any other error keeps what failed and where, not the values it quotes or carries', () => {
  const phone = '13800138000';
  const idNumber = '370102199001011234';
  /** A record as MikroORM holds it: what its errors inspect into their message and keep on `entity`. */
  class Person {
    id = 7;
    name = '张三丰';
    phone = phone;
    idNumber = idNumber;
    birthYear = null;
  }
  Object.defineProperty(Person.prototype, '__meta', { value: { className: 'Person' } });
  const person = () => new Person();

  test('MikroORM\'s validation errors print the entity and keep it on the error', () => {
    const error = ValidationError.propertyRequired(person(), { name: 'birthYear' } as never);
    // As thrown: the whole record is in the message and on the error.
    expect(error.message).toContain(phone);
    const logged = serializeError(error) as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'ValidationError' });
    expect(logged.message).toMatch(/^Value for Person\.birthYear is required/);
    expect(logged).not.toHaveProperty('entity');
    for (const secret of [phone, idNumber, '张三丰']) expect(JSON.stringify(logged)).not.toContain(secret);
  });

  test('graphql-js quoting a value it could not serialize, and a cause quoting one', () => {
    let thrown: unknown;
    try {
      GraphQLString.serialize({ name: '张三丰', phone });
    } catch (error) {
      thrown = error;
    }
    const caused = new Error('could not send the reminder', { cause: new Error(`no such number ${phone}`) });
    for (const error of [thrown, caused]) {
      const logged = JSON.stringify(serializeError(error));
      expect(logged).not.toContain(phone);
      expect(logged).not.toContain('张三丰');
    }
    expect(serializeError(caused)).toMatchObject({ message: 'could not send the reminder', cause: { type: 'Error', message: expect.stringMatching(/^no such number 138\*+8000$/) } });
  });

  test('codes and other plain fields stay (a socket error says which call failed)', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port: 5432 });
    expect(serializeError(error)).toMatchObject({ type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port: 5432 });
  });
});

describe('createLogger logs { err } through serializeError', () => {
  const phone = '13800138000';
  const constraintError = () => new CheckConstraintViolationException(pgError(`insert into "person" ("phone") values ('${phone}') - new row violates check constraint "c"`, { code: '23514', constraint: 'c', table: 'person' }) as never);

  test('a database error keeps its type and fields and loses its values; other errors keep pino\'s shape', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } }));
    for (const error of [constraintError(), new TypeError('x is not a function')]) logger.child({ requestId: 'r' }).error({ err: error }, 'logged');
    const logged = lines.map((line) => JSON.parse(line).err);
    expect(logged[0]).toMatchObject({ type: 'CheckConstraintViolationException', code: '23514', constraint: 'c', table: 'person', message: 'new row violates check constraint "…"' });
    expect(logged[1]).toMatchObject({ type: 'TypeError', message: 'x is not a function' });
    expect(lines.join('')).not.toContain(phone);
  });
});

describe('createLogger: personal fields in logged objects are redacted', () => {
  test('phones, ID numbers and the names of residents and unit liaisons, also under variables', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('info', sink);
    logger.info({
      input: { residentName: '张三丰', contactName: '李主任', contactPhone: '13855556666', phone: '13800138000', idNumber: '370102199001011234', title: '路灯坏了' },
      variables: { input: { contactName: '王经理', residentName: '赵六', residentPhone: '13912345678', residentRef: '11010519491231002X' } },
      request: { residentPhone: '13912345678' },
    }, 'logged');
    const logged = JSON.parse(lines.join(''));
    // A request's own phone field (the most common personal field) and an API import's raw resident id.
    expect(logged.request).toEqual({ residentPhone: '[redacted]' });
    expect(lines.join('')).not.toMatch(/13912345678|11010519491231002X/);
    expect(logged.input).toEqual({ residentName: '[redacted]', contactName: '[redacted]', contactPhone: '[redacted]', phone: '[redacted]', idNumber: '[redacted]', title: '路灯坏了' });
    expect(logged.variables.input).toEqual({ contactName: '[redacted]', residentName: '[redacted]', residentPhone: '[redacted]', residentRef: '[redacted]' });
  });

  test('passwords and every kind of token a session carries', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    createLogger('info', sink).info({
      session: { password: 'p', accessToken: 'a', refreshToken: 'r', deviceToken: 'd', username: 'wang' },
      variables: { input: { username: 'wang', password: 'p', deviceToken: 'd' }, refreshToken: 'r' },
    }, 'logged');
    const logged = JSON.parse(lines.join(''));
    expect(logged.session).toEqual({ password: '[redacted]', accessToken: '[redacted]', refreshToken: '[redacted]', deviceToken: '[redacted]', username: 'wang' });
    // signIn's input sits one level deeper, under variables.input.
    expect(logged.variables).toEqual({ input: { username: 'wang', password: '[redacted]', deviceToken: '[redacted]' }, refreshToken: '[redacted]' });
  });
});

describe('serializeError: a value PostgreSQL quotes in the middle of its sentence is blanked whole, quotes in it or not (review of 1e5c8ce)', () => {
  // PostgreSQL does not escape the quotes of a value it quotes. Only an identifier (after
  // "relation", "column", "constraint" …) is blanked as a pair; any other quoted part is a value,
  // blanked from its opening quote to the sentence's last quote.
  const logged = (message: string, code = '22003') => serializeError(pgError(message, { code })) as Record<string, unknown>;
  test.each([
    // int4in/int8in stop at the first digit too many and quote the whole input (PostgreSQL 15).
    ['an integer out of range', 'value "99999999999 "王"建国 x" is out of range for type integer', 'value "…" is out of range for type integer'],
    ['a bigint out of range', 'value "12345678901234567890"王建国" x" is out of range for type bigint', 'value "…" is out of range for type bigint'],
    ['a float out of range (the value opens the sentence)', '"1e999 "王"建国" is out of range for type double precision', '"…" is out of range for type double precision'],
    ['a time zone', 'time zone "a"王建国"/b" not recognized', 'time zone "…" not recognized'],
    ['a formatting value before a quoted field', 'invalid value "王"建国"" for "MM"', 'invalid value "…"'],
  ])('%s', (_label, message, expected) => {
    const safe = logged(message);
    expect(safe.message).toBe(expected);
    expect(JSON.stringify(safe)).not.toMatch(/王|建国/);
  });

  test('a statement in front, and a " - " inside such a value, leave no part of it', () => {
    for (const message of [
      `select "id" from "person" where "name" = '王建国' - value "99999999999 "王"建国 x" is out of range for type integer`,
      'value "99999999999 "王 - 建国" x" is out of range for type integer',
      `select "id" - 1 from "person" - value "99999999999 "王 - 建国" x" is out of range for type integer`,
    ]) {
      const safe = logged(message);
      expect({ message, logged: JSON.stringify(safe) }).toEqual({ message, logged: expect.not.stringMatching(/王|建国/) });
      expect(safe.message).toMatch(/"…" is out of range for type integer$/);
    }
  });

  test('identifiers are still blanked pair by pair, the words between them kept', () => {
    expect(logged('null value in column "phone" of relation "person" violates not-null constraint', '23502').message).toBe('null value in column "…" of relation "…" violates not-null constraint');
    expect(logged('update or delete on table "unit" violates foreign key constraint "person_employer_unit_id_foreign" on table "person"', '23503').message).toBe('update or delete on table "…" violates foreign key constraint "…" on table "…"');
    expect(logged('invalid input value for enum "PartyStatus": "王"建国"', '22P02').message).toBe('invalid input value for enum "…": "…"');
  });

  test('the bytes of a character the server could not convert or read are blanked', () => {
    // 0xe7 0x8e 0x8b is 王.
    expect(logged('character with byte sequence 0xe7 0x8e 0x8b in encoding "UTF8" has no equivalent in encoding "LATIN1"', '22P05').message).toBe('character with byte sequence 0x… in encoding "…" has no equivalent in encoding "…"');
    expect(logged('invalid byte sequence for encoding "UTF8": 0xe7 0x8e', '22021').message).toBe('invalid byte sequence for encoding "…": 0x…');
  });
});

describe('serializeError: a " - " inside a value holding quotes, before a lowercase word (a name in pinyin), leaves no part of the value', () => {
  // The value's own quotes pair up with its opening and closing ones, so its " - " reads as the one
  // knex puts between the statement and the sentence, and what follows it (jianguo) began "the sentence".
  const logged = (message: string, fields: Record<string, unknown> = {}) => serializeError(pgError(message, { code: '22P02', ...fields })) as Record<string, unknown>;
  const leaks = /wang|jianguo|王|detail/;

  test.each([
    ['a raw driver error', 'value "99999999999 "wang - jianguo" x" is out of range for type integer'],
    ['a raw driver error, the value opening the sentence', '"1e999 "wang - jianguo" x" is out of range for type double precision'],
    ['a statement in front', `select "id" from "person" where "name" = 'li' - invalid input syntax for type integer: "1 "wang - jianguo" 2"`],
    ['a statement in front, the " - " after a quote', `select "id" from "person" - value "99999999999 " - jianguo" x" is out of range for type integer`],
    ['a statement in front with its own " - " before a word', `select "id" from "person" where now() - interval '1 day' > "at" - value "9 "wang - jianguo" x" is out of range for type integer`],
    ['MikroORM\'s detail marker inside such a value, no detail appended', 'value "99999999999 "wang\n - detail: jianguo" x" is out of range for type integer'],
  ])('%s', (_label, message) => {
    const safe = logged(message);
    expect({ message, logged: JSON.stringify(safe) }).toEqual({ message, logged: expect.not.stringMatching(leaks) });
    expect(safe.code).toBe('22P02');
    expect(safe.message).toMatch(/"…"/);
  });

  test('the detail MikroORM appended is cut where it was appended, not at a marker inside the value', () => {
    const detail = 'Failing row contains (wang, jianguo).';
    const safe = logged(`value "99999999999 "wang\n - detail: jianguo" x" is out of range for type integer\n - detail: ${detail}`, { detail });
    expect(JSON.stringify(safe)).not.toMatch(leaks);
    expect(safe.message).toBe('value "…" is out of range for type integer');
  });

  test('a statement whose own " - " comes before a word, then a sentence quoting a value without " - ": the sentence, not the statement', () => {
    const safe = logged(`select "id" from "request" r where r.finished_at - r.received_at > interval '1 day' and "name" = 'wang' - division by zero`, { code: '22012' });
    expect(safe.message).toBe('division by zero');
    // Unambiguous sentences read as before.
    expect(logged(`select "id" - 1 from "person" where "name" = 'wang - jianguo' - invalid input syntax for type integer: "wang - jianguo"`).message).toBe('invalid input syntax for type integer: "…"');
    expect(logged('null value in column "phone" of relation "person" violates not-null constraint').message).toBe('null value in column "…" of relation "…" violates not-null constraint');
  });
});

test("Apollo Server's own lines go through our logger, masked: a line quoting a phone number and an error with one in its message", () => {
  const phone = '13800138000';
  const lines: string[] = [];
  const logger = createLogger('debug', new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } }));
  const apollo = apolloLogger(logger);
  apollo.warn(`a plugin saw variables {"phone": "${phone}"}`);
  apollo.error(new Error(`willSendResponse failed for phone ${phone}`));
  const logged = lines.map((line) => JSON.parse(line));
  expect(logged.map((line) => [line.level, line.component])).toEqual([[40, 'apollo'], [50, 'apollo']]);
  expect(logged[1].err.message).toContain('willSendResponse failed');
  expect(lines.join('')).not.toContain(phone);
});

describe('serializeError: an account printed in an error\'s message (found by a privacy review)', () => {
  /** An account as MikroORM holds it: its ValidationError inspects it into the message. */
  class Account {
    id = 3;
    username = 'wang.jianguo';
    displayName = '王建国';
    passwordHash = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
    role = undefined;
  }
  Object.defineProperty(Account.prototype, '__meta', { value: { className: 'Account' } });

  test('loses its holder\'s name, its username and its password hash; says which entity and property failed', () => {
    const error = ValidationError.propertyRequired(new Account(), { name: 'role' } as never);
    // As thrown: the whole account is in the message.
    expect(error.message).toContain('王建国');
    const logged = serializeError(error) as Record<string, unknown>;
    expect(logged.message).toMatch(/^Value for Account\.role is required/);
    for (const secret of ['王建国', 'wang.jianguo', '$argon2id', 'c2FsdHNhbHQ']) expect(JSON.stringify(logged)).not.toContain(secret);
  });

  test('an account\'s display name in a logged object is redacted, as residents\' names are', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    createLogger('info', sink).info({ account: { id: 3, displayName: '王建国', passwordHash: '$argon2id$x' } }, 'logged');
    expect(JSON.parse(lines.join('')).account).toEqual({ id: 3, displayName: '[redacted]', passwordHash: '[redacted]' });
  });
});
