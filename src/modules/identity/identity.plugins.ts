import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import { rootFields } from '../../common/root-fields';
import type { AppContext } from '../../context/context';
import { INTROSPECTING_ROLES, PASSWORD_FIELDS } from './access.policy';
import { recordMutations } from './mutation-audit';
import { flushPersonalDataReads } from './personal-data';

/**
 * The audit logs, written as each answer goes out: readings of unmasked personal data, and who
 * ran which mutation with what outcome. A failure to write them is logged, never hidden.
 */
export function auditPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(request) {
          try {
            await flushPersonalDataReads(request.contextValue);
            await recordMutations(request);
          } catch (error) {
            request.contextValue.logger.error({ err: error }, 'could not write the audit log');
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
 * In production only signed-in staff and analysts may introspect the schema (INTROSPECTING_ROLES);
 * party members, unit liaisons, portals and anonymous callers get the same validation error an
 * unknown field would.
 */
export function introspectionForStaffPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document }) {
          const viewer = contextValue.viewer;
          const mayIntrospect = viewer.kind === 'account' && INTROSPECTING_ROLES.has(viewer.role);
          if (!mayIntrospect && asksForIntrospection(document)) {
            throw new GraphQLError('GraphQL introspection is not allowed here: sign in as staff', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}

/**
 * At most one password is tried per request (PASSWORD_FIELDS): the rate limit counts requests and the
 * lockout counts one account's wrong passwords, so aliased signIn fields (up to Armor's alias limit)
 * tried a password against that many accounts for one request. Refused before anything runs, also
 * through fragments (rootFields), with the status the other document limits answer.
 */
export function onePasswordPerRequestPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document }) {
          if (!operation) return;
          const tried = rootFields(operation, document).filter((field) => PASSWORD_FIELDS.has(field.name.value)).length;
          if (tried > 1) {
            throw new GraphQLError('One request may try one password: send each signIn or changePassword on its own', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
