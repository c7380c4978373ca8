/**
 * The suggestion engine's inputs and outputs: plain data, no database, no GraphQL. The caller
 * (src/modules/project) loads demand cells, templates, communities and resources and maps the
 * result to its API types.
 */

import type { SelectionMethod } from '../optimize/select';

export type ResourceKind = 'MONEY' | 'VENUE' | 'STAFF_HOURS' | 'EXPERTISE' | 'GOODS';
export type GroupName = 'ELDERLY' | 'CHILDREN' | 'YOUTH' | 'WOMEN' | 'DISABLED' | 'LOW_INCOME' | 'GENERAL';
export const GROUP_NAMES: readonly GroupName[] = ['ELDERLY', 'CHILDREN', 'YOUTH', 'WOMEN', 'DISABLED', 'LOW_INCOME', 'GENERAL'];

/** One ranked demand cell: a (second-level) category in one community over the period. */
export interface DemandCell {
  categoryId: number;
  communityId: number;
  /** Demand count n (consultations excluded). */
  volume: number;
  /** Ranking score C in 0..1: the cell's TOPSIS closeness in the demand ranking. */
  score: number;
  /** Share of the volume from ELDERLY, CHILDREN, DISABLED or LOW_INCOME residents, 0..1; null when no demand has a known group. */
  vulnerableShare: number | null;
  /** Every metric the ranking computed for the cell (null when it could not be computed). */
  metrics: Record<string, number | null>;
  label: string;
}

export type BeneficiaryRule = 'FIXED' | 'PER_ADDRESSED_CASE' | 'PER_10K_YUAN';

export interface ResourceNeed {
  kind: ResourceKind;
  /** How much of it the project can use (yuan for MONEY, m² for VENUE, hours, pieces …). */
  quantity: number;
  /** Yuan a matched unit of it saves the project (1 for MONEY). */
  unitValue: number;
}

export interface TemplateSpec {
  id: number;
  code: string;
  name: string;
  kind: 'SERVICE' | 'GOODS' | 'WORKS';
  /** Gross cost in yuan. */
  cost: number;
  /** Category ids it addresses, a first-level category already expanded to its children. */
  categoryIds: readonly number[];
  /** First-level category ids of those (resource items restricted to a family match these). */
  categoryFamilyIds: readonly number[];
  targetGroups: readonly GroupName[];
  needs: readonly ResourceNeed[];
  /** ρ: expected share of the covered demand the project addresses, 0..1. */
  rho: number;
  beneficiaryRule: BeneficiaryRule;
  beneficiaryFactor: number;
}

export interface CommunitySpec {
  id: number;
  name: string;
}

/** Open capacity of one RESOURCE list item of a unit, offered to one community. */
export interface ResourceSpec {
  id: number;
  title: string;
  unitId: number;
  unitName: string;
  communityId: number;
  kind: ResourceKind;
  /** What is left of it (yuan for MONEY); null when not metered (covers any amount). */
  capacity: number | null;
  /** Declared yuan per unit (value / quantity); null when not declared. Caps the saving per unit. */
  unitValue: number | null;
  /** First-level category it is earmarked for; null for any project. */
  categoryFamilyId: number | null;
}

export interface SuggestionConstraints {
  requiredGroups: readonly GroupName[];
  perCommunityMaxProjects: number | null;
  perCommunityMaxCost: number | null;
  /** Null: every template. */
  allowedTemplateIds: readonly number[] | null;
}

export interface SuggestionParams {
  /** β: extra weight of the vulnerable share (default 0.5). */
  beta: number;
  /** ρ for every template instead of each template's own (null: the template's). */
  rho: number | null;
  /** Rounding unit for costs in yuan (null: 1,000, or larger for budgets over 60M). */
  costUnit: number | null;
}

/** A project of a template already under way in a community (not finished or cancelled). */
export interface ActiveProjectSpec {
  templateId: number;
  communityId: number;
  /** How the reasons name it (its ID). */
  label: string;
  status: string;
}

export interface SuggestionInput {
  cells: readonly DemandCell[];
  templates: readonly TemplateSpec[];
  communities: readonly CommunitySpec[];
  resources: readonly ResourceSpec[];
  /** Template × community pairs with a project under way: not suggested again there (none when absent). */
  activeProjects?: readonly ActiveProjectSpec[];
  /** Yuan, > 0. */
  budget: number;
  constraints: SuggestionConstraints;
  params?: Partial<SuggestionParams>;
  /** Where the cells' scores came from, for the assumptions. */
  scoreSource?: string;
  /** Solver limits (defaults suit the API; tests lower them). */
  limits?: { maxWork?: number; nodeLimit?: number };
}

export type BindingConstraint =
  | 'BUDGET'
  | 'COMMUNITY_MAX_PROJECTS'
  | 'COMMUNITY_MAX_COST'
  | 'GROUP_REQUIREMENT'
  | 'TEMPLATE_NOT_ALLOWED'
  | 'ACTIVE_PROJECT'
  | 'NOT_PROVEN';

export interface CoveredCell {
  categoryId: number;
  communityId: number;
  label: string;
  volume: number;
  score: number;
  vulnerableShare: number | null;
  metrics: Record<string, number | null>;
  /** 1 + β·vulnerableShare (1 when the share is unknown). */
  vulnerabilityWeight: number;
  /** C·n·ρ·(1 + β·v): this cell's part of the benefit. */
  contribution: number;
}

export interface ResourceMatchOut {
  resourceId: number;
  title: string;
  unitId: number;
  unitName: string;
  kind: ResourceKind;
  quantity: number;
  /** Yuan saved per unit: the need's unit value, capped by the resource's declared unit value. */
  unitSaving: number;
  value: number;
}

export interface CandidateOut {
  templateId: number;
  communityId: number;
  templateCode: string;
  templateName: string;
  communityName: string;
  kind: TemplateSpec['kind'];
  targetGroups: GroupName[];
  /** Required groups this candidate serves. */
  servesRequiredGroups: GroupName[];
  grossCost: number;
  matchedValue: number;
  netCost: number;
  /** netCost rounded up to whole cost units (what the selection counted). */
  costUnits: number;
  benefit: number;
  benefitFormula: string;
  rho: number;
  beta: number;
  cells: CoveredCell[];
  beneficiaries: number;
  beneficiaryFormula: string;
  /** Benefit per 10,000 yuan of net cost (null when free). */
  benefitPer10kYuan: number | null;
  matches: ResourceMatchOut[];
  selected: boolean;
  inGreedy: boolean;
  reasons: string[];
  bindingConstraints: BindingConstraint[];
}

export interface GreedyOut {
  /** "templateId:communityId" of the greedy's picks. */
  selectedKeys: string[];
  benefit: number;
  spent: number;
  feasible: boolean;
  sameAsExact: boolean;
  onlyInExact: string[];
  onlyInGreedy: string[];
  explanation: string;
}

export interface SolverStats {
  method: SelectionMethod;
  provenOptimal: boolean;
  /** Best upper bound on the benefit any selection can reach (equals totals.benefit when proven). */
  upperBound: number;
  gap: number;
  candidates: number;
  /** Template × community pairs without any covered demand in the period (not candidates). */
  withoutDemand: number;
  costUnit: number;
  capacityUnits: number;
  dpCells: number;
  nodes: number;
  groupLayers: number;
  /** Rounds re-solving with net costs corrected for resources two selected projects both wanted. */
  sharedResourceRounds: number;
  elapsedMs: number;
  /** Of which: building candidates (benefit, standalone matching), the selection rounds, the explanations. */
  phaseMs: { candidates: number; selection: number; explanation: number };
}

export interface SuggestionTotals {
  budget: number;
  spent: number;
  left: number;
  grossCost: number;
  matchedValue: number;
  benefit: number;
  beneficiaries: number;
  projects: number;
}

export interface SuggestionResult {
  selected: CandidateOut[];
  /** Best benefit first. */
  rejected: CandidateOut[];
  totals: SuggestionTotals;
  greedy: GreedyOut;
  /** Constraints that bind the answer as a whole. */
  bindingConstraints: BindingConstraint[];
  /**
   * Required groups no allowed candidate within the budget serves (the answer is then empty).
   * Groups each servable but not all together are not listed: the answer is empty too, with
   * GROUP_REQUIREMENT binding and the candidates' reasons naming them.
   */
  unservableGroups: GroupName[];
  assumptions: string[];
  stats: SolverStats;
  params: SuggestionParams;
}

export const candidateKey = (templateId: number, communityId: number) => `${templateId}:${communityId}`;
