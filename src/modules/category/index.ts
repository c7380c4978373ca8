import { RequestCategoryResolver } from './category.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const CATEGORY_RESOLVERS: Function[] = [RequestCategoryResolver];
