import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { Kind, type FormattedExecutionResult } from 'graphql';
import { badInput, conflict } from '../common/errors';
import type { AppContext } from '../context/context';
import { SESSION_FIELDS } from '../modules/identity/access.policy';

/**
 * Idempotent mutations: an account sending a mutation with an `Idempotency-Key` header (a UUID its
 * client makes per intended action) gets, for a retry with the same key within a day, the answer
 * the first request got, marked `Idempotent-Replayed: true`, and the mutation does not run again:
 * a grid worker's phone that lost the answer to createRequest or redeemPoints may send it again.
 * - The same key with another operation or other variables: CONFLICT (a new action needs a new key).
 * - A retry while the first still runs, or after the server stopped before answering it: CONFLICT
 *   (whether it took effect is unknown; the client looks, then acts with a new key).
 * - The answer is kept whatever it was, errors included: the retry gets the same.
 * Only for signed-in accounts, and never for the session's own mutations (signIn, refreshSession,
 * signOut, changePassword, …): an answer holding tokens is not kept. Without the header nothing
 * changes. The key is claimed in its own statement before the mutation runs, so two racing
 * requests with one key run it once.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long an answer is kept for retries. */
export const IDEMPOTENCY_KEY_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;

interface Replay {
  body: FormattedExecutionResult;
  status: number | null;
}

export function idempotencyPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      let claimedId: number | null = null;
      let replay: Replay | null = null;
      return {
        async didResolveOperation(request) {
          const key = request.request.http?.headers.get(IDEMPOTENCY_HEADER.toLowerCase());
          const viewer = request.contextValue.viewer;
          if (key === undefined || viewer.kind !== 'account' || request.operation?.operation !== 'mutation' || touchesSession(request)) return;
          if (!KEY_PATTERN.test(key)) throw badInput(IDEMPOTENCY_HEADER, 'must be 1-100 visible ASCII characters (a UUID, say)');
          const fingerprint = createHash('sha256')
            .update(JSON.stringify([request.request.query ?? '', request.request.operationName ?? null, request.request.variables ?? {}]))
            .digest('hex');
          const claim = await claimKey(request.contextValue, viewer.accountId, key, fingerprint);
          if (typeof claim === 'number') {
            claimedId = claim;
            return;
          }
          if (claim.fingerprint !== fingerprint) {
            throw conflict(`this ${IDEMPOTENCY_HEADER} was sent with another operation or other variables: a new action needs a new key`, IDEMPOTENCY_HEADER);
          }
          if (claim.response == null) {
            throw conflict(
              `a request with this ${IDEMPOTENCY_HEADER} is still running, or the server stopped before answering it: look whether it took effect before acting again with a new key`,
              IDEMPOTENCY_HEADER,
            );
          }
          replay = { body: claim.response, status: claim.status };
        },
        async responseForOperation() {
          if (!replay) return null;
          return {
            body: { kind: 'single', singleResult: replay.body },
            http: { status: replay.status ?? undefined, headers: new HeaderMap([[REPLAYED_HEADER.toLowerCase(), 'true']]) },
          };
        },
        async willSendResponse(request) {
          if (claimedId === null || request.response.body.kind !== 'single') return;
          try {
            await request.contextValue.em.execute(`update idempotency_key set response = ?::jsonb, status = ? where id = ?`, [
              JSON.stringify(request.response.body.singleResult),
              request.response.http.status ?? 200,
              claimedId,
            ]);
          } catch (error) {
            // The mutation's answer still goes out; a retry with the key is told the outcome is unknown.
            request.contextValue.logger.error({ err: error, requestId: request.contextValue.requestId }, 'could not keep the answer of an idempotent mutation');
          }
        },
      };
    },
  };
}

/** Whether the mutation calls one of the session's own fields, whose answers are never kept. */
function touchesSession(request: GraphQLRequestContext<AppContext>): boolean {
  return request.operation!.selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && SESSION_FIELDS.has(selection.name.value));
}

/**
 * Claims the key for this request in one statement (the new row's id), taking over a key older
 * than IDEMPOTENCY_KEY_HOURS, and dropping every other account's expired keys on the way; or
 * answers what the key holds. A concurrent claim of the same key waits on the unique index and
 * then finds it held.
 */
async function claimKey(ctx: AppContext, accountId: number, key: string, fingerprint: string): Promise<number | { fingerprint: string; response: FormattedExecutionResult | null; status: number | null }> {
  const now = ctx.now();
  const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3600_000);
  const claimed: { id: number }[] = await ctx.em.execute(
    `with purged as (delete from idempotency_key where created_at < ? and not (account_id = ? and key = ?))
     insert into idempotency_key (account_id, key, fingerprint, created_at) values (?, ?, ?, ?)
     on conflict (account_id, key) do update
        set fingerprint = excluded.fingerprint, response = null, status = null, created_at = excluded.created_at
      where idempotency_key.created_at < ?
     returning id`,
    [expiredBefore, accountId, key, accountId, key, fingerprint, now, expiredBefore],
  );
  if (claimed.length) return claimed[0].id;
  const [held] = await ctx.em.execute(`select fingerprint, response, status from idempotency_key where account_id = ? and key = ?`, [accountId, key]);
  // Gone between the two statements (taken over as expired and its claimer failed): as if running.
  return held ? { fingerprint: held.fingerprint, response: held.response, status: held.status } : { fingerprint, response: null, status: null };
}
