/** This module's resolver classes, registered in src/resolvers.ts. */
export const POINTS_RESOLVERS: Function[] = [];
