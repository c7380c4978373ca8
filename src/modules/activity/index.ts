/** This module's resolver classes, registered in src/resolvers.ts. */
export const ACTIVITY_RESOLVERS: Function[] = [];
