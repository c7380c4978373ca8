import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { isUtf8 } from 'node:buffer';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  TypeInfo,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputType,
  isListType,
  typeFromAST,
  valueFromAST,
  isObjectType,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type ArgumentNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination';

export const OPERATION_LIMITS = {
  /** Lexical tokens in one document (a field duplicated thousands of times, huge documents). */
  maxTokens: 3000,
  /**
   * Nodes one operation may ask for: each connection multiplies its `first` (default 20) by
   * the pages above it, as GitHub's API counts. The dashboard overview (50 communities ×
   * 100 grids, 10 units, 50 members) asks for about 10,000.
   */
  maxNodes: 50_000,
} as const;

function refuse(message: string, limit: string): GraphQLError {
  // Thrown from didResolveOperation, where Apollo honours extensions.http.
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, http: { status: 400 } } });
}

/** Tokens in the source, stopping early past the limit; lexing errors are left to the parser. */
export function countTokens(source: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF && count <= stopAfter; token = lexer.advance()) count += 1;
  } catch {
    // A malformed document: the real parser reports it as GRAPHQL_PARSE_FAILED.
  }
  return count;
}

function firstValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!node) return null;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return typeof value === 'number' ? value : null;
  }
  return null;
}

/** The length of the longest list among `args` (literal or variable), or null when none is a list. */
function listArgumentLength(args: readonly ArgumentNode[], variables: Record<string, unknown>): number | null {
  let longest: number | null = null;
  for (const arg of args) {
    const value = arg.value;
    const length = value.kind === Kind.LIST ? value.values.length : value.kind === Kind.VARIABLE && Array.isArray(variables[value.name.value]) ? (variables[value.name.value] as unknown[]).length : null;
    if (length !== null) longest = Math.max(longest ?? 0, length);
  }
  return longest;
}

/**
 * The node estimate, once the operation and its variables are known and before any resolver
 * runs: refused with 400 and GRAPHQL_VALIDATION_FAILED naming the limit.
 */
export function nodeLimitPlugin(limits = OPERATION_LIMITS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request, operation }) {
          // The variables as execution will see them: a default stands in for one not sent.
          const variables: Record<string, unknown> = { ...(request.variables ?? {}) };
          for (const definition of operation?.variableDefinitions ?? []) {
            const name = definition.variable.name.value;
            const type = typeFromAST(schema, definition.type);
            if (variables[name] === undefined && definition.defaultValue && type && isInputType(type)) variables[name] = valueFromAST(definition.defaultValue, type);
          }
          const multipliers: number[] = [1];
          let nodes = 0;
          const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
          // Each walk has its own TypeInfo: a fragment is walked from inside the outer visit.
          const walk = (root: ASTNode) => {
            const typeInfo = new TypeInfo(schema);
            visit(
              root,
              visitWithTypeInfo(typeInfo, {
                Field: {
                  enter(node) {
                    const type = getNamedType(typeInfo.getType());
                    const isConnection = isObjectType(type) && type.name.endsWith('Connection');
                    const isList = !isConnection && isListType(getNullableType(typeInfo.getType()));
                    // A list answered item for item from a list argument (nodes(ids:)): as many as it holds.
                    const perItem = isList ? listArgumentLength(node.arguments ?? [], variables) : null;
                    // Any other list of objects (demandRanking's rows, a project's funding sources) is
                    // counted as long as the largest page: what is asked under each of its items is
                    // asked that many times. A connection's own edges are its page, counted above.
                    const parentIsConnection = typeInfo.getParentType()?.name.endsWith('Connection') ?? false;
                    const listOfObjects = isList && perItem === null && isCompositeType(type) && !parentIsConnection ? MAX_PAGE_SIZE : null;
                    const first = isConnection ? (firstValue(node.arguments?.find((a) => a.name.value === 'first')?.value, variables) ?? DEFAULT_PAGE_SIZE) : (perItem ?? listOfObjects ?? 1);
                    const multiplier = multipliers[multipliers.length - 1] * first;
                    if (isConnection || perItem !== null) nodes += multiplier;
                    multipliers.push(multiplier);
                  },
                  leave() {
                    multipliers.pop();
                  },
                },
                FragmentSpread(node) {
                  const fragment = fragments.get(node.name.value);
                  // Fragments are expanded where used (cycles are already refused by validation).
                  if (fragment) walk(fragment);
                },
              }),
            );
          };
          if (operation) walk(operation);
          if (nodes > limits.maxNodes) {
            throw refuse(`The operation could return about ${nodes} nodes; the limit is ${limits.maxNodes}. Ask for smaller pages.`, 'maxNodes');
          }
        },
      };
    },
  };
}

/**
 * Counts tokens before Apollo parses and validates (validating thousands of duplicated fields
 * is quadratic), answering 400 GRAPHQL_VALIDATION_FAILED past the limit. Runs after the JSON
 * body parser; GET queries are checked from the query string.
 */
export function tokenLimitMiddleware(limits = OPERATION_LIMITS): express.RequestHandler {
  return (req, res, next) => {
    if (documentsOf(req).some((query) => typeof query === 'string' && countTokens(query, limits.maxTokens) > limits.maxTokens)) {
      res.status(400).json({ errors: [{ message: `The document has more than ${limits.maxTokens} tokens`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxTokens' } }] });
      return;
    }
    next();
  };
}

/**
 * The documents Apollo may read: the body's `query`, and every `query` of the URL read as Apollo
 * reads it (URLSearchParams). Not Express's req.query: its parser stops at 1,000 parameters, so a
 * GET padded with 1,000 others hid its document from the limit while Apollo still parsed it.
 */
function documentsOf(req: express.Request): unknown[] {
  const search = req.url.indexOf('?');
  return [(req.body as { query?: unknown } | undefined)?.query, ...new URLSearchParams(search >= 0 ? req.url.slice(search + 1) : '').getAll('query')];
}

/** Refuses request bodies that are not valid UTF-8 instead of silently replacing bytes. */
export function rejectInvalidUtf8(_req: unknown, _res: unknown, buffer: Buffer): void {
  if (!isUtf8(buffer)) {
    throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: 'encoding.unsupported' });
  }
}
