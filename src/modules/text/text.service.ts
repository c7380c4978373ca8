import { classifyText } from '../../../analytics';
import { badInput } from '../../common/errors';
import type { AppContext } from '../../context/context';
import { RequestCategory } from '../category/category.entity';
import type { RequestTextClassification } from './text.types';

/** Free-text requests: category suggestions from the shipped classifier. */
export const textService = {
  /**
   * Suggests the category of a resident's message. Only active second-level categories of
   * the catalogue are suggested, so the answer can go straight into createRequest.
   */
  async classify(ctx: AppContext, text: string): Promise<RequestTextClassification> {
    const active = await ctx.em.find(RequestCategory, { active: true, parent: { $ne: null } }, { fields: ['code'] });
    const result = classifyText(text, { allowedCodes: new Set(active.map((category) => category.code)) });
    if (!result.categoryCode) throw badInput('text', 'no active category in the catalogue can be suggested');
    return result;
  },
};
