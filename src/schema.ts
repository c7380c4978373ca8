import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type MiddlewareFn, type NonEmptyArray } from 'type-graphql';
import { validateArgument } from './common/validate-args';
import { RESOLVERS } from './resolvers';
import { accessGuard } from './modules/identity/access.guard';
import type { AppContext } from './context/context';

/**
 * A mutation field has committed by the time its resolver returns; its own selection and the
 * fields after it then load afresh (see Loaders.forget).
 */
const forgetAfterMutation: MiddlewareFn<AppContext> = async ({ context, info }, next) => {
  if (info.parentType !== info.schema.getMutationType()) return next();
  try {
    return await next();
  } finally {
    context.loaders.forget();
  }
};

let cached: Promise<GraphQLSchema> | undefined;

/** Builds the executable schema once per process (type-graphql metadata is global). */
export function createSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS as unknown as NonEmptyArray<Function>,
    validateFn: validateArgument,
    // Roles and object types, checked before every resolver (src/modules/identity/access.guard.ts).
    globalMiddlewares: [accessGuard, forgetAfterMutation],
    emitSchemaFile: false,
  });
  return cached;
}

/** The SDL committed in schema/schema.graphql: sorted, so it diffs cleanly. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
}
