import { Kind, getNamedType, isAbstractType, isObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { forbidden, unauthenticated } from '../../common/errors';
import { NodeEntity } from '../../common/node.entity';
import type { AppContext } from '../../context/context';
import { SESSION_FIELDS, decideRootField, mayReadType } from './access.policy';

/**
 * The GraphQL side of access control, run before every field resolver:
 * - a root field must be allowed for the viewer's role (anonymous callers reach only sign-in);
 * - an object type the role may not read is refused wherever it appears — at the root, nested
 *   under another object, or behind `node(id:)` — so walking a relation is no way around it.
 * Which rows are visible is the ORM's business (scope.guard.ts); this is about roles.
 */
export const accessGuard: MiddlewareFn<AppContext> = async ({ context, info }, next) => {
  const { viewer } = context;
  const parent = info.parentType.name;
  if (parent === 'Query' || parent === 'Mutation') {
    const decision = decideRootField(viewer, parent, info.fieldName);
    if (decision === 'unauthenticated') throw unauthenticated();
    if (decision === 'forbidden') throw forbidden(`Your role may not use ${info.fieldName}`);
  }
  // Session answers carry the caller's own account, before (or while) they have a viewer: not
  // type-checked (a client may send its own token with a refresh). A portal never gets one: the
  // root decision above refuses it the fields that start or change a session (access.policy.ts).
  if (SESSION_FIELDS.has(rootFieldOf(info))) return next();
  const returned = getNamedType(info.returnType);
  if (isObjectType(returned)) {
    const typeName = elementType(returned.name);
    if (!mayReadType(viewer, typeName)) throw forbidden(`Your role may not read ${typeName} records`);
    return next();
  }
  if (isAbstractType(returned)) {
    // node(id:) and friends: the concrete type is known only once resolved.
    const result: unknown = await next();
    if (Array.isArray(result)) return result.map((item) => (visible(context, item) ? item : null));
    return visible(context, result) ? result : null;
  }
  return next();
};

function visible(context: AppContext, value: unknown): boolean {
  if (!value || typeof value !== 'object') return true;
  return mayReadType(context.viewer, value instanceof NodeEntity ? value.graphqlTypeName : value.constructor.name);
}

/** `RequestConnection` / `RequestEdge` guard the same thing as `Request`. */
function elementType(name: string): string {
  return name.replace(/(Connection|Edge)$/, '');
}

/** The name (not the alias) of the root field this resolver runs under. */
function rootFieldOf(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return fieldNameOf(info.operation.selectionSet, String(path.key), info) ?? String(path.key);
}

function fieldNameOf(selectionSet: SelectionSetNode, responseKey: string, info: GraphQLResolveInfo): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && (selection.alias?.value ?? selection.name.value) === responseKey) return selection.name.value;
    const nested =
      selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : selection.kind === Kind.FRAGMENT_SPREAD ? info.fragments[selection.name.value]?.selectionSet : undefined;
    const found = nested && fieldNameOf(nested, responseKey, info);
    if (found) return found;
  }
  return undefined;
}
