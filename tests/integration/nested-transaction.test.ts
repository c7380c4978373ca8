/**
 * Found by a review of the retry in inTransaction: its guard `!ctx.em.isInTransaction()` is meant to
 * keep an inTransaction nested in a caller's transaction from being run again on its own. With a
 * request context (createContext: ctx.em is a fork with useContext=false) the transaction lives on
 * the fork MikroORM makes, never on ctx.em, so the guard cannot see a caller's transaction: an
 * inTransaction(ctx, …) called from inside another's work is neither nested nor guarded.
 * Latent when found: no production path nested inTransaction with the request context. Now a nested
 * inTransaction joins the caller's transaction.
 */
import { inTransaction, transactionRetriesSoFar } from '../../src/common/transaction';
import { SYSTEM_VIEWER, createContext } from '../../src/context/context';
import { createTestApp, silentLogger, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().execute(`
    create table nested_probe (id serial primary key, tag text);
    create sequence nested_probe_fail;
    create function nested_probe_fail() returns trigger language plpgsql as $$
    begin
      if new.tag = 'inner' and nextval('nested_probe_fail') = 1 then
        raise exception 'could not serialize access' using errcode = 'serialization_failure';
      end if;
      return new;
    end $$;
    create trigger nested_probe_fail before insert on nested_probe for each row execute function nested_probe_fail();`);
});
afterAll(async () => {
  await app?.close();
});

test('an inTransaction called inside another one with the same request context is part of the caller\'s transaction: undone with it, and run again only with all of it', async () => {
  const ctx = createContext(app.orm, silentLogger, undefined, undefined, SYSTEM_VIEWER);
  const retriesBefore = transactionRetriesSoFar();
  let outerAttempts = 0;
  let innerAttempts = 0;
  const error = await inTransaction(ctx, async (em) => {
    outerAttempts += 1;
    await em.execute(`insert into nested_probe (tag) values ('outer')`);
    // The trigger fails the first 'inner' insert with a serialization failure.
    await inTransaction(ctx, async (inner) => {
      innerAttempts += 1;
      await inner.execute(`insert into nested_probe (tag) values ('inner')`);
    });
    // The caller then fails: all of it must be undone, the nested work included.
    throw new Error('caller fails after the nested work');
  }).catch((caught: unknown) => caught);

  expect((error as Error).message).toBe('caller fails after the nested work');
  const rows = await app.orm.em.fork().execute<{ tag: string }[]>(`select tag from nested_probe order by id`);
  // Nothing of the failed caller stored; the collision ran the caller's whole unit of work again
  // (the nested work with it), never the nested work alone.
  expect({ rows: rows.map((row) => row.tag), outerAttempts, innerAttempts, retries: transactionRetriesSoFar() - retriesBefore })
    .toEqual({ rows: [], outerAttempts: 2, innerAttempts: 2, retries: 1 });
});
