import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { validateArgument } from './common/validate-args';
import { RESOLVERS } from './resolvers';
import { accessGuard } from './modules/identity/access.guard';

let cached: Promise<GraphQLSchema> | undefined;

/** Builds the executable schema once per process (type-graphql metadata is global). */
export function createSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS as unknown as NonEmptyArray<Function>,
    validateFn: validateArgument,
    // Roles and object types, checked before every resolver (src/modules/identity/access.guard.ts).
    globalMiddlewares: [accessGuard],
    emitSchemaFile: false,
  });
  return cached;
}

/** The SDL committed in schema/schema.graphql: sorted, so it diffs cleanly. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
}
