/** This module's resolver classes, registered in src/resolvers.ts. */
export const LIST_RESOLVERS: Function[] = [];
