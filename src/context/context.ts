import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../common/logger';
import { Loaders } from './loaders';
import type { TokenSettings } from '../modules/identity/identity.service';

/**
 * Who is asking: nobody signed in, a staff account (from a bearer token), or a portal (from
 * an API key). `scopePath` is the area subtree they are bound to (null: everything).
 */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'account'; accountId: number; username: string; role: string; scopePath: string | null }
  | { kind: 'portal'; apiKeyId: number; prefix: string; role: 'PORTAL'; scopePath: string | null };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

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
}

export function createContext(orm: MikroORM, logger: Logger, requestId: string = randomUUID(), now: () => Date = () => new Date(), viewer: Viewer = ANONYMOUS, tokens?: TokenSettings): AppContext {
  const em = orm.em.fork();
  return {
    em,
    loaders: new Loaders(em),
    requestId,
    viewer,
    logger: logger.child({ requestId, viewer: viewerId(viewer) }),
    now,
    tokens,
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
