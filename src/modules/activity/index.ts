import { ASSESSMENT_RESOLVERS } from '../assessment';
import {
  ActivityParticipationFieldsResolver,
  ActivityRecordCardResolver,
  ActivityResolver,
  PersonActivitiesResolver,
} from './activity.resolver';

/** This module's resolver classes (and the assessment module's, which builds on activities), registered in src/resolvers.ts. */
export const ACTIVITY_RESOLVERS: Function[] = [
  ActivityResolver,
  ActivityParticipationFieldsResolver,
  ActivityRecordCardResolver,
  PersonActivitiesResolver,
  ...ASSESSMENT_RESOLVERS,
];
