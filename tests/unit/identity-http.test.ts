import { refuseBadCredentials } from '../../src/modules/identity/identity.http';
import { unauthenticated } from '../../src/common/errors';

/* How a credential that could not be read is answered, before any GraphQL runs. */

function answer(credentialError: unknown): { status: number; body: any; logged: unknown[] } {
  const logged: unknown[] = [];
  const logger = { error: (entry: unknown) => logged.push(entry) } as any;
  const result = { status: 0, body: undefined as any, logged };
  const res: any = {
    locals: { credentialError },
    status(code: number) {
      result.status = code;
      return this;
    },
    json(body: unknown) {
      result.body = body;
    },
  };
  refuseBadCredentials(logger)({} as any, res, () => {
    throw new Error('a refused credential must be answered, not passed on');
  });
  return result;
}

/** An error as node-pg raises it, with a SQLSTATE. */
const pgError = (code: string) => Object.assign(new Error(`database said ${code}`), { code });

test('a bad token is 401 UNAUTHENTICATED', () => {
  const { status, body } = answer(unauthenticated('The access token is invalid or expired'));
  expect(status).toBe(401);
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('a statement timeout while reading the credential is 503 REQUEST_TIMEOUT, not a logged internal error', () => {
  const { status, body, logged } = answer(pgError('57014'));
  expect({ status, code: body.errors[0].extensions.code }).toEqual({ status: 503, code: 'REQUEST_TIMEOUT' });
  expect(logged).toEqual([]);
});

test('a deadlock or serialization failure while reading the credential is 503 TRY_AGAIN, not a logged internal error', () => {
  for (const sqlstate of ['40P01', '40001']) {
    const { status, body, logged } = answer(pgError(sqlstate));
    expect({ status, code: body.errors[0].extensions.code }).toEqual({ status: 503, code: 'TRY_AGAIN' });
    expect(logged).toEqual([]);
  }
});

test('a database that is down is 503 SERVICE_UNAVAILABLE; anything else is a masked, logged 500', () => {
  const down = answer(pgError('57P01'));
  expect({ status: down.status, code: down.body.errors[0].extensions.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  const bug = answer(new TypeError('cannot read properties of undefined (secret 13912345678)'));
  expect(bug.status).toBe(500);
  expect(bug.body).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  expect(bug.logged).toHaveLength(1);
});

test('a request with no credential error goes on', () => {
  let passed = false;
  refuseBadCredentials({ error: () => undefined } as any)({} as any, { locals: {} } as any, () => (passed = true));
  expect(passed).toBe(true);
});
