import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * The settings every connection of the API's pool opens with (src/config/mikro-orm.ts). JIT off:
 * on PostgreSQL builds with LLVM (Debian's 15, not the embedded one), a year's member assessment on
 * an 8-year history of 240,000 requests compiled for 4.3-4.6 s and ran in 1.2 (5.6 s in all): the
 * API's statements are short, and JIT's compile time is what they would pay.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

test('the pool\'s connections run without JIT compilation and with work_mem for the analytics\' hash aggregates', async () => {
  const [settings] = await app.orm.em.fork().execute<{ jit: string; work_mem: string }[]>(`select current_setting('jit') as jit, current_setting('work_mem') as work_mem`);
  expect(settings).toEqual({ jit: 'off', work_mem: '16MB' });
});
