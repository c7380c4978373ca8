import { Entity, Index, Property } from '@mikro-orm/core';
import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { Field, ObjectType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { viewerId, type AppContext } from '../../context/context';
import { sha256 } from './credentials';
import { rootFields } from '../../common/root-fields';
import { REPLAYED_HEADER } from '../../idempotency/idempotency.headers';

const OPERATION_NAME_LENGTH = 100;

/** The outcome of a root field that never ran because an earlier one of the same request failed. */
export const NOT_RUN = 'NOT_RUN';
/** The outcome of a root field answered from the first request with the same Idempotency-Key: it did not run again. */
export const REPLAYED = 'REPLAYED';

/**
 * A client-chosen name cut to its column (its first 91 characters, "~" and 8 hex digits of its
 * SHA-256): too long a name made the insert fail, so the run went unaudited. The hash keeps two
 * long names that share a prefix apart.
 */
export function fitOperationName(name: string | null | undefined): string | null {
  if (name == null || name.length <= OPERATION_NAME_LENGTH) return name ?? null;
  const suffix = `~${sha256(name).slice(0, 8)}`;
  return name.slice(0, OPERATION_NAME_LENGTH - suffix.length) + suffix;
}

/**
 * Who did what: one row per root mutation field run, with the viewer, the operation and how
 * it ended (OK or the error code). Never variables — they may hold personal data. Request
 * ledgers say the same in more detail for the closed loop; this covers every mutation.
 */
@ObjectType({ implements: NodeEntity, description: 'One mutation run: who, which field, how it ended.' })
@Entity({ tableName: 'mutation_audit' })
@Index({ properties: ['actor', 'createdAt'] })
export class MutationAudit extends NodeEntity {
  @Field({ description: 'account:<username>, portal:<prefix> or anonymous.' })
  @Property({ type: 'string', length: 80 })
  actor!: string;

  @Field()
  @Property({ type: 'string', length: 100 })
  requestId!: string;

  @Field(() => String, { nullable: true, description: 'The operation name the client gave, if any.' })
  @Property({ type: 'string', length: OPERATION_NAME_LENGTH, nullable: true })
  operationName?: string | null;

  @Field({ description: 'The root mutation field, e.g. dispatchRequest.' })
  @Property({ type: 'string', length: 60 })
  @Index()
  field!: string;

  @Field({ description: 'OK, the error code it ended with (FORBIDDEN, BAD_USER_INPUT, …), NOT_RUN: an earlier root field of the same request failed, so it never ran, or REPLAYED: a retry with the Idempotency-Key of an earlier request, answered as that request was, did not run it again.' })
  @Property({ type: 'string', length: 40 })
  outcome!: string;
}

/** Writes the audit rows of a mutation request as its answer goes out (one statement). */
export async function recordMutations(request: GraphQLRequestContextWillSendResponse<AppContext>): Promise<void> {
  const operation = request.operation as OperationDefinitionNode | undefined;
  if (operation?.operation !== 'mutation') return;
  const ctx = request.contextValue;
  const body = request.response.body;
  const data = body.kind === 'single' ? body.singleResult.data : undefined;
  const replayed = request.response.http.headers.get(REPLAYED_HEADER.toLowerCase()) === 'true';
  const now = new Date();
  const rows = rootFieldOutcomes(operation, request.document, request.errors ?? [], data).map(({ field, outcome }) => ({
    actor: viewerId(ctx.viewer),
    requestId: ctx.requestId,
    operationName: fitOperationName(request.operationName),
    field,
    outcome: replayed ? REPLAYED : outcome,
    createdAt: now,
    updatedAt: now,
  }));
  if (rows.length) await ctx.em.fork().insertMany(MutationAudit, rows);
}

/**
 * How each root field of a mutation ended, in the order they ran (also those reached through
 * fragments): OK, the error code it ended with, or NOT_RUN. Only an error of the root field itself
 * means its transaction did not commit (an error in a field of its result came after the commit);
 * an error with no path refused the whole request; once a field fails and its null reaches the root
 * (its key is missing from data), graphql-js runs none of the later ones. The audit log and
 * Idempotency-Key (whether an answer changed nothing) read it.
 */
export function rootFieldOutcomes(
  operation: OperationDefinitionNode,
  document: DocumentNode | undefined,
  errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[],
  data: Record<string, unknown> | null | undefined,
): { field: string; outcome: string }[] {
  const refusedWhole = errors.find((candidate) => !candidate.path?.length);
  let stopped = false;
  return rootFields(operation, document).flatMap((selection) => {
    if (selection.name.value === '__typename') return [];
    const key = selection.alias?.value ?? selection.name.value;
    const own = errors.find((candidate) => candidate.path?.length === 1 && candidate.path[0] === key);
    const error = own ?? refusedWhole;
    let outcome = error ? String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'OK';
    if (!error && stopped) outcome = NOT_RUN;
    if (own && !(data && key in data)) stopped = true;
    return [{ field: selection.name.value, outcome }];
  });
}
