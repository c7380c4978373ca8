import { GraphQLError, GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, graphql } from 'graphql';
import { badInput, conflict } from '../../src/common/errors';
import { formatError, isExpectedError } from '../../src/common/format-error';

function asResolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { originalError: original, path: ['communities'] });
}

test('an unexpected error is masked: no message, SQL or stack reaches the client', () => {
  const error = asResolverError(new Error('select * from person where id_number = 370102199001011237 - relation missing'));
  const formatted = formatError({ message: error.message, path: ['communities'], extensions: { stacktrace: ['at x'] } }, error);
  expect(formatted).toEqual({ message: 'Internal server error', path: ['communities'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  expect(isExpectedError(error)).toBe(false);
});

test('typed errors pass with their code and field', () => {
  const error = asResolverError(badInput('input.code', 'too long'));
  expect(formatError({ message: error.message }, error)).toMatchObject({ message: 'input.code: too long', extensions: { code: 'BAD_USER_INPUT', field: 'input.code' } });
  const clash = asResolverError(conflict('taken', 'input.code'));
  expect(formatError({ message: clash.message }, clash).extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
  expect(isExpectedError(clash)).toBe(true);
});

test('class-validator errors become BAD_USER_INPUT naming the nested field', () => {
  const original = new GraphQLError('Argument Validation Error', {
    extensions: { code: 'BAD_USER_INPUT', validationErrors: [{ property: 'filter', children: [{ property: 'search', constraints: { maxLength: 'search must be shorter than or equal to 50 characters' } }] }] },
  });
  const error = asResolverError(original);
  expect(formatError({ message: 'x' }, error)).toMatchObject({
    message: 'filter.search: must be shorter than or equal to 50 characters',
    extensions: { code: 'BAD_USER_INPUT', field: 'filter.search' },
  });
});

test("a result graphql-js cannot serialise (an Int past 32 bits) is our bug: masked, not the client's", async () => {
  const schema = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { population: { type: GraphQLInt, resolve: () => 4_294_979_789 } } }) });
  const [error] = (await graphql({ schema, source: '{ population }' })).errors!;
  expect(isExpectedError(error)).toBe(false);
  expect(formatError({ message: error.message, path: ['population'] }, error)).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  // Errors about the request itself still reach the client as they are.
  const [invalid] = (await graphql({ schema, source: '{ populace }' })).errors!;
  expect(isExpectedError(invalid)).toBe(true);
  const [variable] = (await graphql({ schema, source: 'query ($n: Int) { population }', variableValues: { n: 2 ** 40 } })).errors!;
  expect(isExpectedError(variable)).toBe(true);
  // An argument refused while executing a field carries a path too, and is still the client's.
  const withArgument = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { node: { type: GraphQLInt, args: { id: { type: new GraphQLNonNull(GraphQLID) } }, resolve: () => 1 } } }) });
  const [argument] = (await graphql({ schema: withArgument, source: 'query ($id: ID = "x") { node(id: $id) }', variableValues: { id: null } })).errors!;
  expect(argument.path).toEqual(['node']);
  expect(isExpectedError(argument)).toBe(true);
});
