import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { applyClock } from '../common/clock';
import type { Logger } from '../common/logger';
import { Loaders } from './loaders';
import type { TokenSettings } from '../modules/identity/sessions';
import { Role } from '../modules/identity/role';
import { applyScope, scopeParamsOf } from '../modules/identity/scope.guard';
import type { PersonalDataReads } from '../modules/identity/personal-data';

/**
 * Who is asking: nobody signed in, a staff account (from a bearer token), or a portal (from
 * an API key). `scopePaths` are the area subtrees (materialised paths) they are bound to;
 * null means everything. A unit liaison's scope is the communities its unit is paired with.
 */
export type Viewer =
  | { kind: 'anonymous' }
  | {
      kind: 'account'; accountId: number; username: string; role: Role; scopePaths: string[] | null; unitId: number | null; personId: number | null;
      /** The account's session version the access token carried (absent for tools and tests acting without a token). */
      sessionVersion?: number;
    }
  | { kind: 'portal'; apiKeyId: number; prefix: string; role: Role.PORTAL; scopePaths: string[] | null };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

/**
 * The viewer command-line tools and tests act as: a district administrator bound to nothing.
 * Never built from a request.
 */
export const SYSTEM_VIEWER: Viewer = { kind: 'account', accountId: 0, username: 'system', role: Role.DISTRICT_ADMIN, scopePaths: null, unitId: null, personId: null };

/** Everything a resolver gets, built fresh for every request. */
export interface AppContext {
  /** Forked per request: its identity map lives and dies with the request. */
  em: EntityManager;
  loaders: Loaders;
  requestId: string;
  viewer: Viewer;
  logger: Logger;
  /** The time rules use (deadlines, "overdue"); tests move it. */
  now: () => Date;
  /** How this server signs access tokens (sign-in and refresh need it). */
  tokens?: TokenSettings;
  /** Unmasked personal data read in this request, audited when the answer is sent. */
  personalDataReads: PersonalDataReads;
  /** Whether the client was already answered REQUEST_TIMEOUT (HTTP requests): then nothing more may be committed. */
  timedOut?: () => boolean;
}

export function createContext(orm: MikroORM, logger: Logger, requestId: string = randomUUID(), now: () => Date = () => new Date(), viewer: Viewer = ANONYMOUS, tokens?: TokenSettings): AppContext {
  const em = orm.em.fork();
  // The viewer's area scope rides on the EntityManager: every read and write through it is scoped.
  applyScope(em, scopeParamsOf(viewer));
  // And its clock, for what the ORM stamps itself (updatedAt on an update).
  applyClock(em, now);
  return {
    em,
    loaders: new Loaders(em),
    requestId,
    viewer,
    logger: logger.child({ requestId, viewer: viewerLogId(viewer) }),
    now,
    tokens,
    personalDataReads: new Map(),
  };
}

/** How the viewer is named in ledgers ("who did it"); the access issue puts real accounts here. */
export function actorOf(ctx: Pick<AppContext, 'viewer'>): string {
  return viewerId(ctx.viewer);
}

/** A viewer's name in logs and ledgers: never a token or personal data. */
export function viewerId(viewer: Viewer): string {
  if (viewer.kind === 'account') return `account:${viewer.username}`;
  if (viewer.kind === 'portal') return `portal:${viewer.prefix}`;
  return 'anonymous';
}

/** A viewer in logs: numeric ids only (usernames can be people's names). */
export function viewerLogId(viewer: Viewer): string {
  if (viewer.kind === 'account') return `account#${viewer.accountId}`;
  if (viewer.kind === 'portal') return `apikey#${viewer.apiKeyId}`;
  return 'anonymous';
}
