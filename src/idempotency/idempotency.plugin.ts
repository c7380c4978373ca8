import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { FormattedExecutionResult, GraphQLError } from 'graphql';
import { AppError, ErrorCode, badInput, conflict, httpStatusOf } from '../common/errors';
import { rootFields } from '../common/root-fields';
import { translateDatabaseError } from '../common/transaction';
import type { AppContext, Viewer } from '../context/context';
import { SESSION_FIELDS } from '../modules/identity/access.policy';
import { NOT_RUN, rootFieldOutcomes } from '../modules/identity/mutation-audit';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER } from './idempotency.headers';

/**
 * Idempotent mutations: an account sending a mutation with an `Idempotency-Key` header (a UUID its
 * client makes per intended action) gets, for a retry with the same key within a day, the answer
 * the first request got, marked `Idempotent-Replayed: true`, and the mutation does not run again:
 * a grid worker's phone that lost the answer to createRequest or redeemPoints may send it again.
 * - The same key with another operation or other variables: CONFLICT (a new action needs a new key).
 * - A retry while the first still runs, or after the server stopped before answering it: CONFLICT
 *   (whether it took effect is unknown; the client looks, then acts with a new key).
 * - The answer is kept whatever it was, errors included: the retry gets the same, byte for byte
 *   (kept as its text: jsonb would reorder its fields). Except an answer that says nothing was
 *   changed and to send it again (REQUEST_TIMEOUT, SERVICE_UNAVAILABLE, TRY_AGAIN from every root
 *   field that ran): the key is let go, so the retry runs.
 * - A replayed answer that revealed personal data is audited again (personal_data_access), as it
 *   shows the data again.
 * - The answer is replayed only while the account may see what it saw: a key whose account's role,
 *   scope, unit or person changed since (an administrator moved it to another area, a liaison's
 *   pairing ended) is CONFLICT (409), not the kept answer, which may hold personal data and free
 *   text as written of records now outside its scope (found by a privacy review).
 * Only for signed-in accounts, and never for the session's own mutations (signIn, refreshSession,
 * signOut, changePassword, …) nor createApiKey, however the document reaches them (fragments
 * too): an answer holding tokens or a key is not kept. Without the header nothing changes. The
 * key is claimed in its own statement before the mutation runs, so two racing requests with one
 * key run it once. Refusals are 400 (malformed key), 409 (the first still runs or never answered)
 * and 422 (another operation under the key), never 500.
 */

/** How long an answer is kept for retries. */
export const IDEMPOTENCY_KEY_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;

/** Root mutation fields whose answers hold a credential: never kept (SESSION_FIELDS and the new API key). */
const NEVER_KEPT: ReadonlySet<string> = new Set([...SESSION_FIELDS, 'createApiKey']);

/** Codes that say nothing was changed and the same request may be sent again: such an answer frees the key. */
const SEND_AGAIN: ReadonlySet<string> = new Set([ErrorCode.REQUEST_TIMEOUT, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.TRY_AGAIN]);

/** What a key holds: the answer's JSON text as sent, its status, and the personal-data readings it showed. */
interface Kept {
  answer: string;
  personalDataReads: { subjectId: string; field: string }[];
  /** What the account could see when it got the answer (accessOf); absent on answers kept before it was recorded. */
  access?: string;
}

interface Replay {
  body: FormattedExecutionResult;
  status: number | null;
  personalDataReads: { subjectId: string; field: string }[];
}

/** A refusal from before the mutation runs, with its HTTP status (Apollo answers 500 without one). */
function refusal(error: AppError, status: number): GraphQLError {
  error.extensions.http = { status };
  return error;
}

export function idempotencyPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      let claimedId: number | null = null;
      let replay: Replay | null = null;
      let personalDataReads: Kept['personalDataReads'] = [];
      return {
        async didResolveOperation(request) {
          const key = request.request.http?.headers.get(IDEMPOTENCY_HEADER.toLowerCase());
          const viewer = request.contextValue.viewer;
          if (key === undefined || viewer.kind !== 'account' || request.operation?.operation !== 'mutation' || touchesNeverKept(request)) return;
          if (!KEY_PATTERN.test(key)) throw refusal(badInput(IDEMPOTENCY_HEADER, 'must be 1-100 visible ASCII characters (a UUID, say)'), 400);
          const fingerprint = fingerprintOf(request.source ?? request.request.query ?? '', request.request.operationName ?? null, request.request.variables ?? {});
          let claim: Awaited<ReturnType<typeof claimKey>>;
          try {
            claim = await claimKey(request.contextValue, viewer.accountId, key, fingerprint);
          } catch (error) {
            // The database unreachable or too slow: nothing was claimed nor run; the same request may be sent again.
            const translated = translateDatabaseError(error);
            if (translated instanceof AppError) throw refusal(translated, httpStatusOf(translated.code));
            throw error;
          }
          if (typeof claim === 'number') {
            claimedId = claim;
            return;
          }
          if (claim.fingerprint !== fingerprint) {
            throw refusal(conflict(`this ${IDEMPOTENCY_HEADER} was sent with another operation or other variables: a new action needs a new key`, IDEMPOTENCY_HEADER), 422);
          }
          if (claim.kept != null && claim.kept.access !== accessOf(viewer)) {
            throw refusal(
              conflict(
                `the answer kept for this ${IDEMPOTENCY_HEADER} was given under access your account no longer has (its area, unit or person changed): look whether it took effect before acting again with a new key`,
                IDEMPOTENCY_HEADER,
              ),
              409,
            );
          }
          if (claim.kept == null) {
            throw refusal(
              conflict(
                `a request with this ${IDEMPOTENCY_HEADER} is still running, or the server stopped before answering it: look whether it took effect before acting again with a new key`,
                IDEMPOTENCY_HEADER,
              ),
              409,
            );
          }
          replay = { body: JSON.parse(claim.kept.answer) as FormattedExecutionResult, status: claim.status, personalDataReads: claim.kept.personalDataReads };
        },
        async executionDidStart(request) {
          return {
            // Read here, before the audit plugin's willSendResponse writes and clears them.
            async executionDidEnd() {
              personalDataReads = [...request.contextValue.personalDataReads.values()];
            },
          };
        },
        async responseForOperation(request) {
          if (!replay) return null;
          // The replay shows the same unmasked data again: the audit plugin records it for this request.
          for (const read of replay.personalDataReads) request.contextValue.personalDataReads.set(`${read.subjectId}:${read.field}`, read);
          return {
            body: { kind: 'single', singleResult: replay.body },
            http: { status: replay.status ?? undefined, headers: new HeaderMap([[REPLAYED_HEADER.toLowerCase(), 'true']]) },
          };
        },
        async willSendResponse(request) {
          if (claimedId === null || request.response.body.kind !== 'single') return;
          try {
            if (changedNothingSendAgain(request)) {
              // "Nothing was changed, send it again": the retry with this key runs, not this answer.
              await request.contextValue.em.execute(`delete from idempotency_key where id = ?`, [claimedId]);
              return;
            }
            const kept: Kept = { answer: JSON.stringify(request.response.body.singleResult), personalDataReads, access: accessOf(request.contextValue.viewer) };
            await request.contextValue.em.execute(`update idempotency_key set response = ?::jsonb, status = ? where id = ?`, [JSON.stringify(kept), request.response.http.status ?? 200, claimedId]);
          } catch (error) {
            // The mutation's answer still goes out; a retry with the key is told the outcome is unknown.
            request.contextValue.logger.error({ err: error, requestId: request.contextValue.requestId }, 'could not keep the answer of an idempotent mutation');
          }
        },
      };
    },
  };
}

/**
 * What an account may see, as one string: its role, its scope (the area subtrees it reads) and
 * whom it acts for. A kept answer shows what the account could see then (personal data it
 * revealed, free text as written inside its scope); it is replayed only while this is the same.
 */
export function accessOf(viewer: Viewer): string {
  if (viewer.kind !== 'account') return viewer.kind;
  const scope = viewer.scopePaths === null ? null : [...viewer.scopePaths].sort();
  return JSON.stringify([viewer.role, scope, viewer.unitId ?? null, viewer.personId ?? null]);
}

/**
 * What makes a retry the same action: the operation's text as the server resolved it (an automatic
 * persisted query's retry sends its hash alone: request.query is then absent, the source is not),
 * the operation chosen and the variables' values (in a canonical order: a client re-serialising them
 * in another key order sends the same variables).
 */
export function fingerprintOf(source: string, operationName: string | null, variables: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify([source, operationName, canonical(variables)])).digest('hex');
}

/** A JSON value with every object's keys sorted (arrays keep their order: it is part of the value). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}

/** Whether the mutation calls a field whose answer is never kept (NEVER_KEPT), also through fragments. */
function touchesNeverKept(request: GraphQLRequestContext<AppContext>): boolean {
  return rootFields(request.operation!, request.document).some((field) => NEVER_KEPT.has(field.name.value));
}

/**
 * Whether the answer says nothing was changed and the same request may be sent again: every root
 * field ended with a SEND_AGAIN code or did not run (rootFieldOutcomes, read from the answer the
 * client got), and at least one with such a code.
 */
function changedNothingSendAgain(request: GraphQLRequestContextWillSendResponse<AppContext>): boolean {
  const body = request.response.body;
  if (body.kind !== 'single' || !request.operation) return false;
  const outcomes = rootFieldOutcomes(request.operation, request.document, body.singleResult.errors ?? [], body.singleResult.data).map(({ outcome }) => outcome);
  return outcomes.some((outcome) => SEND_AGAIN.has(outcome)) && outcomes.every((outcome) => SEND_AGAIN.has(outcome) || outcome === NOT_RUN);
}

/**
 * Claims the key for this request in one statement (the new row's id), taking over a key older
 * than IDEMPOTENCY_KEY_HOURS, and dropping every other account's expired keys on the way; or
 * answers what the key holds. A concurrent claim of the same key waits on the unique index and
 * then finds it held.
 */
async function claimKey(ctx: AppContext, accountId: number, key: string, fingerprint: string): Promise<number | { fingerprint: string; kept: Kept | null; status: number | null }> {
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
  return held ? { fingerprint: held.fingerprint, kept: held.response, status: held.status } : { fingerprint, kept: null, status: null };
}
