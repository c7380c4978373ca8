import { ClaimResolver, ListItemClaimsResolver, UnitClaimsResolver } from './claim.resolver';
import { CommunityProblemListsResolver, ListItemResolver, ProblemListResolver } from './list.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const LIST_RESOLVERS: Function[] = [
  ProblemListResolver,
  ListItemResolver,
  CommunityProblemListsResolver,
  ClaimResolver,
  ListItemClaimsResolver,
  UnitClaimsResolver,
];
