import { RequestEventFieldsResolver, RequestResolver } from './request.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const REQUEST_RESOLVERS: Function[] = [RequestResolver, RequestEventFieldsResolver];
