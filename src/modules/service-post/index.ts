import {
  CommunityReportingResolver,
  PersonPostClaimsResolver,
  PostClaimFieldsResolver,
  ServicePostResolver,
  UnitRegistrationResolver,
  UnitRegistrationsResolver,
} from './service-post.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const SERVICE_POST_RESOLVERS: Function[] = [
  UnitRegistrationResolver,
  ServicePostResolver,
  PostClaimFieldsResolver,
  CommunityReportingResolver,
  UnitRegistrationsResolver,
  PersonPostClaimsResolver,
];
