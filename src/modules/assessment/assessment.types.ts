import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AssessmentPartName } from './assessment.rules';

export enum AssessmentPartKind {
  ATTENDANCE = 'attendance',
  CLAIMS = 'claims',
  WHISTLES = 'whistles',
  SATISFACTION = 'satisfaction',
  POSTS = 'posts',
  REQUESTS = 'requests',
}
registerEnumType(AssessmentPartKind, {
  name: 'AssessmentPartKind',
  description: 'The parts of an assessment (反向考核): a unit is scored on ATTENDANCE, CLAIMS, WHISTLES and SATISFACTION; a reported member on POSTS, ATTENDANCE, REQUESTS and SATISFACTION.',
  valuesConfig: {
    ATTENDANCE: { description: '活动参与: share of the community\'s activities attended (by at least one of the unit\'s people; by the member).' },
    CLAIMS: { description: '认领兑现 (units): claims on the community\'s list items delivered or confirmed, of those not cancelled.' },
    WHISTLES: { description: '吹哨报到 (units): whistles to the unit answered by the feedback deadline, of those answered by it or that missed it.' },
    SATISFACTION: { description: '群众满意度: mean resident rating (1-5) of the requests assigned, divided by 5.' },
    POSTS: { description: '认岗 (members): held a service post of the community some time in the year; 1 or 0.' },
    REQUESTS: { description: '限时办结 (members): requests assigned to them resolved by their due time, of those resolved, held past it or taken from them past it.' },
  },
});

@ObjectType({ description: 'One part of an assessment: a share 0..1 with what it was computed from.' })
export class AssessmentPart {
  @Field(() => AssessmentPartKind)
  name!: AssessmentPartName;

  @Field(() => Float, { nullable: true, description: 'numerator / denominator, 0..1; null when there was nothing to measure.' })
  score!: number | null;

  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { description: 'Weight in the rules.' })
  weight!: number;

  @Field(() => Float, { description: 'Weight actually applied: re-normalised over the parts with data; 0 for a part without.' })
  appliedWeight!: number;
}

@ObjectType({ description: '反向考核: a community\'s score of a paired unit for one year.' })
export class UnitAssessment {
  unitId!: number;
  communityId!: number;

  @Field(() => Int)
  year!: number;

  @Field(() => Float, { nullable: true, description: '0..100, the weighted mean of the parts with data; null when none has data.' })
  score!: number | null;

  @Field(() => Int, { nullable: true, description: '1 = best among the community\'s paired units; ties share a rank; null without a score.' })
  rank!: number | null;

  @Field(() => AssessmentPart, { description: 'Share of the community\'s activities that year held during the unit\'s pairing term (a pairing in force on the activity\'s day, China time) and so far (started), attended by at least one of the unit\'s people (not yet started, or before its term began or after it ended, is left out).' })
  attendance!: AssessmentPart;

  @Field(() => AssessmentPart, { description: 'Claims on the community\'s list items made that year during the unit\'s pairing term (a pairing in force on the claim\'s day, China time): DELIVERED or CONFIRMED, of all not CANCELLED (one made while it was not paired, through an alliance seat, is left out).' })
  claims!: AssessmentPart;

  @Field(() => AssessmentPart, {
    description: 'Whistles the community blew that year to the unit during its pairing term (a pairing in force on the day blown, China time; answered after the term ended still counts): answered by the feedback deadline, of all answered or past the deadline (not yet due and unanswered is left out; so is a whistle blown while the unit was not paired, which it answered as any department, not as the pairing).',
  })
  whistles!: AssessmentPart;

  @Field(() => AssessmentPart, { description: 'Requests in the community assigned to the unit, dispatched to it that year during its pairing term (a pairing in force on the day first dispatched to the unit, China time, not the day it came in) and rated: sum of ratings over 5 × rated requests.' })
  satisfaction!: AssessmentPart;

  @Field(() => [String], { description: 'How the score was made: parts left out for lack of data, and the re-normalised weights.' })
  notes!: string[];
}

@ObjectType({ description: '反向考核 of a party member reported to the community (双报到): the community\'s score of them for one year, the assessment their workplace (employerUnit) receives.' })
export class MemberAssessment {
  personId!: number;
  communityId!: number;
  employerUnitId!: number | null;

  @Field(() => Int)
  year!: number;

  @Field(() => Float, { nullable: true, description: '0..100, the weighted mean of the parts with data; null when none has data.' })
  score!: number | null;

  @Field(() => Int, { nullable: true, description: '1 = best among all the members reported to the community (also when you may read only some of them); ties share a rank; null without a score.' })
  rank!: number | null;

  @Field(() => AssessmentPart, { description: 'Held a service post of the community some time that year (claimed by its last day, not ended before its first): 1 of 1, else 0 of 1 (双报到 asks each member to take at least one).' })
  posts!: AssessmentPart;

  @Field(() => AssessmentPart, { description: 'The community\'s activities that year held while they were reported (from their report\'s day to its end, and started by now): those they attended, of all.' })
  attendance!: AssessmentPart;

  @Field(() => AssessmentPart, { description: 'Requests in the community assigned to them, given them that year while they were reported here (dated by when first dispatched to them, or taken by them for their unit, not when it came in; on a day their report counts for, China time, as for attendance: one given them before they reported, or after their report ended, is left out, as is its lateness if taken from them): resolved by their due time (assigneeDueAt), of those resolved, held by them past it (one suspended already past it included), or taken from them past it, each request once (限时办结; one open and not yet due, or suspended in time, is left out).' })
  requests!: AssessmentPart;

  @Field(() => AssessmentPart, { description: 'Those requests (given them while they were reported here) rated by the resident: sum of ratings over 5 × rated requests.' })
  satisfaction!: AssessmentPart;

  @Field(() => Int, { description: '积分: points earned that year while reported to this community (entries above zero, made on a day their report here counts for; spending does not lower it). Shown beside the score, not part of it.' })
  pointsEarned!: number;

  @Field(() => [String], { description: 'How the score was made: parts left out for lack of data, and the re-normalised weights.' })
  notes!: string[];
}
