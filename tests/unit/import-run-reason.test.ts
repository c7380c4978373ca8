import { importFailureMessage, runFailureReason } from '../../src/modules/service-data/import';

/*
 * A failed run's error is read by analysts through importRuns: it never carries row content.
 */

/** A driver error as node-pg makes it (PostgreSQL's errors carry a severity), wrapped as MikroORM and knex wrap it. */
function databaseError(code: string, message: string): Error {
  return Object.assign(new Error(`insert into "service_record" … - ${message}`), { cause: Object.assign(new Error(message), { code, severity: 'ERROR' }) });
}

test('a database error that quotes a value is stored by its SQLSTATE alone', () => {
  const reason = runFailureReason(databaseError('22P02', 'invalid input syntax for type bigint: "13812345678"'));
  expect(reason).toBe('the database refused a batch (SQLSTATE 22P02); that batch was rolled back, the batches committed before are kept');
});

test('a database error with a typed answer is stored as that answer', () => {
  expect(runFailureReason(databaseError('57014', 'canceling statement due to statement timeout'))).toMatch(/^A database statement took longer than allowed \(DB_STATEMENT_TIMEOUT_MS\)/);
  expect(runFailureReason(databaseError('40P01', 'deadlock detected'))).toMatch(/^The database rolled this change back because another one/);
});

test('our own messages stay readable, with personal numbers masked', () => {
  expect(runFailureReason(new Error('the file is empty (no header row)'))).toBe('the file is empty (no header row)');
  const reason = runFailureReason(new Error('cannot read /imports/13812345678.csv: ENOENT'));
  expect(reason).not.toContain('13812345678');
  expect(reason).toContain('ENOENT');
});

test('a socket error is not read as an SQLSTATE, though EPERM has the shape of one', () => {
  const reason = runFailureReason(Object.assign(new Error('cannot write the report /tmp/r.csv: EPERM'), { code: 'EPERM' }));
  expect(reason).toBe('cannot write the report /tmp/r.csv: EPERM');
});

describe('importFailureMessage: what npm run import prints says what failed, never the row values a database error quotes', () => {
  test('SQLSTATE, table, column and constraint, and the message with its quoted values blanked', () => {
    const error = Object.assign(new Error('invalid input syntax for type bigint: "请王建国回电13812345678"'), {
      code: '22P02', severity: 'ERROR', table: 'service_record', column: 'note', detail: 'Failing row contains (王建国, 13812345678).',
    });
    expect(importFailureMessage(error, 0)).toBe(
      'the database refused a batch (SQLSTATE 22P02, table service_record, column note): invalid input syntax for type bigint: "…"; that batch was rolled back, the batches committed before are kept',
    );
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505', severity: 'ERROR', constraint: 'service_record_pkey', detail: 'Key (source, source_id)=(gongjian, 13812345678) already exists.',
    });
    const printed = importFailureMessage(databaseError('23505', unique.message), 0);
    expect(printed).toMatch(/^the database refused a batch \(SQLSTATE 23505\): duplicate key value violates unique constraint "…"/);
    expect(importFailureMessage(unique, 0)).toContain('constraint service_record_pkey');
    expect(importFailureMessage(unique, 0)).not.toContain('13812345678');
  });

  test('typed answers and our own messages read as in the run, personal numbers masked', () => {
    expect(importFailureMessage(databaseError('57014', 'canceling statement due to statement timeout'), 0)).toMatch(/^A database statement took longer than allowed/);
    // The API's "nothing was changed" is not so for an import: the batches committed before stay (a Ctrl-C stopping the embedded cluster mid-import).
    const lost = importFailureMessage(databaseError('57P01', 'terminating connection due to administrator command'), 15_000);
    expect(lost).toBe('The database is unavailable right now: the batches committed before (15,000 rows) are kept, anything not yet committed was rolled back; run the same import again to add the rest (each row goes in once)');
    // Gone before any batch was committed (or sent): no batch "in flight was rolled back", nothing is kept.
    const lostAtOnce = importFailureMessage(databaseError('57P01', 'terminating connection due to administrator command'), 0);
    expect(lostAtOnce).toBe('The database is unavailable right now: no batch was committed, so nothing was imported; run the same import again');
    expect(importFailureMessage(databaseError('57014', 'canceling statement due to statement timeout'), 0)).not.toMatch(/nothing was changed/);
    expect(importFailureMessage(new Error('the file has no column "source_id"'), 0)).toBe('the file has no column "source_id"');
    expect(importFailureMessage(new Error('cannot read /imports/13812345678.csv: ENOENT'), 0)).not.toContain('13812345678');
  });
});

describe('importFailureMessage: a quoted value with quotes, " - " or a line break in it is blanked whole (found by a review)', () => {
  /** As node-pg throws it on the import's own connections: PostgreSQL's sentence, nothing before it. */
  const refused = (value: string) => Object.assign(new Error(`invalid input syntax for type bigint: "${value}"`), { code: '22P02', severity: 'ERROR', table: 'service_record' });
  test.each([
    ['a " - " inside the value', '请回电 - 王建国'],
    ['double quotes inside the value', '请"王建国"回电'],
    ['a line break and " - " inside the value', '王建国\n - 李秀英'],
    ['an odd number of quotes inside the value', '王建国" 李秀英'],
  ])('%s', (_label, value) => {
    const printed = importFailureMessage(refused(value), 0);
    expect(printed).toBe('the database refused a batch (SQLSTATE 22P02, table service_record): invalid input syntax for type bigint: "…"; that batch was rolled back, the batches committed before are kept');
    for (const name of ['王建国', '李秀英']) expect(printed).not.toContain(name);
  });

  test('a message that quotes a value between words keeps the words after it', () => {
    const error = Object.assign(new Error('value "13812345678王建国" is out of range for type integer'), { code: '22003', severity: 'ERROR' });
    expect(importFailureMessage(error, 0)).toBe('the database refused a batch (SQLSTATE 22003): value "…" is out of range for type integer; that batch was rolled back, the batches committed before are kept');
  });
});
