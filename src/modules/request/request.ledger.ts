import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, RequestEvent, RequestEventKind, RequestStatus } from './request.entity';
import { RequestEvent as RequestEventEntity } from './request.entity';

/**
 * The state a ledger entry can change. Each entry stores, in `data.set`, the fields it
 * changed with their new values, so replaying entries in order rebuilds the request.
 */
export interface RequestState {
  status?: string | null;
  statusBeforeSuspension?: string | null;
  level?: string | null;
  assigneePersonId?: number | null;
  assigneeUnitId?: number | null;
  dueAt?: string | null;
  assigneeDueAt?: string | null;
  suspendedAt?: string | null;
  resolvedAt?: string | null;
  closedAt?: string | null;
  satisfaction?: number | null;
  ratingComment?: string | null;
  lastReason?: string | null;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function snapshot(request: Request): Required<RequestState> {
  return {
    status: request.status,
    statusBeforeSuspension: request.statusBeforeSuspension ?? null,
    level: request.level,
    assigneePersonId: request.assigneePerson?.id ?? null,
    assigneeUnitId: request.assigneeUnit?.id ?? null,
    dueAt: iso(request.dueAt),
    assigneeDueAt: iso(request.assigneeDueAt),
    suspendedAt: iso(request.suspendedAt),
    resolvedAt: iso(request.resolvedAt),
    closedAt: iso(request.closedAt),
    satisfaction: request.satisfaction ?? null,
    ratingComment: request.ratingComment ?? null,
    lastReason: request.lastReason ?? null,
  };
}

export function changedFields(before: RequestState, after: RequestState): RequestState {
  const changed: RequestState = {};
  for (const key of Object.keys(after) as (keyof RequestState)[]) {
    if (before[key] !== after[key]) (changed as Record<string, unknown>)[key] = after[key];
  }
  return changed;
}

/** Folds ledger entries (in sequence order) into the state they describe. */
export function replayLedger(events: Pick<RequestEvent, 'sequence' | 'data'>[]): RequestState {
  const state: RequestState = {};
  for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
    Object.assign(state, (event.data as { set?: RequestState }).set ?? {});
  }
  return state;
}

/**
 * Appends the next entry to a request's ledger (inside the caller's transaction). The request's
 * row is locked first (steps already hold it, see `step` in request.service.ts), so writers append
 * one after the other and each numbers its entry after the last committed one: a comment or a
 * whistle's entry racing another simply lands next, instead of colliding on the unique
 * (request, sequence) key and answering with the key's column names.
 */
export async function appendEvent(
  em: EntityManager,
  request: Request,
  entry: { kind: RequestEventKind; actor: string; at: Date; fromStatus?: RequestStatus | null; toStatus?: RequestStatus | null; note?: string | null; set?: RequestState; extra?: Record<string, unknown> },
): Promise<RequestEvent> {
  await em.execute('select id from request where id = ? for update', [request.id]);
  const [row] = await em.execute<{ next: number }[]>('select coalesce(max(sequence), 0) + 1 as next from request_event where request_id = ?', [request.id]);
  return em.create(RequestEventEntity, {
    request,
    sequence: Number(row.next),
    kind: entry.kind,
    actor: entry.actor,
    fromStatus: entry.fromStatus ?? null,
    toStatus: entry.toStatus ?? null,
    note: entry.note ?? null,
    data: { ...(entry.extra ?? {}), set: entry.set ?? {} },
    // The ledger's time is the clock the rules use, not the database's.
    createdAt: entry.at,
    updatedAt: entry.at,
  });
}
