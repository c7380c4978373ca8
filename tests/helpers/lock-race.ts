import pg from 'pg';
import type { GraphQLResult, TestApp } from './test-app';

/*
 * Deterministic races: a second connection holds a lock in an open transaction, the first writer
 * is started and seen waiting on it in pg_stat_activity, then the second writer runs.
 */

/** Runs `query` in an open transaction on a connection of its own; the returned function commits it. */
export async function hold(app: TestApp, query: string, params: unknown[] = []): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query(query, params);
  return async () => {
    await client.query('commit');
    await client.end();
  };
}

/**
 * Until `n` sessions of this database wait on a lock, or `done()` (the writer awaited finished
 * without waiting: what a fix may make of it), or throws after ten seconds.
 */
export async function waiters(app: TestApp, n: number, done: () => boolean = () => false): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    if (done() || (await lockWaiters(app)) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`fewer than ${n} sessions ever waited on a lock`);
}

/** The number of sessions of this database waiting on a lock now. */
async function lockWaiters(app: TestApp): Promise<number> {
  const [{ k }] = await app.orm.em.fork().execute<{ k: number }[]>(`select count(*)::int as k from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
  return k;
}

/**
 * Holds `lock`, starts `first` and waits until it blocks, then starts `second` and waits until it
 * either finishes or blocks too, releases, and returns both results.
 */
export async function race(app: TestApp, lock: [string, unknown[]], first: () => Promise<GraphQLResult>, second: () => Promise<GraphQLResult>): Promise<[GraphQLResult, GraphQLResult]> {
  const release = await hold(app, ...lock);
  try {
    const a = first();
    await waiters(app, 1);
    let settled = false;
    const b = second().finally(() => void (settled = true));
    for (let tries = 0; tries < 400 && !settled && (await lockWaiters(app)) < 2; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
    await release();
    return [await a, await b];
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
}
