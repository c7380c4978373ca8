import { IdentityResolver } from './identity.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const IDENTITY_RESOLVERS: Function[] = [IdentityResolver];
