import { LocalDateResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SELECTION_METHODS, type SelectionMethod as AnalyticsSelectionMethod } from '../../../analytics';
import { enumOf } from '../../common/enum-of';
import { ResidentGroup } from '../../common/resident-group';
import { ResourceType } from '../list/list.entity';
import { ProjectKind } from './project.entity';
import { FreeText } from '../../common/free-text-field';

// Result types made only of scalars use `simpleResolvers`: GraphQL's default resolver, without
// the per-field middleware (the access guard has nothing to check on a scalar) — a large answer
// has thousands of such fields.
/**
 * The answer of `projectSuggestions`. Relations (template, community, category, resource, unit)
 * are resolved by field resolvers through the per-request loaders from the ids kept here.
 */

export enum BindingConstraint {
  BUDGET = 'BUDGET',
  COMMUNITY_MAX_PROJECTS = 'COMMUNITY_MAX_PROJECTS',
  COMMUNITY_MAX_COST = 'COMMUNITY_MAX_COST',
  GROUP_REQUIREMENT = 'GROUP_REQUIREMENT',
  TEMPLATE_NOT_ALLOWED = 'TEMPLATE_NOT_ALLOWED',
  ACTIVE_PROJECT = 'ACTIVE_PROJECT',
  NOT_PROVEN = 'NOT_PROVEN',
}
registerEnumType(BindingConstraint, {
  name: 'BindingConstraint',
  description: 'What kept a candidate out (or, for a selected one, put it in): the budget, a per-community cap, the required groups, the allowed templates, a project of the template already under way in the community (ACTIVE_PROJECT); NOT_PROVEN when only an unproven answer explains it.',
  valuesConfig: {
    BUDGET: { description: 'The budget: it costs more (net) than the budget, or than what the selected projects leave of it.' },
    COMMUNITY_MAX_PROJECTS: { description: 'perCommunityMaxProjects: its community already has the most selected projects allowed.' },
    COMMUNITY_MAX_COST: { description: 'perCommunityMaxCost: it, or its community\'s selected projects with it, would cost more than the per-community cap.' },
    GROUP_REQUIREMENT: { description: 'requiredGroups: selected to serve a required group, or left out for one that does (or no selection serves them all).' },
    TEMPLATE_NOT_ALLOWED: { description: 'Its template is not among allowedTemplateIds.' },
    ACTIVE_PROJECT: { description: 'Its community already has a project of the template under way (PROPOSED, APPROVED or IN_PROGRESS).' },
    NOT_PROVEN: { description: 'Nothing else keeps it out: the selection is not proven optimal, so a better one may include it.' },
  },
});

/** analytics' SELECTION_METHODS (analytics/optimize/select.ts), the one list; the same strings as before. */
export const SelectionMethod = enumOf<AnalyticsSelectionMethod>(SELECTION_METHODS);
export type SelectionMethod = AnalyticsSelectionMethod;
registerEnumType(SelectionMethod, {
  name: 'SelectionMethod',
  description: 'How the exact selection was solved: DYNAMIC_PROGRAMMING (0/1 knapsack); MULTIPLE_CHOICE_DP (with per-community caps); BRANCH_AND_BOUND (the search over communities, with caps: when it proves the optimum first, or as the fallback when the DP table would be too large); TRIVIAL (no candidates).',
  valuesConfig: {
    DYNAMIC_PROGRAMMING: { description: '0/1 knapsack by dynamic programming (after fixing what the bounds decide), without per-community caps.' },
    MULTIPLE_CHOICE_DP: { description: 'Multiple-choice dynamic programming over communities, with per-community caps.' },
    BRANCH_AND_BOUND: { description: 'Branch-and-bound search over communities: with caps when it proves the optimum first, or the fallback when the DP table would be too large.' },
    TRIVIAL: { description: 'Nothing to solve: no candidates.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'One metric of a demand cell.' })
export class CellMetric {
  @Field()
  name!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;
}

@ObjectType({ description: 'A demand cell (category × community over the period) a suggestion addresses, and its part of the benefit.' })
export class CoveredDemandCell {
  categoryId!: number;

  @Field()
  label!: string;

  @Field(() => Int, { description: 'n: demand count (consultations excluded).' })
  volume!: number;

  @Field(() => Float, { description: 'C: the cell\'s ranking score, 0-1.' })
  score!: number;

  @Field(() => Float, { nullable: true, description: 'v: share from elderly, children, disabled and low-income residents; null when no demand has a known group (no boost: 1 + β·0).' })
  vulnerableShare!: number | null;

  @Field(() => Float, { description: '1 + β·v.' })
  vulnerabilityWeight!: number;

  @Field(() => Float, { description: 'C·n·ρ·(1 + β·v).' })
  contribution!: number;

  /** Every numeric metric of the ranking row, by name: the `metrics` field lists them (on demand). */
  metricValues!: Record<string, number | null>;
}

@ObjectType({ description: 'A resource item matched to a suggestion\'s needs: which, from whom, how much, worth what.' })
export class MatchedResource {
  resourceId!: number;
  unitId!: number;

  @Field()
  @FreeText()
  title!: string;

  @Field({ description: 'Name of the unit offering it.' })
  unitName!: string;

  @Field(() => ResourceType)
  kind!: ResourceType;

  @Field(() => Float)
  quantity!: number;

  @Field(() => Float, { description: 'Yuan saved per unit.' })
  unitSaving!: number;

  @Field(() => Float, { description: 'Yuan saved.' })
  value!: number;
}

@ObjectType({ description: 'A project template in a community, with its numbers and why it was selected or not.' })
export class ProjectSuggestion {
  templateId!: number;
  communityId!: number;

  @Field({ description: 'Pass to acceptSuggestion, as given. Encodes the template, the community, the query, the instant and period its numbers were computed for, and a fingerprint of them.' })
  suggestionId!: string;

  @Field({ description: '"<template> · <community>".' })
  label!: string;

  @Field(() => ProjectKind)
  kind!: ProjectKind;

  @Field(() => [ResidentGroup])
  targetGroups!: ResidentGroup[];

  @Field(() => [ResidentGroup])
  servesRequiredGroups!: ResidentGroup[];

  @Field(() => Float, { description: 'Template cost, yuan.' })
  grossCost!: number;

  @Field(() => Float, { description: 'What matched resources save, yuan.' })
  matchedValue!: number;

  @Field(() => Float, { description: 'grossCost − matchedValue, yuan.' })
  netCost!: number;

  @Field(() => Int, { description: 'netCost rounded up to cost units (what the selection counted).' })
  costUnits!: number;

  @Field(() => Float)
  benefit!: number;

  @Field({ description: 'The benefit arithmetic, e.g. "b = ρ·Σ C·n·(1+β·v) = 0.3 × (0.82×120×(1+0.5×0.41)) = 35.4".' })
  benefitFormula!: string;

  @Field(() => Float)
  rho!: number;

  @Field(() => Float)
  beta!: number;

  @Field(() => [CoveredDemandCell])
  coveredCells!: CoveredDemandCell[];

  @Field(() => Int)
  beneficiaries!: number;

  @Field()
  beneficiaryFormula!: string;

  @Field(() => Float, { nullable: true, description: 'Benefit per 10,000 yuan of net cost; null when free.' })
  benefitPer10kYuan!: number | null;

  @Field(() => [MatchedResource], { description: 'For a selected suggestion: its share of the community\'s resources; for a rejected one: what the selected projects leave.' })
  matchedResources!: MatchedResource[];

  @Field()
  selected!: boolean;

  @Field({ description: 'Whether the greedy ratio rule would pick it.' })
  inGreedy!: boolean;

  @Field(() => [String])
  reasons!: string[];

  @Field(() => [BindingConstraint])
  bindingConstraints!: BindingConstraint[];
}

@ObjectType({ simpleResolvers: true })
export class SuggestionTotals {
  @Field(() => Float)
  budget!: number;

  @Field(() => Float, { description: 'Net cost of the selected projects.' })
  spent!: number;

  @Field(() => Float)
  left!: number;

  @Field(() => Float)
  grossCost!: number;

  @Field(() => Float)
  matchedValue!: number;

  @Field(() => Float)
  benefit!: number;

  @Field(() => Int)
  beneficiaries!: number;

  @Field(() => Int)
  projects!: number;
}

@ObjectType({ simpleResolvers: true, description: 'The greedy benefit-per-yuan answer, beside the exact one.' })
export class GreedyComparison {
  @Field()
  sameAsExact!: boolean;

  @Field({ description: 'Whether it meets every constraint (it may miss a required group).' })
  feasible!: boolean;

  @Field(() => Float)
  benefit!: number;

  @Field(() => Float)
  spent!: number;

  @Field(() => [String], { description: 'Labels of the greedy\'s picks.' })
  selected!: string[];

  @Field(() => [String], { description: 'Selected by the exact answer only.' })
  onlyInExact!: string[];

  @Field(() => [String], { description: 'Picked by the greedy only.' })
  onlyInGreedy!: string[];

  @Field({ description: 'Why the exact answer is better, or that they agree.' })
  explanation!: string;
}

@ObjectType({ simpleResolvers: true })
export class SolverFigures {
  @Field(() => SelectionMethod)
  method!: SelectionMethod;

  @Field()
  provenOptimal!: boolean;

  @Field(() => Float, { description: 'No selection can reach more benefit than this.' })
  upperBound!: number;

  @Field(() => Float)
  gap!: number;

  @Field(() => Int)
  candidates!: number;

  @Field(() => Int, { description: 'Template × community pairs with no demand in the period (not candidates).' })
  withoutDemand!: number;

  @Field(() => Int, { description: 'Yuan per cost unit.' })
  costUnit!: number;

  @Field(() => Int)
  capacityUnits!: number;

  @Field(() => Float, { description: 'DP table cells filled.' })
  dpCells!: number;

  @Field(() => Int)
  nodes!: number;

  @Field(() => Int, { description: 'Required groups the DP tracked as layers.' })
  groupLayers!: number;

  @Field(() => Int, { description: 'Re-solves for resources two selected projects both wanted.' })
  sharedResourceRounds!: number;

  @Field(() => Float, { description: 'Time in the engine (ms), data loading excluded.' })
  engineMs!: number;

  @Field(() => Float, { description: 'Time loading demand, templates and resources (ms).' })
  loadMs!: number;

  @Field(() => Float, { description: 'Engine time building candidates: benefit and each one\'s resource matching (ms).' })
  candidatesMs!: number;

  @Field(() => Float, { description: 'Engine time selecting (every solve, shared-resource rounds included) (ms).' })
  selectionMs!: number;

  @Field(() => Float, { description: 'Engine time explaining every candidate (ms).' })
  explanationMs!: number;
}

@ObjectType({ simpleResolvers: true })
export class SuggestionParameters {
  @Field(() => Float)
  beta!: number;

  @Field(() => Float, { nullable: true, description: 'The ρ override, or null when each template\'s own ρ was used.' })
  rho!: number | null;

  @Field(() => LocalDateResolver)
  from!: string;

  @Field(() => LocalDateResolver)
  to!: string;

  @Field(() => [ResidentGroup])
  requiredGroups!: ResidentGroup[];

  @Field(() => Int, { nullable: true })
  perCommunityMaxProjects!: number | null;

  @Field(() => Float, { nullable: true })
  perCommunityMaxCost!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Where the demand the suggestions weigh came from.' })
export class SuggestionDemand {
  @Field(() => LocalDateResolver, { nullable: true, description: 'The latest day with records in the period.' })
  latestDay!: string | null;

  @Field(() => Int, { description: 'Records (demands) the ranking counted in the period and area.' })
  recordsCounted!: number;

  @Field(() => Int, { description: 'Demand cells (category × community) found.' })
  cells!: number;

  @Field({ description: 'How each cell\'s score C was computed.' })
  scoreSource!: string;
}

@ObjectType({ description: 'Suggested livelihood projects for a budget: the exact selection, every other candidate, and why.' })
export class ProjectSuggestionResult {
  @Field(() => [ProjectSuggestion], { description: 'Best benefit first.' })
  selected!: ProjectSuggestion[];

  /**
   * A page of the rejected candidates, best benefit first (the field resolver's); mapped on demand,
   * since a city-wide answer rejects a thousand candidates and a page shows twenty.
   */
  rejectedPage!: (offset: number, count: number) => ProjectSuggestion[];

  @Field(() => Int)
  rejectedCount!: number;

  @Field(() => SuggestionTotals)
  totals!: SuggestionTotals;

  @Field(() => GreedyComparison)
  greedy!: GreedyComparison;

  @Field(() => [BindingConstraint], { description: 'Constraints that bind the answer as a whole.' })
  bindingConstraints!: BindingConstraint[];

  @Field(() => [ResidentGroup], { description: 'Required groups no allowed candidate within the budget serves (the answer is then empty). Groups each served by some candidate but not servable all together are not listed: the answer is empty too, GROUP_REQUIREMENT binds and the candidates\' reasons name them.' })
  unservableGroups!: ResidentGroup[];

  @Field(() => [String])
  assumptions!: string[];

  @Field(() => SuggestionParameters)
  parameters!: SuggestionParameters;

  @Field(() => SuggestionDemand)
  demand!: SuggestionDemand;

  @Field(() => SolverFigures)
  solver!: SolverFigures;
}
