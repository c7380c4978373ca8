import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { MemberAssessmentsInput, UnitAssessmentsInput } from './assessment.inputs';
import { assessmentService } from './assessment.service';
import { MemberAssessment, UnitAssessment } from './assessment.types';

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

@Resolver(() => MemberAssessment)
export class MemberAssessmentResolver {
  @Query(() => [MemberAssessment], {
    description:
      '反向考核 of 双报到: every party member reported to the community some time in the year (so far), scored (weights in assessment.rules.ts) and ranked, best first. Ended reports and post claims are kept: a member who has since moved, retired or changed posts is assessed on the months they were reported and the posts they held then. A party member sees only their own row, a unit\'s liaison only their unit\'s staff; staff and analysts every member of a community in their scope.',
  })
  memberAssessments(@Arg('input') input: MemberAssessmentsInput, @Ctx() ctx: AppContext) {
    return assessmentService.memberAssessments(ctx, input);
  }

  @FieldResolver(() => Person)
  person(@Root() assessment: MemberAssessment, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(assessment.personId);
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'Their workplace, which receives the assessment (null when none is recorded).' })
  employerUnit(@Root() assessment: MemberAssessment, @Ctx() ctx: AppContext) {
    return assessment.employerUnitId == null ? null : ctx.loaders.byId(Unit).load(assessment.employerUnitId);
  }

  @FieldResolver(() => Community)
  community(@Root() assessment: MemberAssessment, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(assessment.communityId);
  }
}
