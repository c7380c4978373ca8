/** This module's resolver classes, registered in src/resolvers.ts. */
export const REQUEST_RESOLVERS: Function[] = [];
