import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { fromGlobalId } from '../../common/global-id';
import type { AppContext } from '../../context/context';
import { Community, Grid } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { Request } from '../request/request.entity';
import { ServiceItem } from '../service-data/service-data.entity';
import { DemandHotspotsInput, DemandRankingInput, DemandSeriesInput } from './demand.inputs';
import { demandService } from './demand.service';
import { ResidentKeyword, residentsSayLoader } from './residents-say';
import { DemandHotspotType, DemandHotspots, DemandRanking, DemandRankingRow, DemandSeries } from './demand.types';

@Resolver()
export class DemandResolver {
  @Query(() => DemandRanking, { description: 'Demand cells of an area and period ranked by TOPSIS over explained metrics, with topic-of-the-month flags (from the roll-ups).' })
  demandRanking(@Arg('input') input: DemandRankingInput, @Ctx() ctx: AppContext) {
    return demandService.ranking(ctx, input);
  }

  @Query(() => DemandSeries, { description: 'Volume by day, week or month for one ranked cell (category, area, group), with its trend.' })
  demandSeries(@Arg('input') input: DemandSeriesInput, @Ctx() ctx: AppContext) {
    return demandService.series(ctx, input);
  }

  @Query(() => DemandHotspots, { description: 'Communities or grids that stand out for one category (Poisson z and EB-smoothed rate ratio vs the parent area).' })
  demandHotspots(@Arg('input') input: DemandHotspotsInput, @Ctx() ctx: AppContext) {
    return demandService.hotspots(ctx, input);
  }
}

@Resolver(() => DemandRankingRow)
export class DemandRankingRowResolver {
  @FieldResolver(() => RequestCategory, { nullable: true })
  category(@Root() row: DemandRankingRow, @Ctx() ctx: AppContext) {
    return row.key.categoryId === undefined ? null : ctx.loaders.byId(RequestCategory).load(row.key.categoryId);
  }

  @FieldResolver(() => ServiceItem, { nullable: true })
  serviceItem(@Root() row: DemandRankingRow, @Ctx() ctx: AppContext) {
    return row.key.serviceItemId === undefined ? null : ctx.loaders.byId(ServiceItem).load(row.key.serviceItemId);
  }

  @FieldResolver(() => Community, { nullable: true })
  community(@Root() row: DemandRankingRow, @Ctx() ctx: AppContext) {
    return row.key.communityId === undefined ? null : ctx.loaders.byId(Community).load(row.key.communityId);
  }

  @FieldResolver(() => Grid, { nullable: true })
  grid(@Root() row: DemandRankingRow, @Ctx() ctx: AppContext) {
    return row.key.gridId === undefined ? null : ctx.loaders.byId(Grid).load(row.key.gridId);
  }

  @FieldResolver(() => [ResidentKeyword], { description: '"What residents say": keywords of the newest requests in the cell (up to 200), never names, phones or numbers; for a portal, none used by fewer than 5 residents (their count would be theirs).' })
  residentsSay(@Root() row: DemandRankingRow, @Ctx() ctx: AppContext, @Arg('first', () => Int, { defaultValue: 8 }) first: number) {
    if (!row.textScope) return [];
    return residentsSayLoader(ctx)
      .load(row.textScope)
      .then((keywords) => keywords.slice(0, Math.max(0, Math.min(first, 12))));
  }

  @FieldResolver(() => [Request], { description: 'The evidence that are requests (ServiceRecord evidence is not a Node: see evidenceIds).' })
  async evidenceRequests(@Root() row: DemandRankingRow, @Ctx() ctx: AppContext) {
    const ids = row.evidenceIds.map((id) => fromGlobalId(id)).filter((d) => d?.typeName === 'Request').map((d) => d!.id);
    return (await Promise.all(ids.map((id) => ctx.loaders.byId(Request).load(id)))).filter(Boolean);
  }
}

@Resolver(() => DemandHotspotType)
export class DemandHotspotResolver {
  @FieldResolver(() => Community, { nullable: true })
  community(@Root() spot: DemandHotspotType, @Ctx() ctx: AppContext) {
    return spot.communityKey === undefined ? null : ctx.loaders.byId(Community).load(spot.communityKey);
  }

  @FieldResolver(() => Grid, { nullable: true })
  grid(@Root() spot: DemandHotspotType, @Ctx() ctx: AppContext) {
    return spot.gridKey === undefined ? null : ctx.loaders.byId(Grid).load(spot.gridKey);
  }
}
