import { GraphQLJSONObject } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Ordering } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Building, Community, District, Grid, Street } from './area.entity';
import { AreaChildrenArgs, AreaOrderField } from './area.inputs';
import { BuildingConnection, CommunityConnection, GridConnection, StreetConnection } from './area.resolver';
import {
  buildingsOfGrid,
  buildingsWithin,
  communitiesOfStreet,
  communitiesWithin,
  gridsOfCommunity,
  gridsWithin,
  streetsOfDistrict,
} from './area.relations';

export function areaOrdering(args: AreaChildrenArgs): Ordering {
  const order = args.orderBy;
  return { property: order?.field ?? AreaOrderField.CODE, direction: order?.direction ?? ('ASC' as Ordering['direction']) };
}

/** Sum of community populations inside each path, in one statement. */
function populationWithin(ctx: AppContext) {
  return ctx.loaders.get<string, number | null>('populationWithin', async (paths) => {
    const rows: { path: string; population: string | null }[] = await ctx.em.execute(
      `select p.path, sum(c.population) as population
         from (values ${paths.map(() => '(?)').join(', ')}) as p(path)
         left join "area" c on c.level = 'COMMUNITY' and c.path like p.path || '%'
        group by p.path`,
      [...paths],
    );
    const byPath = new Map(rows.map((row) => [row.path, row.population == null ? null : Number(row.population)]));
    return paths.map((path) => byPath.get(path) ?? null);
  });
}

@Resolver(() => Area)
export class AreaFieldsResolver {
  @FieldResolver(() => Area, { nullable: true, description: 'The area one level up; null for a district.' })
  parent(@Root() area: Area, @Ctx() ctx: AppContext) {
    return area.parent ? ctx.loaders.byId(Area).load(area.parent.id) : null;
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The centre as a GeoJSON Point.' })
  location(@Root() area: Area) {
    return area.longitude != null && area.latitude != null ? { type: 'Point', coordinates: [area.longitude, area.latitude] } : null;
  }
}

@Resolver(() => District)
export class DistrictFieldsResolver {
  @FieldResolver(() => StreetConnection)
  streets(@Root() district: District, @Args() args: AreaChildrenArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(streetsOfDistrict, district.id, args, areaOrdering(args));
  }

  @FieldResolver(() => Int)
  communityCount(@Root() district: District, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(communitiesWithin).load(district.path);
  }

  @FieldResolver(() => Int)
  gridCount(@Root() district: District, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(gridsWithin).load(district.path);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Sum of its communities\' population.' })
  population(@Root() district: District, @Ctx() ctx: AppContext) {
    return populationWithin(ctx).load(district.path);
  }
}

@Resolver(() => Street)
export class StreetFieldsResolver {
  @FieldResolver(() => District)
  district(@Root() street: Street, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(street.parent!.id);
  }

  @FieldResolver(() => CommunityConnection)
  communities(@Root() street: Street, @Args() args: AreaChildrenArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(communitiesOfStreet, street.id, args, areaOrdering(args));
  }

  @FieldResolver(() => Int)
  communityCount(@Root() street: Street, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(communitiesOfStreet).load(street.id);
  }

  @FieldResolver(() => Int)
  gridCount(@Root() street: Street, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(gridsWithin).load(street.path);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Sum of its communities\' population.' })
  population(@Root() street: Street, @Ctx() ctx: AppContext) {
    return populationWithin(ctx).load(street.path);
  }
}

@Resolver(() => Community)
export class CommunityFieldsResolver {
  @FieldResolver(() => Street)
  street(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(community.parent!.id);
  }

  @FieldResolver(() => GridConnection)
  grids(@Root() community: Community, @Args() args: AreaChildrenArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(gridsOfCommunity, community.id, args, areaOrdering(args));
  }

  @FieldResolver(() => Int)
  gridCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(gridsOfCommunity).load(community.id);
  }

  @FieldResolver(() => Int)
  buildingCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(buildingsWithin).load(community.path);
  }
}

@Resolver(() => Grid)
export class GridFieldsResolver {
  @FieldResolver(() => Community)
  community(@Root() grid: Grid, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(grid.parent!.id);
  }

  @FieldResolver(() => BuildingConnection)
  buildings(@Root() grid: Grid, @Args() args: AreaChildrenArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(buildingsOfGrid, grid.id, args, areaOrdering(args));
  }

  @FieldResolver(() => Int)
  buildingCount(@Root() grid: Grid, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(buildingsOfGrid).load(grid.id);
  }
}

@Resolver(() => Building)
export class BuildingFieldsResolver {
  @FieldResolver(() => Grid)
  grid(@Root() building: Building, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(building.parent!.id);
  }
}
