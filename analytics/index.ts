/**
 * The analytics package's only door: `src/` imports analytics through this file alone, and
 * analytics never imports from `src/modules`. Keep this file a list of re-exports (merges stay easy).
 */
export * from './stats';
export type { SqlRunner } from './sources/sql';
export * from './sources/demand-tables';
export * from './demand';

// Free text (Chinese): segmentation, keywords, the category classifier and its evaluation.
export * from './text';

// Start-up: pay the one-off loading and training costs before the first request.
export { warmAnalytics } from './warm';

// Project suggestions (analytics/suggest, analytics/optimize).
export { suggestProjects } from './suggest/suggest';
export { DEFAULT_BETA, DEFAULT_RHO, MIN_DEMANDS_FOR_V } from './suggest/benefit';
export { GROUP_NAMES, candidateKey } from './suggest/types';
export { SELECTION_METHODS } from './optimize/select';
export type { SelectionMethod } from './optimize/select';
export type {
  ActiveProjectSpec, BeneficiaryRule, BindingConstraint, CandidateOut, CommunitySpec, CoveredCell, DemandCell, GreedyOut, GroupName, ResourceKind, ResourceMatchOut,
  ResourceNeed, ResourceSpec, SolverStats, SuggestionConstraints, SuggestionInput, SuggestionParams, SuggestionResult, SuggestionTotals, TemplateSpec,
} from './suggest/types';
