import { MemberAssessmentResolver, UnitAssessmentResolver } from './assessment.resolver';

/** This module's resolver classes; registered through ACTIVITY_RESOLVERS (src/modules/activity/index.ts). */
export const ASSESSMENT_RESOLVERS: Function[] = [UnitAssessmentResolver, MemberAssessmentResolver];
