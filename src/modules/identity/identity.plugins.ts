import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { AppContext } from '../../context/context';
import { flushPersonalDataReads } from './personal-data';

/** Writes each request's readings of unmasked personal data to the audit log as the answer goes out. */
export function personalDataAuditPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          try {
            await flushPersonalDataReads(contextValue);
          } catch (error) {
            contextValue.logger.error({ err: error }, 'could not write the personal-data audit log');
          }
        },
      };
    },
  };
}

function asksForIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/**
 * In production only signed-in staff and analysts may introspect the schema; portals and
 * anonymous callers get the same validation error an unknown field would.
 */
export function introspectionForStaffPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document }) {
          const viewer = contextValue.viewer;
          if ((viewer.kind === 'anonymous' || viewer.kind === 'portal') && asksForIntrospection(document)) {
            throw new GraphQLError('GraphQL introspection is not allowed here: sign in as staff', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
