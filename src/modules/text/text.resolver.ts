import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../context/context';
import { RequestCategory } from '../category/category.entity';
import { CategorySuggestion, ClassifyRequestTextArgs, RequestTextClassification } from './text.types';
import { textService } from './text.service';

/** The catalogue entry with a code, batched per request (null when no such code). */
function categoryByCode(ctx: AppContext, code: string): Promise<RequestCategory | null> {
  return ctx.loaders
    .get<string, RequestCategory | null>('RequestCategory.byCode', async (codes) => {
      const rows = await ctx.em.find(RequestCategory, { code: { $in: [...codes] } });
      const byCode = new Map(rows.map((row) => [row.code, row]));
      return codes.map((code) => byCode.get(code) ?? null);
    })
    .load(code);
}

@Resolver(() => RequestTextClassification)
export class TextClassificationResolver {
  @Query(() => RequestTextClassification, {
    description: 'Suggests the request category of a resident\'s free text (jieba + TF-IDF + logistic regression trained on a shipped corpus), with alternatives and keywords.',
  })
  classifyRequestText(@Args() args: ClassifyRequestTextArgs, @Ctx() ctx: AppContext) {
    return textService.classify(ctx, args.text);
  }

  @FieldResolver(() => RequestCategory, { nullable: true, description: 'The suggested category.' })
  category(@Root() suggestion: RequestTextClassification, @Ctx() ctx: AppContext) {
    return categoryByCode(ctx, suggestion.categoryCode);
  }
}

@Resolver(() => CategorySuggestion)
export class CategorySuggestionResolver {
  @FieldResolver(() => RequestCategory, { nullable: true, description: 'The category with this code.' })
  category(@Root() suggestion: CategorySuggestion, @Ctx() ctx: AppContext) {
    return categoryByCode(ctx, suggestion.categoryCode);
  }
}
