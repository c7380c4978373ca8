import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The root fields of an operation in the order they run, also those reached through inline
 * fragments and fragment spreads (`mutation { ...F } fragment F on Mutation { createApiKey … }`):
 * what the mutation audit records and Idempotency-Key looks at. One per response key, as graphql-js
 * merges the selections under a key into one field. Directives (@skip) are not read.
 */
export function rootFields(operation: OperationDefinitionNode, document: DocumentNode | undefined): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document?.definitions ?? []) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const seen = new Set<string>();
  const keys = new Set<string>();
  const fields: FieldNode[] = [];
  const walk = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        // Selections under one response key are merged into one field, run once (graphql-js collectFields).
        const key = selection.alias?.value ?? selection.name.value;
        if (!keys.has(key)) fields.push(selection);
        keys.add(key);
      }
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}
