import { CommunityProjectsResolver, LivelihoodProjectResolver, ProjectFundingResolver, ProjectTemplateResolver } from './project.resolver';
import { CoveredDemandCellResolver, MatchedResourceResolver, ProjectSuggestionFieldsResolver, ProjectSuggestionsResolver } from './suggestion.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const PROJECT_RESOLVERS: Function[] = [
  ProjectTemplateResolver,
  LivelihoodProjectResolver,
  ProjectFundingResolver,
  CommunityProjectsResolver,
  ProjectSuggestionsResolver,
  ProjectSuggestionFieldsResolver,
  CoveredDemandCellResolver,
  MatchedResourceResolver,
];
