import { Arg, Ctx, ID, Query, Resolver, getMetadataStorage } from 'type-graphql';
import { badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { NodeEntity } from '../../common/node.entity';
import type { EntityClass } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { ENTITIES } from '../../db/entities';
import { Area } from '../area/area.entity';

/**
 * Which table each global ID type lives in, derived from the entity list: every Node entity
 * is its own node type, except the five area levels, which share the `area` table.
 */
const NODE_TABLES: Record<string, EntityClass<NodeEntity>> = Object.fromEntries(
  (ENTITIES as EntityClass<NodeEntity>[])
    // Only entities exposed as Node: roll-up rows and import bookkeeping have no global ID.
    .filter((entity) => entity !== Area && entity.prototype instanceof NodeEntity)
    // Only GraphQL object types: sign-in bookkeeping (RefreshToken, SignInDevice) is not one, and
    // loading a row of it answered 500 where a missing one answered null (telling rows exist).
    .filter((entity) => entity.prototype instanceof Area || getMetadataStorage().objectTypes.some((type) => type.target === entity))
    .map((entity) => [entity.name, entity.prototype instanceof Area ? Area : entity]),
);

async function resolveNode(ctx: AppContext, globalId: string, field: string): Promise<NodeEntity | null> {
  const decoded = fromGlobalId(globalId);
  if (!decoded) throw badInput(field, 'is not a valid ID');
  const table = NODE_TABLES[decoded.typeName];
  if (!table) return null;
  const found = await ctx.loaders.byId(table).load(decoded.id);
  // An area ID must name the right level: a Grid's id with a Community prefix is not a Community.
  return found && found.graphqlTypeName === decoded.typeName ? found : null;
}

@Resolver()
export class NodeResolver {
  @Query(() => NodeEntity, { nullable: true, description: 'Any object by its global ID; null when it does not exist.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return resolveNode(ctx, id, 'id');
  }

  @Query(() => [NodeEntity], { nullable: 'items', description: 'Several objects by global ID, in order; null for each that does not exist (at most 100).' })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: AppContext) {
    if (ids.length > 100) throw badInput('ids', 'at most 100 ids');
    return Promise.all(ids.map((id, index) => resolveNode(ctx, id, `ids.${index}`)));
  }
}
