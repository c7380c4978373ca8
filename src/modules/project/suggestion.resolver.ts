import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import type { AppContext } from '../../context/context';
import { hidesSmallCells, suggestionCellMetrics, suppressesSmallCounts } from '../../common/disclosure';
import { Area, Community } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { ListItem } from '../list/list.entity';
import { Unit } from '../unit/unit.entity';
import { ProjectTemplate } from './project.entity';
import { ProjectSuggestionsInput } from './suggestion.inputs';
import { suggestionService } from './suggestion.service';
import { CellMetric, CoveredDemandCell, MatchedResource, ProjectSuggestion, ProjectSuggestionResult } from './suggestion.types';

@ArgsType()
class RejectedArgs {
  @Field(() => Int, { nullable: true, description: 'How many (default 20, at most 500).' })
  @IsOptional()
  @Min(0)
  @Max(500)
  first?: number;

  @Field(() => Int, { nullable: true, description: 'Skip this many (the list is computed whole, so an offset is stable within one answer).' })
  @IsOptional()
  @Min(0)
  offset?: number;
}

@Resolver(() => ProjectSuggestionResult)
export class ProjectSuggestionsResolver {
  @Query(() => ProjectSuggestionResult, {
    description: 'Suggested livelihood projects for a budget in an area and period: an exact selection from ranked demand, net of co-building units\' resources, each suggestion explaining itself, with the greedy answer beside it.',
  })
  projectSuggestions(@Arg('input') input: ProjectSuggestionsInput, @Ctx() ctx: AppContext) {
    return suggestionService.suggest(ctx, input);
  }

  @FieldResolver(() => [ProjectSuggestion], { description: 'Candidates not selected, best benefit first, each with why.' })
  rejected(@Root() result: ProjectSuggestionResult, @Args() args: RejectedArgs) {
    return result.rejectedPage(args.offset ?? 0, args.first ?? 20);
  }
}

@Resolver(() => ProjectSuggestion)
export class ProjectSuggestionFieldsResolver {
  @FieldResolver(() => ProjectTemplate)
  template(@Root() suggestion: ProjectSuggestion, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(ProjectTemplate).load(suggestion.templateId);
  }

  @FieldResolver(() => Community)
  community(@Root() suggestion: ProjectSuggestion, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(suggestion.communityId);
  }
}

@Resolver(() => CoveredDemandCell)
export class CoveredDemandCellResolver {
  @FieldResolver(() => [CellMetric])
  metrics(@Root() cell: CoveredDemandCell, @Ctx() ctx: AppContext): CellMetric[] {
    // Small cells (disclosure.ts), as a project's kept suggestion shows them.
    const values = hidesSmallCells(ctx.viewer) ? suggestionCellMetrics(cell.metricValues, cell.volume, suppressesSmallCounts(ctx.viewer)) : cell.metricValues;
    return Object.entries(values).map(([name, value]) => ({ name, value }));
  }

  @FieldResolver(() => RequestCategory)
  category(@Root() cell: CoveredDemandCell, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(RequestCategory).load(cell.categoryId);
  }
}

@Resolver(() => MatchedResource)
export class MatchedResourceResolver {
  @FieldResolver(() => ListItem, { description: 'The RESOURCE list item.' })
  resource(@Root() match: MatchedResource, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(ListItem).load(match.resourceId);
  }

  @FieldResolver(() => Unit, { description: 'The unit offering it.' })
  unit(@Root() match: MatchedResource, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(match.unitId);
  }
}
