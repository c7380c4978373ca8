import { ArgsType, Field, Float, ObjectType } from 'type-graphql';
import { RequestCategory } from '../category/category.entity';
import { TextInput } from '../../common/input-fields';

/** The longest text classified: the same limit as a request's body. */
export const MAX_CLASSIFIED_TEXT = 5000;

@ArgsType()
export class ClassifyRequestTextArgs {
  @TextInput(MAX_CLASSIFIED_TEXT, { description: `A resident's message in Chinese, 1-${MAX_CLASSIFIED_TEXT} characters.` })
  text!: string;
}

@ObjectType({ description: 'A category the classifier considers, with its probability.' })
export class CategorySuggestion {
  @Field({ description: 'Second-level category code, e.g. HOUSING-LIGHTS.' })
  categoryCode!: string;

  @Field(() => Float, { description: 'The model\'s probability, 0-1.' })
  confidence!: number;

  // Resolved through a per-request loader by code (text.resolver.ts).
  category?: RequestCategory;
}

@ObjectType({ description: 'The suggested category of a free-text request, its alternatives and its keywords.' })
export class RequestTextClassification extends CategorySuggestion {
  @Field(() => [CategorySuggestion], { description: 'The next three most likely categories, most likely first.' })
  alternatives!: CategorySuggestion[];

  @Field(() => [String], { description: 'The text\'s keywords (TF-IDF over jieba words); never names, phone or ID numbers, or addresses below building level.' })
  keywords!: string[];
}
