import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Limits every operation must pass before any resolver runs (GraphQL Armor validation
 * rules): they refuse alias and directive overloading, deep nesting (circular
 * introspection included), token floods and expensive documents with
 * GRAPHQL_VALIDATION_FAILED. Token and node counts are in operation-limits.ts. Tuned so the README's dashboard documents pass with room:
 * the deepest is 10 levels, the largest has 5 aliases. `first` is capped at 100 by
 * ConnectionArgs.
 */
export const GRAPHQL_LIMITS = {
  maxDepth: 12,
  maxAliases: 20,
  maxDirectives: 10,

} as const;

export function graphqlArmor(options: { production: boolean }) {
  return new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, ignoreIntrospection: false },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives },
    // Armor's token plugin re-parses the document and turns any syntax error into a 500; ours (operation-limits.ts) does not.
    maxTokens: { enabled: false },
    // Armor's cost weighs `first` only when it is a literal; the node limit (operation-limits.ts) also reads variables.
    costLimit: { enabled: false },
    // "Did you mean …?" helps developers but maps the schema for attackers.
    blockFieldSuggestion: { enabled: options.production },
  }).protect();
}
