import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../common/logger';
import { Loaders } from './loaders';

/** Who is asking. Only anonymous for now; identity and scopes come with the access issue. */
export type Viewer = { kind: 'anonymous' };

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
}

export function createContext(orm: MikroORM, logger: Logger, requestId: string = randomUUID(), now: () => Date = () => new Date()): AppContext {
  const em = orm.em.fork();
  return {
    em,
    loaders: new Loaders(em),
    requestId,
    viewer: { kind: 'anonymous' },
    logger: logger.child({ requestId }),
    now,
  };
}

/** How the viewer is named in ledgers ("who did it"); the access issue puts real accounts here. */
export function actorOf(ctx: Pick<AppContext, 'viewer'>): string {
  return ctx.viewer.kind;
}
