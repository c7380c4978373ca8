import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context/context';
import { DashboardFigures, DashboardInput, StreetRankingInput, StreetRankingRow } from './dashboard.types';
import { dashboardService } from './dashboard.service';

@Resolver()
export class DashboardResolver {
  @Query(() => DashboardFigures, { description: 'The figures the articles report, for one area and period, in one query.' })
  dashboard(@Arg('input') input: DashboardInput, @Ctx() ctx: AppContext) {
    return dashboardService.figures(ctx, input);
  }

  @Query(() => [StreetRankingRow], { description: 'Streets ranked for a month (default: the current one) by response, resolution and satisfaction (Beijing 接诉即办 style).' })
  streetRanking(@Arg('input', () => StreetRankingInput, { nullable: true }) input: StreetRankingInput | null, @Ctx() ctx: AppContext) {
    return dashboardService.streetRanking(ctx, input ?? {});
  }
}
