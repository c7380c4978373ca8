/**
 * The object registerEnumType takes for a list of string values declared elsewhere (a list in
 * analytics/, which may not import type-graphql): each value is its own GraphQL name, so the JSON
 * answer carries the very strings the list holds, and a variable may send them as before.
 */
export function enumOf<V extends string>(values: readonly V[]): { readonly [K in V]: K } {
  return Object.freeze(Object.fromEntries(values.map((value) => [value, value]))) as { readonly [K in V]: K };
}
