import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, AreaLevel, Building, Community, District, Grid, Street } from './area.entity';
import {
  AreaListArgs,
  CreateBuildingInput,
  CreateCommunityInput,
  CreateDistrictInput,
  CreateGridInput,
  CreateStreetInput,
  UpdateAreaInput,
} from './area.inputs';
import { areaService } from './area.service';

export const DistrictConnection = ConnectionType(District, 'District');
export const StreetConnection = ConnectionType(Street, 'Street');
export const CommunityConnection = ConnectionType(Community, 'Community');
export const GridConnection = ConnectionType(Grid, 'Grid');
export const BuildingConnection = ConnectionType(Building, 'Building');

@Resolver()
export class AreaResolver {
  @Query(() => DistrictConnection, { description: '区' })
  districts(@Args() args: AreaListArgs, @Ctx() ctx: AppContext) {
    return areaService.list(ctx, District, args);
  }

  @Query(() => StreetConnection, { description: '街道' })
  streets(@Args() args: AreaListArgs, @Ctx() ctx: AppContext) {
    return areaService.list(ctx, Street, args);
  }

  @Query(() => CommunityConnection, { description: '社区' })
  communities(@Args() args: AreaListArgs, @Ctx() ctx: AppContext) {
    return areaService.list(ctx, Community, args);
  }

  @Query(() => GridConnection, { description: '网格' })
  grids(@Args() args: AreaListArgs, @Ctx() ctx: AppContext) {
    return areaService.list(ctx, Grid, args);
  }

  @Query(() => BuildingConnection, { description: '楼栋' })
  buildings(@Args() args: AreaListArgs, @Ctx() ctx: AppContext) {
    return areaService.list(ctx, Building, args);
  }

  @Mutation(() => District)
  createDistrict(@Arg('input') input: CreateDistrictInput, @Ctx() ctx: AppContext) {
    return areaService.create(ctx, AreaLevel.DISTRICT, { ...input });
  }

  @Mutation(() => Street)
  createStreet(@Arg('input') input: CreateStreetInput, @Ctx() ctx: AppContext) {
    return areaService.create(ctx, AreaLevel.STREET, { ...input }, input.districtId, 'districtId');
  }

  @Mutation(() => Community)
  createCommunity(@Arg('input') input: CreateCommunityInput, @Ctx() ctx: AppContext) {
    return areaService.create(ctx, AreaLevel.COMMUNITY, { ...input }, input.streetId, 'streetId');
  }

  @Mutation(() => Grid)
  createGrid(@Arg('input') input: CreateGridInput, @Ctx() ctx: AppContext) {
    return areaService.create(ctx, AreaLevel.GRID, { ...input }, input.communityId, 'communityId');
  }

  @Mutation(() => Building)
  createBuilding(@Arg('input') input: CreateBuildingInput, @Ctx() ctx: AppContext) {
    return areaService.create(ctx, AreaLevel.BUILDING, { ...input }, input.gridId, 'gridId');
  }

  @Mutation(() => Area, { description: 'Update any area; moving it under another parent moves its whole subtree, and the party organisations it carries keep a parent on their new line (see UpdateAreaInput.organizationParentId).' })
  updateArea(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAreaInput, @Ctx() ctx: AppContext) {
    return areaService.update(ctx, id, input);
  }
}
