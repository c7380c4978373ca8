import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { Unit } from '../unit/unit.entity';
import { UnitAssessmentsInput } from './assessment.inputs';
import { assessmentService } from './assessment.service';
import { UnitAssessment } from './assessment.types';

@Resolver(() => UnitAssessment)
export class UnitAssessmentResolver {
  @Query(() => [UnitAssessment], {
    description: '反向考核: every unit paired with the community in the year (so far: a term not begun yet is left out), scored (weights in assessment.rules.ts) and ranked, best first.',
  })
  unitAssessments(@Arg('input') input: UnitAssessmentsInput, @Ctx() ctx: AppContext) {
    return assessmentService.unitAssessments(ctx, input);
  }

  @FieldResolver(() => Unit)
  unit(@Root() assessment: UnitAssessment, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(assessment.unitId);
  }

  @FieldResolver(() => Community)
  community(@Root() assessment: UnitAssessment, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(assessment.communityId);
  }
}
