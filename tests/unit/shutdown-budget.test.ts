import { SHUTDOWN_DEADLINE_MS, STOP_BUDGET_MS } from '../../src/server';

/*
 * main.ts cuts a shutdown off (exit 1) at SHUTDOWN_DEADLINE_MS. It was 20 s, exactly the server's
 * stop() at its longest (10 s HTTP drain, then 10 s for operations still running), so an orderly but
 * slow stop was killed before the pool closed and the embedded database stopped.
 */
test('the shutdown deadline leaves time after the longest stop() to close the pool and stop the embedded database', () => {
  expect(SHUTDOWN_DEADLINE_MS - (STOP_BUDGET_MS.drain + STOP_BUDGET_MS.inFlight)).toBeGreaterThanOrEqual(5_000);
});
