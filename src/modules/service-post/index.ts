/** This module's resolver classes, registered in src/resolvers.ts. */
export const SERVICE_POST_RESOLVERS: Function[] = [];
