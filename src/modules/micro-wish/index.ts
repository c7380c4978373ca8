/** This module's resolver classes, registered in src/resolvers.ts. */
export const MICRO_WISH_RESOLVERS: Function[] = [];
