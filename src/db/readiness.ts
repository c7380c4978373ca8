/**
 * GET /ready's look at the database. It runs on a connection of its own, not the pool's: a pool
 * busy with healthy work (every connection in a long ranking) is no database out of service, and
 * an instance that said so would leave rotation at the moment it is most needed, with all its
 * peers. Bounded by READY_DEADLINE_MS: a frozen server (stopped, or a network that drops packets
 * without resetting) accepts the connection and never answers, and a probe that waited for it
 * would hang as long as the prober lets it instead of saying "not ready" while it can.
 */
import pg from 'pg';
import { MIGRATIONS } from '../../migrations';

export const READY_DEADLINE_MS = 2000;

export type Readiness =
  | { status: 'ready' }
  | { status: 'migrations pending'; pending: string[] }
  | { status: 'database not answering' }
  | { status: 'database unavailable' };

/** The migrations MikroORM records as applied live in this table (its default name, ours too). */
const APPLIED_SQL = 'select name from mikro_orm_migrations';
const UNDEFINED_TABLE = '42P01';

export async function checkReadiness(databaseUrl: string, deadlineMs = READY_DEADLINE_MS): Promise<Readiness> {
  // The connect timeout outlasts the deadline, so that a server that never answers is told by the
  // deadline (not answering), and one that refuses or fails (unavailable) by the error, whatever the timers' order.
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: deadlineMs + 1000, application_name: 'gongjian-ready' });
  // A connection dropped after the answer must not be an unhandled 'error' event.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), deadlineMs);
  });
  const work = (async (): Promise<Readiness> => {
    await client.connect();
    const applied = await client.query<{ name: string }>(APPLIED_SQL).then(
      (result) => new Set(result.rows.map((row) => row.name)),
      (error: { code?: string }) => {
        if (error.code === UNDEFINED_TABLE) return new Set<string>(); // never migrated: all pending
        throw error;
      },
    );
    const pending = MIGRATIONS.map((migration) => migration.name).filter((name) => !applied.has(name));
    return pending.length ? { status: 'migrations pending', pending } : { status: 'ready' };
  })();
  try {
    const outcome = await Promise.race([work, deadline]).catch((): Readiness => ({ status: 'database unavailable' }));
    if (outcome !== 'timed out') return outcome;
    work.catch(() => undefined);
    return { status: 'database not answering' };
  } finally {
    clearTimeout(timer);
    // end() would wait for the frozen server to answer its goodbye: drop the socket instead (node-pg
    // has no public way; `connection.stream` is the net.Socket in every 8.x).
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

/**
 * checkReadiness for GET /ready, which anyone may call without a credential or a rate limit: probes
 * arriving while a check runs share its answer. Each check opens a connection beside the pool, so a
 * flood of probes opened a PostgreSQL connection each, up to max_connections, and the pool could no
 * longer connect: the probe itself took the database out of service.
 */
export function sharedReadiness(databaseUrl: string, deadlineMs = READY_DEADLINE_MS): () => Promise<Readiness> {
  let running: Promise<Readiness> | undefined;
  return () =>
    (running ??= checkReadiness(databaseUrl, deadlineMs).finally(() => {
      running = undefined;
    }));
}
