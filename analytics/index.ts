/**
 * The analytics package's only door: `src/` imports analytics through this file alone,
 * and analytics never imports from `src/modules`. Demand ranking and project suggestions
 * arrive with the analytics issue; until then the door only says what it offers.
 */
export const ANALYTICS_CAPABILITIES: readonly string[] = [];

// Project suggestions (analytics/suggest, analytics/optimize).
export { suggestProjects } from './suggest/suggest';
export { DEFAULT_BETA, DEFAULT_RHO } from './suggest/benefit';
export { GROUP_NAMES, candidateKey } from './suggest/types';
export type {
  BeneficiaryRule, BindingConstraint, CandidateOut, CommunitySpec, CoveredCell, DemandCell, GreedyOut, GroupName, ResourceKind, ResourceMatchOut,
  ResourceNeed, ResourceSpec, SolverStats, SuggestionConstraints, SuggestionInput, SuggestionParams, SuggestionResult, SuggestionTotals, TemplateSpec,
} from './suggest/types';
