import { CategorySuggestionResolver, TextClassificationResolver } from './text.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const TEXT_RESOLVERS: Function[] = [TextClassificationResolver, CategorySuggestionResolver];
