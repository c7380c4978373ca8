import { postgresLogLines } from '../../src/db/embedded-postgres';

/* What of the embedded server's own log reaches our debug log and a failed start's reasons: never a row. */
describe('postgresLogLines', () => {
  const refused = [
    '2026-12-07 20:00:00.123 UTC [4242] ERROR:  duplicate key value violates unique constraint "person_id_number_unique"',
    '2026-12-07 20:00:00.123 UTC [4242] DETAIL:  Key (id_number)=(370199197608163602) already exists.',
    '2026-12-07 20:00:00.123 UTC [4242] STATEMENT:  insert into "person" ("name", "phone", "id_number")',
    "\tvalues ('杨诗欣', '15580053489', '370199197608163602')",
    '2026-12-07 20:00:01.000 UTC [4243] ERROR:  new row for relation "person" violates check constraint "refuse_people"',
    '2026-12-07 20:00:01.000 UTC [4243] DETAIL:  Failing row contains (7, 杨诗欣, FEMALE, 1976, 15580053489).',
    '2026-12-07 20:00:02.000 UTC [4244] ERROR:  invalid input syntax for type bigint: "15580053489"',
    '2026-12-07 20:00:02.000 UTC [4244] CONTEXT:  unnamed portal parameter $1 = \'15580053489\'',
    '',
  ].join('\n');

  it('keeps what failed and on what, never the row, the statement or a quoted value', () => {
    const lines = postgresLogLines(refused);
    expect(lines).toEqual([
      '2026-12-07 20:00:00.123 UTC [4242] ERROR:  duplicate key value violates unique constraint "person_id_number_unique"',
      '2026-12-07 20:00:01.000 UTC [4243] ERROR:  new row for relation "person" violates check constraint "refuse_people"',
      '2026-12-07 20:00:02.000 UTC [4244] ERROR:  invalid input syntax for type bigint: "…"',
    ]);
    for (const secret of ['15580053489', '370199197608163602', '杨诗欣']) expect(lines.join('\n')).not.toContain(secret);
  });

  it('keeps the lines a failed start is explained by, with or without a line prefix', () => {
    expect(postgresLogLines('2026-12-07 20:00:00.000 UTC [1] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use\n2026-12-07 20:00:00.000 UTC [1] HINT:  Is another postmaster already running on port 5433?\nFATAL:  could not create any TCP/IP sockets\n')).toEqual([
      '2026-12-07 20:00:00.000 UTC [1] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
      '2026-12-07 20:00:00.000 UTC [1] HINT:  Is another postmaster already running on port 5433?',
      'FATAL:  could not create any TCP/IP sockets',
    ]);
  });
});
